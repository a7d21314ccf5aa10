package rights

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"carnet/backend/crm"
	"carnet/backend/fsutil"
	"carnet/backend/privacy"
	"carnet/backend/privacy/suppress"
	"carnet/backend/settings"
	"carnet/backend/txn"
)

// An erasure must outlive the database it was made in (Art. 17): a backup
// restored later, or any older copy of carnet.db put back, holds the person
// again and has lost the suppression list entries made since. So Carnet
// keeps, next to the vault and outside it, a record of every erasure and
// every suppression list entry, and applies it again to the database at
// each unlock and right after a restore (Reapply).
//
// The record holds contact ids with the contact's creation time (so that an
// older copy whose id was later reused by someone else is left alone),
// certificate numbers and dates, and the suppression list's keyed hashes
// with a fingerprint of their key. Each vault's section is sealed
// (AES-256-GCM, the vault id as associated data) under a key kept inside
// the vault (recordKeySetting): whoever can write the data folder can
// delete the record but not forge an entry that erases someone, and
// cannot read how many people were erased or when. The key is copied into
// every backup and kept by a re-key (which changes the data key only), so
// the record written before a restore opens in the restored copy; a copy
// older than the key cannot open it, and the user is told (RecordUnreadable).
const RecordFile = "carnet-erasures.json"

const recordFormat = "carnet-erasures/2"

// recordKeySetting names the record's key in the vault's settings table.
const recordKeySetting = "erasure_record_key"

// recordSections bounds how many sections, each under another key, one
// vault keeps: sections under other keys are those of the copies it was
// restored from, kept so that a later restore of such a copy opens them.
const recordSections = 8

// What Reapply found in the record (Reapplied.Record).
const (
	// RecordUnreadable: the record was sealed under a key this copy of the
	// vault does not hold (a backup made before the key existed, or a copy
	// restored from another one): nothing could be applied again.
	RecordUnreadable = "unreadable"
	// RecordRejected: the record failed authentication, was damaged, or
	// held invalid entries: it was ignored and written again from the
	// database.
	RecordRejected = "rejected"
)

type recordFile struct {
	Format string `json:"format"`
	// Sealed sections by vault id, the current key's first: a restore may
	// bring another vault into the folder, and a later restore bring this
	// one back.
	Vaults map[string][]sealedSection `json:"vaults"`
}

