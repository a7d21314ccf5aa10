package mail

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"

	"carnet/backend/mail/mailtest"
	"carnet/backend/settings"
)

// fetched is a server's FETCH response carrying content as item (BODY[] or
// BODY[HEADER]) of message uid.
func fetched(uid int, item, content string) string {
	return fmt.Sprintf("* %d FETCH (UID %d FLAGS () %s {%d}\r\n%s)\r\n", uid, uid, item, len(content), content)
}

// sizesOf is the answer to the FETCH of the new messages' sizes.
func sizesOf(sizes ...int) string {
	var b strings.Builder
	for i, n := range sizes {
		fmt.Fprintf(&b, "* %d FETCH (UID %d RFC822.SIZE %d)\r\n", i+1, i+1, n)
	}
	return b.String() + "$T OK done\r\n"
}

// padded is a message of n bytes from Paul.
func padded(subject string, n int) string {
	head := "From: Paul <paul@example.com>\r\nTo: moi@example.org\r\nSubject: " + subject + "\r\nMessage-ID: <" + strings.ReplaceAll(subject, " ", ".") + "@example.com>\r\n\r\n"
	return head + strings.Repeat("x", max(n-len(head), 0))
}

// paddedHeader is a header block of about n bytes.
func paddedHeader(subject string, n int) string {
	return "From: paul@example.com\r\nSubject: " + subject + "\r\nX-Pad: " + strings.Repeat("y", n) + "\r\n\r\n"
}

// The bytes that arrive are held to what the server announced, before
// go-imap reads them: a message's content to its RFC822.SIZE plus an
// eighth, a header fetched alone to 1 MiB, a chunk's messages together to
// what was counted for them plus slack. Past that the connection ends with
// a protocol error; what came before stays.
func TestMessagesBiggerThanAnnouncedEndTheChunk(t *testing.T) {
	fx := newScriptFixture(t)
	big := padded("gros", 3e6)
	small := padded("moyen", 500e3)
	var manyHeaders strings.Builder
	for uid := 1; uid <= 30; uid++ {
		manyHeaders.WriteString(fetched(uid, "BODY[HEADER]", paddedHeader("en-tête "+strconv.Itoa(uid), 900e3)))
	}
	over := make([]int, 30)
	for i := range over {
		over[i] = 60e6
	}
	for _, tc := range []struct {
		name    string
		script  [][]byte
		tooBig  uint32 // the UID refused for its size, if one is
		stored  int
		lastUID int
		limitMB int // the size limit, if not the default
	}{
		{"two messages announced as 10 bytes and sent as 3 MB", parts(okLogin, okList, okStatus, okSelect, sizesOf(10, 10),
			fetched(1, "BODY[]", big)+fetched(2, "BODY[]", big)+"$T OK done\r\n", okLogout), 1, 0, 0, 0},
		{"a message of 500 kB announced as 10 bytes, held by the screen", parts(okLogin, okList, okStatus, okSelect, sizesOf(10),
			fetched(1, "BODY[]", small)+"$T OK done\r\n", okLogout), 1, 0, 0, 0},
		{"the second message bigger than announced", parts(okLogin, okList, okStatus, okSelect, sizesOf(len(small), 1000),
			fetched(1, "BODY[]", small)+fetched(2, "BODY[]", big)+"$T OK done\r\n", okLogout), 2, 1, 1, 0},
		{"a header of 3 MB for a message of 60 MB", parts(okLogin, okList, okStatus, okSelect, sizesOf(60e6),
			fetched(1, "BODY[HEADER]", paddedHeader("énorme", 3e6))+"$T OK done\r\n", okLogout), 1, 0, 0, 0},
		{"thirty headers of 900 kB: past the chunk's budget", parts(okLogin, okList, okStatus, okSelect, sizesOf(over...),
			manyHeaders.String()+"$T OK done\r\n", okLogout), 0, 3, 3, 0},
		{"a message announced within a 1 MB limit and sent over it plus an eighth: named, to be kept as its header",
			parts(okLogin, okList, okStatus, okSelect, sizesOf(900e3), fetched(1, "BODY[]", padded("limite", 1.2e6))+"$T OK done\r\n", okLogout), 1, 0, 0, 1},
		{"a message's content for a UID not asked for", parts(okLogin, okList, okStatus, okSelect, sizesOf(len(small)),
			fetched(9, "BODY[]", small)+fetched(1, "BODY[]", small)+"$T OK done\r\n", okLogout), 0, 0, 0, 0},
		{"a message's content in the answer to the FETCH of sizes", parts(okLogin, okList, okStatus, okSelect,
			fetched(1, "BODY[]", small)+"$T OK done\r\n", okLogout), 0, 0, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fx.reset(t, false)
			if err := settings.New(fx.db).SetMailMaxMessageMB(ctx, cmp.Or(tc.limitMB, settings.DefaultMailMaxMessageMB)); err != nil {
				t.Fatal(err)
			}
			res, err := fx.sync(t, tc.script)
			var ce *ConnError
			if !errors.As(err, &ce) || ce.Kind != ConnProtocol || !errors.Is(err, ErrUnreadableResponse) {
				t.Fatalf("want a protocol error, got %v", err)
			}
			var tb *tooBigError
			switch {
			case tc.tooBig != 0 && (!errors.As(err, &tb) || tb.uid != tc.tooBig):
				t.Fatalf("want message %d refused for its size, got %v", tc.tooBig, err)
			case tc.tooBig == 0 && errors.As(err, &tb):
				t.Fatalf("want no message refused for its size, got %v", err)
			}
			st := mailState(t, fx.db, fx.id)
			if res.New != tc.stored || st.messages != tc.stored || st.folders[0].lastUID != uint64(tc.lastUID) {
				t.Fatalf("want %d stored and last_uid %d: %+v, %+v", tc.stored, tc.lastUID, res, st)
			}
			var refused int
			fx.db.QueryRow(`SELECT count(*) FROM mail_size_refused`).Scan(&refused)
			if want := min(int(tc.tooBig), 1); refused != want {
				t.Fatalf("%d messages remembered as refused for their size, want %d", refused, want)
			}
		})
	}
}

