package crm

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"time"

	"carnet/backend/txn"
)

// Store reads and writes the CRM tables of an unlocked vault.
type Store struct {
	db  *sql.DB
	now Clock
}

// New returns a Store on db; now may be nil for the real clock.
func New(db *sql.DB, now Clock) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: db, now: now}
}

// queryer is what both *sql.DB and *sql.Tx offer.
type queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// write runs fn in a write transaction.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return txn.Write(ctx, s.db, fn)
}

// ErrBulkInTransaction is a programming error: a bulk load runs on a
// connection of its own, so it cannot join a transaction carried by the
// context (it writes its audit entry through ImportOptions.BeforeCommit).
var ErrBulkInTransaction = errors.New("crm: a bulk load cannot run inside another transaction")

// bulkTx begins a write transaction for bulk loading on a connection of
// its own with foreign-key checks off: every id a bulk load writes was
// just read or created in the same transaction, and a check per child row
// is a tenth of the load's time. The commit does not fold the write-ahead
// log into the database file either (a sixth of the load's time on 20,000
// rows): the caller runs Checkpoint when it suits, the app in the
// background. done rolls back if the transaction was not committed and
// turns the checks back on before the connection returns to the pool.
func (s *Store) bulkTx(ctx context.Context) (tx *sql.Tx, done func(), err error) {
	if txn.From(ctx) != nil {
		// Its own connection would wait on the write lock the caller's
		// transaction holds, until the busy timeout.
		return nil, nil, ErrBulkInTransaction
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, nil, err
	}
	if _, err := conn.ExecContext(ctx, `PRAGMA foreign_keys = OFF; PRAGMA wal_autocheckpoint = 0`); err != nil {
		conn.Close()
		return nil, nil, err
	}
	restore := func() {
		// A connection left without the checks must not serve anyone else.
		if _, err := conn.ExecContext(context.Background(), `PRAGMA foreign_keys = ON; PRAGMA wal_autocheckpoint = 1000`); err != nil {
			conn.Raw(func(any) error { return driver.ErrBadConn })
		}
		conn.Close()
	}
	if tx, err = conn.BeginTx(ctx, nil); err != nil {
		restore()
		return nil, nil, err
	}
	return tx, func() { tx.Rollback(); restore() }, nil
}

// nextID is the id SQLite would give the next row of table ("contacts",
// "companies": tables without AUTOINCREMENT), for a bulk load that gives
// ids before it writes the rows.
func nextID(ctx context.Context, tx queryer, table string) (int64, error) {
	var id int64
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) + 1 FROM `+table).Scan(&id); err != nil {
		return 0, fmt.Errorf("crm: next id of %s: %w", table, err)
	}
	return id, nil
}

// Checkpoint folds the write-ahead log into the database file without
// waiting for readers or writers; what it cannot fold now, a later commit
// will.
func (s *Store) Checkpoint(ctx context.Context) error {
	if _, err := txn.On(ctx, s.db).ExecContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`); err != nil {
		return fmt.Errorf("crm: checkpoint: %w", err)
	}
	return nil
}

// read runs fn in a read-only transaction, which does not block writers.
func (s *Store) read(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return txn.Read(ctx, s.db, fn)
}

// tagIDs returns the ids of tags by name, creating the missing ones. In a
// bulk transaction the ids are remembered.
func tagIDs(ctx context.Context, tx queryer, names []string) ([]int64, error) {
	var ids []int64
	cache, _ := tx.(*stmtCache)
	for _, n := range names {
		if cache != nil {
			if id, ok := cache.tags[strings.ToLower(n)]; ok {
				ids = append(ids, id)
				continue
			}
		}
		var id int64
		const q = `
			INSERT INTO tags (name) VALUES (?)
			ON CONFLICT (name) DO UPDATE SET name = name
			RETURNING id`
		if err := tx.QueryRowContext(ctx, q, n).Scan(&id); err != nil {
			return nil, fmt.Errorf("crm: tag %q: %w", n, err)
		}
		if cache != nil {
			cache.tags[strings.ToLower(n)] = id
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// Tags lists every tag in use, sorted.
func (s *Store) Tags(ctx context.Context) ([]string, error) {
	const q = `
		SELECT name FROM tags t
		WHERE EXISTS (SELECT 1 FROM contact_tags WHERE tag_id = t.id)
		   OR EXISTS (SELECT 1 FROM company_tags WHERE tag_id = t.id)
		ORDER BY name COLLATE NOCASE`
	return s.strings(ctx, q)
}

// Owners lists the owner labels in use, sorted.
func (s *Store) Owners(ctx context.Context) ([]string, error) {
	const q = `
		SELECT DISTINCT owner FROM contacts WHERE owner <> '' AND deleted_at IS NULL
		UNION SELECT DISTINCT owner FROM companies WHERE owner <> '' AND deleted_at IS NULL
		ORDER BY 1 COLLATE NOCASE`
	return s.strings(ctx, q)
}

func (s *Store) strings(ctx context.Context, q string, args ...any) ([]string, error) {
	rows, err := txn.On(ctx, s.db).QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("crm: %w", err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("crm: %w", err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
