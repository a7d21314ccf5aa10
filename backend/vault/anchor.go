package vault

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
)

// Rollback anchor. Adiantum encrypts each page on its own, with no MAC and
// no version: someone holding an older copy of carnet.db (a backup disk, a
// synced folder, a snapshot) can put it, or some of its pages, back in
// place, and it decrypts as well as the real one. The consent ledger and
// the audit log are hash chains, so an edit inside them is found by
// verify; a whole database rolled back to an earlier state is a valid,
// shorter chain. So the key file carries, sealed with AES-GCM under a key
// derived from the data key, the head of each chain (its last entry's id
// and hash, and its number of entries): the anchor. It cannot be edited or
// forged without the data key, and the key file's checksum covers it.
//
// The anchor is written when the vault is created, locked or closed, after
// a backup, and by a re-key; a restore resets it (going back in time is
// what a restore is for). At unlock the database must still hold the
// anchored entry with the anchored hash, and at least as many entries: an
// anchor older than the database (a crash after some commits, before the
// lock) is normal, a database older than its anchor is not. A rollback
// found is not a refusal: the vault opens, the app warns and logs it in
// the audit log, and the anchor stays as it was (verify keeps reporting
// it) until the user accepts this copy (AcceptRollback) or restores a
// backup. What it cannot see: the key file rolled back together with the
// database (a whole older vault is consistent with itself), and pages of
// tables outside the chains changed while the chains' pages were kept.
const (
	anchorKeyInfo = "carnet chain anchor v1"
	maxAnchorBox  = 64 << 10
)

// anchoredChains are the tables whose heads are anchored: append-only,
// hash-chained tables with an INTEGER PRIMARY KEY id and a hash column.
var anchoredChains = []string{"consent_ledger", "audit_log"}

// chainHead is where a chain stood.
type chainHead struct {
	LastID  int64  `json:"last_id"`
	Hash    string `json:"hash"`
	Entries int64  `json:"entries"`
}

// heads maps each anchored table to its head.
type heads map[string]chainHead

type sealedAnchor struct {
	Nonce []byte `json:"nonce"`
	Box   []byte `json:"box"`
}

// Rollback describes a database found older than its anchor.
type Rollback struct {
	// Chain is the table whose anchored head is missing ("audit_log",
	// "consent_ledger"); empty when the anchor itself could not be read.
	Chain           string `json:"chain"`
	AnchoredEntries int64  `json:"anchoredEntries"`
	Entries         int64  `json:"entries"`
}

func anchorAAD(vaultID string) []byte {
	return fmt.Appendf(nil, "%s/%d|%s|anchor", keyFileFormat, keyFileVersion, vaultID)
}

// readHeads reads the head of every anchored chain.
func readHeads(ctx context.Context, db *sql.DB) (heads, error) {
	h := heads{}
	for _, table := range anchoredChains {
		var c chainHead
		err := db.QueryRowContext(ctx, `SELECT id, hash FROM `+table+` ORDER BY id DESC LIMIT 1`).Scan(&c.LastID, &c.Hash)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("vault: anchor: %s: %w", table, err)
		}
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM `+table).Scan(&c.Entries); err != nil {
			return nil, fmt.Errorf("vault: anchor: %s: %w", table, err)
		}
		h[table] = c
	}
	return h, nil
}

func sealAnchor(h heads, dek []byte, vaultID string) (*sealedAnchor, error) {
	plain, err := json.Marshal(h)
	if err != nil {
		return nil, fmt.Errorf("vault: anchor: %w", err)
	}
	key := subkey(dek, anchorKeyInfo)
	defer clear(key)
	gcm, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	a := &sealedAnchor{Nonce: make([]byte, gcm.NonceSize())}
	rand.Read(a.Nonce)
	a.Box = gcm.Seal(nil, a.Nonce, plain, anchorAAD(vaultID))
	return a, nil
}

func openAnchor(a *sealedAnchor, dek []byte, vaultID string) (heads, error) {
	key := subkey(dek, anchorKeyInfo)
	defer clear(key)
	gcm, err := newGCM(key)
	if err != nil {
		return nil, err
	}
	plain, err := gcm.Open(nil, a.Nonce, a.Box, anchorAAD(vaultID))
	if err != nil {
		return nil, errors.New("vault: anchor does not open with the data key")
	}
	var h heads
	if err := json.Unmarshal(plain, &h); err != nil {
		return nil, fmt.Errorf("vault: anchor: %w", err)
	}
	return h, nil
}

// checkAnchor compares the database with the anchored heads and returns
// the first chain found older than its anchor, or nil.
func checkAnchor(ctx context.Context, db *sql.DB, anchored heads) (*Rollback, error) {
	for _, table := range anchoredChains {
		a, ok := anchored[table]
		if !ok || a.LastID == 0 {
			continue // nothing anchored yet for this chain
		}
		var n int64
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM `+table).Scan(&n); err != nil {
			return nil, fmt.Errorf("vault: anchor: %s: %w", table, err)
		}
		var hash string
		err := db.QueryRowContext(ctx, `SELECT hash FROM `+table+` WHERE id = ?`, a.LastID).Scan(&hash)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("vault: anchor: %s: %w", table, err)
		}
		if hash != a.Hash || n < a.Entries {
			return &Rollback{Chain: table, AnchoredEntries: a.Entries, Entries: n}, nil
		}
	}
	return nil, nil
}

