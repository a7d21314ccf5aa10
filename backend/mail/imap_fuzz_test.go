package mail

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap"

	"carnet/backend/vault/vaulttest"
)

// FuzzIMAPSync runs the real Sync against a server on loopback that
// answers each of the client's commands with the next part of the input:
// parts are separated by NUL bytes, and "$T" in a part stands for the
// command's tag. Whatever the server says, Sync must return (an error or a
// result), never panic nor hang, and leave the mail tables consistent:
// each folder's stored UIDs at or below its last_uid, the search index
// holding exactly the stored messages, and the counts it reports matching
// the rows it added and removed.
//
// The first byte of the input chooses the folder's state before the sync:
// even, a new account; odd, a folder already holding three messages (UIDs
// 1–3, UIDVALIDITY 7), one marked read here and not yet on the server.
func FuzzIMAPSync(f *testing.F) {
	for _, seed := range imapSeeds() {
		f.Add(seed)
	}
	fx := newScriptFixture(f)
	f.Fuzz(func(t *testing.T, input []byte) {
		var state byte
		if len(input) > 0 {
			state, input = input[0], input[1:]
		}
		fx.reset(t, state%2 == 1)
		before := mailState(t, fx.db, fx.id)
		res, err := fx.sync(t, bytes.Split(input, []byte{0}))
		after := mailState(t, fx.db, fx.id)
		for _, f := range after.folders {
			if f.maxUID > f.lastUID {
				t.Fatalf("folder %q stores UID %d above its last_uid %d: the next sync would fetch it again", f.name, f.maxUID, f.lastUID)
			}
			if b, ok := before.byName(f.name); ok && b.uidValidity == f.uidValidity && f.lastUID < b.lastUID {
				t.Fatalf("folder %q went back from last_uid %d to %d under the same UIDVALIDITY", f.name, b.lastUID, f.lastUID)
			}
		}
		if after.unindexed != 0 || after.orphans != 0 {
			t.Fatalf("search index out of step: %d messages not indexed, %d index rows without a message", after.unindexed, after.orphans)
		}
		if res.Reset == 0 && after.messages != before.messages+res.New-res.Deleted {
			t.Fatalf("%d messages before, %+v reported, %d after (err %v)", before.messages, res, after.messages, err)
		}
	})
}

// scriptFixture is a real vault with one account whose IMAP server is a
// scriptServer.
type scriptFixture struct {
	db    *sql.DB
	store *Store
	srv   *scriptServer
	id    int64
}

func newScriptFixture(tb testing.TB) *scriptFixture {
	tb.Helper()
	fx := &scriptFixture{db: vaulttest.DB(tb), srv: newScriptServer(tb)}
	tb.Cleanup(func() { fx.srv.ln.Close() })
	fx.store = New(fx.db, func() time.Time { return time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC) })
	acct := Account{Name: "Fuzz", Address: "moi@example.org", IMAPHost: "127.0.0.1", IMAPPort: fx.srv.port, IMAPSecurity: None,
		SMTPHost: "127.0.0.1", SMTPPort: 1, SMTPSecurity: None, Username: "moi", Password: "secret"}
	var err error
	if fx.id, err = fx.store.SaveAccount(ctx, acct); err != nil {
		tb.Fatal(err)
	}
	return fx
}

func (fx *scriptFixture) reset(t *testing.T, stored bool) { resetFolders(t, fx.db, fx.id, stored) }

// sync runs Sync against a server answering with parts. It fails the test
// if Sync does not return.
func (fx *scriptFixture) sync(t *testing.T, parts [][]byte) (SyncResult, error) {
	t.Helper()
	served := make(chan struct{})
	go func() {
		defer close(served)
		fx.srv.serve(parts)
	}()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	type outcome struct {
		res SyncResult
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		res, err := fx.store.Sync(ctx, fx.id, nil)
		done <- outcome{res, err}
	}()
	var out outcome
	select {
	case out = <-done:
	case <-time.After(2 * time.Minute):
		buf := make([]byte, 1<<20)
		t.Fatalf("Sync did not return:\n%s", buf[:runtime.Stack(buf, true)])
	}
	<-served
	return out.res, out.err
}

