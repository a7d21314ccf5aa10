package mail

import (
	"errors"
	"testing"

	"carnet/backend/mail/mailtest"
	"carnet/backend/vault/vaulttest"
)

func TestImportFilesStoresEveryMessageOrNone(t *testing.T) {
	s := New(vaulttest.DB(t), nil)
	id, err := s.SaveAccount(ctx, Account{Name: "Bureau", Address: mailtest.Recipient, IMAPHost: "127.0.0.1", IMAPPort: 143,
		IMAPSecurity: None, SMTPHost: "127.0.0.1", SMTPPort: 25, SMTPSecurity: None, Username: "u", Password: "p"})
	if err != nil {
		t.Fatal(err)
	}
	msgs := mailtest.GenerateMessages(3, 30, []string{"Hélène Dupont <helene@exemple.test>"})
	if _, err := s.ImportFiles(ctx, id, append(msgs[:10:10], []byte{})); !errors.Is(err, ErrNotMessage) {
		t.Fatalf("a batch with an empty file: %v, want ErrNotMessage", err)
	}
	if n := count(t, s); n != 0 {
		t.Fatalf("the refused batch left %d messages", n)
	}
	ids, err := s.ImportFiles(ctx, id, msgs)
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 30 || count(t, s) != 30 {
		t.Fatalf("%d ids, %d messages stored, want 30", len(ids), count(t, s))
	}
	for i, mid := range ids {
		m, err := s.Open(ctx, mid, false, nil)
		if err != nil {
			t.Fatal(err)
		}
		if want := Parse(msgs[i]).Topic; m.Topic != want {
			t.Fatalf("id %d holds %q, want the %dth file's %q", mid, m.Topic, i, want)
		}
	}
	if hits, err := s.Search(ctx, "helene", 50); err != nil || len(hits) != 30 {
		t.Fatalf("search finds %d of the imported messages (%v)", len(hits), err)
	}
}

func count(t *testing.T, s *Store) int {
	t.Helper()
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM mail_messages`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
