package mail

import (
	"context"
	"errors"
	"testing"
	"time"

	"carnet/backend/mail/mailtest"
	"carnet/backend/txn"
	"carnet/backend/vault/vaulttest"
)

// Writing messages takes a connection of its own: inside a use case's
// transaction it would wait on that transaction's write lock until the
// busy timeout, so it is refused at once instead.
func TestWritingMessagesRefusesAContextCarryingATransaction(t *testing.T) {
	db := vaulttest.DB(t)
	s := New(db, nil)
	id, err := s.SaveAccount(ctx, Account{Name: "Bureau", Address: mailtest.Recipient, IMAPHost: "127.0.0.1", IMAPPort: 143,
		IMAPSecurity: None, SMTPHost: "127.0.0.1", SMTPPort: 25, SMTPSecurity: None, Username: "u", Password: "p"})
	if err != nil {
		t.Fatal(err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ('raw_test', '1')`); err != nil {
		t.Fatal(err)
	}
	tctx, cancel := context.WithTimeout(txn.With(ctx, tx), 2*time.Second)
	defer cancel()
	msgs := mailtest.GenerateMessages(3, 1, []string{"Hélène Dupont <helene@exemple.test>"})
	if _, err := s.ImportFiles(tctx, id, msgs); !errors.Is(err, ErrRawInTransaction) {
		t.Fatalf("import inside a transaction: %v, want ErrRawInTransaction", err)
	}
}
