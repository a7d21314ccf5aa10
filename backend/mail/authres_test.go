package mail

import (
	"errors"
	"strings"
	"testing"
)

func TestSenderVerified(t *testing.T) {
	from := []Addr{{"Banque", "alerte@banque.example"}}
	const gmail, fastmail, hoster = "imap.gmail.com", "imap.fastmail.com", "imap.fai.example"
	for _, tc := range []struct {
		name     string
		imapHost string
		results  []string // topmost first
		from     []Addr
		want     bool
	}{
		{"no Authentication-Results", gmail, nil, from, false},
		{"dmarc=pass from Gmail", gmail,
			[]string{"mx.google.com; spf=pass smtp.mailfrom=banque.example; dkim=pass header.d=banque.example; dmarc=pass header.from=banque.example"}, from, true},
		{"Gmail's field as Gmail writes it", "IMAP.Gmail.com.",
			[]string{"mx.google.com; dkim=pass header.i=@banque.example header.s=k1; dmarc=pass (p=NONE) header.from=banque.example"}, from, true},
		{"dmarc=pass from Fastmail", fastmail,
			[]string{"mx3.messagingengine.com; dkim=pass header.d=banque.example; dmarc=pass header.from=banque.example"}, from, true},
		{"dkim=pass aligned with a subdomain of the From domain", gmail,
			[]string{"mx.google.com; dkim=pass header.d=mail.banque.example header.s=s1"}, from, true},
		{"dkim=pass given by header.i", gmail,
			[]string{"mx.google.com; dkim=pass header.i=@banque.example"}, from, true},
		{"dkim=pass for another domain is not the sender", gmail,
			[]string{"mx.google.com; dkim=pass header.d=envoi-massif.example; dmarc=fail header.from=banque.example"}, from, false},
		{"dmarc=pass for another From domain", gmail,
			[]string{"mx.google.com; dmarc=pass header.from=autre.example"}, from, false},
		{"forged From that failed", gmail,
			[]string{"mx.google.com; spf=fail smtp.mailfrom=pirate.example; dkim=none; dmarc=fail (p=reject) header.from=banque.example"}, from, false},
		{"a foreign authserv-id is ignored", gmail,
			[]string{"mx.pirate.example; dkim=pass header.d=banque.example; dmarc=pass header.from=banque.example"}, from, false},
		{"another Google host is not Gmail's delivery", gmail,
			[]string{"relay.google.com; dmarc=pass header.from=banque.example"}, from, false},
		{"a look-alike of Fastmail's domain", fastmail,
			[]string{"mx1.messagingengine.com.pirate.example; dmarc=pass header.from=banque.example"}, from, false},
		{"a foreign field above the provider's changes nothing", gmail,
			[]string{"mx.pirate.example; dmarc=pass", "mx.google.com; dmarc=fail header.from=banque.example"}, from, false},
		{"the provider's topmost verdict wins over an older one", gmail,
			[]string{"mx.google.com; dmarc=fail header.from=banque.example", "mx.google.com; dmarc=pass header.from=banque.example"}, from, false},
		{"comments, version and spacing as RFC 8601 allows", gmail,
			[]string{`mx.google.com 1 (relay); dkim = pass (good signature) header . d = banque.example reason="sig ok"`}, from, true},
		// A hoster not in the table may strip nothing and add nothing: its
		// own name in the field may have been written by the sender.
		{"a hoster that is not in the table verifies nothing, even with its own authserv-id", hoster,
			[]string{"mx.fai.example; dkim=pass header.d=banque.example; dmarc=pass header.from=banque.example"}, from, false},
		{"Gmail's authserv-id on another host's account", hoster,
			[]string{"mx.google.com; dmarc=pass header.from=banque.example"}, from, false},
		{"Microsoft 365 writes no authserv-id", "outlook.office365.com",
			[]string{"spf=pass (sender IP is 192.0.2.1) smtp.mailfrom=banque.example; dkim=pass (signature was verified) header.d=banque.example;dmarc=pass action=none header.from=banque.example"}, from, false},
		{"a server on this computer verifies nothing", "127.0.0.1",
			[]string{"127.0.0.1; dmarc=pass header.from=banque.example"}, from, false},
		{"several From addresses", gmail,
			[]string{"mx.google.com; dmarc=pass"}, []Addr{{"", "a@banque.example"}, {"", "b@banque.example"}}, false},
		{"no From address", gmail, []string{"mx.google.com; dmarc=pass"}, nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := senderVerified(tc.results, tc.imapHost, tc.from); got != tc.want {
				t.Errorf("senderVerified = %v, want %v", got, tc.want)
			}
		})
	}
}