// scriptServer is the fake IMAP server: one connection per sync.
type scriptServer struct {
	ln   net.Listener
	port int
}

func newScriptServer(tb testing.TB) *scriptServer {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	return &scriptServer{ln: ln, port: ln.Addr().(*net.TCPAddr).Port}
}

const greeting = "* OK [CAPABILITY IMAP4rev1 IDLE CONDSTORE] fuzz server ready\r\n"

// serve answers one connection with the script's parts, then hangs up.
// A part that leaves the command unfinished, as go-imap parses what it
// was sent, also ends the script: the client would wait for the rest.
// Timers only bound a client that neither speaks nor hangs up.
func (s *scriptServer) serve(parts [][]byte) {
	s.ln.(*net.TCPListener).SetDeadline(time.Now().Add(time.Minute))
	conn, err := s.ln.Accept()
	if err != nil {
		return
	}
	defer func() {
		// Hang up after the client has read everything: it sees the end,
		// then closes its side.
		conn.(*net.TCPConn).CloseWrite()
		conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		io.Copy(io.Discard, conn)
		conn.Close()
	}()
	if _, err := conn.Write([]byte(greeting)); err != nil {
		return
	}
	r := bufio.NewReader(conn)
	var m mirror
	for _, part := range parts {
		conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		tag, _, _ := strings.Cut(line, " ")
		out := bytes.ReplaceAll(part, []byte("$T"), []byte(tag))
		if _, err := conn.Write(out); err != nil {
			return
		}
		if !m.completes(out, tag) {
			return
		}
	}
}

// mirror parses what the client was sent, as go-imap does.
type mirror struct {
	unread []byte // sent, not yet parsed: the start of an unfinished response
}

// completes adds out to what the client was sent and reports whether the
// client has now got the tagged answer to the command tag. A response the
// client's screen refuses ends the connection, so it counts as an answer.
func (m *mirror) completes(out []byte, tag string) (done bool) {
	defer func() {
		if recover() != nil {
			done = true
		}
	}()
	m.unread = append(m.unread, out...)
	for len(m.unread) > 0 {
		src := bytes.NewReader(m.unread)
		br := bufio.NewReader(src)
		r := imap.NewReader(br)
		r.MaxLiteralSize = maxLiteral
		resp, err := imap.ReadResp(r)
		n := len(m.unread) - src.Len() - br.Buffered()
		switch {
		case err == nil:
			m.unread = m.unread[n:]
			if fits(resp) != "" {
				return true
			}
			if st, ok := resp.(*imap.StatusResp); ok && st.Tag == tag {
				done = true
			}
		case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
			return done // the rest is still to come
		case imap.IsParseError(err) && n > 0 && !strings.Contains(err.Error(), "literal exceeding"):
			m.unread = m.unread[n:]
		default:
			return true
		}
	}
	return done
}

// resetFolders puts the account's folders back to the state the input
// chose: INBOX only, new or holding three messages.
func resetFolders(t *testing.T, db *sql.DB, accountID int64, stored bool) {
	t.Helper()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if err := unindexWhere(ctx, tx, `folder_id IN (SELECT id FROM mail_folders WHERE account_id = ?)`, accountID); err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`DELETE FROM mail_folders WHERE account_id = ?`, accountID); err != nil {
		t.Fatal(err)
	}
	res, err := tx.Exec(`INSERT INTO mail_folders (account_id, name, role) VALUES (?, 'INBOX', 'inbox')`, accountID)
	if err != nil {
		t.Fatal(err)
	}
	if stored {
		folder, _ := res.LastInsertId()
		var docs searchDocs
		for uid := uint32(1); uid <= 3; uid++ {
			raw := fmt.Appendf(nil, "From: Paul <paul@example.com>\r\nTo: moi@example.org\r\nSubject: Devis %d\r\nMessage-ID: <m%d@example.com>\r\nDate: Mon, 23 Nov 2026 10:00:00 +0100\r\n\r\nBonjour %d\r\n", uid, uid, uid)
			if _, err := insertMessage(ctx, &writeTx{Tx: tx}, folder, "moi@example.org", &incoming{uid: uid, flags: int(uid % 2), raw: raw, parsed: Parse(raw)}, &docs); err != nil {
				t.Fatal(err)
			}
		}
		if err := docs.flush(ctx, tx); err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(`UPDATE mail_folders SET uid_validity = 7, last_uid = 3, uid_next = 4 WHERE id = ?`, folder); err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(`UPDATE mail_messages SET flags = 1, flags_pending = 1 WHERE folder_id = ? AND uid = 2`, folder); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
}

