package vault

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unsafe"

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

// openDB opens the encrypted database at path with the raw data key, which
// must stay valid (and is zeroed by the caller) for as long as the database
// is open. The key is given to each new connection with PRAGMA hexkey, built
// in a buffer zeroed once SQLite has it, rather than in the URI: no Go string
// holding the key outlives the call (the wasm SQLite keeps its own copies;
// see the README, "The vault"). The file is created 0600 and its journals
// take the mode of the database (modeof).
func openDB(ctx context.Context, path string, dek []byte) (*sql.DB, error) {
	if err := createPrivate(path); err != nil {
		return nil, err
	}
	q := url.Values{"vfs": {"adiantum"}, "modeof": {path}}
	u := url.URL{Scheme: "file", Path: path, RawQuery: q.Encode()}
	db, err := driver.Open(u.String(), func(c *sqlite3.Conn) error {
		if err := execWithKey(c, "PRAGMA hexkey = '", dek, "'"); err != nil {
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
	// The -wal and -shm files exist now; the -shm is made 0666 less the
	// umask by the VFS whatever modeof says.
	if err := makeDBPrivate(path); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// withKeyText builds before + hex(key) + after in a buffer, passes it to f
// as a string that aliases the buffer, and zeroes the buffer when f
// returns. f must not keep the string: SQLite copies what it is given
// (statement text, bound parameters) into its own memory.
func withKeyText(before string, key []byte, after string, f func(string) error) error {
	buf := make([]byte, 0, len(before)+hex.EncodedLen(len(key))+len(after))
	buf = append(buf, before...)
	buf = hex.AppendEncode(buf, key)
	buf = append(buf, after...)
	defer clear(buf)
	return f(unsafe.String(unsafe.SliceData(buf), len(buf)))
}

func execWithKey(c *sqlite3.Conn, before string, key []byte, after string) error {
	return withKeyText(before, key, after, c.Exec)
}

// vacuumInto writes a compacted copy of db to path, encrypted with
// Adiantum under key. path must not exist or be empty: it is created 0600
// first, and its journals take its mode.
func vacuumInto(ctx context.Context, db *sql.DB, path string, key []byte) error {
	if err := createPrivate(path); err != nil {
		return err
	}
	u := url.URL{Scheme: "file", Path: path}
	prefix := u.String() + "?" + url.Values{"modeof": {path}, "vfs": {"adiantum"}}.Encode() + "&hexkey="
	err := withKeyText(prefix, key, "", func(uri string) error {
		_, err := db.ExecContext(ctx, "VACUUM INTO ?", uri)
		return err
	})
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return redactKey(err)
	}
	return makeDBPrivate(path)
}

// keyInText finds the key in an error's text: SQLite names the target of a
// VACUUM INTO it cannot open by its URI, hexkey included.
var keyInText = regexp.MustCompile(`(?i)hexkey=[^&\s:]*|[0-9a-f]{64}`)

// redactedError is an SQLite error whose text had the key taken out. It
// keeps the SQLite error code (errors.Is sqlite3.CANTOPEN…) but not the
// original error, whose text still holds the key.
type redactedError struct {
	msg  string
	code sqlite3.ExtendedErrorCode
}

func (e *redactedError) Error() string { return e.msg }

func (e *redactedError) Is(target error) bool {
	switch c := target.(type) {
	case sqlite3.ErrorCode:
		return e.code != 0 && c == e.code.Code()
	case sqlite3.ExtendedErrorCode:
		return e.code != 0 && c == e.code
	}
	return false
}

// redactKey returns err with any key text removed, for errors of a
// statement that carried the key: they go to logs and to the user.
func redactKey(err error) error {
	msg := keyInText.ReplaceAllStringFunc(err.Error(), func(m string) string {
		if strings.HasPrefix(strings.ToLower(m), "hexkey=") {
			return "hexkey=<redacted>"
		}
		return "<redacted>"
	})
	r := &redactedError{msg: msg}
	var se *sqlite3.Error
	if errors.As(err, &se) {
		r.code = se.ExtendedCode()
	}
	return r
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