// loadAnchor reads the anchor of k for the database just opened, setting
// v.anchor and v.rollback. A key file from before anchors has none: the
// first lock writes one.
func (v *Vault) loadAnchor(ctx context.Context, k *keyFile, dek []byte) error {
	v.anchor, v.rollback = nil, nil
	if k.Anchor == nil {
		return nil
	}
	h, err := openAnchor(k.Anchor, dek, k.VaultID)
	if err != nil {
		// The checksum matched, so this is no accident: someone rewrote
		// the key file without the data key. Warn as for a rollback.
		v.rollback = &Rollback{}
		return nil
	}
	v.anchor = h
	v.rollback, err = checkAnchor(ctx, v.db, h)
	return err
}

// anchorLocked writes the current heads of db into the key file when they
// moved since the last anchor. Nothing is written while a rollback found at
// unlock waits for the user's decision. db's commits must be durable
// before the anchor is (see the callers).
func (v *Vault) anchorLocked(h heads) error {
	if v.rollback != nil || v.keys == nil || (v.anchor != nil && v.keys.Anchor != nil && maps.Equal(h, v.anchor)) {
		return nil
	}
	a, err := sealAnchor(h, v.dek, v.keys.VaultID)
	if err != nil {
		return err
	}
	k := *v.keys
	k.Anchor = a
	if err := v.writeKeyFile(&k); err != nil {
		return err
	}
	v.keys, v.anchor = &k, h
	return nil
}

// anchorNow anchors the open database's current heads, after a checkpoint
// that makes the commits they come from durable (synchronous=NORMAL syncs
// the WAL only at checkpoints). A passive checkpoint stops at the oldest
// snapshot a reader still holds: when it could not copy the whole WAL, the
// heads may not be on disk yet, and nothing is anchored (an anchor that
// lags is harmless; one ahead of the disk would report a rollback after a
// power cut). The next lock or backup anchors them.
func (v *Vault) anchorNow(ctx context.Context) error {
	if v.db == nil {
		return nil
	}
	h, err := readHeads(ctx, v.db)
	if err != nil {
		return err
	}
	var busy, log, done int64
	if err := v.db.QueryRowContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &log, &done); err != nil {
		return fmt.Errorf("vault: anchor: checkpoint: %w", err)
	}
	if busy != 0 || done != log {
		return nil
	}
	return v.anchorLocked(h)
}

// AcceptRollback is the user's decision to go on with the database as it
// is after a rollback was reported: its current heads become the anchor.
func (v *Vault) AcceptRollback(ctx context.Context) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.db == nil || v.mustChange {
		return ErrLocked
	}
	v.rollback = nil
	v.anchor = nil
	return v.anchorNow(ctx)
}

// RollbackFound returns the rollback found at unlock and not yet accepted,
// or nil.
func (v *Vault) RollbackFound() *Rollback {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.rollback == nil {
		return nil
	}
	r := *v.rollback
	return &r
}