type folderState struct {
	name                         string
	uidValidity, lastUID, maxUID uint64
}

type accountState struct {
	folders            []folderState
	messages           int
	unindexed, orphans int
}

func (s accountState) byName(name string) (folderState, bool) {
	for _, f := range s.folders {
		if f.name == name {
			return f, true
		}
	}
	return folderState{}, false
}

func mailState(t *testing.T, db *sql.DB, accountID int64) accountState {
	t.Helper()
	var s accountState
	rows, err := db.Query(`SELECT f.name, f.uid_validity, f.last_uid, coalesce(max(m.uid), 0)
		FROM mail_folders f LEFT JOIN mail_messages m ON m.folder_id = f.id
		WHERE f.account_id = ? GROUP BY f.id`, accountID)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var f folderState
		if err := rows.Scan(&f.name, &f.uidValidity, &f.lastUID, &f.maxUID); err != nil {
			t.Fatal(err)
		}
		s.folders = append(s.folders, f)
	}
	rows.Close()
	err = db.QueryRow(`SELECT
		(SELECT count(*) FROM mail_messages m JOIN mail_folders f ON f.id = m.folder_id WHERE f.account_id = ?),
		(SELECT count(*) FROM mail_messages WHERE id NOT IN (SELECT rowid FROM mail_search)),
		(SELECT count(*) FROM mail_search WHERE rowid NOT IN (SELECT id FROM mail_messages))`, accountID).Scan(&s.messages, &s.unindexed, &s.orphans)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// imapSeeds are sessions in Dovecot's words for both folder states, plus
