// Package txn runs functions in database transactions, the same way for
// every store: rolled back unless fn succeeds and the commit does.
//
// A transaction can travel in a context (With): a store's Write or Read on
// that context joins it instead of beginning its own, so backend/core can
// run several stores' changes and the audit entry that records them as one
// transaction without every store method taking a *sql.Tx. A joined Write
// runs inside a SAVEPOINT: its failure undoes its own changes only, and the
// outer transaction decides whether anything commits.
package txn

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Beginner is what a transaction starts on: a *sql.DB, or a *sql.Conn when
// fn needs the connection the transaction holds (SQLite's blob I/O).
type Beginner interface {
	BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error)
}

// Queryer is what both *sql.DB and *sql.Tx offer.
type Queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

type ctxKey struct{}

type joined struct{ tx *sql.Tx }

// With returns ctx carrying tx: Write, Read and On on the returned context
// use tx instead of the database.
func With(ctx context.Context, tx *sql.Tx) context.Context {
	return context.WithValue(ctx, ctxKey{}, joined{tx: tx})
}

// From returns the transaction ctx carries, or nil.
func From(ctx context.Context) *sql.Tx {
	j, _ := ctx.Value(ctxKey{}).(joined)
	return j.tx
}

// On returns what a single statement on ctx runs on: the transaction ctx
// carries, else db. Stores use it for statements outside Write and Read so
// that, inside a use case's transaction, they read its changes and do not
// wait on its lock.
func On(ctx context.Context, db Queryer) Queryer {
	if tx := From(ctx); tx != nil {
		return tx
	}
	return db
}

// Write runs fn in a write transaction. fn's own error comes back as is,
// so callers can match it with errors.Is. Inside a transaction carried by
// ctx, fn runs in a savepoint of it instead.
func Write(ctx context.Context, db Beginner, fn func(tx *sql.Tx) error) error {
	if j, ok := ctx.Value(ctxKey{}).(joined); ok {
		return j.savepoint(ctx, fn)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// savepoint runs fn inside j's transaction, undoing only fn's changes when
// it fails or panics. Nested Writes nest savepoints of the same name:
// SQLite's ROLLBACK TO and RELEASE take the innermost one.
func (j joined) savepoint(ctx context.Context, fn func(tx *sql.Tx) error) (err error) {
	const name = "txn_joined"
	if _, err := j.tx.ExecContext(ctx, "SAVEPOINT "+name); err != nil {
		return fmt.Errorf("savepoint: %w", err)
	}
	undo := func() error {
		// ROLLBACK TO keeps the savepoint open; RELEASE closes it. When
		// SQLite has already rolled the whole transaction back itself
		// (SQLITE_FULL, an I/O error), the savepoint is gone and this
		// fails: the caller must know the outer transaction is lost too.
		_, err := j.tx.ExecContext(context.WithoutCancel(ctx), "ROLLBACK TO "+name+"; RELEASE "+name)
		return err
	}
	defer func() {
		if p := recover(); p != nil {
			undo()
			panic(p)
		}
	}()
	if err := fn(j.tx); err != nil {
		if rbErr := undo(); rbErr != nil {
			return errors.Join(err, fmt.Errorf("txn: rollback to savepoint: %w", rbErr))
		}
		return err
	}
	if _, err := j.tx.ExecContext(ctx, "RELEASE "+name); err != nil {
		return fmt.Errorf("release savepoint: %w", err)
	}
	return nil
}

// Read runs fn in a read-only transaction, which does not block writers.
// Inside a transaction carried by ctx, fn reads in it (and sees its
// changes).
func Read(ctx context.Context, db Beginner, fn func(tx *sql.Tx) error) error {
	if tx := From(ctx); tx != nil {
		return fn(tx)
	}
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	return fn(tx)
}
