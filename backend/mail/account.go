// Package mail keeps e-mail in the vault: accounts, IMAP sync, the
// messages and their links to contacts, safe display, and the outbox that
// sends over SMTP.
package mail

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"strings"
	"time"

	"carnet/backend/txn"
)

// Security is how a connection is protected.
type Security string

const (
	TLS      Security = "tls"      // TLS from the first byte (IMAPS 993, SMTPS 465)
	STARTTLS Security = "starttls" // plain connection upgraded before login (587, 143)
	None     Security = "none"     // no encryption: only for servers on the same machine (see CheckCleartext)
)

// ErrCleartextRemote is returned for security "none" on a host that is not
// this computer: the password would cross the network in clear.
var ErrCleartextRemote = errors.New("mail: no security is only allowed for a server on this computer")

// CleartextError names the server that would get the password in clear.
type CleartextError struct {
	Server string // "imap" or "smtp"
	Host   string
}

func (e *CleartextError) Error() string {
	return fmt.Sprintf("%v: %s %s", ErrCleartextRemote, e.Server, e.Host)
}
func (e *CleartextError) Unwrap() error { return ErrCleartextRemote }

// IsLoopbackHost reports whether host names this computer: "localhost",
// 127.0.0.0/8 or ::1 (brackets allowed). Other names are refused even when
// they resolve to a loopback address: resolution can change under us.
func IsLoopbackHost(host string) bool {
	host = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(host), "["), "]")
	if strings.EqualFold(strings.TrimSuffix(host, "."), "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// CheckCleartext refuses security "none" towards any host but this
// computer. It runs when an account is saved or tested and again before
// every connection, so an account stored before the rule existed stops
// sending its password in clear instead of carrying on silently.
func (a *Account) CheckCleartext() error {
	if a.IMAPSecurity == None && !IsLoopbackHost(a.IMAPHost) {
		return &CleartextError{Server: "imap", Host: a.IMAPHost}
	}
	if a.SMTPSecurity == None && !IsLoopbackHost(a.SMTPHost) {
		return &CleartextError{Server: "smtp", Host: a.SMTPHost}
	}
	return nil
}

// Account is one mailbox the user reads and sends from.
type Account struct {
	ID           int64    `json:"id"`
	Name         string   `json:"name"`
	Address      string   `json:"address"`
	DisplayName  string   `json:"displayName"`
	IMAPHost     string   `json:"imapHost"`
	IMAPPort     int      `json:"imapPort"`
	IMAPSecurity Security `json:"imapSecurity"`
	SMTPHost     string   `json:"smtpHost"`
	SMTPPort     int      `json:"smtpPort"`
	SMTPSecurity Security `json:"smtpSecurity"`
	Username     string   `json:"username"`
	Password     string   `json:"password"`
	CAPEM        string   `json:"caPem"`      // a CA trusted for this account only
	PinnedCert   string   `json:"pinnedCert"` // SHA-256 (hex) of a certificate trusted as is
	Signature    string   `json:"signature"`
}

// Preset is the server settings of a common provider, typed in by hand so
// nothing is looked up on the network.
type Preset struct {
	ID           string   `json:"id"`
	Label        string   `json:"label"`
	IMAPHost     string   `json:"imapHost"`
	IMAPPort     int      `json:"imapPort"`
	IMAPSecurity Security `json:"imapSecurity"`
	SMTPHost     string   `json:"smtpHost"`
	SMTPPort     int      `json:"smtpPort"`
	SMTPSecurity Security `json:"smtpSecurity"`
	AppPassword  bool     `json:"appPassword"` // the provider wants an app password, not the usual one
}

// Presets lists providers common among French small businesses.
func Presets() []Preset {
	return []Preset{
		{"gmail", "Gmail / Google Workspace", "imap.gmail.com", 993, TLS, "smtp.gmail.com", 465, TLS, true},
		{"outlook", "Outlook / Microsoft 365", "outlook.office365.com", 993, TLS, "smtp.office365.com", 587, STARTTLS, false},
		{"orange", "Orange", "imap.orange.fr", 993, TLS, "smtp.orange.fr", 465, TLS, false},
		{"free", "Free", "imap.free.fr", 993, TLS, "smtp.free.fr", 465, TLS, false},
		{"sfr", "SFR", "imap.sfr.fr", 993, TLS, "smtp.sfr.fr", 465, TLS, false},
		{"laposte", "La Poste", "imap.laposte.net", 993, TLS, "smtp.laposte.net", 465, TLS, false},
		{"ovh", "OVHcloud", "ssl0.ovh.net", 993, TLS, "ssl0.ovh.net", 465, TLS, false},
		{"ionos", "IONOS", "imap.ionos.fr", 993, TLS, "smtp.ionos.fr", 465, TLS, false},
		{"icloud", "iCloud", "imap.mail.me.com", 993, TLS, "smtp.mail.me.com", 587, STARTTLS, true},
		{"yahoo", "Yahoo", "imap.mail.yahoo.com", 993, TLS, "smtp.mail.yahoo.com", 465, TLS, true},
	}
}

// Validation errors; Field says which input is wrong.
var ErrInvalidAccount = errors.New("mail: invalid account")

// FieldError names the field an account is missing or has wrong.
type FieldError struct{ Field string }

func (e *FieldError) Error() string { return "mail: invalid account field " + e.Field }
func (e *FieldError) Unwrap() error { return ErrInvalidAccount }

// ErrNotFound is returned for an account, folder or message that does not exist.
var ErrNotFound = errors.New("mail: not found")

func (a *Account) normalize() error {
	for _, p := range []*string{&a.Name, &a.Address, &a.DisplayName, &a.IMAPHost, &a.SMTPHost, &a.Username, &a.PinnedCert} {
		*p = strings.TrimSpace(*p)
	}
	a.PinnedCert = strings.ToLower(strings.ReplaceAll(a.PinnedCert, ":", ""))
	if a.Name == "" {
		a.Name = a.Address
	}
	if ad, err := mail.ParseAddress(a.Address); err != nil || ad.Name != "" {
		return &FieldError{"address"}
	}
	if a.Username == "" {
		a.Username = a.Address
	}
	checks := []struct {
		field string
		bad   bool
	}{
		{"imapHost", a.IMAPHost == "" || strings.ContainsAny(a.IMAPHost, " /")},
		{"imapPort", a.IMAPPort < 1 || a.IMAPPort > 65535},
		{"imapSecurity", !a.IMAPSecurity.valid()},
		{"smtpHost", a.SMTPHost == "" || strings.ContainsAny(a.SMTPHost, " /")},
		{"smtpPort", a.SMTPPort < 1 || a.SMTPPort > 65535},
		{"smtpSecurity", !a.SMTPSecurity.valid()},
		{"password", a.Password == ""},
		{"pinnedCert", a.PinnedCert != "" && len(a.PinnedCert) != 64},
	}
	for _, c := range checks {
		if c.bad {
			return &FieldError{c.field}
		}
	}
	return a.CheckCleartext()
}

func (s Security) valid() bool { return s == TLS || s == STARTTLS || s == None }

const accountColumns = `id, name, address, display_name, imap_host, imap_port, imap_security,
	smtp_host, smtp_port, smtp_security, username, password, ca_pem, pinned_cert, signature`

func scanAccount(sc interface{ Scan(...any) error }) (Account, error) {
	var a Account
	err := sc.Scan(&a.ID, &a.Name, &a.Address, &a.DisplayName, &a.IMAPHost, &a.IMAPPort, &a.IMAPSecurity,
		&a.SMTPHost, &a.SMTPPort, &a.SMTPSecurity, &a.Username, &a.Password, &a.CAPEM, &a.PinnedCert, &a.Signature)
	return a, err
}

// Accounts lists the accounts by name.
func (s *Store) Accounts(ctx context.Context) ([]Account, error) {
	out := []Account{}
	rows, err := txn.On(ctx, s.db).QueryContext(ctx, `SELECT `+accountColumns+` FROM mail_accounts ORDER BY name COLLATE NOCASE`)
	if err != nil {
		return nil, fmt.Errorf("mail: accounts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, fmt.Errorf("mail: accounts: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Account returns one account.
func (s *Store) Account(ctx context.Context, id int64) (Account, error) {
	a, err := scanAccount(txn.On(ctx, s.db).QueryRowContext(ctx, `SELECT `+accountColumns+` FROM mail_accounts WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("%w: account %d", ErrNotFound, id)
	}
	return a, err
}

// AccountByName finds an account by its name (any case).
func (s *Store) AccountByName(ctx context.Context, name string) (Account, error) {
	a, err := scanAccount(txn.On(ctx, s.db).QueryRowContext(ctx, `SELECT `+accountColumns+` FROM mail_accounts WHERE name = ? COLLATE NOCASE`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("%w: account %q", ErrNotFound, name)
	}
	return a, err
}

// ErrDuplicateName is returned when another account has the same name.
var ErrDuplicateName = errors.New("mail: an account with this name exists")

// WithStoredPassword returns a as the user means it: the form leaves the
// password empty for an existing account to keep the stored one.
func (s *Store) WithStoredPassword(ctx context.Context, a Account) (Account, error) {
	if a.ID == 0 || a.Password != "" {
		return a, nil
	}
	old, err := s.Account(ctx, a.ID)
	if err != nil {
		return a, err
	}
	a.Password = old.Password
	return a, nil
}

// SaveAccount creates the account (ID 0) with its inbox and Sent folder,
// or updates it. An empty password on update keeps the stored one.
func (s *Store) SaveAccount(ctx context.Context, a Account) (int64, error) {
	a, err := s.WithStoredPassword(ctx, a)
	if err != nil {
		return 0, err
	}
	if err := a.normalize(); err != nil {
		return 0, err
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM mail_accounts WHERE name = ? COLLATE NOCASE AND id <> ?`, a.Name, a.ID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return ErrDuplicateName
		}
		if a.ID != 0 {
			const q = `UPDATE mail_accounts SET name = ?, address = ?, display_name = ?, imap_host = ?, imap_port = ?,
				imap_security = ?, smtp_host = ?, smtp_port = ?, smtp_security = ?, username = ?, password = ?,
				ca_pem = ?, pinned_cert = ?, signature = ? WHERE id = ?`
			res, err := tx.ExecContext(ctx, q, a.Name, a.Address, a.DisplayName, a.IMAPHost, a.IMAPPort, a.IMAPSecurity,
				a.SMTPHost, a.SMTPPort, a.SMTPSecurity, a.Username, a.Password, a.CAPEM, a.PinnedCert, a.Signature, a.ID)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return fmt.Errorf("%w: account %d", ErrNotFound, a.ID)
			}
			return nil
		}
		const q = `INSERT INTO mail_accounts (name, address, display_name, imap_host, imap_port, imap_security,
			smtp_host, smtp_port, smtp_security, username, password, ca_pem, pinned_cert, signature, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
		res, err := tx.ExecContext(ctx, q, a.Name, a.Address, a.DisplayName, a.IMAPHost, a.IMAPPort, a.IMAPSecurity,
			a.SMTPHost, a.SMTPPort, a.SMTPSecurity, a.Username, a.Password, a.CAPEM, a.PinnedCert, a.Signature, stamp(s.now()))
		if err != nil {
			return err
		}
		if a.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		// INBOX and Sent by default; the Sent folder's real name is found at
		// the first sync (servers call it "Sent", "Sent Items", "Envoyés"…).
		_, err = tx.ExecContext(ctx, `INSERT INTO mail_folders (account_id, name, role) VALUES (?, 'INBOX', 'inbox')`, a.ID)
		return err
	})
	if err != nil && !errors.Is(err, ErrDuplicateName) && !errors.Is(err, ErrNotFound) {
		err = fmt.Errorf("mail: save account: %w", err)
	}
	return a.ID, err
}

// DeleteAccount removes an account and every message copied from it. Its
// outbox must be empty of unsent mail.
func (s *Store) DeleteAccount(ctx context.Context, id int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		var waiting int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM mail_outbox WHERE account_id = ? AND state <> 'sent'`, id).Scan(&waiting); err != nil {
			return err
		}
		if waiting > 0 {
			return ErrOutboxNotEmpty
		}
		if err := unindexWhere(ctx, tx, `folder_id IN (SELECT id FROM mail_folders WHERE account_id = ?)`, id); err != nil {
			return err
		}
		for _, q := range []string{
			`DELETE FROM mail_outbox WHERE account_id = ?`,
			`DELETE FROM mail_accounts WHERE id = ?`,
		} {
			if _, err := tx.ExecContext(ctx, q, id); err != nil {
				return fmt.Errorf("mail: delete account: %w", err)
			}
		}
		return nil
	})
}

// ErrOutboxNotEmpty protects unsent mail from an account's deletion.
var ErrOutboxNotEmpty = errors.New("mail: the account still has messages waiting in the outbox")

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }
