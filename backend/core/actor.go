package core

import (
	"context"
	"fmt"
	"os/user"
	"strings"

	"carnet/backend/privacy"
	"carnet/backend/settings"
)

// Via is where an action was done from.
type Via string

const (
	ViaWindow Via = "window"
	ViaCLI    Via = "cli"
	// ViaApp is Carnet itself, on its own (Core.AsApp): housekeeping at
	// unlock, erasures re-applied from the record outside the vault,
	// automatic backups.
	ViaApp Via = "app"
)

// Actor is who did an action and from where, as the audit log and the
// consent ledger name them (GDPR Art. 5(2): the controller must be able to
// show who did what).
type Actor struct {
	// Name is the user's label from the privacy profile ("Marie Dupont,
	// gérante"), else the OS user.
	Name   string
	OSUser string // the account logged in on the computer
	Via    Via
}

// String is the actor as written in the audit log:
// "Marie Dupont (window, OS user marie)".
func (a Actor) String() string {
	var b strings.Builder
	b.WriteString(a.Name)
	b.WriteString(" (")
	b.WriteString(string(a.Via))
	if a.OSUser != "" && a.OSUser != a.Name {
		b.WriteString(", OS user ")
		b.WriteString(a.OSUser)
	}
	b.WriteString(")")
	return b.String()
}

// actor is who acts now: the profile's label is read in ctx's transaction,
// so a label changed in the same use case is the one recorded.
func (c *Core) actor(ctx context.Context) (Actor, error) {
	a := Actor{Via: c.via, OSUser: osUser()}
	pr, err := privacy.LoadProfile(ctx, settings.New(c.db))
	if err != nil {
		return a, err
	}
	a.Name = pr.UserLabel
	return a, nil
}

// Actor is who acts now, for the stores that record it themselves (the
// consent ledger, breach and retention decisions). An actor that cannot be
// read fails the change: an entry naming "?" shows nobody (Art. 5(2)).
func (c *Core) Actor(ctx context.Context) (string, error) {
	a, err := c.actor(ctx)
	if err != nil {
		return "", fmt.Errorf("core: actor: %w", err)
	}
	return a.String(), nil
}

// AsApp returns the use cases run by Carnet itself, on its own rather
// than at someone's request: housekeeping at unlock, re-applying erasures,
// automatic backups. Their entries name the user (whose vault it is) with
// "app" as where they came from.
func (c *Core) AsApp() *Core {
	cp := *c
	cp.via = ViaApp
	return &cp
}

func osUser() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return ""
}
