package crashtest

import (
	"database/sql"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-imap"

	"carnet/backend/mail"
	"carnet/backend/mail/mailtest"
)

// mailLoad syncs an inbox from a real Dovecot on loopback. Before each run
// the parent delivers new messages, so every child has mail to fetch: what
// a killed child left behind plus the new, about the same amount each run.
// The child reports the UIDs each committed chunk stored.
type mailLoad struct {
	srv       *mailtest.Server
	account   int64
	pending   int // messages each run should find to fetch: a few chunks
	delivered int
	stored    int // as the last check found
}

func (w *mailLoad) name() string { return "mail" }

func (w *mailLoad) setup(t *testing.T, db *sql.DB, seed uint64) {
	w.srv, w.pending = mailtest.Dovecot(t), 750
	id, err := mail.New(db, nil).SaveAccount(ctx, mail.Account{Name: "Bureau", Address: mailtest.Recipient,
		IMAPHost: w.srv.Host, IMAPPort: w.srv.Port, IMAPSecurity: mail.None,
		SMTPHost: "127.0.0.1", SMTPPort: 1, SMTPSecurity: mail.None, Username: w.srv.User, Password: w.srv.Password})
	if err != nil {
		t.Fatal(err)
	}
	w.account = id
}

func (w *mailLoad) args() url.Values { return url.Values{"account": {fmt.Sprint(w.account)}} }

func (w *mailLoad) load(a url.Values) (err error) {
	w.account, err = strconv.ParseInt(a.Get("account"), 10, 64)
	return err
}

// before delivers the run's messages: new mail, and enough of it that the
// child has w.pending to fetch. They are small, as the vault holds every
// run's mail and is checked whole after each kill.
func (w *mailLoad) before(t *testing.T, run int) {
	msgs := make([][]byte, max(100, w.pending-(w.delivered-w.stored)))
	day := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	for i := range msgs {
		n := w.delivered + i
		msgs[i] = fmt.Appendf(nil, "From: Client %d <client%d@example.fr>\r\nTo: %s\r\nSubject: Commande %d (run %d)\r\n"+
			"Date: %s\r\nMessage-ID: <crash-%d@example.fr>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"+
			"Bonjour,\r\n\r\nVoici la commande n° %d, à livrer à l'atelier.\r\n%s\r\nCordialement,\r\nClient %d\r\n",
			n%50, n%50, mailtest.Recipient, n, run, day.Add(time.Duration(n)*time.Minute).Format(time.RFC1123Z), n, n,
			strings.Repeat("Détail de la ligne de commande, quantité et prix.\r\n", 3), n%50)
	}
	w.srv.Deliver(t, "INBOX", "", msgs...)
	w.delivered += len(msgs)
}

func (w *mailLoad) work(db *sql.DB, run int, rep *reporter) error {
	s := mail.New(db, nil)
	before, err := storedUIDs(db, w.account, 0)
	if err != nil {
		return err
	}
	var reported uint32 // reports name only what this run stored
	if len(before) > 0 {
		reported = before[len(before)-1]
	}
	var failed error
	_, err = s.Sync(ctx, w.account, func(p mail.Progress) {
		if p.Total > 0 {
			rep.progress(p.Done, p.Total)
		}
		if p.Done == 0 || failed != nil {
			return
		}
		// Called after each chunk's transaction committed: report what
		// the vault now holds beyond the last report.
		uids, err := storedUIDs(db, w.account, reported)
		if err != nil {
			failed = err
			return
		}
		if len(uids) > 0 {
			rep.commit("mail", ranges(uids))
			reported = uids[len(uids)-1]
		}
	})
	if err == nil {
		err = failed
	}
	return err
}

