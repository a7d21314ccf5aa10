// Package privacy is Carnet's GDPR assistant: purposes of processing and
// their lawful bases, the consent ledger, the audit log, the register of
// processing activities (Art. 30) and the register of requests from
// people. The rest of the GDPR lives below it: privacy/rights (access
// export and erasure, Art. 15, 17, 20), privacy/retention (retention
// periods, Art. 5(1)(e)), privacy/breach (Art. 33 and 34) and
// privacy/suppress (who must never be mailed or imported again). The
// use cases that combine them, with their audit entries, are in
// backend/core.
package privacy

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// Store reads and writes the privacy tables of an unlocked vault.
type Store struct {
	db  *sql.DB
	now func() time.Time
}

// New returns a store on an open vault database; now may be nil.
func New(db *sql.DB, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: db, now: now}
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// genesis is the previous hash of a chain's first entry.
const genesis = "0000000000000000000000000000000000000000000000000000000000000000"

// chainHash links an entry to the one before: SHA-256 over the previous
// hash and the entry's fields, each length-prefixed so no two different
// entries can be written the same way.
func chainHash(prev string, fields ...string) string {
	h := sha256.New()
	fmt.Fprintf(h, "%d:%s", len(prev), prev)
	for _, f := range fields {
		fmt.Fprintf(h, "%d:%s", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// ChainStatus is the outcome of recomputing a chain.
type ChainStatus struct {
	Entries   int    `json:"entries"`
	OK        bool   `json:"ok"`
	BrokenAt  int64  `json:"brokenAt"` // id of the first entry that does not match, 0 when OK
	Reason    string `json:"reason"`   // "hash" (the entry was changed) or "link" (an entry before it was removed or changed)
	CheckedAt string `json:"checkedAt"`
}

// verifyChain walks a table in id order, recomputing each hash from the
// row's fields with fields(), and stops at the first mismatch.
func verifyChain(ctx context.Context, db *sql.DB, query string, scan func(*sql.Rows) (id int64, prev, hash string, fields []string, err error)) (ChainStatus, error) {
	st := ChainStatus{OK: true, CheckedAt: stamp(time.Now())}
	rows, err := db.QueryContext(ctx, query)
	if err != nil {
		return st, err
	}
	defer rows.Close()
	last := genesis
	for rows.Next() {
		id, prev, hash, fields, err := scan(rows)
		if err != nil {
			return st, err
		}
		st.Entries++
		switch {
		case prev != last:
			st.OK, st.BrokenAt, st.Reason = false, id, "link"
		case chainHash(prev, fields...) != hash:
			st.OK, st.BrokenAt, st.Reason = false, id, "hash"
		}
		if !st.OK {
			return st, nil
		}
		last = hash
	}
	return st, rows.Err()
}

// lastHash is the hash of a chain's newest entry.
func lastHash(ctx context.Context, tx *sql.Tx, table string) (string, error) {
	var h sql.NullString
	if err := tx.QueryRowContext(ctx, `SELECT hash FROM `+table+` ORDER BY id DESC LIMIT 1`).Scan(&h); err != nil && err != sql.ErrNoRows {
		return "", err
	}
	if !h.Valid || strings.TrimSpace(h.String) == "" {
		return genesis, nil
	}
	return h.String, nil
}
