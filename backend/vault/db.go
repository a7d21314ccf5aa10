package vault

import (
	"context"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"time"

	"github.com/ncruces/go-sqlite3"
	"github.com/ncruces/go-sqlite3/driver"
	"github.com/ncruces/go-sqlite3/ext/fts5"
	_ "github.com/ncruces/go-sqlite3/vfs/adiantum"
)

// applicationID marks a database as Carnet's ("CRNT" in the SQLite header).
const applicationID = 0x43524E54

// pragmas applied to every pooled connection, after the key. secure_delete
// zeroes deleted content, so an erased person's data do not linger in free
// pages of the (decrypted) database. Each connection runs its own SQLite
// with its own page cache, which never gives memory back: 16 MiB each, 64
// for the pool, keeps Carnet with the 100,000-contact vault open near
// 130 MB resident (64 MiB each made it 340 MB) at no measurable cost to
// searches, lists or imports (make bench).
const connPragmas = `
	PRAGMA busy_timeout = 5000;
	PRAGMA journal_mode = WAL;
	PRAGMA synchronous = NORMAL;
	PRAGMA foreign_keys = ON;
	PRAGMA cache_size = -16384;
	PRAGMA temp_store = MEMORY;
	PRAGMA secure_delete = ON;`

// OpenPlainForBenchmark opens an UNENCRYPTED database at path with
// Carnet's pragmas and schema. It exists only so benchmarks can report the
// cost of encryption against a baseline; nothing in the application calls it.
func OpenPlainForBenchmark(ctx context.Context, path string) (*sql.DB, error) {
	u := url.URL{Scheme: "file", Path: path}
	db, err := driver.Open(u.String(), func(c *sqlite3.Conn) error {
		if err := c.Exec(connPragmas); err != nil {
			return err
		}
		return fts5.Register(c)
	})
	if err != nil {
		return nil, err
	}
	if _, err := migrate(ctx, db, time.Now()); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// openDB opens the encrypted database at path with the raw data key. The key
// is given to each connection with PRAGMA hexkey rather than in the URI, so it
// does not sit in the connection string of every pooled connection.
func openDB(ctx context.Context, path string, dek []byte) (*sql.DB, error) {
	u := url.URL{Scheme: "file", Path: path, RawQuery: "vfs=adiantum"}
	hexKey := hex.EncodeToString(dek)
	db, err := driver.Open(u.String(), func(c *sqlite3.Conn) error {
		if err := c.Exec("PRAGMA hexkey = '" + hexKey + "'"); err != nil {
			return err
		}
		if err := c.Exec(connPragmas); err != nil {
			return err
		}
		return fts5.Register(c)
	})
	if err != nil {
		return nil, fmt.Errorf("vault: open database: %w", err)
	}
	db.SetMaxOpenConns(4)
	db.SetMaxIdleConns(4)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// checkApplicationID reports ErrNotCarnet unless the database header carries
// Carnet's mark. A wrong key makes the first read fail the same way.
func checkApplicationID(ctx context.Context, db *sql.DB) error {
	var id int64
	if err := db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&id); err != nil {
		return fmt.Errorf("%w: %v", ErrNotCarnet, err)
	}
	if id != applicationID {
		return ErrNotCarnet
	}
	return nil
}

// IntegrityCheck runs SQLite's full integrity check and returns its findings
// (nil when the database is sound). Adiantum has no per-page MAC, so this is
// how damage is found.
func IntegrityCheck(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return nil, fmt.Errorf("vault: integrity check: %w", err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, fmt.Errorf("vault: integrity check: %w", err)
		}
		if s != "ok" {
			problems = append(problems, s)
		}
	}
	return problems, rows.Err()
}
