package mail

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"carnet/backend/mail/mailtest"
	"carnet/backend/settings"
)

// A mailbox with messages of 1, 10, 25, 50 and 100 MB syncs from Dovecot:
// those within the size limit (50 MB by default) are stored byte for byte,
// the 100 MB one as its header, which the reader says to open on the
// server; the 50 MB one opens and its attachment comes out whole. With
// -short, the same with 1, 2 and 3 MB under a 2 MB limit.
func TestBigMessagesSyncWithinTheLimitAndKeepTheHeaderOfTheOthers(t *testing.T) {
	f := newFixture(t)
	sizes, limit := []int{1e6, 10e6, 25e6, 50e6, 100e6}, 50
	if testing.Short() {
		sizes, limit = []int{1e6, 2e6, 3e6}, 2
		if err := settings.New(f.db).SetMailMaxMessageMB(ctx, limit); err != nil {
			t.Fatal(err)
		}
	}
	var msgs [][]byte
	for i, n := range sizes {
		msgs = append(msgs, mailtest.BigMessage(i+1, n))
	}
	f.srv.Deliver(t, "INBOX", "", msgs...)

	start := time.Now()
	res := f.sync(t)
	t.Logf("synced %d messages (%d MB) in %v", res.New, sum(sizes)/1e6, time.Since(start).Round(time.Millisecond))
	if res.New != len(sizes) {
		t.Fatalf("synced %d messages, want %d", res.New, len(sizes))
	}
	for i, n := range sizes {
		var id, size int64
		var headersOnly bool
		if err := f.db.QueryRow(`SELECT id, size, headers_only FROM mail_messages WHERE uid = ?`, i+1).Scan(&id, &size, &headersOnly); err != nil {
			t.Fatalf("message %d: %v", i+1, err)
		}
		raw, err := f.store.Raw(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		m, err := f.store.Open(ctx, id, false, nil)
		if err != nil {
			t.Fatal(err)
		}
		if m.Topic == "" || len(m.From) != 1 || m.Size != int64(n) || size != int64(n) {
			t.Fatalf("message of %d MB: subject %q, from %v, size %d (stored %d)", n/1e6, m.Topic, m.From, m.Size, size)
		}
		if n > limit*1e6 {
			header, _, _ := bytes.Cut(msgs[i], []byte("\r\n\r\n"))
			if !headersOnly || !m.HeadersOnly || !bytes.HasPrefix(raw, header) || len(raw) > len(header)+4 || len(m.Attachments) != 0 || m.Broken || m.Text != "" {
				t.Fatalf("message of %d MB over the %d MB limit: headers only %v/%v, %d bytes stored (header %d), %d attachments, broken %v, text %q", n/1e6, limit, headersOnly, m.HeadersOnly, len(raw), len(header), len(m.Attachments), m.Broken, m.Text)
			}
			if m.Snippet != "" {
				t.Fatalf("message over the limit listed with the snippet %q", m.Snippet)
			}
			continue
		}
		if headersOnly || m.HeadersOnly || !bytes.Equal(raw, msgs[i]) {
			t.Fatalf("message of %d MB: headers only %v, %d bytes stored of %d, identical %v", n/1e6, headersOnly, len(raw), n, bytes.Equal(raw, msgs[i]))
		}
		if len(m.Attachments) != 1 || m.Text == "" {
			t.Fatalf("message of %d MB opens with %d attachments, text %q", n/1e6, len(m.Attachments), m.Text)
		}
		at, data, err := AttachmentData(raw, 0)
		if err != nil || len(data) != at.Size || at.Size < n*7/10 {
			t.Fatalf("attachment of the %d MB message: %d bytes of %d, %v", n/1e6, len(data), at.Size, err)
		}
	}
	var last int
	f.db.QueryRow(`SELECT last_uid FROM mail_folders WHERE role = 'inbox'`).Scan(&last)
	if last != len(sizes) {
		t.Fatalf("last_uid %d, want %d", last, len(sizes))
	}
	if found, _ := f.store.Search(ctx, "plans", 10); len(found) != len(sizes) {
		t.Fatalf("search finds %d of the %d messages", len(found), len(sizes))
	}
	f.checkNoDuplicates(t)
	if _, err := f.store.Raw(ctx, 1<<40); !errors.Is(err, ErrNotFound) {
		t.Fatalf("raw of a message that does not exist: %v", err)
	}
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}
