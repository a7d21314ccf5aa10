// Package suppress keeps the suppression list: e-mail addresses that must
// never be imported or mailed again, after an erasure (every purpose) or an
// objection (one purpose). Only a keyed hash of each address is stored, so
// the list itself holds no readable personal data.
package suppress

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"carnet/backend/settings"
	"carnet/backend/txn"
)

// Reasons an address is on the list.
const (
	ReasonErasure   = "erasure"
	ReasonObjection = "objection"
)

// AllPurposes is the purpose of an entry that blocks everything.
const AllPurposes = ""

const settingsKey = "suppression_key"

// List reads and writes the suppression list of one vault.
type List struct {
	db  *sql.DB
	key []byte
}

// Open returns the vault's list, creating its hashing key on first use.
func Open(ctx context.Context, db *sql.DB) (*List, error) {
	st := settings.New(db)
	var k string
	if err := st.GetJSON(ctx, settingsKey, &k); err != nil {
		return nil, fmt.Errorf("suppress: key: %w", err)
	}
	key, err := hex.DecodeString(k)
	if err != nil || len(key) != 32 {
		key = make([]byte, 32)
		rand.Read(key)
		if err := st.SetJSON(ctx, settingsKey, hex.EncodeToString(key)); err != nil {
			return nil, fmt.Errorf("suppress: key: %w", err)
		}
	}
	return &List{db: db, key: key}, nil
}

// OpenExisting returns the vault's list when its hashing key exists, and
// false (creating nothing) when no list was ever started in this vault.
func OpenExisting(ctx context.Context, db *sql.DB) (*List, bool, error) {
	var k string
	if err := settings.New(db).GetJSON(ctx, settingsKey, &k); err != nil {
		return nil, false, fmt.Errorf("suppress: key: %w", err)
	}
	key, err := hex.DecodeString(k)
	if err != nil || len(key) != 32 {
		return nil, false, nil
	}
	return &List{db: db, key: key}, true, nil
}

// KeyID names the list's hashing key without revealing it: a fingerprint
// kept outside the vault with the hashes (subject's erasure record) says
// which key they were made with, since a restored older vault may have
// another one or none.
func (l *List) KeyID() string {
	m := hmac.New(sha256.New, l.key)
	m.Write([]byte("carnet suppression key id"))
	return hex.EncodeToString(m.Sum(nil))[:16]
}

// Hash is the list's fingerprint of an address: case and surrounding
// spaces do not matter.
func (l *List) Hash(email string) string {
	m := hmac.New(sha256.New, l.key)
	m.Write([]byte(strings.ToLower(strings.TrimSpace(email))))
	return hex.EncodeToString(m.Sum(nil))
}

// Add puts an address on the list for a purpose (AllPurposes for every
// one), in the caller's transaction.
func (l *List) Add(ctx context.Context, tx *sql.Tx, email, purpose, reason string, requestID int64, now time.Time) error {
	if strings.TrimSpace(email) == "" {
		return nil
	}
	var req any
	if requestID != 0 {
		req = requestID
	}
	const q = `INSERT INTO suppression_list (email_hash, purpose, reason, request_id, added_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT DO NOTHING`
	if _, err := tx.ExecContext(ctx, q, l.Hash(email), purpose, reason, req, now.UTC().Format(time.RFC3339)); err != nil {
		return fmt.Errorf("suppress: add: %w", err)
	}
	return nil
}

// Entry is why an address is blocked.
type Entry struct {
	Purpose string `json:"purpose"` // "" for every purpose
	Reason  string `json:"reason"`
	AddedAt string `json:"addedAt"`
}

// ErrSuppressed is returned when an address on the list would be stored or
// mailed.
var ErrSuppressed = errors.New("suppress: address on the suppression list")

// queryer is what both *sql.DB and *sql.Tx offer.
type queryer interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Blocked returns, for each of the addresses blocked for purpose (or for
// every purpose), why. purpose AllPurposes asks about entries that block
// everything only. q nil reads in the transaction ctx carries, if any.
func (l *List) Blocked(ctx context.Context, q queryer, emails []string, purpose string) (map[string]Entry, error) {
	out := map[string]Entry{}
	if q == nil {
		q = txn.On(ctx, l.db)
	}
	for _, e := range emails {
		if strings.TrimSpace(e) == "" {
			continue
		}
		const sel = `SELECT purpose, reason, added_at FROM suppression_list
			WHERE email_hash = ? AND purpose IN ('', ?) ORDER BY purpose LIMIT 1`
		var en Entry
		err := q.QueryRowContext(ctx, sel, l.Hash(e), purpose).Scan(&en.Purpose, &en.Reason, &en.AddedAt)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("suppress: check: %w", err)
		}
		out[e] = en
	}
	return out, nil
}

// Set is a loaded copy of the list for one purpose, for checking many
// addresses fast (an import).
type Set struct {
	list   *List
	hashes map[string]bool
}

// Has reports whether the address is blocked.
func (s Set) Has(email string) bool {
	return len(s.hashes) > 0 && s.hashes[s.list.Hash(email)]
}

// Load reads the entries that block purpose (AllPurposes: those that block
// everything).
func (l *List) Load(ctx context.Context, q interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}, purpose string) (Set, error) {
	set := Set{list: l, hashes: map[string]bool{}}
	rows, err := q.QueryContext(ctx, `SELECT email_hash FROM suppression_list WHERE purpose IN ('', ?)`, purpose)
	if err != nil {
		return set, fmt.Errorf("suppress: load: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			return set, fmt.Errorf("suppress: load: %w", err)
		}
		set.hashes[h] = true
	}
	return set, rows.Err()
}

// Count is how many entries the list holds, by reason.
func (l *List) Count(ctx context.Context) (map[string]int, error) {
	rows, err := txn.On(ctx, l.db).QueryContext(ctx, `SELECT reason, count(*) FROM suppression_list GROUP BY reason`)
	if err != nil {
		return nil, fmt.Errorf("suppress: count: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var r string
		var n int
		if err := rows.Scan(&r, &n); err != nil {
			return nil, err
		}
		out[r] = n
	}
	return out, rows.Err()
}
