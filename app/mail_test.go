package app

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"carnet/backend/mail"
	"carnet/backend/mail/mailtest"
	"carnet/backend/vault"
)

func TestMailFromAccountToContact(t *testing.T) {
	s, err := New(Config{DataDir: t.TempDir(), KDF: vault.KDFParams{Time: 1, MemKiB: 8 * 1024, Threads: 1}, Offline: true})
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{got: make(chan struct{}, 1024)}
	s.Startup(context.Background(), rec)
	t.Cleanup(s.Shutdown)
	if _, err := s.Vault.Create("long enough passphrase"); err != nil {
		t.Fatal(err)
	}
	srv := mailtest.Dovecot(t)
	srv.Deliver(t, "INBOX", "", []byte("From: =?utf-8?q?Fran=C3=A7ois_L=C3=A9ger?= <francois@example.fr>\r\nTo: moi@example.org\r\n"+
		"Subject: Commande\r\nMessage-ID: <c1@example.fr>\r\nDate: Tue, 3 Nov 2026 09:00:00 +0100\r\n\r\nBonjour, je confirme la commande.\r\n"))

	// A wrong password is a clear, translated error; the right one works.
	acct := mail.Account{Name: "Bureau", Address: "moi@example.org", IMAPHost: srv.Host, IMAPPort: srv.Port, IMAPSecurity: mail.None,
		SMTPHost: "127.0.0.1", SMTPPort: 1, SMTPSecurity: mail.None, Username: srv.User, Password: "wrong"}
	if ue := userErr(t, s.MailAccounts.TestAccount(acct)); ue.Key != "error.mail_conn.login" {
		t.Fatalf("wrong password: %+v", ue)
	}
	acct.Password = srv.Password
	id, err := s.MailAccounts.SaveAccount(acct)
	if err != nil {
		t.Fatal(err)
	}
	list, _ := s.MailAccounts.Accounts()
	if len(list) != 1 || list[0].Password != "" {
		t.Fatalf("accounts leave the backend with their password: %+v", list)
	}
	if _, err := s.MailAccounts.SyncNow(id); err != nil {
		t.Fatal(err)
	}
	folders, _ := s.MailAccounts.Folders(id)
	page, err := s.Mail.Messages(folders[0].ID, 0, 50)
	if err != nil || page.Total != 1 {
		t.Fatalf("messages: %+v, %v", page, err)
	}
	msg, err := s.Mail.Open(page.Messages[0].ID, false)
	if err != nil || msg.Flags&mail.FlagSeen == 0 || len(msg.Unknown) != 1 || msg.Unknown[0].Address != "francois@example.fr" {
		t.Fatalf("open: %+v, %v", msg, err)
	}

	// The unknown sender becomes a contact in one click, sourced from the
	// message, with its date as last inbound contact; the mail is then on
	// the contact's timeline.
	cid, err := s.Mail.CreateContact(msg.From[0].Address, msg.From[0].Name)
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.Contacts.Get(cid)
	if err != nil || c.GivenName != "François" || c.FamilyName != "Léger" || !strings.Contains(c.Source, "francois@example.fr") ||
		c.LastInboundAt != "2026-11-03T08:00:00Z" {
		t.Fatalf("contact from sender: %+v, %v", c, err)
	}
	timeline, _ := s.Mail.ForContact(cid)
	if len(timeline) != 1 || timeline[0].Topic != "Commande" {
		t.Fatalf("contact's mail: %+v", timeline)
	}

	// A reply is prefilled and waits in the outbox while SMTP is unreachable.
	d, err := s.Outbox.ReplyDraft(msg.ID, "reply")
	if err != nil || d.Topic != "Re: Commande" || len(d.To) != 1 || !strings.Contains(d.Body, "> Bonjour, je confirme") {
		t.Fatalf("reply draft: %+v, %v", d, err)
	}
	if _, err := s.Outbox.Send(d); err != nil {
		t.Fatal(err)
	}
	s.MailAccounts.SyncNow(0)
	box, _ := s.Outbox.List()
	if len(box) != 1 || box[0].State != "queued" || box[0].LastError == "" {
		t.Fatalf("outbox: %+v", box)
	}
	// The account's status line counts what Outbox queued: one loop, one status.
	if st, err := s.MailAccounts.Status(); err != nil || st.Outbox != 1 || st.Syncing {
		t.Fatalf("status: %+v, %v", st, err)
	}
	if err := s.Outbox.Cancel(box[0].ID); err != nil {
		t.Fatal(err)
	}

	// A message file dropped in lands in the inbox; anything else is refused.
	eml := base64.StdEncoding.EncodeToString([]byte("From: a@example.fr\r\nSubject: Fichier\r\n\r\nTexte\r\n"))
	if _, err := s.Mail.ImportFile(id, eml); err != nil {
		t.Fatal(err)
	}
	if ue := userErr(t, func() error { _, err := s.Mail.ImportFile(id, "not base64!"); return err }()); ue.Key != "error.not_message" {
		t.Fatalf("bad file: %+v", ue)
	}
	// Locked: nothing is readable.
	s.Vault.Lock()
	if ue := userErr(t, func() error { _, err := s.MailAccounts.Accounts(); return err }()); ue.Key != "error.locked" {
		t.Fatalf("locked: %+v", ue)
	}
}

// Security "none" towards a remote server is refused with a message that
// names the server and says what to choose instead.
func TestMailRefusesCleartextToRemoteHost(t *testing.T) {
	s, _ := start(t)
	if _, err := s.Vault.Create("Ormeau vif, glacier pourpre 1987"); err != nil {
		t.Fatal(err)
	}
	acct := mail.Account{Name: "Bureau", Address: "moi@example.org", IMAPHost: "imap.example.com", IMAPPort: 143, IMAPSecurity: mail.None,
		SMTPHost: "smtp.example.com", SMTPPort: 465, SMTPSecurity: mail.TLS, Password: "secret"}
	for name, err := range map[string]error{"save": second(s.MailAccounts.SaveAccount(acct)), "test": s.MailAccounts.TestAccount(acct)} {
		ue := userErr(t, err)
		if ue.Key != "error.mail_cleartext" || ue.Params["server"] != "IMAP" || ue.Params["host"] != "imap.example.com" {
			t.Errorf("%s: %+v, want error.mail_cleartext for IMAP imap.example.com", name, ue)
		}
	}
	if list, _ := s.MailAccounts.Accounts(); len(list) != 0 {
		t.Fatalf("the refused account was saved: %+v", list)
	}
}

func second[T any](_ T, err error) error { return err }
