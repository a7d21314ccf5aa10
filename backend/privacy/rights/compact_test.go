package rights_test

import (
	"database/sql"
	"errors"
	"testing"

	"carnet/backend/crm"
	"carnet/backend/privacy/rights"
	"carnet/backend/vault/vaulttest"
)

// A read transaction open on an older snapshot holds the checkpoint back:
// SQLite says so in the checkpoint's result row, not as an error. Compact
// must not report the erased pages gone from the write-ahead log then.
func TestCompactHeldBackByAReaderSaysTheErasureIsUnfinished(t *testing.T) {
	db := vaulttest.DB(t)
	id, err := crm.New(db, nil).CreateContact(ctx, crm.Contact{GivenName: "Ysolde", FamilyName: "Quenouillard"})
	must(t, err)
	h := rights.New(db, nil, words)
	must(t, h.Compact(ctx)) // the log is empty: nothing holds it back

	reader, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	must(t, err)
	defer reader.Rollback()
	var n int
	must(t, reader.QueryRowContext(ctx, `SELECT count(*) FROM contacts`).Scan(&n)) // its snapshot starts here

	_, err = h.Erase(ctx, id, rights.EraseOptions{Actor: "Claire"})
	must(t, err)
	if err := h.Compact(ctx); !errors.Is(err, rights.ErrNotCheckpointed) {
		t.Fatalf("compact with a reader on an older snapshot: %v, want ErrNotCheckpointed", err)
	}
	must(t, reader.Rollback())
	must(t, h.Compact(ctx))
}
