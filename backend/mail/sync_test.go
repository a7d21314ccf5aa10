package mail

import (
	"context"
	"database/sql"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap"

	"carnet/backend/crm"
	"carnet/backend/mail/mailtest"
	"carnet/backend/vault/vaulttest"
)

var ctx = context.Background()

type fixture struct {
	db    *sql.DB
	store *Store
	srv   *mailtest.Server
	now   time.Time
	acct  Account
}

// newFixture opens a real vault and a real Dovecot, with an account on
// Dovecot's plaintext port.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{db: vaulttest.DB(t), srv: mailtest.Dovecot(t), now: time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)}
	f.store = New(f.db, func() time.Time { return f.now })
	f.acct = Account{Name: "Bureau", Address: "moi@example.org", IMAPHost: f.srv.Host, IMAPPort: f.srv.Port, IMAPSecurity: None,
		SMTPHost: "127.0.0.1", SMTPPort: 1, SMTPSecurity: None, Username: f.srv.User, Password: f.srv.Password}
	id, err := f.store.SaveAccount(ctx, f.acct)
	if err != nil {
		t.Fatal(err)
	}
	f.acct.ID = id
	return f
}

func (f *fixture) sync(t *testing.T) SyncResult {
	t.Helper()
	res, err := f.store.Sync(ctx, f.acct.ID, nil)
	if err != nil {
		t.Fatalf("sync: %v", err)
	}
	return res
}

