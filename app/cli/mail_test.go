package cli

import (
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"carnet/backend/mail/mailtest"
)

func TestMailCommands(t *testing.T) {
	srv := mailtest.Dovecot(t)
	smtpd := mailtest.NewSMTP(t)
	dir := t.TempDir()
	env := map[string]string{"CARNET_PASSPHRASE": "first passphrase", "LANG": "C", "CARNET_MAIL_PASSWORD": srv.Password}
	if r := run(t, env, "--data-dir", dir, "init"); r.code != ExitOK {
		t.Fatalf("init: %+v", r)
	}
	hostile := "From: Eve <eve@example.net>\r\nTo: moi@example.org\r\nSubject: Offre\r\nMessage-ID: <h1@example.net>\r\n" +
		"Date: Mon, 2 Nov 2026 10:00:00 +0100\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" +
		`<p onclick="x()">Bonjour <script>alert(1)</script><img src="https://tracker.example/p.gif"><a href="javascript:alert(2)">ici</a></p>`
	srv.Deliver(t, "INBOX", "", []byte(hostile))
	srv.Deliver(t, "INBOX", "", mailtest.GenerateMessages(5, 9, []string{"paul@example.fr"})...)

	// The SMTP peer takes its own login; give the account Dovecot's and
	// point SMTP at a peer that accepts it.
	smtpd.User, smtpd.Password = srv.User, srv.Password
	r := run(t, env, "--data-dir", dir, "--json", "mail", "account", "add", "--name", "Bureau", "--address", "moi@example.org",
		"--imap-host", srv.Host, "--imap-port", strconv.Itoa(srv.Port), "--smtp-host", smtpd.Host, "--smtp-port", strconv.Itoa(smtpd.Port),
		"--user", srv.User, "--tls", "none")
	if r.code != ExitOK {
		t.Fatalf("account add: %+v", r)
	}
	if r := run(t, env, "--data-dir", dir, "mail", "sync"); r.code != ExitOK || !strings.Contains(r.stdout, "10 new") {
		t.Fatalf("sync: %+v", r)
	}
	r = run(t, env, "--data-dir", dir, "--json", "mail", "list")
	var list []struct {
		ID      int64  `json:"id"`
		Subject string `json:"subject"`
	}
	if r.code != ExitOK || json.Unmarshal([]byte(r.stdout), &list) != nil || len(list) != 10 {
		t.Fatalf("list: %+v", r)
	}
	var id int64
	for _, m := range list {
		if m.Subject == "Offre" {
			id = m.ID
		}
	}
	r = run(t, env, "--data-dir", dir, "mail", "show", strconv.FormatInt(id, 10), "--html")
	if r.code != ExitOK || !strings.Contains(r.stdout, "Bonjour") {
		t.Fatalf("show --html: %+v", r)
	}
	for _, bad := range []string{"<script", "onclick", "javascript:", "tracker.example"} {
		if strings.Contains(r.stdout, bad) {
			t.Fatalf("sanitised HTML still has %q: %s", bad, r.stdout)
		}
	}

	body := filepath.Join(t.TempDir(), "body.txt")
	os.WriteFile(body, []byte("Bonjour,\nci-joint.\n"), 0o600)
	att := filepath.Join(t.TempDir(), "devis.pdf")
	os.WriteFile(att, []byte("%PDF-1.7"), 0o600)
	r = run(t, env, "--data-dir", dir, "--json", "mail", "send", "--to", "client@example.fr", "--subject", "Votre devis",
		"--body-file", body, "--attach", att)
	if r.code != ExitOK || !strings.Contains(r.stdout, `"state": "sent"`) {
		t.Fatalf("send: %+v", r)
	}
	if got := smtpd.Messages(); len(got) != 1 || got[0].To[0] != "client@example.fr" {
		t.Fatalf("received: %+v", got)
	}
	// An outbox that cannot send: the command's result and its error are
	// one JSON document, not two.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().(*net.TCPAddr).Port
	l.Close()
	if r := run(t, env, "--data-dir", dir, "mail", "account", "add", "--name", "Panne", "--address", "moi@example.org",
		"--imap-host", srv.Host, "--imap-port", strconv.Itoa(srv.Port), "--smtp-host", "127.0.0.1", "--smtp-port", strconv.Itoa(closed),
		"--user", srv.User, "--tls", "none"); r.code != ExitOK {
		t.Fatalf("account add: %+v", r)
	}
	r = run(t, env, "--data-dir", dir, "--json", "mail", "send", "--account", "Panne", "--to", "client@example.fr", "--subject", "Relance", "--body-file", body)
	if doc := oneDocument(t, r.stdout); r.code != ExitFailure || doc["ok"] != false || doc["state"] != "queued" || doc["error"] == nil {
		t.Fatalf("send without SMTP: %+v", r)
	}
	r = run(t, env, "--data-dir", dir, "--json", "mail", "sync", "--account", "Panne")
	if doc := oneDocument(t, r.stdout); doc["sync"] == nil || (r.code == ExitFailure) != (doc["ok"] == false) {
		t.Fatalf("sync without SMTP: %+v", r)
	}
	if r := run(t, env, "--data-dir", dir, "mail", "account", "add", "--tls", "maybe"); r.code != ExitFailure {
		t.Fatalf("bad account accepted: %+v", r)
	}
}

// "--tls none" is for a server on this computer only; the refusal says so
// in the user's language and saves nothing.
func TestMailAccountAddRefusesCleartextToRemoteHost(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"CARNET_PASSPHRASE": "Ormeau vif, glacier pourpre 1987", "LANG": "C", "CARNET_MAIL_PASSWORD": "secret"}
	if r := run(t, env, "--data-dir", dir, "init"); r.code != ExitOK {
		t.Fatalf("init: %+v", r)
	}
	add := []string{"--data-dir", dir, "mail", "account", "add", "--address", "moi@example.org",
		"--imap-host", "imap.example.com", "--imap-port", "143", "--smtp-host", "smtp.example.com", "--smtp-port", "25", "--tls", "none"}
	for lang, want := range map[string]string{
		"C":           "IMAP server imap.example.com is not on this computer: choose TLS or STARTTLS",
		"fr_FR.UTF-8": "Le serveur IMAP imap.example.com n’est pas sur cet ordinateur : choisissez TLS ou STARTTLS",
	} {
		env["LANG"] = lang
		if r := run(t, env, add...); r.code != ExitFailure || !strings.Contains(r.stderr, want) {
			t.Errorf("%s: %+v, want a failure saying %q", lang, r, want)
		}
	}
	env["LANG"] = "C"
	if r := run(t, env, "--data-dir", dir, "--json", "mail", "list"); r.code != ExitOK || strings.TrimSpace(r.stdout) != "[]" {
		t.Fatalf("list after the refusal: %+v", r)
	}
}
