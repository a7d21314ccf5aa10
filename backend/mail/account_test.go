package mail

import (
	"errors"
	"testing"

	"carnet/backend/vault/vaulttest"
)

func TestIsLoopbackHost(t *testing.T) {
	for _, tc := range []struct {
		host string
		want bool
	}{
		{"localhost", true},
		{"LocalHost.", true},
		{"127.0.0.1", true},
		{"127.8.9.10", true},
		{"::1", true},
		{"[::1]", true},
		{"::ffff:127.0.0.1", true},
		{"128.0.0.1", false},
		{"10.0.0.1", false},
		{"192.168.1.10", false},
		{"::", false},
		{"imap.example.com", false},
		{"localhost.example.com", false},
		{"127.0.0.1.nip.io", false}, // resolves to loopback today, maybe not tomorrow
		{"", false},
	} {
		if got := IsLoopbackHost(tc.host); got != tc.want {
			t.Errorf("IsLoopbackHost(%q) = %v, want %v", tc.host, got, tc.want)
		}
	}
}

// Security "none" sends the password in clear: saving, testing and every
// connection refuse it for any server that is not this computer.
func TestCleartextOnlyToThisComputer(t *testing.T) {
	s := New(vaulttest.DB(t), nil)
	base := Account{Name: "Bureau", Address: "moi@example.org", IMAPHost: "127.0.0.1", IMAPPort: 143, IMAPSecurity: None,
		SMTPHost: "localhost", SMTPPort: 25, SMTPSecurity: None, Password: "p"}
	if _, err := s.SaveAccount(ctx, base); err != nil {
		t.Fatalf("loopback servers without security: %v", err)
	}

	for _, tc := range []struct {
		name   string
		change func(a *Account)
		server string
	}{
		{"IMAP on a remote host", func(a *Account) { a.IMAPHost = "imap.example.com" }, "imap"},
		{"SMTP on a private address", func(a *Account) { a.SMTPHost = "192.168.1.10" }, "smtp"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := base
			a.Name = tc.name
			tc.change(&a)
			_, err := s.SaveAccount(ctx, a)
			var ce *CleartextError
			if !errors.As(err, &ce) || ce.Server != tc.server || !errors.Is(err, ErrCleartextRemote) {
				t.Fatalf("save: %v, want a CleartextError for %s", err, tc.server)
			}
			if err := Test(ctx, a); !errors.As(err, &ce) {
				t.Fatalf("test connection: %v, want a CleartextError", err)
			}
			a.IMAPSecurity, a.SMTPSecurity = TLS, STARTTLS
			if _, err := s.SaveAccount(ctx, a); err != nil {
				t.Fatalf("the same host with TLS: %v", err)
			}
		})
	}

	// An account stored before the rule (written here straight to the
	// table) no longer connects in clear: the sync and the outbox stop
	// before dialling, with the error that tells the user what to change.
	res, err := s.db.ExecContext(ctx, `INSERT INTO mail_accounts (name, address, display_name, imap_host, imap_port, imap_security,
		smtp_host, smtp_port, smtp_security, username, password, ca_pem, pinned_cert, signature, created_at)
		VALUES ('Ancien', 'old@example.org', '', 'imap.example.com', 143, 'none', 'smtp.example.com', 25, 'none', 'old', 'secret', '', '', '', '2026-01-01T00:00:00Z')`)
	if err != nil {
		t.Fatal(err)
	}
	id, _ := res.LastInsertId()
	old, err := s.Account(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var ce *CleartextError
	if _, err := DialIMAP(ctx, &old); !errors.As(err, &ce) || ce.Server != "imap" || ce.Host != "imap.example.com" {
		t.Fatalf("IMAP with a stored account: %v", err)
	}
	// The account is refused as a whole: SMTP too, naming the first
	// server the user must change.
	if _, err := DialSMTP(ctx, &old); !errors.As(err, &ce) || ce.Server != "imap" {
		t.Fatalf("SMTP with a stored account: %v", err)
	}
	old.IMAPSecurity = TLS
	if _, err := DialSMTP(ctx, &old); !errors.As(err, &ce) || ce.Server != "smtp" || ce.Host != "smtp.example.com" {
		t.Fatalf("SMTP in clear with IMAP over TLS: %v", err)
	}
	if _, err := s.Sync(ctx, id, nil); !errors.As(err, &ce) {
		t.Fatalf("sync with a stored account: %v", err)
	}
}
