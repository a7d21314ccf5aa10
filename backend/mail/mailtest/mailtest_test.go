package mailtest

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-imap"
	"github.com/emersion/go-imap/client"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"golang.org/x/text/encoding/charmap"
)

func TestDovecotLogsInOverPlaintextStartTLSAndTLS(t *testing.T) {
	t.Parallel()
	s := Dovecot(t)
	if c := s.Client(t); c.State() != imap.AuthenticatedState {
		t.Fatalf("plaintext login: state %v, want authenticated", c.State())
	}

	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(s.CertPEM) {
		t.Fatal("CertPEM holds no certificate")
	}
	cfg := &tls.Config{RootCAs: roots}

	c, err := client.DialTLS(s.TLSAddr(), cfg) // verifies the IP SAN 127.0.0.1
	if err != nil {
		t.Fatalf("IMAPS dial trusting CertPEM: %v", err)
	}
	defer c.Logout()
	if err := c.Login(s.User, s.Password); err != nil {
		t.Fatalf("IMAPS login: %v", err)
	}

	conn, err := tls.Dial("tcp", s.TLSAddr(), &tls.Config{ServerName: "localhost", RootCAs: roots})
	if err != nil {
		t.Fatalf("TLS to localhost (DNS SAN): %v", err)
	}
	sum := sha256.Sum256(conn.ConnectionState().PeerCertificates[0].Raw)
	conn.Close()
	if got := hex.EncodeToString(sum[:]); got != s.CertSHA256 {
		t.Errorf("served certificate SHA-256 %s, CertSHA256 says %s", got, s.CertSHA256)
	}

	if _, err := client.DialTLS(s.TLSAddr(), &tls.Config{}); err == nil {
		t.Error("IMAPS without trusting CertPEM: want a certificate error, got none")
	}

	st, err := client.Dial(s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Logout()
	if err := st.StartTLS(cfg); err != nil {
		t.Fatalf("STARTTLS on the plaintext port: %v", err)
	}
	if err := st.Login(s.User, s.Password); err != nil {
		t.Fatalf("login after STARTTLS: %v", err)
	}
}

func TestDovecotRefusesAWrongPassword(t *testing.T) {
	t.Parallel()
	s := Dovecot(t)
	c, err := client.Dial(s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Logout()
	if err := c.Login(s.User, "wrong"); err == nil {
		t.Fatal("login with a wrong password succeeded")
	}
}

func TestDeliveredMessagesShowUpInOrderWithFlagsAndDates(t *testing.T) {
	t.Parallel()
	s := Dovecot(t)
	msgs := GenerateMessages(1, 1000, nil)
	start := time.Now()
	s.Deliver(t, "", "", msgs...)
	t.Logf("delivered 1,000 messages in %v", time.Since(start))
	s.Deliver(t, "INBOX", "FS", msgs[0])

	c := s.Client(t)
	mb, err := c.Select("INBOX", true)
	if err != nil {
		t.Fatal(err)
	}
	if mb.Messages != 1001 {
		t.Fatalf("SELECT INBOX: %d messages, want 1001", mb.Messages)
	}
	section := &imap.BodySectionName{Peek: true}
	got := fetch(t, c, []uint32{1, 500, 1000, 1001}, imap.FetchUid, imap.FetchFlags, imap.FetchInternalDate, section.FetchItem())
	for i, want := range [][]byte{msgs[0], msgs[499], msgs[999], msgs[0]} {
		m := got[i]
		if body := literal(t, m.GetBody(section)); !bytes.Equal(body, want) {
			t.Errorf("UID %d: body of %d bytes differs from the delivered one (%d bytes)", m.Uid, len(body), len(want))
		}
		d, _ := messageDate(want)
		if !m.InternalDate.Equal(d) {
			t.Errorf("UID %d: INTERNALDATE %v, want the Date header %v", m.Uid, m.InternalDate, d)
		}
	}
	if f := slices.DeleteFunc(got[0].Flags, func(f string) bool { return f == imap.RecentFlag }); len(f) != 0 {
		t.Errorf("UID 1 delivered without flags has %v", f)
	}
	if f := got[3].Flags; !slices.Contains(f, imap.SeenFlag) || !slices.Contains(f, imap.FlaggedFlag) {
		t.Errorf("UID 1001 delivered with flags FS has %v, want \\Seen and \\Flagged", f)
	}
}

func TestCreatedFoldersAreListedAndSubscribed(t *testing.T) {
	t.Parallel()
	s := Dovecot(t)
	folders := []string{"Sent", "Envoyés", "Archives.2024"}
	for _, f := range folders {
		s.CreateFolder(t, f)
	}
	s.Deliver(t, "Envoyés", "S", GenerateMessages(2, 3, nil)...)
	s.Deliver(t, "Drafts", "D", GenerateMessages(3, 1, nil)...) // created on the way

	c := s.Client(t)
	for _, cmd := range []struct {
		name string
		list func(ref, name string, ch chan *imap.MailboxInfo) error
	}{{"LIST", c.List}, {"LSUB", c.Lsub}} {
		ch := make(chan *imap.MailboxInfo, 20)
		if err := cmd.list("", "*", ch); err != nil {
			t.Fatal(err)
		}
		var names []string
		for mb := range ch {
			names = append(names, mb.Name)
		}
		for _, f := range append(folders, "Drafts") {
			if !slices.Contains(names, f) {
				t.Errorf("%s shows %q, missing %q", cmd.name, names, f)
			}
		}
	}
	for folder, want := range map[string]uint32{"Envoyés": 3, "Drafts": 1, "Sent": 0} {
		st, err := c.Status(folder, []imap.StatusItem{imap.StatusMessages})
		if err != nil {
			t.Fatal(err)
		}
		if st.Messages != want {
			t.Errorf("STATUS %s: %d messages, want %d", folder, st.Messages, want)
		}
	}
}

func TestResetUIDValidityRenumbersTheFolder(t *testing.T) {
	t.Parallel()
	s := Dovecot(t)
	msgs := GenerateMessages(4, 20, nil)
	s.Deliver(t, "", "", msgs...)
	s.Deliver(t, "Archives", "S", msgs...)

	for _, folder := range []string{"INBOX", "Archives"} {
		uv := func() (uint32, uint32) {
			c := s.Client(t)
			st, err := c.Status(folder, []imap.StatusItem{imap.StatusUidValidity})
			if err != nil {
				t.Fatal(err)
			}
			mb, err := c.Select(folder, true)
			if err != nil {
				t.Fatal(err)
			}
			if st.UidValidity != mb.UidValidity {
				t.Errorf("%s: STATUS says UIDVALIDITY %d, SELECT %d", folder, st.UidValidity, mb.UidValidity)
			}
			if mb.Messages != 20 {
				t.Errorf("%s: %d messages, want 20", folder, mb.Messages)
			}
			c.Logout()
			return mb.UidValidity, mb.UidNext
		}
		before, _ := uv()
		held := s.Client(t) // kicked by the reset, as a real server would
		if _, err := held.Select(folder, true); err != nil {
			t.Fatal(err)
		}
		s.ResetUIDValidity(t, folder)
		select {
		case <-held.LoggedOut():
		case <-time.After(5 * time.Second):
			t.Errorf("%s: a connection open during the reset is still up", folder)
		}
		after, next := uv()
		s.ResetUIDValidity(t, folder) // twice within a second still changes it
		again, _ := uv()
		if after == before || again == after {
			t.Errorf("%s: UIDVALIDITY %d, after reset %d, after another %d: want each different", folder, before, after, again)
		}
		if next != 21 {
			t.Errorf("%s: UIDNEXT %d after reset, want 21", folder, next)
		}
	}
}

func TestStopDropsConnectionsAndStartBringsTheDataBack(t *testing.T) {
	t.Parallel()
	s := Dovecot(t)
	s.Deliver(t, "", "", GenerateMessages(5, 10, nil)...)
	c := s.Client(t)
	port, pgid := s.Port, s.pgid

	s.Stop(t)
	if err := syscall.Kill(-pgid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("after Stop, Dovecot's process group %d still exists (kill: %v)", pgid, err)
	}
	if err := c.Noop(); err == nil {
		t.Error("NOOP on a connection from before Stop succeeded")
	}
	if conn, err := net.Dial("tcp", s.Addr()); err == nil {
		conn.Close()
		t.Error("stopped server still accepts connections")
	}

	s.Start(t)
	if s.Port != port {
		t.Errorf("restarted on port %d, want %d", s.Port, port)
	}
	mb, err := s.Client(t).Select("INBOX", true)
	if err != nil {
		t.Fatal(err)
	}
	if mb.Messages != 10 {
		t.Errorf("after restart INBOX has %d messages, want 10", mb.Messages)
	}
}

func TestDovecotLeavesNoProcessOrFileBehind(t *testing.T) {
	t.Parallel()
	var pgid int
	var dir string
	t.Run("server", func(t *testing.T) {
		s := Dovecot(t)
		s.Client(t)
		pgid, dir = s.pgid, s.dir
	})
	if err := syscall.Kill(-pgid, 0); !errors.Is(err, syscall.ESRCH) {
		t.Errorf("process group %d survives the test (kill: %v)", pgid, err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s survives the test (stat: %v)", dir, err)
	}
}

func TestProxyCutsABigFetchAndThenWorksAgain(t *testing.T) {
	t.Parallel()
	s := Dovecot(t)
	msgs := GenerateMessages(6, 200, nil)
	total := 0
	for _, m := range msgs {
		total += len(m)
	}
	s.Deliver(t, "", "", msgs...)
	p := NewProxy(t, s.Addr())

	c := login(t, p.Addr(), s)
	if _, err := c.Select("INBOX", true); err != nil {
		t.Fatal(err)
	}
	p.CutAfter(100_000)
	seq := new(imap.SeqSet)
	seq.AddRange(1, 200)
	ch := make(chan *imap.Message, 200)
	section := &imap.BodySectionName{Peek: true}
	err := c.Fetch(seq, []imap.FetchItem{section.FetchItem()}, ch)
	got := 0
	for m := range ch {
		got += len(literal(t, m.GetBody(section)))
	}
	if err == nil || got >= total {
		t.Fatalf("fetch of %d bytes through a proxy cut after 100,000: got %d bytes, error %v; want an error", total, got, err)
	}
	t.Logf("cut after %d of %d bytes: %v", got, total, err)

	c = login(t, p.Addr(), s)
	if _, err := c.Select("INBOX", true); err != nil {
		t.Fatal(err)
	}
	ch = make(chan *imap.Message, 200)
	if err := c.Fetch(seq, []imap.FetchItem{section.FetchItem()}, ch); err != nil {
		t.Fatalf("fetch on a new connection after the cut: %v", err)
	}
	if n := len(ch); n != 200 {
		t.Errorf("fetched %d messages after the cut, want 200", n)
	}
}

func TestProxyCutsAfterExactlyNBytes(t *testing.T) {
	t.Parallel()
	// A server that sends 1 MB to whoever connects.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				c.Write(make([]byte, 1<<20))
			}()
		}
	}()
	p := NewProxy(t, ln.Addr().String())
	read := func() int64 {
		c, err := net.Dial("tcp", p.Addr())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		n, _ := io.Copy(io.Discard, c)
		return n
	}
	p.CutAfter(12345)
	if n := read(); n != 12345 {
		t.Errorf("CutAfter(12345): read %d bytes", n)
	}
	if n := read(); n != 1<<20 {
		t.Errorf("connection after the cut: read %d bytes, want all %d", n, 1<<20)
	}
}

