package subject

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"carnet/backend/crm"
	"carnet/backend/fsutil"
	"carnet/backend/privacy"
	"carnet/backend/suppress"
	"carnet/backend/txn"
)

// An erasure must outlive the database it was made in (Art. 17): a backup
// restored later, or any older copy of carnet.db put back, holds the person
// again and has lost the suppression list entries made since. So Carnet
// keeps, next to the vault and outside it, a record of every erasure and
// every suppression list entry, and applies it again to the database at
// each unlock and right after a restore (Reapply).
//
// The record holds no personal data: contact ids with the contact's
// creation time (so that an older copy whose id was later reused by
// someone else is left alone), certificate numbers and dates, and the
// suppression list's keyed hashes with a fingerprint of their key (the key
// itself stays in the database; without it the hashes cannot be tested
// against addresses). It is not encrypted, and not authenticated: whoever
// can write the data folder can already delete the vault.
const RecordFile = "carnet-erasures.json"

const recordFormat = "carnet-erasures/1"

type recordFile struct {
	Format string `json:"format"`
	// Vaults by vault id: a restore may bring another vault into the folder,
	// and a later restore bring this one back.
	Vaults map[string]*vaultRecord `json:"vaults"`
}

type vaultRecord struct {
	Erasures   []recordedErasure     `json:"erasures"`
	Suppressed []recordedSuppression `json:"suppressed"`
}

type recordedErasure struct {
	Certificate string `json:"certificate"`
	ErasedAt    string `json:"erased_at"`
	ContactID   int64  `json:"contact_id"`
	CreatedAt   string `json:"created_at"`
}

type recordedSuppression struct {
	Hash    string `json:"hash"`
	Purpose string `json:"purpose"`
	Reason  string `json:"reason"`
	AddedAt string `json:"added_at"`
	Key     string `json:"key"` // suppress.List.KeyID of the key that made Hash
}

func readRecord(dir string) (*recordFile, error) {
	rf := &recordFile{Format: recordFormat, Vaults: map[string]*vaultRecord{}}
	b, err := os.ReadFile(filepath.Join(dir, RecordFile))
	if errors.Is(err, os.ErrNotExist) {
		return rf, nil
	}
	if err != nil {
		return nil, fmt.Errorf("subject: erasure record: %w", err)
	}
	if err := json.Unmarshal(b, rf); err != nil || rf.Format != recordFormat {
		return nil, fmt.Errorf("subject: erasure record %s is damaged", RecordFile)
	}
	if rf.Vaults == nil {
		rf.Vaults = map[string]*vaultRecord{}
	}
	return rf, nil
}