// storedUIDs lists the inbox's stored UIDs above after, ascending.
func storedUIDs(db *sql.DB, account int64, after uint32) ([]uint32, error) {
	rows, err := db.QueryContext(ctx, `SELECT m.uid FROM mail_messages m JOIN mail_folders f ON f.id = m.folder_id
		WHERE f.account_id = ? AND f.name = 'INBOX' AND m.uid > ? ORDER BY m.uid`, account, after)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []uint32
	for rows.Next() {
		var u uint32
		if err := rows.Scan(&u); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// ranges writes ascending UIDs as "1:250,252:260".
func ranges(uids []uint32) string {
	var b strings.Builder
	for i := 0; i < len(uids); {
		j := i
		for j+1 < len(uids) && uids[j+1] == uids[j]+1 {
			j++
		}
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%d:%d", uids[i], uids[j])
		i = j + 1
	}
	return b.String()
}

// check: every reported UID is stored; the stored UIDs are exactly 1 to
// the folder's last_uid (Dovecot numbers the deliveries 1, 2, 3… and none is
// ever expunged), so the next sync resumes with no gap and no duplicate.
func (w *mailLoad) check(t *testing.T, db *sql.DB, run int, commits map[int][][]string) checked {
	t.Helper()
	var lastUID, count, maxUID, dupIDs int
	err := db.QueryRowContext(ctx, `SELECT f.last_uid, count(m.id), coalesce(max(m.uid), 0) FROM mail_folders f
		LEFT JOIN mail_messages m ON m.folder_id = f.id WHERE f.account_id = ? AND f.name = 'INBOX'`, w.account).Scan(&lastUID, &count, &maxUID)
	if err != nil {
		t.Fatal(err)
	}
	w.stored = count
	if count != lastUID || maxUID != lastUID {
		t.Errorf("run %d: the inbox resumes after UID %d but holds %d messages up to UID %d", run, lastUID, count, maxUID)
	}
	db.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM mail_messages WHERE message_id <> '' GROUP BY message_id HAVING count(*) > 1)`).Scan(&dupIDs)
	if dupIDs > 0 {
		t.Errorf("run %d: %d messages stored twice", run, dupIDs)
	}
	var c checked
	for r, cs := range commits {
		for _, cm := range cs {
			for _, rg := range strings.Split(cm[1], ",") {
				lo, hi, _ := strings.Cut(rg, ":")
				a, b := atoi(lo), atoi(hi)
				c.items += b - a + 1
				var n int
				if err := db.QueryRowContext(ctx, `SELECT count(*) FROM mail_messages m JOIN mail_folders f ON f.id = m.folder_id
					WHERE f.account_id = ? AND f.name = 'INBOX' AND m.uid BETWEEN ? AND ?`, w.account, a, b).Scan(&n); err != nil {
					t.Fatal(err)
				}
				if n != b-a+1 {
					t.Errorf("run %d: run %d reported UIDs %s stored; %d of them are missing", run, r, rg, b-a+1-n)
					c.lost += b - a + 1 - n
				}
			}
		}
	}
	return c
}

// finish syncs to the end, as the app would at its next start, and checks
// that the vault then holds exactly the mailbox.
func (w *mailLoad) finish(t *testing.T, db *sql.DB) {
	if _, err := mail.New(db, nil).Sync(ctx, w.account, nil); err != nil {
		t.Fatalf("the sync after the last kill: %v", err)
	}
	st, err := w.srv.Client(t).Status("INBOX", []imap.StatusItem{imap.StatusMessages})
	if err != nil {
		t.Fatal(err)
	}
	uids, err := storedUIDs(db, w.account, 0)
	if err != nil {
		t.Fatal(err)
	}
	if int(st.Messages) != w.delivered || len(uids) != w.delivered || ranges(uids) != fmt.Sprintf("1:%d", w.delivered) {
		t.Errorf("after the final sync the vault holds %d messages (%.40s…), the mailbox %d, %d delivered",
			len(uids), ranges(uids), st.Messages, w.delivered)
	}
}

func (w *mailLoad) full(t *testing.T, db *sql.DB) bool { return false }