func TestProxyDownRefusesAndDropsConnections(t *testing.T) {
	t.Parallel()
	s := Dovecot(t)
	p := NewProxy(t, s.Addr())
	if p.Port() == 0 || !strings.HasSuffix(p.Addr(), fmt.Sprint(":", p.Port())) {
		t.Fatalf("Addr %q and Port %d disagree", p.Addr(), p.Port())
	}
	c := login(t, p.Addr(), s)

	p.Down()
	select {
	case <-c.LoggedOut():
	case <-time.After(5 * time.Second):
		t.Error("a connection through the proxy is still up after Down")
	}
	if c, err := client.Dial(p.Addr()); err == nil {
		c.Terminate()
		t.Error("IMAP dial through a Down proxy succeeded")
	}

	p.Up()
	login(t, p.Addr(), s)
}

func TestSMTPReceivesAuthenticatedMail(t *testing.T) {
	t.Parallel()
	s := NewSMTP(t)
	msg := GenerateMessages(7, 1, []string{"Élodie Lefèvre <elodie@dupont-batiment.fr>"})[0]
	send := func(user, pass string) error {
		c, err := smtp.Dial(s.Addr())
		if err != nil {
			return err
		}
		defer c.Close()
		if err := c.Auth(sasl.NewPlainClient("", user, pass)); err != nil {
			return err
		}
		if err := c.SendMail("elodie@dupont-batiment.fr", []string{Recipient, "hugo@example.org"}, bytes.NewReader(msg)); err != nil {
			return err
		}
		return c.Quit()
	}
	if err := send(s.User, s.Password); err != nil {
		t.Fatalf("send: %v", err)
	}
	got := s.Messages()
	if len(got) != 1 {
		t.Fatalf("received %d messages, want 1", len(got))
	}
	if r := got[0]; r.From != "elodie@dupont-batiment.fr" || !slices.Equal(r.To, []string{Recipient, "hugo@example.org"}) || !bytes.Equal(r.Data, msg) {
		t.Errorf("received from %q to %q, %d bytes (equal: %v)", r.From, r.To, len(r.Data), bytes.Equal(r.Data, msg))
	}

	var serr *smtp.SMTPError
	if err := send(s.User, "wrong"); !errors.As(err, &serr) || serr.Code != 535 {
		t.Errorf("wrong password: %v, want a 535", err)
	}

	s.SetFailing(true)
	if err := send(s.User, s.Password); !errors.As(err, &serr) || serr.Code != 451 || !serr.Temporary() {
		t.Errorf("while failing: %v, want a temporary 451", err)
	}
	s.SetFailing(false)

	s.Stop()
	if err := send(s.User, s.Password); err == nil {
		t.Error("send to a stopped server succeeded")
	}
	s.Start()
	if err := send(s.User, s.Password); err != nil {
		t.Fatalf("send after restart: %v", err)
	}
	if n := len(s.Messages()); n != 2 {
		t.Errorf("%d messages after restart, want 2", n)
	}
}

