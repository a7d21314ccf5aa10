// Package settings stores the user's settings inside the vault.
package settings

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"carnet/backend/txn"
)

// Auto-lock bounds, in minutes.
const (
	DefaultAutoLockMinutes = 10
	MinAutoLockMinutes     = 1
	MaxAutoLockMinutes     = 240
)

// ErrOutOfRange is returned for a value the setting does not accept.
var ErrOutOfRange = errors.New("settings: value out of range")

// Store reads and writes the settings table.
type Store struct{ db *sql.DB }

// New returns a Store on an unlocked vault's database.
func New(db *sql.DB) *Store { return &Store{db: db} }

// AutoLockMinutes is how long the app may stay idle before it locks itself.
func (s *Store) AutoLockMinutes(ctx context.Context) (int, error) {
	v, err := s.get(ctx, "auto_lock_minutes")
	if err != nil || v == "" {
		return DefaultAutoLockMinutes, err
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < MinAutoLockMinutes || n > MaxAutoLockMinutes {
		return DefaultAutoLockMinutes, nil
	}
	return n, nil
}

// SetAutoLockMinutes changes the idle delay before auto-lock.
func (s *Store) SetAutoLockMinutes(ctx context.Context, n int) error {
	if n < MinAutoLockMinutes || n > MaxAutoLockMinutes {
		return fmt.Errorf("%w: auto-lock %d minutes (allowed %d to %d)", ErrOutOfRange, n, MinAutoLockMinutes, MaxAutoLockMinutes)
	}
	return s.set(ctx, "auto_lock_minutes", strconv.Itoa(n))
}

// Size limit of one copied e-mail, in MB (10^6 bytes). A message over it
// keeps only its header in the vault: it bounds what one message costs the
// sync in memory, and real mailboxes hold 25 MB attachments.
const (
	DefaultMailMaxMessageMB = 50
	MinMailMaxMessageMB     = 1
	MaxMailMaxMessageMB     = 200
)

// MailMaxMessageMB is the size over which a message is not copied whole.
func (s *Store) MailMaxMessageMB(ctx context.Context) (int, error) {
	v, err := s.get(ctx, "mail_max_message_mb")
	if err != nil || v == "" {
		return DefaultMailMaxMessageMB, err
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < MinMailMaxMessageMB || n > MaxMailMaxMessageMB {
		return DefaultMailMaxMessageMB, nil
	}
	return n, nil
}

// SetMailMaxMessageMB changes the size limit of copied messages. Messages
// already copied stay as they are; the next sync applies it to new ones.
func (s *Store) SetMailMaxMessageMB(ctx context.Context, n int) error {
	if n < MinMailMaxMessageMB || n > MaxMailMaxMessageMB {
		return fmt.Errorf("%w: mail size limit %d MB (allowed %d to %d)", ErrOutOfRange, n, MinMailMaxMessageMB, MaxMailMaxMessageMB)
	}
	return s.set(ctx, "mail_max_message_mb", strconv.Itoa(n))
}

// get returns a setting's raw value, or "" when unset.
func (s *Store) get(ctx context.Context, key string) (string, error) {
	var v string
	err := txn.On(ctx, s.db).QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("settings: get %s: %w", key, err)
	}
	return v, nil
}

func (s *Store) set(ctx context.Context, key, value string) error {
	const q = `
		INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`
	if _, err := txn.On(ctx, s.db).ExecContext(ctx, q, key, value); err != nil {
		return fmt.Errorf("settings: set %s: %w", key, err)
	}
	return nil
}

// GetJSON reads a setting stored as JSON into v; a missing one leaves v
// as it is.
func (s *Store) GetJSON(ctx context.Context, key string, v any) error {
	raw, err := s.get(ctx, key)
	if err != nil || raw == "" {
		return err
	}
	if err := json.Unmarshal([]byte(raw), v); err != nil {
		return fmt.Errorf("settings: %s: %w", key, err)
	}
	return nil
}

// SetJSON stores v as JSON.
func (s *Store) SetJSON(ctx context.Context, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return s.set(ctx, key, string(b))
}
