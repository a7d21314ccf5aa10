package mail

import (
	"errors"
	"strings"
	"testing"

	"carnet/backend/vault/vaulttest"
)

func TestSenderVerified(t *testing.T) {
	from := []Addr{{"Banque", "alerte@banque.example"}}
	for _, tc := range []struct {
		name     string
		imapHost string
		results  []string // topmost first
		from     []Addr
		want     bool
	}{
		{"no Authentication-Results", "imap.fai.example", nil, from, false},
		{"dmarc=pass from the provider", "imap.fai.example",
			[]string{"mx2.fai.example; spf=pass smtp.mailfrom=banque.example; dkim=pass header.d=banque.example; dmarc=pass header.from=banque.example"}, from, true},
		{"dkim=pass aligned with a subdomain of the From domain", "imap.fai.example",
			[]string{"mx.fai.example; dkim=pass header.d=mail.banque.example header.s=s1"}, from, true},
		{"dkim=pass given by header.i", "imap.fai.example",
			[]string{"mx.fai.example; dkim=pass header.i=@banque.example"}, from, true},
		{"dkim=pass for another domain is not the sender", "imap.fai.example",
			[]string{"mx.fai.example; dkim=pass header.d=envoi-massif.example; dmarc=fail header.from=banque.example"}, from, false},
		{"dmarc=pass for another From domain", "imap.fai.example",
			[]string{"mx.fai.example; dmarc=pass header.from=autre.example"}, from, false},
		{"forged From that failed", "imap.fai.example",
			[]string{"mx.fai.example; spf=fail smtp.mailfrom=pirate.example; dkim=none; dmarc=fail (p=reject) header.from=banque.example"}, from, false},
		{"a foreign authserv-id is ignored", "imap.fai.example",
			[]string{"mx.pirate.example; dkim=pass header.d=banque.example; dmarc=pass header.from=banque.example"}, from, false},
		{"a foreign field above the provider's changes nothing", "imap.fai.example",
			[]string{"mx.pirate.example; dmarc=pass", "mx.fai.example; dmarc=fail header.from=banque.example"}, from, false},
		{"the provider's topmost verdict wins over an older one", "imap.fai.example",
			[]string{"mx.fai.example; dmarc=fail header.from=banque.example", "mx.fai.example; dmarc=pass header.from=banque.example"}, from, false},
		{"comments, version and spacing as RFC 8601 allows", "imap.fai.example",
			[]string{`mx.fai.example 1 (relay); dkim = pass (good signature) header . d = banque.example reason="sig ok"`}, from, true},
		{"Gmail writes as mx.google.com", "imap.gmail.com",
			[]string{"mx.google.com; dkim=pass header.i=@banque.example header.s=k1; dmarc=pass (p=NONE) header.from=banque.example"}, from, true},
		{"a server on this computer verifies nothing", "127.0.0.1",
			[]string{"127.0.0.1; dmarc=pass header.from=banque.example"}, from, false},
		{"several From addresses", "imap.fai.example",
			[]string{"mx.fai.example; dmarc=pass"}, []Addr{{"", "a@banque.example"}, {"", "b@banque.example"}}, false},
		{"no From address", "imap.fai.example", []string{"mx.fai.example; dmarc=pass"}, nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := senderVerified(tc.results, tc.imapHost, tc.from); got != tc.want {
				t.Errorf("senderVerified = %v, want %v", got, tc.want)
			}
		})
	}
}

// A sender's remote content may be allowed for good only from a message
// the provider verified; a forged From gets no more than this message.
func TestRemoteContentAllowedOnlyForVerifiedSenders(t *testing.T) {
	s := New(vaulttest.DB(t), nil)
	acct, err := s.SaveAccount(ctx, Account{Name: "Bureau", Address: "moi@fai.example", IMAPHost: "imap.fai.example", IMAPPort: 993,
		IMAPSecurity: TLS, SMTPHost: "smtp.fai.example", SMTPPort: 465, SMTPSecurity: TLS, Password: "p"})
	if err != nil {
		t.Fatal(err)
	}
	message := func(authResults, subject string) []byte {
		return mimeCRLF(authResults + "From: Banque <alerte@banque.example>\nTo: moi@fai.example\nSubject: " + subject +
			"\nMessage-ID: <" + strings.ReplaceAll(subject, " ", ".") + "@banque.example>\nContent-Type: text/html\n\n" +
			`<p>Bonjour<img src="https://banque.example/logo.png"></p>` + "\n")
	}
	ids, err := s.ImportFiles(ctx, acct, [][]byte{
		message("Authentication-Results: mx.fai.example; dkim=pass header.d=banque.example; dmarc=pass header.from=banque.example\n", "vraie"),
		message("", "sans verdict"),
		message("Authentication-Results: mx.fai.example; dmarc=fail header.from=banque.example\n", "usurpee"),
		message("Authentication-Results: mx.pirate.example; dmarc=pass header.from=banque.example\n", "verdict etranger"),
	})
	if err != nil {
		t.Fatal(err)
	}
	verified, unverified := ids[0], ids[1:]

	for _, id := range unverified {
		if err := s.AllowRemote(ctx, id, true); !errors.Is(err, ErrSenderUnverified) {
			t.Fatalf("allowing the sender of unverified message %d: %v, want ErrSenderUnverified", id, err)
		}
		m, err := s.Open(ctx, id, false, nil)
		if err != nil {
			t.Fatal(err)
		}
		if m.SenderVerified || m.RemoteAllowed || m.RemoteBlocked != 1 {
			t.Fatalf("message %d: verified %v, allowed %v, %d blocked; want unverified and blocked", id, m.SenderVerified, m.RemoteAllowed, m.RemoteBlocked)
		}
	}

	if err := s.AllowRemote(ctx, verified, true); err != nil {
		t.Fatalf("allowing a verified sender: %v", err)
	}
	m, err := s.Open(ctx, verified, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !m.SenderVerified || !m.RemoteAllowed || m.RemoteBlocked != 0 || !strings.Contains(m.HTML, "https://banque.example/logo.png") {
		t.Fatalf("verified message after allowing its sender: verified %v, allowed %v, %d blocked", m.SenderVerified, m.RemoteAllowed, m.RemoteBlocked)
	}
	// The sender is now allowed, yet forged copies of its address still load nothing.
	for _, id := range unverified {
		if m, _ := s.Open(ctx, id, false, nil); m.RemoteAllowed || m.RemoteBlocked != 1 {
			t.Fatalf("forged message %d loads remote content once the real sender is allowed", id)
		}
	}
	// Loading for one message stays possible whatever the sender.
	if m, _ := s.Open(ctx, unverified[0], true, nil); m.RemoteBlocked != 0 {
		t.Fatalf("loading remote content for one message: %d still blocked", m.RemoteBlocked)
	}
	// Revoking needs no proof.
	if err := s.AllowRemote(ctx, unverified[0], false); err != nil {
		t.Fatal(err)
	}
	if m, _ := s.Open(ctx, verified, false, nil); m.RemoteAllowed {
		t.Fatal("the sender is still allowed after revoking")
	}
}
