// Package txn runs functions in database transactions, the same way for
// every store: rolled back unless fn succeeds and the commit does.
package txn

import (
	"context"
	"database/sql"
	"fmt"
)

// Beginner is what a transaction starts on: a *sql.DB, or a *sql.Conn when
// fn needs the connection the transaction holds (SQLite's blob I/O).
type Beginner interface {
	BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error)
}

// Write runs fn in a write transaction. fn's own error comes back as is,
// so callers can match it with errors.Is.
func Write(ctx context.Context, db Beginner, fn func(tx *sql.Tx) error) error {
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

// Read runs fn in a read-only transaction, which does not block writers.
func Read(ctx context.Context, db Beginner, fn func(tx *sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	return fn(tx)
}