func TestSMTPRefusesMailWithoutAuth(t *testing.T) {
	t.Parallel()
	s := NewSMTP(t)
	c, err := smtp.Dial(s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var serr *smtp.SMTPError
	if err := c.Mail("a@example.org", nil); !errors.As(err, &serr) || serr.Code != 502 {
		t.Errorf("MAIL before AUTH: %v, want a 502", err)
	}
}

func TestSMTPOffersSTARTTLSWithItsCertificate(t *testing.T) {
	t.Parallel()
	s := NewSMTP(t)
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(s.CertPEM)
	c, err := smtp.DialStartTLS(s.Addr(), &tls.Config{RootCAs: roots})
	if err != nil {
		t.Fatalf("STARTTLS trusting CertPEM: %v", err)
	}
	defer c.Close()
	if err := c.Auth(sasl.NewPlainClient("", s.User, s.Password)); err != nil {
		t.Fatal(err)
	}
	state, ok := c.TLSConnectionState()
	if !ok || len(state.PeerCertificates) == 0 {
		t.Fatal("no TLS after STARTTLS")
	}
	if sum := sha256.Sum256(state.PeerCertificates[0].Raw); hex.EncodeToString(sum[:]) != s.CertSHA256 {
		t.Error("served certificate does not match CertSHA256")
	}
}

func TestMbsyncPullsTheInbox(t *testing.T) {
	t.Parallel()
	s := Dovecot(t)
	s.Deliver(t, "", "", GenerateMessages(8, 500, nil)...)
	dir := t.TempDir()
	took, err := Mbsync(t, s, dir)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, sub := range []string{"cur", "new"} {
		files, err := os.ReadDir(filepath.Join(dir, sub))
		if err != nil {
			t.Fatal(err)
		}
		n += len(files)
	}
	if n != 500 {
		t.Errorf("mbsync left %d messages in %s, want 500", n, dir)
	}
	t.Logf("mbsync pulled 500 messages in %v", took)
}

func TestGeneratedMessagesAreStable(t *testing.T) {
	from := []string{"Élodie Lefèvre <elodie@dupont-batiment.fr>", "jean.martin@sarl-martin.fr"}
	a, b := GenerateMessages(42, 50, from), GenerateMessages(42, 80, from)
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			t.Fatalf("message %d differs between two runs with seed 42", i)
		}
	}
	if bytes.Equal(a[0], GenerateMessages(43, 1, from)[0]) {
		t.Error("seeds 42 and 43 give the same first message")
	}
}

