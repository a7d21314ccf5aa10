package crm

import (
	"context"
	"errors"
	"testing"
	"time"

	"carnet/backend/txn"
)

// A bulk load on its own connection inside a use case's transaction would
// wait on that transaction's write lock until the busy timeout: it is
// refused at once instead.
func TestABulkLoadRefusesAContextCarryingATransaction(t *testing.T) {
	s, _ := newStore(t)
	cands := []Candidate{{Contact: Contact{GivenName: "Paul", FamilyName: "Martin"}}}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ('bulk_test', '1')`); err != nil {
		t.Fatal(err)
	}
	tctx, cancel := context.WithTimeout(txn.With(ctx, tx), 2*time.Second)
	defer cancel()
	if _, err := s.Import(tctx, cands, ImportOptions{Source: "import"}); !errors.Is(err, ErrBulkInTransaction) {
		t.Fatalf("import inside a transaction: %v, want ErrBulkInTransaction", err)
	}
}
