package txn_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"

	"carnet/backend/txn"
	"carnet/backend/vault/vaulttest"
)

// rows returns the values in the test table, in insertion order.
func rows(t *testing.T, q txn.Queryer) string {
	t.Helper()
	rs, err := q.QueryContext(context.Background(), `SELECT x FROM t ORDER BY rowid`)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	var out []string
	for rs.Next() {
		var x string
		if err := rs.Scan(&x); err != nil {
			t.Fatal(err)
		}
		out = append(out, x)
	}
	return strings.Join(out, ",")
}

func newDB(t *testing.T) *sql.DB {
	t.Helper()
	db := vaulttest.DB(t)
	if _, err := db.Exec(`CREATE TABLE t (x TEXT)`); err != nil {
		t.Fatal(err)
	}
	return db
}

func insert(ctx context.Context, db *sql.DB, x string) error {
	return txn.Write(ctx, db, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO t VALUES (?)`, x)
		return err
	})
}

var errInner = errors.New("inner failed")

// outer runs fn in a write transaction carried by the context, as
// backend/core's change does.
func outer(ctx context.Context, db *sql.DB, fn func(ctx context.Context) error) error {
	return txn.Write(ctx, db, func(tx *sql.Tx) error { return fn(txn.With(ctx, tx)) })
}

func TestAJoinedWriteCommitsWithTheOuterOrNotAtAll(t *testing.T) {
	ctx := context.Background()
	db := newDB(t)
	if err := outer(ctx, db, func(ctx context.Context) error { return insert(ctx, db, "a") }); err != nil {
		t.Fatal(err)
	}
	errOuter := errors.New("outer failed")
	err := outer(ctx, db, func(ctx context.Context) error {
		if err := insert(ctx, db, "b"); err != nil {
			return err
		}
		return errOuter
	})
	if !errors.Is(err, errOuter) {
		t.Fatalf("outer error %v", err)
	}
	if got := rows(t, db); got != "a" {
		t.Fatalf("rows %q, want the joined write committed with its outer and rolled back with it", got)
	}
}

func TestAFailingJoinedWriteUndoesOnlyItsOwnChanges(t *testing.T) {
	ctx := context.Background()
	db := newDB(t)
	err := outer(ctx, db, func(ctx context.Context) error {
		if err := insert(ctx, db, "a"); err != nil {
			return err
		}
		err := txn.Write(ctx, db, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, `INSERT INTO t VALUES ('b')`); err != nil {
				return err
			}
			return errInner
		})
		if !errors.Is(err, errInner) {
			t.Errorf("inner error %v, want its own", err)
		}
		return insert(ctx, db, "c")
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := rows(t, db); got != "a,c" {
		t.Fatalf("rows %q, want a,c", got)
	}
}

func TestNestedSavepointsUndoTheInnermostOnly(t *testing.T) {
	ctx := context.Background()
	db := newDB(t)
	err := outer(ctx, db, func(ctx context.Context) error {
		return txn.Write(ctx, db, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, `INSERT INTO t VALUES ('a')`); err != nil {
				return err
			}
			err := txn.Write(ctx, db, func(tx *sql.Tx) error {
				if _, err := tx.ExecContext(ctx, `INSERT INTO t VALUES ('b')`); err != nil {
					return err
				}
				return errInner
			})
			if !errors.Is(err, errInner) {
				t.Errorf("innermost error %v", err)
			}
			_, err = tx.ExecContext(ctx, `INSERT INTO t VALUES ('c')`)
			return err
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := rows(t, db); got != "a,c" {
		t.Fatalf("rows %q, want a,c", got)
	}
}

func TestAPanicInAJoinedWriteUndoesItsChangesAndGoesOn(t *testing.T) {
	ctx := context.Background()
	db := newDB(t)
	err := outer(ctx, db, func(ctx context.Context) error {
		if err := insert(ctx, db, "a"); err != nil {
			return err
		}
		func() {
			defer func() {
				if p := recover(); p != "boom" {
					t.Errorf("recovered %v, want the panic passed on", p)
				}
			}()
			txn.Write(ctx, db, func(tx *sql.Tx) error {
				tx.ExecContext(ctx, `INSERT INTO t VALUES ('b')`)
				panic("boom")
			})
		}()
		return insert(ctx, db, "c")
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := rows(t, db); got != "a,c" {
		t.Fatalf("rows %q, want a,c", got)
	}
}

// When SQLite rolled the whole transaction back itself (a full disk, an
// I/O error), the savepoint is gone: the caller must hear it, not only
// the inner error.
func TestASavepointThatCannotBeRolledBackSaysSo(t *testing.T) {
	ctx := context.Background()
	db := newDB(t)
	var inner error
	outer(ctx, db, func(ctx context.Context) error {
		inner = txn.Write(ctx, db, func(tx *sql.Tx) error {
			// What SQLite does on SQLITE_FULL or SQLITE_IOERR.
			if _, err := tx.ExecContext(ctx, `ROLLBACK`); err != nil {
				t.Fatal(err)
			}
			return errInner
		})
		return inner
	})
	if !errors.Is(inner, errInner) || !strings.Contains(inner.Error(), "rollback to savepoint") {
		t.Fatalf("inner error %v, want its own joined with the failed rollback", inner)
	}
}

func TestReadInATransactionSeesItsUncommittedChanges(t *testing.T) {
	ctx := context.Background()
	db := newDB(t)
	err := outer(ctx, db, func(ctx context.Context) error {
		if err := insert(ctx, db, "a"); err != nil {
			return err
		}
		if got := rows(t, db); got != "" {
			t.Errorf("another connection sees %q before the commit", got)
		}
		return txn.Read(ctx, db, func(tx *sql.Tx) error {
			if got := rows(t, tx); got != "a" {
				t.Errorf("a joined read sees %q, want a", got)
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestWithFromOn(t *testing.T) {
	ctx := context.Background()
	db := newDB(t)
	if txn.From(ctx) != nil {
		t.Fatal("a bare context carries a transaction")
	}
	if txn.On(ctx, db) != txn.Queryer(db) {
		t.Fatal("On a bare context is not the database")
	}
	err := outer(ctx, db, func(ctx context.Context) error {
		tx := txn.From(ctx)
		if tx == nil {
			t.Fatal("With carried no transaction")
		}
		if txn.On(ctx, db) != txn.Queryer(tx) {
			t.Error("On a carried transaction is not the transaction")
		}
		_, err := txn.On(ctx, db).ExecContext(ctx, `INSERT INTO t VALUES ('a')`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := rows(t, db); got != "a" {
		t.Fatalf("rows %q, want the statement On committed with the transaction", got)
	}
}