func TestGeneratedMessagesStartWhenAsked(t *testing.T) {
	start := time.Date(2025, 6, 2, 8, 0, 0, 0, time.UTC)
	msgs := GenerateMessagesSince(start, 42, 200, nil)
	var prev time.Time
	for i, m := range msgs {
		d, ok := messageDate(m)
		if !ok || !d.After(prev) {
			t.Fatalf("message %d sent %v, not after %v", i, d, prev)
		}
		if i == 0 && d.Format(time.DateOnly) != "2025-06-02" {
			t.Fatalf("the first message is sent %v, want on the start's day", d)
		}
		prev = d
	}
	if prev.After(start.AddDate(0, 1, 0)) {
		t.Errorf("200 messages span until %v: not a few a day", prev)
	}
}

func TestGeneratedMessagesAreRealisticAndVaried(t *testing.T) {
	from := []string{"Élodie Lefèvre <elodie@dupont-batiment.fr>", "jean.martin@sarl-martin.fr", "contact@atelier-perrin.com"}
	msgs := GenerateMessages(1, 500, from)
	seen := map[string]int{}
	ids := map[string]bool{}
	var last time.Time
	count := func(k string) { seen[k]++ }
	for i, raw := range msgs {
		name := fmt.Sprintf("message %d", i)
		if len(raw) < 2<<10 || len(raw) > 30<<10 {
			t.Errorf("%s: %d bytes, want 2–30 KB", name, len(raw))
		}
		checkLines(t, name, raw)
		m, err := mail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		id := m.Header.Get("Message-ID")
		if id == "" || ids[id] {
			t.Errorf("%s: Message-ID %q missing or repeated", name, id)
		}
		ids[id] = true
		if refs := m.Header.Get("References"); refs != "" {
			count("reply")
			for _, r := range strings.Fields(refs) {
				if !ids[r] {
					t.Errorf("%s: References %s, not an earlier message", name, r)
				}
			}
		}
		d, err := m.Header.Date()
		if err != nil || !d.After(last) {
			t.Errorf("%s: Date %v (%v), want after %v", name, d, err, last)
		}
		last = d
		sender, err := mail.ParseAddress(decodeHeader(t, m.Header.Get("From")))
		if err != nil {
			t.Fatalf("%s: From: %v", name, err)
		}
		if !slices.ContainsFunc(from, func(f string) bool { return strings.Contains(f, sender.Address) }) {
			t.Errorf("%s: From %s, not one of the given senders", name, sender.Address)
		}
		if sender.Name == "Élodie Lefèvre" {
			count("accented name")
		}
		subject := m.Header.Get("Subject")
		if strings.Contains(subject, "=?") {
			count("encoded subject " + strings.ToLower(strings.Split(subject, "?")[1]))
		}
		if s := decodeHeader(t, subject); !utf8.ValidString(s) || s == "" || strings.Contains(s, "%!") {
			t.Errorf("%s: subject %q", name, s)
		}
		walk(t, name, m.Header, m.Body, count)
	}
	for _, k := range []string{"text/plain", "text/html", "multipart/alternative", "multipart/mixed", "attachment",
		"charset iso-8859-1", "charset windows-1252", "charset utf-8", "quoted-printable", "base64", "reply",
		"encoded subject utf-8", "encoded subject iso-8859-1", "accented name"} {
		if seen[k] < 5 {
			t.Errorf("%d messages with %s among 500, want at least 5 (all: %v)", seen[k], k, seen)
		}
	}
	t.Logf("%v", seen)
}