func (f *fixture) count(t *testing.T, where string, args ...any) int {
	t.Helper()
	var n int
	if err := f.db.QueryRow(`SELECT count(*) FROM mail_messages WHERE `+where, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// checkNoDuplicates proves every stored server message appears once.
func (f *fixture) checkNoDuplicates(t *testing.T) {
	t.Helper()
	var dupUID, dupID int
	f.db.QueryRow(`SELECT count(*) FROM (SELECT folder_id, uid FROM mail_messages WHERE uid IS NOT NULL GROUP BY 1, 2 HAVING count(*) > 1)`).Scan(&dupUID)
	f.db.QueryRow(`SELECT count(*) FROM (SELECT folder_id, message_id FROM mail_messages WHERE message_id <> '' GROUP BY 1, 2 HAVING count(*) > 1)`).Scan(&dupID)
	if dupUID+dupID > 0 {
		t.Fatalf("duplicates: %d by UID, %d by Message-ID", dupUID, dupID)
	}
}

func TestSyncInitialIncrementalFlagsDeletions(t *testing.T) {
	f := newFixture(t)
	contacts := crm.New(f.db, nil)
	helene, err := contacts.CreateContact(ctx, crm.Contact{GivenName: "Hélène", FamilyName: "Dupont",
		Emails: []crm.Email{{Address: "Helene.Dupont@example.fr"}}, LastInboundAt: "2020-01-01T00:00:00Z"})
	if err != nil {
		t.Fatal(err)
	}
	msgs := mailtest.GenerateMessages(1, 40, []string{"helene.dupont@example.fr", "paul@example.com"})
	f.srv.Deliver(t, "INBOX", "", msgs[:30]...)

	var last Progress
	res, err := f.store.Sync(ctx, f.acct.ID, func(p Progress) { last = p })
	if err != nil {
		t.Fatal(err)
	}
	if res.New != 30 || last.Done != 30 || last.Total != 30 {
		t.Fatalf("initial sync: %+v, progress %+v", res, last)
	}
	// Every message is readable offline from the vault.
	folders, _ := f.store.Folders(ctx, f.acct.ID)
	if folders[0].Role != "inbox" || folders[0].Messages != 30 || folders[0].Unread != 30 {
		t.Fatalf("folders: %+v", folders)
	}
	page, err := f.store.List(ctx, folders[0].ID, 0, 50)
	if err != nil || page.Total != 30 {
		t.Fatalf("list: %d, %v", page.Total, err)
	}
	opened, err := f.store.Open(ctx, page.Messages[0].ID, false, nil)
	if err != nil || opened.Text == "" && opened.HTML == "" {
		t.Fatalf("open: %+v %v", opened.Summary, err)
	}

	// The contact's mail is on their timeline, and their last inbound
	// contact is the date of their latest message.
	mine, err := f.store.ForContact(ctx, helene, 100)
	if err != nil || len(mine) == 0 {
		t.Fatalf("contact's mail: %d, %v", len(mine), err)
	}
	for _, m := range mine {
		full, _ := f.store.Open(ctx, m.ID, false, nil)
		if !involves(full, "helene.dupont@example.fr") {
			t.Fatalf("someone else's mail on the timeline: %+v", m)
		}
	}
	latest := ""
	for _, m := range mine { // newest first
		if strings.EqualFold(m.FromAddress, "helene.dupont@example.fr") && latest == "" {
			latest = m.Date
		}
	}
	c, _ := contacts.Contact(ctx, helene)
	if latest == "" || c.LastInboundAt != latest {
		t.Fatalf("last inbound contact %q, latest message from her %q", c.LastInboundAt, latest)
	}

	// Incremental: new mail, a flag set elsewhere, two messages deleted elsewhere.
	f.srv.Deliver(t, "INBOX", "", msgs[30:]...)
	cl := f.srv.Client(t)
	if _, err := cl.Select("INBOX", false); err != nil {
		t.Fatal(err)
	}
	seen := new(imap.SeqSet)
	seen.AddNum(1)
	if err := cl.UidStore(seen, imap.FormatFlagsOp(imap.AddFlags, true), []any{imap.FlaggedFlag}, nil); err != nil {
		t.Fatal(err)
	}
	gone := new(imap.SeqSet)
	gone.AddNum(2, 3)
	if err := cl.UidStore(gone, imap.FormatFlagsOp(imap.AddFlags, true), []any{imap.DeletedFlag}, nil); err != nil {
		t.Fatal(err)
	}
	if err := cl.Expunge(nil); err != nil {
		t.Fatal(err)
	}
	res = f.sync(t)
	if res.New != 10 || res.Updated != 1 || res.Deleted != 2 {
		t.Fatalf("incremental sync: %+v", res)
	}
	if n := f.count(t, `uid IS NOT NULL`); n != 38 {
		t.Fatalf("%d messages stored, want 38", n)
	}
	if n := f.count(t, `uid = 1 AND flags & 4 = 4`); n != 1 {
		t.Fatal("the flag set on the server did not arrive")
	}
	f.checkNoDuplicates(t)

	// Nothing changed: nothing to do.
	if res := f.sync(t); res != (SyncResult{}) {
		t.Fatalf("idle sync changed %+v", res)
	}

	// Read in Carnet, offline: the server learns it at the next sync.
	if err := f.store.MarkSeen(ctx, page.Messages[0].ID, true); err != nil {
		t.Fatal(err)
	}
	f.sync(t)
	uid := 0
	f.db.QueryRow(`SELECT uid FROM mail_messages WHERE id = ?`, page.Messages[0].ID).Scan(&uid)
	ch := make(chan *imap.Message, 1)
	one := new(imap.SeqSet)
	one.AddNum(uint32(uid))
	if err := cl.UidFetch(one, []imap.FetchItem{imap.FetchFlags}, ch); err != nil {
		t.Fatal(err)
	}
	if m := <-ch; m == nil || flagBits(m.Flags)&FlagSeen == 0 {
		t.Fatalf("the server was not told the message was read: %+v", m)
	}

	// Search finds a message by the start of a word of its subject,
	// typed without accents.
	var word string
	for _, w := range strings.Fields(opened.Topic) {
		if len([]rune(w)) >= 4 {
			word = string([]rune(crm.Fold(w))[:4])
			break
		}
	}
	found, err := f.store.Search(ctx, word, 200)
	if err != nil || word == "" {
		t.Fatalf("search %q: %v", word, err)
	}
	hit := false
	for _, m := range found {
		hit = hit || m.ID == opened.ID
	}
	if !hit {
		t.Fatalf("search %q did not find %q", word, opened.Topic)
	}
}

func involves(m Message, address string) bool {
	for _, set := range [][]Addr{m.From, m.To, m.Cc} {
		for _, a := range set {
			if strings.EqualFold(a.Address, address) {
				return true
			}
		}
	}
	return false
}

func TestSyncUIDValidityChangeCopiesAgain(t *testing.T) {
	f := newFixture(t)
	f.srv.Deliver(t, "INBOX", "", mailtest.GenerateMessages(2, 12, []string{"a@example.fr"})...)
	f.sync(t)
	f.srv.ResetUIDValidity(t, "INBOX")
	res := f.sync(t)
	if res.Reset != 1 || res.New != 12 {
		t.Fatalf("after UIDVALIDITY change: %+v", res)
	}
	if n := f.count(t, `1`); n != 12 {
		t.Fatalf("%d messages, want 12", n)
	}
	f.checkNoDuplicates(t)
}

func TestSyncResumesAfterDroppedConnection(t *testing.T) {
	f := newFixture(t)
	const total = 800
	f.srv.Deliver(t, "INBOX", "", mailtest.GenerateMessages(3, total, []string{"a@example.fr", "b@example.fr"})...)
	proxy := mailtest.NewProxy(t, f.srv.Addr())
	f.acct.IMAPPort = proxy.Port()
	if _, err := f.store.SaveAccount(ctx, f.acct); err != nil {
		t.Fatal(err)
	}
	// Cut the link in the middle of the fetch (about half the bytes).
	proxy.CutAfter(3 << 20)
	_, err := f.store.Sync(ctx, f.acct.ID, nil)
	var ce *ConnError
	if !errors.As(err, &ce) || ce.Kind != ConnNetwork {
		t.Fatalf("cut sync: %v", err)
	}
	partial := f.count(t, `1`)
	if partial == 0 || partial >= total {
		t.Fatalf("after the cut %d messages stored; the test wants a cut in the middle", partial)
	}
	var lastUID int
	f.db.QueryRow(`SELECT last_uid FROM mail_folders WHERE role = 'inbox'`).Scan(&lastUID)
	if lastUID != partial { // UIDs 1..n on a fresh Maildir: no gap below last_uid
		t.Fatalf("last_uid %d but %d stored", lastUID, partial)
	}
	proxy.CutAfter(0)
	res := f.sync(t)
	if res.New != total-partial {
		t.Fatalf("resume fetched %d, want %d", res.New, total-partial)
	}
	if n := f.count(t, `1`); n != total {
		t.Fatalf("%d messages after resume, want %d", n, total)
	}
	f.checkNoDuplicates(t)
	t.Logf("cut after %d of %d messages, resumed with %d", partial, total, res.New)
}

func TestConnectionErrorsAndTrust(t *testing.T) {
	f := newFixture(t)
	tlsAcct := f.acct
	tlsAcct.IMAPPort, tlsAcct.IMAPSecurity = f.srv.TLSPort, TLS
	tlsAcct.IMAPHost = "127.0.0.1"

	// A self-signed certificate is refused, with its fingerprint offered.
	_, err := DialIMAP(ctx, &tlsAcct)
	var ce *ConnError
	if !errors.As(err, &ce) || ce.Kind != ConnCertificate || ce.CertSHA256 != f.srv.CertSHA256 {
		t.Fatalf("untrusted certificate: %v (%+v)", err, ce)
	}
	// Trusted by pinning exactly that certificate…
	pinned := tlsAcct
	pinned.PinnedCert = strings.ToUpper(f.srv.CertSHA256)
	if err := pinned.normalize(); err != nil {
		t.Fatal(err)
	}
	c, err := DialIMAP(ctx, &pinned)
	if err != nil {
		t.Fatalf("pinned certificate: %v", err)
	}
	c.Logout()
	// …and a different pin is refused.
	pinned.PinnedCert = strings.Repeat("ab", 32)
	if _, err := DialIMAP(ctx, &pinned); !errors.As(err, &ce) || ce.Kind != ConnCertificate {
		t.Fatalf("wrong pin: %v", err)
	}
	// Or by trusting the CA for this account.
	withCA := tlsAcct
	withCA.CAPEM = string(f.srv.CertPEM)
	if c, err := DialIMAP(ctx, &withCA); err != nil {
		t.Fatalf("trusted CA: %v", err)
	} else {
		c.Logout()
	}

	// STARTTLS on the plaintext ports, IMAP trusting the CA and SMTP
	// pinning its certificate.
	st := f.acct
	st.IMAPSecurity = STARTTLS
	if _, err := DialIMAP(ctx, &st); !errors.As(err, &ce) || ce.Kind != ConnCertificate || ce.CertSHA256 != f.srv.CertSHA256 {
		t.Fatalf("IMAP STARTTLS with an unknown certificate: %v", err)
	}
	st.CAPEM = string(f.srv.CertPEM)
	if c, err := DialIMAP(ctx, &st); err != nil || !c.IsTLS() {
		t.Fatalf("IMAP STARTTLS: %v", err)
	} else {
		c.Logout()
	}
	smtpd := mailtest.NewSMTP(t)
	st.SMTPHost, st.SMTPPort, st.SMTPSecurity, st.CAPEM = smtpd.Host, smtpd.Port, STARTTLS, ""
	st.Username, st.Password = smtpd.User, smtpd.Password
	if _, err := DialSMTP(ctx, &st); !errors.As(err, &ce) || ce.Kind != ConnCertificate || ce.CertSHA256 != smtpd.CertSHA256 {
		t.Fatalf("SMTP STARTTLS with an unknown certificate: %v", err)
	}
	st.PinnedCert = smtpd.CertSHA256
	if sc, err := DialSMTP(ctx, &st); err != nil {
		t.Fatalf("SMTP STARTTLS pinned: %v", err)
	} else {
		sc.Quit()
	}

	wrong := f.acct
	wrong.Password = "not the password"
	if _, err := DialIMAP(ctx, &wrong); !errors.As(err, &ce) || ce.Kind != ConnLogin {
		t.Fatalf("wrong password: %v", err)
	}
	closed := f.acct
	closed.IMAPPort = freePort(t)
	if _, err := DialIMAP(ctx, &closed); !errors.As(err, &ce) || ce.Kind != ConnRefused {
		t.Fatalf("nothing listening: %v", err)
	}
	unknown := f.acct
	unknown.IMAPHost, unknown.IMAPSecurity = "no-such-host.invalid", TLS // "none" is refused before any lookup
	if _, err := DialIMAP(ctx, &unknown); !errors.As(err, &ce) || ce.Kind != ConnDNS {
		t.Fatalf("unknown host: %v", err)
	}
}

func TestOutboxRetriesThenSendsAndFilesInSent(t *testing.T) {
	f := newFixture(t)
	f.srv.CreateFolder(t, "Sent")
	smtpd := mailtest.NewSMTP(t)
	f.acct.SMTPHost, f.acct.SMTPPort, f.acct.SMTPSecurity = smtpd.Host, smtpd.Port, None
	f.acct.Username, f.acct.Password = smtpd.User, smtpd.Password
	// One login for both servers in this test: Dovecot's user is the SMTP user too.
	f.acct.Password = f.srv.Password
	if _, err := f.store.SaveAccount(ctx, f.acct); err != nil {
		t.Fatal(err)
	}
	f.sync(t) // finds the Sent folder

	smtpd.SetFailing(true)
	id, err := f.store.Queue(ctx, Draft{AccountID: f.acct.ID, To: []string{"Hélène Dupont <helene@example.fr>"},
		Bcc: []string{"archive@example.org"}, Topic: "Devis D-2026-0042", Body: "Bonjour Hélène,\nvoici le devis.\n",
		Attachments: []OutAttachment{{Filename: "../../D-2026-0042.pdf", ContentType: "application/pdf", Data: []byte("%PDF-1.7 test")}}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := f.store.SendDue(ctx)
	if err == nil || res.Deferred != 1 {
		t.Fatalf("failing server: %+v, %v", res, err)
	}
	box, _ := f.store.Outbox(ctx)
	if len(box) != 1 || box[0].ID != id || box[0].State != "queued" || box[0].Attempts != 1 || !strings.HasPrefix(box[0].LastError, "451") {
		t.Fatalf("outbox after a temporary failure: %+v", box)
	}
	// Not due yet: nothing is tried before the backoff.
	smtpd.SetFailing(false)
	if res, _ := f.store.SendDue(ctx); res.Sent != 0 {
		t.Fatal("sent before its retry time")
	}
	f.now = f.now.Add(2 * time.Minute)
	if res, err := f.store.SendDue(ctx); err != nil || res.Sent != 1 {
		t.Fatalf("after the server came back: %+v, %v", res, err)
	}
	got := smtpd.Messages()
	if len(got) != 1 || len(got[0].To) != 2 || strings.Contains(string(got[0].Data), "archive@example.org") {
		t.Fatalf("received %d messages: %+v", len(got), got)
	}
	p := Parse(got[0].Data)
	if p.Topic != "Devis D-2026-0042" || len(p.Attachments) != 1 || p.Attachments[0].Filename != "D-2026-0042.pdf" || !strings.Contains(p.Text, "voici le devis") {
		t.Fatalf("message as received: %+v", p)
	}
	// A copy is in the vault's Sent folder and on the server's; the next
	// sync recognises it rather than storing it twice.
	if n := f.count(t, `folder_id IN (SELECT id FROM mail_folders WHERE role = 'sent')`); n != 1 {
		t.Fatalf("%d local sent copies", n)
	}
	cl := f.srv.Client(t)
	st, err := cl.Select("Sent", true)
	if err != nil || st.Messages != 1 {
		t.Fatalf("server Sent folder: %v, %v", st, err)
	}
	f.sync(t)
	if n := f.count(t, `folder_id IN (SELECT id FROM mail_folders WHERE role = 'sent') AND uid IS NOT NULL`); n != 1 {
		t.Fatalf("sent copy not matched to the server's: %d", n)
	}
	f.checkNoDuplicates(t)
	box, _ = f.store.Outbox(ctx)
	if box[0].State != "sent" {
		t.Fatalf("outbox: %+v", box)
	}
	if err := f.store.Cancel(ctx, id); !errors.Is(err, ErrAlreadySent) {
		t.Fatalf("cancel a sent message: %v", err)
	}
}

func TestOutboxWaitsWhileOffline(t *testing.T) {
	f := newFixture(t)
	smtpd := mailtest.NewSMTP(t)
	f.acct.SMTPHost, f.acct.SMTPPort = smtpd.Host, smtpd.Port
	f.acct.Username, f.acct.Password = smtpd.User, smtpd.Password
	if _, err := f.store.SaveAccount(ctx, f.acct); err != nil {
		t.Fatal(err)
	}
	smtpd.Stop()
	if _, err := f.store.Queue(ctx, Draft{AccountID: f.acct.ID, To: []string{"paul@example.fr"}, Topic: "Hors ligne", Body: "test"}); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		res, err := f.store.SendDue(ctx)
		var ce *ConnError
		if res.Deferred != 1 || !errors.As(err, &ce) || ce.Kind != ConnRefused {
			t.Fatalf("attempt %d offline: %+v, %v", i, res, err)
		}
		f.now = f.now.Add(time.Hour)
	}
	box, _ := f.store.Outbox(ctx)
	if box[0].Attempts != 3 || box[0].State != "queued" {
		t.Fatalf("outbox offline: %+v", box)
	}
	smtpd.Start()
	if res, err := f.store.SendDue(ctx); err != nil && !strings.Contains(err.Error(), "imap") || res.Sent != 1 {
		t.Fatalf("back online: %+v, %v", res, err)
	}
	if len(smtpd.Messages()) != 1 {
		t.Fatal("not received")
	}
}

func TestDraftValidation(t *testing.T) {
	f := newFixture(t)
	for _, d := range []struct {
		draft Draft
		want  error
	}{
		{Draft{AccountID: f.acct.ID, Topic: "x"}, ErrNoRecipient},
		{Draft{AccountID: f.acct.ID, To: []string{"pas une adresse"}}, ErrBadRecipient},
		{Draft{AccountID: f.acct.ID, To: []string{"a@example.fr"}, Attachments: []OutAttachment{{Filename: "big.bin", Data: make([]byte, MaxMessageSize)}}}, ErrTooLarge},
	} {
		if _, err := f.store.Queue(ctx, d.draft); !errors.Is(err, d.want) {
			t.Errorf("%+v: %v, want %v", d.draft.To, err, d.want)
		}
	}
	if got := splitAddresses(`"Dupont, Hélène" <h@example.fr>; paul@example.fr, `); len(got) != 2 {
		t.Fatalf("split: %q", got)
	}
}

// freePort is a loopback port nothing listens on.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func TestWatchInboxAnnouncesNewMail(t *testing.T) {
	f := newFixture(t)
	wctx, cancel := context.WithCancel(ctx)
	changed := make(chan struct{}, 4)
	done := make(chan error, 1)
	go func() { done <- WatchInbox(wctx, f.acct, func() { changed <- struct{}{} }) }()
	// Deliver until the watcher, once its IDLE is up, reports the change.
	deadline := time.After(30 * time.Second)
	tick := time.NewTicker(300 * time.Millisecond)
	defer tick.Stop()
	for i := int64(0); ; i++ {
		select {
		case <-changed:
			cancel()
			if err := <-done; !errors.Is(err, context.Canceled) {
				t.Fatalf("watch ended with %v", err)
			}
			return
		case <-tick.C:
			f.srv.Deliver(t, "INBOX", "", mailtest.GenerateMessages(100+i, 1, []string{"a@example.fr"})...)
		case err := <-done:
			t.Fatalf("watch ended early: %v", err)
		case <-deadline:
			t.Fatal("no change announced")
		}
	}
}
