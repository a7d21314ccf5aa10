package crm

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
)

// stmtCache prepares each distinct statement once per transaction, and
// remembers tag ids. Bulk work (import, export, demo data) runs the same
// few statements thousands of times; parsing them once is most of the
// speed-up.
type stmtCache struct {
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
	tags  map[string]int64 // lower-cased tag name → id
	// docs are search documents held back until flushDocs. FTS5 writes its
	// pending terms to disk at every statement savepoint, so interleaving
	// one document per contact with the other inserts costs several times
	// more than adding them all in a row at the end.
	docs map[int64][2]string
	// stale are documents already indexed that a document in docs (or
	// none) replaces. Their deletion waits for flushDocs too: any statement
	// that keeps a statement journal (a DELETE that fires a trigger) makes
	// FTS5 write its pending changes out, so an update's deletion done at
	// once would cost a small segment per row.
	stale map[int64]bool
}

func newStmtCache(tx *sql.Tx) *stmtCache {
	return &stmtCache{tx: tx, stmts: map[string]*sql.Stmt{}, tags: map[string]int64{}, docs: map[int64][2]string{}, stale: map[int64]bool{}}
}

// flushDocs removes the stale search documents and adds the held-back
// ones, in rowid order.
func (c *stmtCache) flushDocs(ctx context.Context) error {
	stale := make([]int64, 0, len(c.stale))
	for id := range c.stale {
		stale = append(stale, id)
	}
	slices.Sort(stale)
	for _, id := range stale {
		if _, err := c.ExecContext(ctx, `DELETE FROM search WHERE rowid = ?`, id); err != nil {
			return fmt.Errorf("crm: search index: %w", err)
		}
	}
	clear(c.stale)
	ids := make([]int64, 0, len(c.docs))
	for id := range c.docs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		d := c.docs[id]
		if _, err := c.ExecContext(ctx, `INSERT INTO search (rowid, title, body) VALUES (?, ?, ?)`, id, d[0], d[1]); err != nil {
			return fmt.Errorf("crm: search index: %w", err)
		}
	}
	clear(c.docs)
	return nil
}

func (c *stmtCache) prepare(ctx context.Context, q string) (*sql.Stmt, error) {
	if st, ok := c.stmts[q]; ok {
		return st, nil
	}
	st, err := c.tx.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	c.stmts[q] = st
	return st, nil
}

func (c *stmtCache) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	st, err := c.prepare(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

func (c *stmtCache) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	st, err := c.prepare(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

func (c *stmtCache) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	st, err := c.prepare(ctx, q)
	if err != nil {
		// Let the error surface at Scan, as database/sql does.
		return c.tx.QueryRowContext(ctx, q, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

func (c *stmtCache) close() {
	for _, st := range c.stmts {
		st.Close()
	}
}
