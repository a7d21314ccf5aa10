// Package app is the window's face of the backend: the structs bound to
// Wails, one per thing a person does (contacts, companies, activities,
// import, sales, seller, mail, mail accounts, outbox, consents, requests,
// register, rights, retention, breaches, backups, vault, settings). Each
// method decodes, calls a use case of backend/core and maps its error; it
// holds no business rules and writes no audit entry itself. The command
// line (app/cli) is the other caller of the same use cases.
package app

import (
	"context"
	"time"

	"carnet/backend/i18n"
	"carnet/backend/vault"
)

// Emitter sends an event to the frontend. The desktop build wraps Wails'
// runtime; tests and the browser bridge provide their own, so nothing in
// app/ or backend/ needs a window.
type Emitter interface {
	Emit(event string, data any)
}

// Events sent to the frontend.
const (
	EventLocked = "vault:locked" // data: LockedEvent
	// EventRekeyProgress reports a re-key's copy; data: RekeyProgress.
	EventRekeyProgress = "vault:rekey-progress"
)

// Config chooses the vault folder and, for tests, cheaper key derivation.
type Config struct {
	DataDir string
	KDF     vault.KDFParams
	// Offline turns off the mail loop that syncs and sends in the
	// background (tests drive it by hand).
	Offline bool
}

// Services holds the bound structs and what they share.
type Services struct {
	Vault     *Vault
	Settings  *Settings
	Contacts  *Contacts
	Sales     *Sales
	Seller    *Seller
	Mail      *Mail
	Consents  *Consents
	Requests  *Requests
	Register  *Register
	Rights    *Rights
	Retention *Retention
	Breaches  *Breaches
	Backups   *Backups
	i18n      *i18n.Bundle

	// The rest of the CRM, split from Contacts by what a person does.
	Companies     *Companies
	Activities    *Activities
	ContactImport *ContactImport

	// Mail, split by what a person does: setting up accounts, writing.
	MailAccounts *MailAccounts
	Outbox       *Outbox
}

// New prepares the services; the vault folder is taken at Startup.
func New(cfg Config) (*Services, error) {
	b, err := i18n.Load()
	if err != nil {
		return nil, err
	}
	v := &Vault{cfg: cfg}
	s := &Services{Vault: v, Settings: &Settings{vault: v, i18n: b, dataDir: cfg.DataDir}, i18n: b}
	s.Contacts = &Contacts{vault: v, i18n: b, lang: func() string { return s.Settings.preferences().Language }}
	s.Companies, s.Activities, s.ContactImport = &Companies{vault: v}, &Activities{vault: v}, &ContactImport{vault: v}
	s.Sales = &Sales{vault: v, i18n: b, dialogs: func() Dialogs { return s.Contacts.dialogs }}
	s.Seller = &Seller{vault: v}
	loop := &mailLoop{vault: v, offline: cfg.Offline}
	s.Mail = &Mail{vault: v, i18n: b, lang: s.Contacts.lang, dialogs: s.Sales.dialogs, mailLoop: loop}
	s.MailAccounts, s.Outbox = &MailAccounts{vault: v, loop: loop}, &Outbox{vault: v, i18n: b, lang: s.Contacts.lang, loop: loop}
	s.Consents = &Consents{vault: v, i18n: b, lang: s.Contacts.lang, dialogs: s.Sales.dialogs}
	s.Requests = &Requests{vault: v}
	s.Register = &Register{vault: v, i18n: b, lang: s.Contacts.lang, dialogs: s.Sales.dialogs}
	s.Rights = &Rights{vault: v, dialogs: s.Sales.dialogs}
	s.Retention = &Retention{vault: v, i18n: b}
	s.Breaches = &Breaches{vault: v, i18n: b, dialogs: s.Sales.dialogs}
	s.Backups = &Backups{vault: v, dataDir: cfg.DataDir, dialogs: s.Sales.dialogs, now: time.Now}
	v.i18n, v.lang = b, s.Contacts.lang
	v.onLock = func() {
		s.Mail.stop()
		s.Contacts.forget()
		s.ContactImport.forget()
		s.Backups.stopDaily()
	}
	v.beforeLock = func() { s.Backups.automatic("lock") }
	v.onUnlock = func() {
		s.Mail.start()
		s.Backups.startDaily()
	}
	return s, nil
}

// SetDialogs chooses how the user is asked for file locations.
func (s *Services) SetDialogs(d Dialogs) { s.Contacts.dialogs = d }

// Startup takes the vault folder. A failure (folder in use, not writable)
// is kept and shown by the unlock screen rather than ending the program.
func (s *Services) Startup(ctx context.Context, emit Emitter) {
	s.Vault.start(ctx, emit)
}

// Shutdown locks the vault and releases its folder.
func (s *Services) Shutdown() {
	s.Vault.shutdown()
}

// Bound lists the structs whose methods the frontend may call.
func (s *Services) Bound() []any {
	return []any{s.Vault, s.Settings, s.Contacts, s.Companies, s.Activities, s.ContactImport, s.Sales, s.Seller, s.Mail, s.MailAccounts, s.Outbox, s.Consents, s.Requests, s.Register, s.Rights, s.Retention, s.Breaches, s.Backups}
}