// The screen refuses a message's content bigger than its UID may bring
// from its announcement "{n}", before reading any of it; a literal before
// the UID that says whose it is may be as big as the biggest asked for.
func TestScreenRefusesContentOverItsUIDsCapBeforeReadingIt(t *testing.T) {
	rest := strings.Repeat("x", 3e6) + ")\r\n"
	for _, tc := range []struct {
		name, stream string
		tooBig       bool
	}{
		{"announced 10 bytes, 3 MB coming", "* 1 FETCH (UID 1 BODY[] {3000000}\r\n" + rest, true},
		{"the UID after the content", "* 1 FETCH (BODY[] {3000000}\r\n" + rest, false},
		{"a UID not asked for", "* 1 FETCH (UID 8 BODY[] {3000000}\r\n" + rest, false},
		{"a header of 3 MB", "* 2 FETCH (UID 2 BODY[HEADER] {3000000}\r\n" + rest, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			client, server := net.Pipe()
			written := make(chan int, 1)
			go func() {
				defer server.Close()
				n, _ := io.WriteString(server, tc.stream)
				written <- n
			}()
			sc := newScreen(client, "")
			sc.limitLiterals(literalCap(50e6))
			sc.expect(newFetchGuard(map[uint32]int64{1: wholeCap(10), 2: headerCap}, 50e6))
			got, _ := io.ReadAll(sc)
			var tb *tooBigError
			if len(got) > 0 || !errors.Is(sc.refusal(), ErrUnreadableResponse) || errors.As(sc.refusal(), &tb) != tc.tooBig {
				t.Fatalf("passed %d bytes, refusal %v", len(got), sc.refusal())
			}
			if n := <-written; n > len(tc.stream)-len(rest)+64<<10 {
				t.Fatalf("the screen read %d bytes of the content before refusing it", n-(len(tc.stream)-len(rest)))
			}
		})
	}
}