func TestGenerateMessagesInventsSendersWhenGivenNone(t *testing.T) {
	senders := map[string]bool{}
	for _, raw := range GenerateMessages(9, 200, nil) {
		m, err := mail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		a, err := mail.ParseAddress(decodeHeader(t, m.Header.Get("From")))
		if err != nil {
			t.Fatal(err)
		}
		senders[a.Address] = true
	}
	if len(senders) < 20 {
		t.Errorf("%d distinct senders in 200 messages, want at least 20", len(senders))
	}
}

func BenchmarkGenerateMessages(b *testing.B) {
	for b.Loop() {
		GenerateMessages(1, 100, nil)
	}
}

// header is what walk reads of a message's or a part's header.
type headerGetter interface{ Get(string) string }

// walk decodes every part down to text, checking charsets and encodings.
func walk(t *testing.T, name string, h headerGetter, body io.Reader, count func(string)) {
	t.Helper()
	mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		t.Fatalf("%s: Content-Type %q: %v", name, h.Get("Content-Type"), err)
	}
	count(mt)
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		parts := 0
		for {
			p, err := mr.NextRawPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: %s: %v", name, mt, err)
			}
			parts++
			walk(t, name, p.Header, p, count)
		}
		if parts < 2 {
			t.Errorf("%s: %s with %d parts", name, mt, parts)
		}
		return
	}
	cte := strings.ToLower(h.Get("Content-Transfer-Encoding"))
	count(cte)
	switch cte {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body) // skips line ends
	}
	data, err := io.ReadAll(body)
	if err != nil {
		t.Fatalf("%s: %s %s: %v", name, mt, cte, err)
	}
	if d, _, _ := mime.ParseMediaType(h.Get("Content-Disposition")); d == "attachment" {
		count("attachment")
		var dec mime.WordDecoder
		_, dp, err := mime.ParseMediaType(h.Get("Content-Disposition"))
		fn, derr := dec.DecodeHeader(dp["filename"])
		if err != nil || derr != nil || fn == "" || len(data) < 100 {
			t.Errorf("%s: attachment %q (%v, %v), %d bytes", name, fn, err, derr, len(data))
		}
		return
	}
	cs := strings.ToLower(params["charset"])
	count("charset " + cs)
	text := string(data)
	switch cs {
	case "iso-8859-1":
		text, _ = charmap.ISO8859_1.NewDecoder().String(text)
	case "windows-1252":
		text, _ = charmap.Windows1252.NewDecoder().String(text)
	}
	if !utf8.ValidString(text) {
		t.Errorf("%s: %s in %s is not valid once decoded", name, mt, cs)
	}
	if cs != "us-ascii" && !strings.ContainsAny(text, "éèàç") && !strings.Contains(text, "&eacute;") {
		t.Errorf("%s: %s in %s has no French accent once decoded", name, mt, cs)
	}
}