type sealedSection struct {
	Key    string `json:"key"`    // recordKeyID of the key that sealed it
	Sealed []byte `json:"sealed"` // nonce, then the AES-GCM ciphertext of a vaultRecord
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

// recordKey is the vault's key for the record.
type recordKey []byte

// EnsureRecordKey creates the record's key in the vault if it has none.
// It must run before the vault's first backup (at creation and at each
// unlock): a backup taken before it cannot open the record.
func EnsureRecordKey(ctx context.Context, db *sql.DB) error {
	_, _, err := openRecordKey(ctx, db, true)
	return err
}

// openRecordKey reads the vault's record key; with create, it makes one
// when there is none. ok is false when there is none (and create is
// false).
func openRecordKey(ctx context.Context, db *sql.DB, create bool) (_ recordKey, ok bool, err error) {
	read := func() (recordKey, bool, error) {
		var k string
		if err := settings.New(db).GetJSON(ctx, recordKeySetting, &k); err != nil {
			return nil, false, fmt.Errorf("subject: record: key: %w", err)
		}
		key, err := hex.DecodeString(k)
		if err != nil || len(key) != 32 {
			return nil, false, nil
		}
		return key, true, nil
	}
	key, ok, err := read()
	if ok || err != nil || !create {
		return key, ok, err
	}
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, false, fmt.Errorf("subject: record: key: %w", err)
	}
	v, _ := json.Marshal(hex.EncodeToString(fresh))
	// DO NOTHING: a key made meanwhile by another connection wins, and is
	// what read returns below.
	if _, err := txn.On(ctx, db).ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`, recordKeySetting, string(v)); err != nil {
		return nil, false, fmt.Errorf("subject: record: key: %w", err)
	}
	key, ok, err = read()
	if err == nil && !ok {
		err = errors.New("subject: record: key: unreadable after creation")
	}
	return key, ok, err
}

// id names the key without revealing it.
func (k recordKey) id() string {
	m := hmac.New(sha256.New, k)
	m.Write([]byte("carnet erasure record key id"))
	return hex.EncodeToString(m.Sum(nil))[:16]
}

func (k recordKey) aead() (cipher.AEAD, error) {
	b, err := aes.NewCipher(k)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(b)
}

// additionalData binds a section to its vault: a section moved under
// another vault id does not open.
func additionalData(vaultID string) []byte { return []byte(recordFormat + "\x00" + vaultID) }

func (k recordKey) seal(vaultID string, vr *vaultRecord) (sealedSection, error) {
	plain, err := json.Marshal(vr)
	if err != nil {
		return sealedSection{}, err
	}
	g, err := k.aead()
	if err != nil {
		return sealedSection{}, err
	}
	nonce := make([]byte, g.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return sealedSection{}, err
	}
	return sealedSection{Key: k.id(), Sealed: g.Seal(nonce, nonce, plain, additionalData(vaultID))}, nil
}

// errRecordForged is a section that fails authentication or holds invalid
// entries.
var errRecordForged = errors.New("subject: record: section fails authentication")

func (k recordKey) open(vaultID string, s sealedSection) (*vaultRecord, error) {
	g, err := k.aead()
	if err != nil {
		return nil, err
	}
	if len(s.Sealed) < g.NonceSize() {
		return nil, errRecordForged
	}
	nonce, body := s.Sealed[:g.NonceSize()], s.Sealed[g.NonceSize():]
	plain, err := g.Open(nil, nonce, body, additionalData(vaultID))
	if err != nil {
		return nil, errRecordForged
	}
	vr := &vaultRecord{}
	if err := json.Unmarshal(plain, vr); err != nil {
		return nil, errRecordForged
	}
	return vr, nil
}

// validRecorded reports whether an erasure entry can be applied: its
// creation time is what protects whoever had the id before the erased
// person; an entry without one would erase anyone.
func validRecorded(e recordedErasure) bool {
	if e.ContactID <= 0 || e.Certificate == "" {
		return false
	}
	_, err := time.Parse(time.RFC3339, e.CreatedAt)
	return err == nil
}

// loadedRecord is the record file with this vault's section opened.
type loadedRecord struct {
	file *recordFile
	vr   *vaultRecord // this vault's section under its key; empty if none could be opened
	// status is "", RecordUnreadable or RecordRejected.
	status string
	// rejected counts erasure entries of an authenticated section that
	// were invalid (validRecorded) and dropped.
	rejected int
}

// loadRecord reads the record in dir and opens the section of vaultID
// under key. A damaged file or a section that fails authentication is
// reported (RecordRejected) and treated as empty: it is never applied.
func loadRecord(dir, vaultID string, key recordKey, hadKey bool) (*loadedRecord, error) {
	lr := &loadedRecord{
		file: &recordFile{Format: recordFormat, Vaults: map[string][]sealedSection{}},
		vr:   &vaultRecord{Erasures: []recordedErasure{}, Suppressed: []recordedSuppression{}},
	}
	b, err := os.ReadFile(filepath.Join(dir, RecordFile))
	if errors.Is(err, os.ErrNotExist) {
		return lr, nil
	}
	if err != nil {
		return nil, fmt.Errorf("subject: record: read: %w", err)
	}
	var rf recordFile
	if err := json.Unmarshal(b, &rf); err != nil || rf.Format != recordFormat {
		// Damaged, or not written by this version: nothing in it can be
		// trusted, and the whole file is written again.
		lr.status = RecordRejected
		return lr, nil
	}
	if rf.Vaults != nil {
		lr.file.Vaults = rf.Vaults
	}
	sections := lr.file.Vaults[vaultID]
	if len(sections) == 0 {
		return lr, nil
	}
	if !hadKey {
		lr.status = RecordUnreadable
		return lr, nil
	}
	id := key.id()
	for _, s := range sections {
		if s.Key != id {
			continue
		}
		vr, err := key.open(vaultID, s)
		if err != nil {
			lr.status = RecordRejected
			return lr, nil
		}
		for _, e := range vr.Erasures {
			if validRecorded(e) {
				lr.vr.Erasures = append(lr.vr.Erasures, e)
			} else {
				lr.rejected++
			}
		}
		if lr.rejected > 0 {
			lr.status = RecordRejected
		}
		lr.vr.Suppressed = append(lr.vr.Suppressed, vr.Suppressed...)
		return lr, nil
	}
	lr.status = RecordUnreadable
	return lr, nil
}

// SyncRecord adds to the record the erasures and suppression list entries
// of the database that it lacks. It never removes any: an entry missing
// from the database is one an older copy lost, which Reapply restores. A
// section that fails authentication is replaced by what the database holds,
// and the audit log says so, naming actor at now.
func SyncRecord(ctx context.Context, db *sql.DB, dir, vaultID, actor string, now time.Time) error {
	key, had, err := openRecordKey(ctx, db, true)
	if err != nil {
		return err
	}
	lr, err := loadRecord(dir, vaultID, key, had)
	if err != nil {
		return err
	}
	if lr.status == RecordRejected {
		if err := logRecordRejected(ctx, db, now, actor, lr); err != nil {
			return err
		}
	}
	return writeRecord(ctx, db, dir, vaultID, key, lr)
}

func logRecordRejected(ctx context.Context, db *sql.DB, now time.Time, actor string, lr *loadedRecord) error {
	return txn.Write(ctx, db, func(tx *sql.Tx) error {
		if err := privacy.LogTx(ctx, tx, now, actor, "erasure_record.rejected", "", 0, map[string]any{"rejected_entries": lr.rejected}); err != nil {
			return fmt.Errorf("subject: record: audit: %w", err)
		}
		return nil
	})
}

// writeRecord adds the database's erasures and list entries to lr's
// section, seals it under key and writes the file when anything changed.
func writeRecord(ctx context.Context, db *sql.DB, dir, vaultID string, key recordKey, lr *loadedRecord) error {
	vr := lr.vr
	changed := lr.status != "" || len(lr.file.Vaults[vaultID]) == 0

	type erasureKey struct {
		id      int64
		created string
	}
	have := map[erasureKey]bool{}
	for _, e := range vr.Erasures {
		have[erasureKey{e.ContactID, e.CreatedAt}] = true
	}
	type erasure struct {
		id int64
		recordedErasure
	}
	var erasures []erasure
	var erased []int64
	rows, err := db.QueryContext(ctx, `SELECT id, erased_at, contact_id FROM erasures ORDER BY id`)
	if err != nil {
		return fmt.Errorf("subject: record: erasures: %w", err)
	}
	for rows.Next() {
		var e erasure
		if err := rows.Scan(&e.id, &e.ErasedAt, &e.ContactID); err != nil {
			rows.Close()
			return fmt.Errorf("subject: record: erasures: %w", err)
		}
		erasures, erased = append(erasures, e), append(erased, e.ContactID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("subject: record: erasures: %w", err)
	}
	// The erased contact's row stays (crm.Every): its id and creation are
	// what tell a restored copy's contact for the same person.
	states, err := crm.States(ctx, db, erased, crm.Every)
	if err != nil {
		return fmt.Errorf("subject: record: erasures: %w", err)
	}
	for _, e := range erasures {
		st, ok := states[e.ContactID]
		if !ok {
			continue
		}
		e.CreatedAt = st.CreatedAt
		if k := (erasureKey{e.ContactID, e.CreatedAt}); !have[k] {
			have[k] = true
			e.Certificate = certificateNumber(e.ErasedAt, e.id)
			vr.Erasures = append(vr.Erasures, e.recordedErasure)
			changed = true
		}
	}

	list, ok, err := suppress.OpenExisting(ctx, db)
	if err != nil {
		return fmt.Errorf("subject: record: suppression list: %w", err)
	}
	if ok {
		listKey := list.KeyID()
		type suppKey struct{ hash, purpose, key string }
		seen := map[suppKey]bool{}
		for _, s := range vr.Suppressed {
			seen[suppKey{s.Hash, s.Purpose, s.Key}] = true
		}
		rows, err := db.QueryContext(ctx, `SELECT email_hash, purpose, reason, added_at FROM suppression_list ORDER BY added_at, email_hash`)
		if err != nil {
			return fmt.Errorf("subject: record: suppression list: %w", err)
		}
		for rows.Next() {
			s := recordedSuppression{Key: listKey}
			if err := rows.Scan(&s.Hash, &s.Purpose, &s.Reason, &s.AddedAt); err != nil {
				rows.Close()
				return fmt.Errorf("subject: record: suppression list: %w", err)
			}
			if k := (suppKey{s.Hash, s.Purpose, s.Key}); !seen[k] {
				seen[k] = true
				vr.Suppressed = append(vr.Suppressed, s)
				changed = true
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("subject: record: suppression list: %w", err)
		}
	}
	if !changed {
		return nil
	}
	sealed, err := key.seal(vaultID, vr)
	if err != nil {
		return fmt.Errorf("subject: record: seal: %w", err)
	}
	// This key's section first; those under other keys (copies this vault
	// was restored from) are kept, unopened, for a restore of such a copy.
	sections := []sealedSection{sealed}
	for _, s := range lr.file.Vaults[vaultID] {
		if s.Key != sealed.Key && len(sections) < recordSections {
			sections = append(sections, s)
		}
	}
	lr.file.Vaults[vaultID] = sections
	b, err := json.MarshalIndent(lr.file, "", " ")
	if err != nil {
		return fmt.Errorf("subject: record: %w", err)
	}
	if err := fsutil.WriteFileAtomic(filepath.Join(dir, RecordFile), b, 0o600); err != nil {
		return fmt.Errorf("subject: record: write: %w", err)
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
	// Record is "" when the record was read (or there was none), else
	// RecordUnreadable or RecordRejected: then nothing was applied again,
	// and the user must be told.
	Record string `json:"record,omitempty"`
}

// Any reports whether Reapply changed anything.
func (r Reapplied) Any() bool { return len(r.Erasures) > 0 || r.Relisted > 0 }

// Notice reports whether the user must be told something.
func (r Reapplied) Notice() bool { return r.Any() || r.NotRelisted > 0 || r.Record != "" }

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
// that is up to date, and ends by recording what the database holds. A
// record this copy cannot open, or that fails authentication, is applied
// in no part; Reapplied.Record says why and the audit log keeps it.
// actor is recorded in the audit log.
func (h *Holder) Reapply(ctx context.Context, dir, vaultID, actor string) (Reapplied, error) {
	out := Reapplied{Erasures: []ReappliedErasure{}}
	// Read before it is created: a copy without the key predates the
	// record, which it cannot open.
	key, had, err := openRecordKey(ctx, h.db, false)
	if err != nil {
		return out, err
	}
	if !had {
		if key, _, err = openRecordKey(ctx, h.db, true); err != nil {
			return out, err
		}
	}
	lr, err := loadRecord(dir, vaultID, key, had)
	if err != nil {
		return out, err
	}
	out.Record = lr.status
	switch lr.status {
	case RecordRejected:
		if err := logRecordRejected(ctx, h.db, h.now(), actor, lr); err != nil {
			return out, err
		}
	case RecordUnreadable:
		err := txn.Write(ctx, h.db, func(tx *sql.Tx) error {
			return privacy.LogTx(ctx, tx, h.now(), actor, "erasure_record.unreadable", "", 0, nil)
		})
		if err != nil {
			return out, fmt.Errorf("subject: record: audit: %w", err)
		}
	}
	// Entries of a rejected section were dropped one by one (validRecorded);
	// a section that failed authentication as a whole left lr.vr empty.
	vr := lr.vr
	// The list first: an erasure below would start a list under a new
	// key in a vault that has none, and the recorded hashes could then
	// never be put back.
	if out.Relisted, out.NotRelisted, err = h.relist(ctx, vr.Suppressed, actor); err != nil {
		return out, err
	}
	for _, e := range vr.Erasures {
		st, err := crm.StateOf(ctx, txn.On(ctx, h.db), e.ContactID)
		if errors.Is(err, crm.ErrNotFound) {
			continue // this copy predates the person
		}
		if err != nil {
			return out, fmt.Errorf("subject: record: reapply erasure %s: %w", e.Certificate, err)
		}
		created, erased := st.CreatedAt, st.Erased
		// A merge moves a contact's creation back to the earlier
		// record's, never forward: a contact created before the erased
		// one's recorded creation is someone else who had the id.
		if erased || createdBefore(created, e.CreatedAt) {
			continue
		}
		done, err := h.Erase(ctx, e.ContactID, EraseOptions{Actor: actor, Reapplies: e.Certificate})
		if errors.Is(err, crm.ErrErased) {
			continue
		}
		if err != nil {
			return out, fmt.Errorf("subject: record: reapply erasure %s: %w", e.Certificate, err)
		}
		out.Erasures = append(out.Erasures, ReappliedErasure{ContactID: e.ContactID, Certificate: e.Certificate, ErasedAt: e.ErasedAt, Now: done.Certificate})
	}
	if len(out.Erasures) > 0 {
		if err := h.Compact(ctx); err != nil {
			return out, fmt.Errorf("subject: record: %w", err)
		}
	}
	return out, writeRecord(ctx, h.db, dir, vaultID, key, lr)
}

// createdBefore compares two creation times (RFC 3339); recorded was
// checked by validRecorded.
func createdBefore(created, recorded string) bool {
	c, err := time.Parse(time.RFC3339, created)
	r, err2 := time.Parse(time.RFC3339, recorded)
	if err != nil || err2 != nil {
		return created < recorded
	}
	return c.Before(r)
}

// relist puts back the recorded suppression entries the database lacks.
func (h *Holder) relist(ctx context.Context, entries []recordedSuppression, actor string) (relisted, lost int, err error) {
	if len(entries) == 0 {
		return 0, 0, nil
	}
	list, ok, err := suppress.OpenExisting(ctx, h.db)
	if err != nil {
		return 0, 0, fmt.Errorf("subject: record: suppression list: %w", err)
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
				return fmt.Errorf("subject: record: reapply suppression list: %w", err)
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
