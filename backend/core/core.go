// Package core holds Carnet's use cases: one function per thing a person
// does (view a contact, import a file, issue an invoice, erase someone),
// called alike by the window's bound services (app/) and the command line
// (app/cli). Those callers only decode, call core and map errors.
//
// Every change goes through one seam, Core.change: a single write
// transaction in which the stores' changes and the audit entry recording
// them commit together or not at all (GDPR Art. 5(2), accountability: an
// audit log that can miss what was done is not one). The transaction
// travels in the context (package txn), so the stores of crm, sales, mail
// and privacy join it without taking a *sql.Tx. This is also where the
// change log of multi-device sync will hook in: one call in change, in the
// same transaction.
//
// Files are named for what a person does: contacts.go, imports.go,
// sales.go, mail.go, consents.go, requests.go, rights.go, retention.go,
// breaches.go, register.go, vault.go (unlock housekeeping, re-key,
// rollback), backups.go.
package core

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"carnet/backend/i18n"
	"carnet/backend/privacy"
	"carnet/backend/txn"
	"carnet/backend/vault"
)

// Version is set at build time (-ldflags "-X carnet/backend/core.Version=…").
var Version = "0.1.0-dev"

// Options are what a Core needs from its caller.
type Options struct {
	Vault *vault.Vault // unlocked
	I18n  *i18n.Bundle
	// Lang is the interface language at the time of the call ("fr", "en"):
	// the window's can change while it runs.
	Lang func() string
	Via  Via
	Now  func() time.Time // nil for the real clock
}

// Core runs the use cases on one unlocked vault, for one caller.
type Core struct {
	vault *vault.Vault
	db    *sql.DB
	i18n  *i18n.Bundle
	lang  func() string
	via   Via
	now   func() time.Time
}

// New returns the use cases of the unlocked vault in o.
func New(o Options) (*Core, error) {
	db, err := o.Vault.DB()
	if err != nil {
		return nil, err
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Lang == nil {
		o.Lang = func() string { return "fr" }
	}
	return &Core{vault: o.Vault, db: db, i18n: o.I18n, lang: o.Lang, via: o.Via, now: o.Now}, nil
}

// DB is the unlocked vault's database, for reads that are no use case
// (lists, counts) and for tests.
func (c *Core) DB() *sql.DB { return c.db }

// Vault is the unlocked vault.
func (c *Core) Vault() *vault.Vault { return c.vault }

// Lang is the interface language now.
func (c *Core) Lang() string { return c.lang() }

// I18n is the translations bundle.
func (c *Core) I18n() *i18n.Bundle { return c.i18n }

// Now is the core's clock.
func (c *Core) Now() time.Time { return c.now() }

// errNoTransaction is a programming error: an audit entry written outside
// change could commit without the change it records, or the reverse.
var errNoTransaction = errors.New("core: audit entry outside a use case's transaction")

// change runs fn in one write transaction carried by the context fn
// receives: every store called with that context joins it, and so does
// c.audit. Nothing fn did commits unless all of it, audit included, does.
//
// This is the one seam every write goes through; the sync change log
// (issue "team sync") records here, in the same transaction.
func (c *Core) change(ctx context.Context, fn func(ctx context.Context) error) error {
	if txn.From(ctx) != nil {
		// A use case calling another: one transaction for both.
		return fn(ctx)
	}
	return txn.Write(ctx, c.db, func(tx *sql.Tx) error {
		return fn(txn.With(ctx, tx))
	})
}

// audit appends an entry naming the action, the actor and the subject to
// the audit log, in the transaction ctx carries. detail must hold no
// personal data: field names, counts, formats, record ids.
func (c *Core) audit(ctx context.Context, action, kind string, id int64, detail map[string]any) error {
	tx := txn.From(ctx)
	if tx == nil {
		return errNoTransaction
	}
	by, err := c.actor(ctx)
	if err != nil {
		return err
	}
	if err := privacy.LogTx(ctx, tx, c.now(), by.String(), action, kind, id, detail); err != nil {
		return fmt.Errorf("core: %s: %w", action, err)
	}
	return nil
}

// DefaultDataDir is the vault folder when none is given:
// $CARNET_DATA_DIR, else the user's configuration folder /Carnet.
func DefaultDataDir() string {
	if d := os.Getenv("CARNET_DATA_DIR"); d != "" {
		return d
	}
	base, err := os.UserConfigDir()
	if err != nil {
		base = "."
	}
	return filepath.Join(base, "Carnet")
}