// SyncRecord adds to the record the erasures and suppression list entries
// of the database that it lacks. It never removes any: an entry missing
// from the database is one an older copy lost, which Reapply restores.
func SyncRecord(ctx context.Context, db *sql.DB, dir, vaultID string) error {
	rf, err := readRecord(dir)
	if err != nil {
		return err
	}
	vr := rf.Vaults[vaultID]
	if vr == nil {
		vr = &vaultRecord{Erasures: []recordedErasure{}, Suppressed: []recordedSuppression{}}
	}
	changed := rf.Vaults[vaultID] == nil
	rf.Vaults[vaultID] = vr

	type erasureKey struct {
		id      int64
		created string
	}
	have := map[erasureKey]bool{}
	for _, e := range vr.Erasures {
		have[erasureKey{e.ContactID, e.CreatedAt}] = true
	}
	const qe = `SELECT e.id, e.erased_at, e.contact_id, c.created_at
		FROM erasures e JOIN contacts c ON c.id = e.contact_id ORDER BY e.id`
	rows, err := db.QueryContext(ctx, qe)
	if err != nil {
		return fmt.Errorf("subject: erasure record: %w", err)
	}
	for rows.Next() {
		var id int64
		var e recordedErasure
		if err := rows.Scan(&id, &e.ErasedAt, &e.ContactID, &e.CreatedAt); err != nil {
			rows.Close()
			return fmt.Errorf("subject: erasure record: %w", err)
		}
		if k := (erasureKey{e.ContactID, e.CreatedAt}); !have[k] {
			have[k] = true
			e.Certificate = certificateNumber(e.ErasedAt, id)
			vr.Erasures = append(vr.Erasures, e)
			changed = true
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("subject: erasure record: %w", err)
	}

	list, ok, err := suppress.OpenExisting(ctx, db)
	if err != nil {
		return err
	}
	if ok {
		key := list.KeyID()
		type suppKey struct{ hash, purpose, key string }
		seen := map[suppKey]bool{}
		for _, s := range vr.Suppressed {
			seen[suppKey{s.Hash, s.Purpose, s.Key}] = true
		}
		rows, err := db.QueryContext(ctx, `SELECT email_hash, purpose, reason, added_at FROM suppression_list ORDER BY added_at, email_hash`)
		if err != nil {
			return fmt.Errorf("subject: erasure record: %w", err)
		}
		for rows.Next() {
			s := recordedSuppression{Key: key}
			if err := rows.Scan(&s.Hash, &s.Purpose, &s.Reason, &s.AddedAt); err != nil {
				rows.Close()
				return fmt.Errorf("subject: erasure record: %w", err)
			}
			if k := (suppKey{s.Hash, s.Purpose, s.Key}); !seen[k] {
				seen[k] = true
				vr.Suppressed = append(vr.Suppressed, s)
				changed = true
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("subject: erasure record: %w", err)
		}
	}
	if !changed {
		return nil
	}
	b, err := json.MarshalIndent(rf, "", " ")
	if err != nil {
		return fmt.Errorf("subject: erasure record: %w", err)
	}
	if err := fsutil.WriteFileAtomic(filepath.Join(dir, RecordFile), b, 0o600); err != nil {
		return fmt.Errorf("subject: erasure record: %w", err)
	}
	return nil
}

// Reapplied is what Reapply did to a database that had gone back in time.
type Reapplied struct {
	// Erasures carried out again, each under a new certificate.
	Erasures []ReappliedErasure `json:"erasures"`
	// Relisted counts suppression list entries put back.
	Relisted int `json:"relisted"`
	// NotRelisted counts entries that could not be put back: the restored
	// vault predates the list's key (it never had a list) and the hashes
	// cannot be converted. The addresses still in that vault are listed
	// again by the erasures above; addresses it never held are not.
	NotRelisted int `json:"notRelisted"`
}

// Any reports whether Reapply changed anything.
func (r Reapplied) Any() bool { return len(r.Erasures) > 0 || r.Relisted > 0 }

// ReappliedErasure is one erasure carried out again.
type ReappliedErasure struct {
	ContactID   int64  `json:"contactId"`
	Certificate string `json:"certificate"` // the original erasure's
	ErasedAt    string `json:"erasedAt"`    // the original erasure's
	Now         string `json:"now"`         // the new certificate
}

// Reapply applies the record kept in dir to the database of vault vaultID:
// contacts erased since this copy was made are erased again, suppression
// list entries it lacks are put back. It changes nothing on a database
// that is up to date, and ends by recording what the database holds
// (SyncRecord). actor is recorded in the audit log.
func (h *Holder) Reapply(ctx context.Context, dir, vaultID, actor string) (Reapplied, error) {
	out := Reapplied{Erasures: []ReappliedErasure{}}
	rf, err := readRecord(dir)
	if err != nil {
		return out, err
	}
	if vr := rf.Vaults[vaultID]; vr != nil {
		// The list first: an erasure below would start a list under a new
		// key in a vault that has none, and the recorded hashes could then
		// never be put back.
		if out.Relisted, out.NotRelisted, err = h.relist(ctx, vr.Suppressed, actor); err != nil {
			return out, err
		}
		for _, e := range vr.Erasures {
			var created string
			var erased bool
			err := h.db.QueryRowContext(ctx, `SELECT created_at, erased_at IS NOT NULL FROM contacts WHERE id = ?`, e.ContactID).Scan(&created, &erased)
			if errors.Is(err, sql.ErrNoRows) {
				continue // this copy predates the person
			}
			if err != nil {
				return out, fmt.Errorf("subject: reapply erasure %s: %w", e.Certificate, err)
			}
			// A merge moves a contact's creation back to the earlier
			// record's, never forward: a contact created before the erased
			// one's recorded creation is someone else who had the id.
			if erased || created < e.CreatedAt {
				continue
			}
			done, err := h.Erase(ctx, e.ContactID, EraseOptions{Actor: actor, Reapplies: e.Certificate})
			if errors.Is(err, crm.ErrErased) {
				continue
			}
			if err != nil {
				return out, fmt.Errorf("subject: reapply erasure %s: %w", e.Certificate, err)
			}
			out.Erasures = append(out.Erasures, ReappliedErasure{ContactID: e.ContactID, Certificate: e.Certificate, ErasedAt: e.ErasedAt, Now: done.Certificate})
		}
		if len(out.Erasures) > 0 {
			if err := h.Compact(ctx); err != nil {
				return out, err
			}
		}
	}
	return out, SyncRecord(ctx, h.db, dir, vaultID)
}

// relist puts back the recorded suppression entries the database lacks.
func (h *Holder) relist(ctx context.Context, entries []recordedSuppression, actor string) (relisted, lost int, err error) {
	if len(entries) == 0 {
		return 0, 0, nil
	}
	list, ok, err := suppress.OpenExisting(ctx, h.db)
	if err != nil {
		return 0, 0, err
	}
	key := ""
	if ok {
		key = list.KeyID()
	}
	err = txn.Write(ctx, h.db, func(tx *sql.Tx) error {
		for _, s := range entries {
			if s.Key != key {
				lost++
				continue
			}
			const q = `INSERT INTO suppression_list (email_hash, purpose, reason, request_id, added_at) VALUES (?, ?, ?, NULL, ?)
				ON CONFLICT DO NOTHING`
			res, err := tx.ExecContext(ctx, q, s.Hash, s.Purpose, s.Reason, s.AddedAt)
			if err != nil {
				return fmt.Errorf("subject: reapply suppression list: %w", err)
			}
			n, _ := res.RowsAffected()
			relisted += int(n)
		}
		if relisted == 0 {
			return nil
		}
		return privacy.LogTx(ctx, tx, h.now(), actor, "suppression.reapply", "", 0, map[string]any{"count": relisted})
	})
	if err != nil {
		return 0, 0, err
	}
	return relisted, lost, nil
}

// firstRecorded is the earliest moment the vault may have held the person:
// the contact's creation, or an earlier stored e-mail of theirs (its Date
// header: the message was stored then or later). Copies of the vault made
// before it cannot hold them.
func firstRecorded(created string, firstMail string) string {
	out := created
	if firstMail != "" {
		if t, err := time.Parse(time.RFC3339, firstMail); err == nil {
			if c, err := time.Parse(time.RFC3339, created); err != nil || t.Before(c) {
				out = t.UTC().Format(time.RFC3339)
			}
		}
	}
	return out
}