// broken ones. testdata/fuzz/FuzzIMAPSync/dovecot-first-sync is a real
// one: a first sync of two generated messages, recorded between Carnet and
// the test Dovecot (mailtest), tags replaced by $T (its UID SEARCH since
// replaced by the FETCH of sizes that took its place).
func imapSeeds() [][]byte {
	msg := func(uid int, subject string) string {
		body := "From: Hélène Dupont <helene.dupont@example.fr>\r\nTo: moi@example.org\r\nSubject: " + subject +
			"\r\nMessage-ID: <n" + strconv.Itoa(uid) + "@example.fr>\r\nDate: Tue, 24 Nov 2026 09:30:00 +0100\r\nMIME-Version: 1.0\r\n" +
			"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nBonjour,\r\nVoici le devis demandé.\r\n"
		return fmt.Sprintf("* %d FETCH (UID %d FLAGS (\\Recent) BODY[] {%d}\r\n%s)\r\n", uid, uid, len(body), body)
	}
	login := "$T OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT SORT=DISPLAY THREAD=REFERENCES MULTIAPPEND UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH ESORT SEARCHRES WITHIN CONTEXT=SEARCH LIST-STATUS BINARY MOVE SNIPPET=FUZZY PREVIEW=FUZZY STATUS=SIZE SAVEDATE LITERAL+ NOTIFY SPECIAL-USE] Logged in\r\n"
	list := "* LIST (\\HasNoChildren) \".\" INBOX\r\n* LIST (\\HasNoChildren \\Sent) \".\" Sent\r\n* LIST (\\Noselect \\HasChildren) \".\" Archives\r\n$T OK List completed (0.001 + 0.000 secs).\r\n"
	status := "* STATUS INBOX (HIGHESTMODSEQ 12)\r\n$T OK Status completed (0.001 + 0.000 secs).\r\n"
	selectInbox := "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted.\r\n* 5 EXISTS\r\n* 0 RECENT\r\n* OK [UNSEEN 4] First unseen.\r\n* OK [UIDVALIDITY 7] UIDs valid\r\n* OK [UIDNEXT 6] Predicted next UID\r\n* OK [HIGHESTMODSEQ 12] Highest\r\n$T OK [READ-WRITE] Select completed (0.001 + 0.000 secs).\r\n"
	store := "* 2 FETCH (UID 2 MODSEQ (13) FLAGS (\\Seen))\r\n$T OK Store completed (0.001 + 0.000 secs).\r\n"
	flags := "* 1 FETCH (UID 1 FLAGS (\\Seen))\r\n* 2 FETCH (UID 2 FLAGS (\\Seen \\Answered))\r\n* 3 FETCH (UID 3 FLAGS ())\r\n$T OK Fetch completed (0.001 + 0.000 secs).\r\n"
	// The new messages and their sizes, asked before any is downloaded.
	sizes := func(uids ...int) string {
		var b strings.Builder
		for _, uid := range uids {
			fmt.Fprintf(&b, "* %d FETCH (UID %d RFC822.SIZE 300)\r\n", uid, uid)
		}
		return b.String() + "$T OK Fetch completed (0.001 + 0.000 secs).\r\n"
	}
	search := sizes(4, 5)
	fetch := msg(4, "Devis") + msg(5, "=?utf-8?q?R=C3=A9ponse?=") + "$T OK Fetch completed (0.003 + 0.000 + 0.002 secs).\r\n"
	logout := "* BYE Logging out\r\n$T OK Logout completed (0.001 + 0.000 secs).\r\n"
	join := func(state byte, parts ...string) []byte { return append([]byte{state}, strings.Join(parts, "\x00")...) }
	selectNew := strings.Replace(selectInbox, "UIDVALIDITY 7", "UIDVALIDITY 1764322000", 1)
	return [][]byte{
		join(0, login, list, status, selectNew, sizes(1, 2, 3, 4, 5), msg(1, "Un")+msg(2, "Deux")+msg(3, "Trois")+fetch, logout),
		join(1, login, list, status, selectInbox, store, flags, search, fetch, logout),
		// UIDVALIDITY changed: the folder is copied again.
		join(1, login, list, status, selectNew, search, fetch, logout),
		// A FETCH cut short, a message the server no longer has.
		join(1, login, list, status, selectInbox, store, "* 1 FETCH (UID 1 FLAGS (\\Seen))\r\n$T OK done\r\n", search, msg(5, "Seul")+"$T OK done\r\n", logout),
		// The server refuses, or says nothing useful.
		join(0, "$T NO [AUTHENTICATIONFAILED] Authentication failed.\r\n"),
		join(0, login, "$T BAD Error in IMAP command\r\n", logout),
		join(0, login, list, status, "$T NO Mailbox doesn't exist: INBOX\r\n", logout),
		join(0, login, list, status, selectInbox, search, "* 1 FETCH (UID 4 BODY[] {99999}\r\nshort", logout),
		join(0, login, list, status, selectInbox, "* 1 FETCH (UID 4 RFC822.SIZE x)\r\n$T OK\r\n", logout),
		// A message far bigger than its announced size: refused before it
		// is read, the ones before it kept.
		join(0, login, list, status, selectNew, sizes(1, 2, 3), msg(1, "Un")+msg(2, "Deux "+strings.Repeat("long ", 2000))+msg(3, "Trois")+"$T OK done\r\n", logout),
		join(1, login, "* BYE Server shutting down\r\n"),
		join(0, ""),
	}
}
