package vault

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Schema changes are numbered files in migrations/ ("0001_settings.sql"),
// embedded in the binary and applied in order, all in one transaction, at
// unlock. Applied versions are recorded in schema_migrations. Never edit a
// migration that has shipped: add the next one.

//go:embed migrations/*.sql
var migrationFS embed.FS

type migration struct {
	version int
	name    string
	sql     string
}

func loadMigrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		return nil, fmt.Errorf("vault: read migrations: %w", err)
	}
	var ms []migration
	for _, e := range entries {
		num, name, ok := strings.Cut(strings.TrimSuffix(e.Name(), ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v < 1 {
			return nil, fmt.Errorf("vault: migration file %q is not named NNNN_name.sql", e.Name())
		}
		b, err := migrationFS.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, fmt.Errorf("vault: read migration %s: %w", e.Name(), err)
		}
		ms = append(ms, migration{version: v, name: name, sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("vault: migrations must be numbered 1, 2, 3…; found %d at position %d", m.version, i+1)
		}
	}
	return ms, nil
}

// SchemaVersion is the version the running binary brings the vault to.
func SchemaVersion() int {
	ms, err := loadMigrations()
	if err != nil {
		return 0
	}
	return len(ms)
}

// migrate applies every pending migration in one transaction.
func migrate(ctx context.Context, db *sql.DB, now time.Time) (applied int, err error) {
	ms, err := loadMigrations()
	if err != nil {
		return 0, err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("vault: migrate: %w", err)
	}
	defer tx.Rollback()
	const create = `
		CREATE TABLE IF NOT EXISTS schema_migrations (
			version    INTEGER PRIMARY KEY,
			name       TEXT NOT NULL,
			applied_at TEXT NOT NULL
		) STRICT`
	if _, err := tx.ExecContext(ctx, create); err != nil {
		return 0, fmt.Errorf("vault: migrate: %w", err)
	}
	var current int
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(version), 0) FROM schema_migrations").Scan(&current); err != nil {
		return 0, fmt.Errorf("vault: migrate: %w", err)
	}
	if current > len(ms) {
		return 0, fmt.Errorf("%w (schema %d, this version knows %d)", ErrNewerSchema, current, len(ms))
	}
	for _, m := range ms[current:] {
		if _, err := tx.ExecContext(ctx, m.sql); err != nil {
			return 0, fmt.Errorf("vault: migration %04d_%s: %w", m.version, m.name, err)
		}
		const rec = `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`
		if _, err := tx.ExecContext(ctx, rec, m.version, m.name, now.UTC().Format(time.RFC3339)); err != nil {
			return 0, fmt.Errorf("vault: record migration %d: %w", m.version, err)
		}
		applied++
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("vault: migrate: %w", err)
	}
	return applied, nil
}