// checkLines wants CRLF line ends only and lines of at most 998 bytes.
func checkLines(t *testing.T, name string, raw []byte) {
	t.Helper()
	if !bytes.HasSuffix(raw, []byte("\r\n")) {
		t.Errorf("%s does not end with CRLF", name)
	}
	sc := bufio.NewScanner(bytes.NewReader(raw))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := sc.Bytes()
		if len(line) > 0 && line[len(line)-1] == '\r' {
			line = line[:len(line)-1]
		}
		if bytes.ContainsAny(line, "\r\n") {
			t.Errorf("%s: bare CR in line %d", name, n)
		}
		if len(line) > 998 {
			t.Errorf("%s: line %d has %d bytes", name, n, len(line))
		}
	}
	if bytes.Count(raw, []byte("\n")) != bytes.Count(raw, []byte("\r\n")) {
		t.Errorf("%s has bare LF line ends", name)
	}
}

func decodeHeader(t *testing.T, s string) string {
	t.Helper()
	dec := mime.WordDecoder{CharsetReader: func(charset string, r io.Reader) (io.Reader, error) {
		switch strings.ToLower(charset) {
		case "iso-8859-1":
			return charmap.ISO8859_1.NewDecoder().Reader(r), nil
		case "windows-1252":
			return charmap.Windows1252.NewDecoder().Reader(r), nil
		}
		return nil, fmt.Errorf("charset %s", charset)
	}}
	out, err := dec.DecodeHeader(s)
	if err != nil {
		t.Errorf("decoding %q: %v", s, err)
	}
	return out
}

func login(t *testing.T, addr string, s *Server) *client.Client {
	t.Helper()
	c, err := client.Dial(addr)
	if err != nil {
		t.Fatalf("IMAP dial %s: %v", addr, err)
	}
	c.ErrorLog = log.New(io.Discard, "", 0) // cut connections are the point
	t.Cleanup(func() { c.Terminate() })
	if err := c.Login(s.User, s.Password); err != nil {
		t.Fatalf("login through %s: %v", addr, err)
	}
	return c
}

func fetch(t *testing.T, c *client.Client, uids []uint32, items ...imap.FetchItem) []*imap.Message {
	t.Helper()
	seq := new(imap.SeqSet)
	seq.AddNum(uids...)
	ch := make(chan *imap.Message, len(uids))
	if err := c.UidFetch(seq, items, ch); err != nil {
		t.Fatal(err)
	}
	var msgs []*imap.Message
	for m := range ch {
		msgs = append(msgs, m)
	}
	slices.SortFunc(msgs, func(a, b *imap.Message) int { return int(a.Uid) - int(b.Uid) })
	if len(msgs) != len(uids) {
		t.Fatalf("UID FETCH %v: %d messages", uids, len(msgs))
	}
	return msgs
}

func literal(t *testing.T, l imap.Literal) []byte {
	t.Helper()
	if l == nil {
		return nil
	}
	b, err := io.ReadAll(l)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