// A message whose content comes over an eighth bigger than its server
// announced (Exchange's sizes are estimates) ends the first sync with an
// error naming it; the next one keeps it as its header, as a message over
// the size limit, and gets the mail after it. It is not asked for whole
// again: the script below would not answer such a FETCH.
func TestAMessageBiggerThanAnnouncedIsKeptAsItsHeaderAtTheNextSync(t *testing.T) {
	fx := newScriptFixture(t)
	fx.reset(t, false)
	one, two, three := padded("un", 300), padded("deux", 20e3), padded("trois", 400)
	sizes := sizesOf(len(one), 2000, len(three))
	_, err := fx.sync(t, parts(okLogin, okList, okStatus, okSelect, sizes,
		fetched(1, "BODY[]", one)+fetched(2, "BODY[]", two)+fetched(3, "BODY[]", three)+"$T OK done\r\n", okLogout))
	var tb *tooBigError
	if !errors.As(err, &tb) || tb.uid != 2 || !strings.Contains(err.Error(), "UID 2") || !strings.Contains(err.Error(), "header only") {
		t.Fatalf("want an error naming message 2 as too big, got %v", err)
	}
	if st := mailState(t, fx.db, fx.id); st.messages != 1 || st.folders[0].lastUID != 1 {
		t.Fatalf("want message 1 kept and the sync to resume after it: %+v", st)
	}

	header, _, _ := strings.Cut(two, "\r\n\r\n")
	header += "\r\n\r\n"
	selectThree := strings.NewReplacer("* 1 EXISTS", "* 3 EXISTS", "UIDNEXT 2", "UIDNEXT 4").Replace(okSelect)
	res, err := fx.sync(t, parts(okLogin, okList, okStatus, selectThree,
		"* 1 FETCH (UID 1 FLAGS ())\r\n$T OK done\r\n", // flags of what is stored
		"* 2 FETCH (UID 2 RFC822.SIZE 2000)\r\n* 3 FETCH (UID 3 RFC822.SIZE "+strconv.Itoa(len(three))+")\r\n$T OK done\r\n",
		fetched(3, "BODY[]", three)+"$T OK done\r\n", // whole first
		fetched(2, "BODY[HEADER]", header)+"$T OK done\r\n",
		okLogout))
	if err != nil || res.New != 2 {
		t.Fatalf("second sync: %+v, %v", res, err)
	}
	var id, size int64
	var headersOnly bool
	if err := fx.db.QueryRow(`SELECT id, size, headers_only FROM mail_messages WHERE uid = 2`).Scan(&id, &size, &headersOnly); err != nil {
		t.Fatal(err)
	}
	m, err := fx.store.Open(ctx, id, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !headersOnly || !m.HeadersOnly || m.Topic != "deux" || size != int64(len(two)) || m.Text != "" {
		t.Fatalf("message 2: headers only %v/%v, subject %q, size %d (sent %d), text %q", headersOnly, m.HeadersOnly, m.Topic, size, len(two), m.Text)
	}
	if st := mailState(t, fx.db, fx.id); st.messages != 3 || st.folders[0].lastUID != 3 || st.unindexed+st.orphans != 0 {
		t.Fatalf("after the second sync: %+v", st)
	}
}

// Messages kept as their header while over the size limit are fetched
// whole once the limit is raised over them, in place of their header: same
// id, body, attachment and search entry added. Lowering it again changes
// nothing stored.
func TestRaisingTheSizeLimitCompletesMessagesKeptAsTheirHeader(t *testing.T) {
	f := newFixture(t)
	if err := settings.New(f.db).SetMailMaxMessageMB(ctx, 1); err != nil {
		t.Fatal(err)
	}
	small, big := mailtest.BigMessage(1, 500e3), mailtest.BigMessage(2, 2e6)
	f.srv.Deliver(t, "INBOX", "", small, big)
	f.sync(t)
	var id int64
	if err := f.db.QueryRow(`SELECT id FROM mail_messages WHERE uid = 2 AND headers_only = 1`).Scan(&id); err != nil {
		t.Fatalf("the 2 MB message over a 1 MB limit is not kept as its header: %v", err)
	}

	if err := settings.New(f.db).SetMailMaxMessageMB(ctx, 3); err != nil {
		t.Fatal(err)
	}
	f.sync(t)
	raw, err := f.store.Raw(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	m, err := f.store.Open(ctx, id, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(raw, big) || m.HeadersOnly || m.Size != int64(len(big)) || len(m.Attachments) != 1 || m.Text == "" || m.Snippet == "" {
		t.Fatalf("after raising the limit: %d bytes stored of %d, headers only %v, size %d, %d attachments, text %d bytes, snippet %q",
			len(raw), len(big), m.HeadersOnly, m.Size, len(m.Attachments), len(m.Text), m.Snippet)
	}
	word := strings.Fields(m.Text)[0]
	found, err := f.store.Search(ctx, word, 10)
	if err != nil || !containsID(found, id) {
		t.Fatalf("search for %q from its body: %v, %v", word, found, err)
	}
	if st := mailState(t, f.db, f.acct.ID); st.messages != 2 || st.unindexed+st.orphans != 0 {
		t.Fatalf("after completing: %+v", st)
	}
	f.checkNoDuplicates(t)

	if err := settings.New(f.db).SetMailMaxMessageMB(ctx, 1); err != nil {
		t.Fatal(err)
	}
	f.sync(t)
	if raw, _ := f.store.Raw(ctx, id); !bytes.Equal(raw, big) {
		t.Fatalf("lowering the limit changed the stored message: %d bytes", len(raw))
	}
}

func containsID(list []Summary, id int64) bool {
	for _, s := range list {
		if s.ID == id {
			return true
		}
	}
	return false
}