// A sender's remote content may be allowed for good only from a message
// the provider verified when it delivered it; a forged From, an imported
// file or a Sent copy gets no more than the message itself.
func TestRemoteContentAllowedOnlyForVerifiedSenders(t *testing.T) {
	f := newFixture(t)
	f.srv.CreateFolder(t, "Sent")
	const verdict = "Authentication-Results: mx.google.com; dkim=pass header.d=banque.example; dmarc=pass header.from=banque.example\n"
	message := func(authResults, subject string) []byte {
		return mimeCRLF(authResults + "From: Banque <alerte@banque.example>\nTo: moi@example.org\nSubject: " + subject +
			"\nMessage-ID: <" + strings.ReplaceAll(subject, " ", ".") + "@banque.example>\nContent-Type: text/html\n\n" +
			`<p>Bonjour<img src="https://banque.example/logo.png"></p>` + "\n")
	}
	f.srv.Deliver(t, "INBOX", "",
		message(verdict, "vraie"),
		message("", "sans verdict"),
		message("Authentication-Results: mx.google.com; dmarc=fail header.from=banque.example\n", "usurpee"),
		message("Authentication-Results: mx.pirate.example; dmarc=pass header.from=banque.example\n", "verdict etranger"),
		message("Authentication-Results: mx.example.org; dmarc=pass header.from=banque.example\n", "verdict du petit hebergeur"))
	// A client put this copy in Sent: it never went through Gmail's delivery.
	f.srv.Deliver(t, "Sent", "S", message(verdict, "copie envoyee"))
	f.sync(t)
	// The same verdict in a file brought in by hand was written by whoever wrote the file.
	imported, err := f.store.ImportFile(ctx, f.acct.ID, message(verdict, "fichier importe"))
	if err != nil {
		t.Fatal(err)
	}
	// The messages came from Dovecot on this computer; the account now
	// stands for a Gmail one, whose delivery stamps mx.google.com.
	if _, err := f.db.Exec(`UPDATE mail_accounts SET imap_host = 'imap.gmail.com' WHERE id = ?`, f.acct.ID); err != nil {
		t.Fatal(err)
	}
	id := func(subject string) int64 {
		t.Helper()
		var id int64
		if err := f.db.QueryRow(`SELECT id FROM mail_messages WHERE subject = ?`, subject).Scan(&id); err != nil {
			t.Fatalf("message %q: %v", subject, err)
		}
		return id
	}
	if n := f.count(t, `uid IS NOT NULL AND folder_id IN (SELECT id FROM mail_folders WHERE role = 'sent')`); n != 1 {
		t.Fatalf("%d synced copies in Sent, want the one put there", n)
	}
	verified := id("vraie")
	unverified := []int64{id("sans verdict"), id("usurpee"), id("verdict etranger"), id("verdict du petit hebergeur"), id("copie envoyee"), imported}

	for _, id := range unverified {
		if err := f.store.AllowRemote(ctx, id, true); !errors.Is(err, ErrSenderUnverified) {
			t.Fatalf("allowing the sender of unverified message %d: %v, want ErrSenderUnverified", id, err)
		}
		m, err := f.store.Open(ctx, id, false, nil)
		if err != nil {
			t.Fatal(err)
		}
		if m.SenderVerified || m.RemoteAllowed || m.RemoteBlocked != 1 {
			t.Fatalf("message %d %q: verified %v, allowed %v, %d blocked; want unverified and blocked", id, m.Topic, m.SenderVerified, m.RemoteAllowed, m.RemoteBlocked)
		}
	}

	if err := f.store.AllowRemote(ctx, verified, true); err != nil {
		t.Fatalf("allowing a verified sender: %v", err)
	}
	m, err := f.store.Open(ctx, verified, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !m.SenderVerified || !m.RemoteAllowed || m.RemoteBlocked != 0 || !strings.Contains(m.HTML, "https://banque.example/logo.png") {
		t.Fatalf("verified message after allowing its sender: verified %v, allowed %v, %d blocked", m.SenderVerified, m.RemoteAllowed, m.RemoteBlocked)
	}
	// The sender is now allowed, yet forged copies of its address still load nothing.
	for _, id := range unverified {
		if m, _ := f.store.Open(ctx, id, false, nil); m.RemoteAllowed || m.RemoteBlocked != 1 {
			t.Fatalf("forged message %d loads remote content once the real sender is allowed", id)
		}
	}
	// Loading for one message stays possible whatever the sender.
	if m, _ := f.store.Open(ctx, unverified[0], true, nil); m.RemoteBlocked != 0 {
		t.Fatalf("loading remote content for one message: %d still blocked", m.RemoteBlocked)
	}
	// Revoking needs no proof.
	if err := f.store.AllowRemote(ctx, unverified[0], false); err != nil {
		t.Fatal(err)
	}
	if m, _ := f.store.Open(ctx, verified, false, nil); m.RemoteAllowed {
		t.Fatal("the sender is still allowed after revoking")
	}

	// At a hoster that is not in the table, even its own authserv-id
	// proves nothing: the sender may have written it.
	if _, err := f.db.Exec(`UPDATE mail_accounts SET imap_host = 'imap.example.org' WHERE id = ?`, f.acct.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.store.AllowRemote(ctx, id("verdict du petit hebergeur"), true); !errors.Is(err, ErrSenderUnverified) {
		t.Fatalf("a verdict naming a hoster that is not in the table: %v, want ErrSenderUnverified", err)
	}
}
