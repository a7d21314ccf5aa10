package core

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"carnet/backend/i18n"
	"carnet/backend/txn"
	"carnet/backend/vault/vaulttest"
)

// While an export renders, the rest of Carnet keeps writing: the render
// runs in a read snapshot, not in the write transaction. Before, a large
// export held SQLite's only write lock for its whole render and any other
// write failed on "database is locked" after the busy timeout.
func TestAnExportRendersWithoutHoldingTheWriteLock(t *testing.T) {
	v, _ := vaulttest.Vault(t)
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(Options{Vault: v, I18n: b, Via: ViaCLI})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "out.csv")
	err = c.exportFile(context.Background(), path, func(ctx context.Context) ([]byte, entry, error) {
		// Another writer, on its own connection, during the render: the
		// mail loop, a segment saved in the window.
		wctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if _, err := c.db.ExecContext(wctx, `CREATE TABLE elsewhere (x)`); err != nil {
			t.Errorf("a write during an export's render: %v", err)
		}
		// What the render reads on is no write transaction.
		if tx := txn.From(ctx); tx != nil {
			if _, err := tx.ExecContext(ctx, `CREATE TABLE inside (x)`); err == nil {
				t.Error("the render could write: it runs in a write transaction")
			}
		}
		return []byte("data"), entry{"export.contacts", "", 0, nil}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(path); err != nil || string(got) != "data" {
		t.Fatalf("exported %q, %v", got, err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("export mode %v, want 0600", st.Mode().Perm())
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*.tmp")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}
