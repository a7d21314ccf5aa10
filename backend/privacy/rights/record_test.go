package rights_test

import (
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"carnet/backend/crm"
	"carnet/backend/privacy"
	"carnet/backend/privacy/rights"
	"carnet/backend/privacy/suppress"
	"carnet/backend/vault"
	"carnet/backend/vault/vaulttest"
)

const strongPassphrase = "Ormeau vif, glacier pourpre 1987"

// restorable is a vault in its own folder that the test can back up and
// restore, with two people in it.
type restorable struct {
	v                 *vault.Vault
	dir, id           string
	erased, bystander int64
	empty             string // a backup made before any contact, without startList
}

// newRestorable makes the vault; without startList it first keeps a backup
// of it empty, before the suppression list's key exists.
func newRestorable(t *testing.T, startList bool) *restorable {
	t.Helper()
	r := &restorable{dir: t.TempDir()}
	var err error
	r.v, err = vault.Open(r.dir, vault.Options{KDF: vaulttest.FastKDF})
	must(t, err)
	t.Cleanup(func() { r.v.Close() })
	_, err = r.v.Create(ctx, strongPassphrase)
	must(t, err)
	r.id, err = r.v.ID()
	must(t, err)
	// As the app does at creation and at each unlock, before any backup.
	must(t, rights.EnsureRecordKey(ctx, r.db(t)))
	if !startList {
		r.empty = r.backup(t)
	}
	db := r.db(t)
	cs := crm.New(db, nil)
	r.erased, err = cs.CreateContact(ctx, crm.Contact{GivenName: "Ysolde", FamilyName: "Quenouillard", Emails: []crm.Email{{Address: "ysolde.q@exemple.test"}}})
	must(t, err)
	r.bystander, err = cs.CreateContact(ctx, crm.Contact{GivenName: "Paul", FamilyName: "Témoin", Emails: []crm.Email{{Address: "paul@exemple.test"}}})
	must(t, err)
	return r
}

func (r *restorable) db(t *testing.T) *sql.DB {
	t.Helper()
	db, err := r.v.DB()
	must(t, err)
	return db
}

func (r *restorable) holder(t *testing.T) *rights.Holder { return rights.New(r.db(t), nil, words) }

func (r *restorable) backup(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "before.carnetbackup")
	_, err := r.v.Backup(ctx, path, "test")
	must(t, err)
	return path
}

func (r *restorable) backupBefore(t *testing.T) string {
	t.Helper()
	if r.empty == "" {
		t.Fatal("no backup of the empty vault")
	}
	return r.empty
}

func (r *restorable) restore(t *testing.T, path string) {
	t.Helper()
	_, err := r.v.Restore(ctx, path, strongPassphrase, false, nil)
	must(t, err)
}

func (r *restorable) isErased(t *testing.T, id int64) bool {
	t.Helper()
	_, err := crm.New(r.db(t), nil).Contact(ctx, id)
	if errors.Is(err, crm.ErrErased) {
		return true
	}
	must(t, err)
	return false
}

func blocked(t *testing.T, db *sql.DB, addr, purpose string) bool {
	t.Helper()
	l, err := suppress.Open(ctx, db)
	must(t, err)
	got, err := l.Blocked(ctx, nil, []string{addr}, purpose)
	must(t, err)
	_, ok := got[addr]
	return ok
}

func TestRestoringAnOlderBackupErasesThePersonAgain(t *testing.T) {
	r := newRestorable(t, true)
	older := r.backup(t)

	// After the backup: the person is erased and the bystander objects to
	// newsletters; both are recorded outside the vault.
	e, err := r.holder(t).Erase(ctx, r.erased, rights.EraseOptions{Actor: "test"})
	must(t, err)
	must(t, r.holder(t).Object(ctx, r.bystander, "newsletter", rights.EraseOptions{Actor: "test"}))
	must(t, rights.SyncRecord(ctx, r.db(t), r.dir, r.id, "Marie (app)", time.Now()))
	rec, err := os.ReadFile(filepath.Join(r.dir, rights.RecordFile))
	must(t, err)
	for _, personal := range []string{"Ysolde", "Quenouillard", "ysolde", "paul@", "Témoin"} {
		if strings.Contains(string(rec), personal) {
			t.Errorf("the record outside the vault holds %q:\n%s", personal, rec)
		}
	}
	// Sealed: neither the certificates, the dates nor the hashes show.
	var created string
	must(t, r.db(t).QueryRowContext(ctx, `SELECT created_at FROM contacts WHERE id = ?`, r.erased).Scan(&created))
	for _, revealing := range []string{e.Certificate, e.ErasedAt, created, "contact_id", "newsletter", `"erasure"`} {
		if strings.Contains(string(rec), revealing) {
			t.Errorf("the record outside the vault shows %q in the clear:\n%s", revealing, rec)
		}
	}

	r.restore(t, older)
	if r.isErased(t, r.erased) || blocked(t, r.db(t), "ysolde.q@exemple.test", "newsletter") {
		t.Fatal("the older backup should hold the person and no suppression entry: the test proves nothing")
	}

	re, err := r.holder(t).Reapply(ctx, r.dir, r.id, "restore")
	must(t, err)
	if re.Record != "" {
		t.Errorf("the record was reported %q", re.Record)
	}
	if len(re.Erasures) != 1 || re.Erasures[0].ContactID != r.erased || re.Erasures[0].Certificate != e.Certificate || re.Erasures[0].Now == "" {
		t.Errorf("reapplied %+v, want the erasure %s of contact %d", re.Erasures, e.Certificate, r.erased)
	}
	if !r.isErased(t, r.erased) {
		t.Error("the person came back with the restored backup")
	}
	if r.isErased(t, r.bystander) {
		t.Error("the bystander was erased")
	}
	if !blocked(t, r.db(t), "ysolde.q@exemple.test", "newsletter") {
		t.Error("the erased address is not on the suppression list again")
	}
	if !blocked(t, r.db(t), "paul@exemple.test", "newsletter") || blocked(t, r.db(t), "paul@exemple.test", "invoices") {
		t.Error("the bystander's objection (newsletter only) did not come back as it was")
	}
	if re.Relisted == 0 || re.NotRelisted != 0 {
		t.Errorf("relisted %d, not relisted %d", re.Relisted, re.NotRelisted)
	}
	// The audit log says why the person was erased a second time.
	entries, err := privacy.New(r.db(t), nil).Audit(ctx, privacy.AuditQuery{Action: "contact.erase"})
	must(t, err)
	if len(entries) != 1 || entries[0].Detail["reapplies"] != e.Certificate {
		t.Errorf("audit of the erasure applied again: %+v", entries)
	}

	// Up to date now: a second pass changes nothing.
	again, err := r.holder(t).Reapply(ctx, r.dir, r.id, "restore")
	must(t, err)
	if again.Any() {
		t.Errorf("second pass reapplied %+v", again)
	}
}

func TestReapplyLeavesAnotherPersonWithTheSameIDAlone(t *testing.T) {
	r := newRestorable(t, true)
	older := r.backup(t)
	_, err := r.holder(t).Erase(ctx, r.erased, rights.EraseOptions{Actor: "test"})
	must(t, err)
	must(t, rights.SyncRecord(ctx, r.db(t), r.dir, r.id, "Marie (app)", time.Now()))
	r.restore(t, older)
	// In this copy the id belongs to someone recorded before the erased
	// person was: an id SQLite gave again after a deletion.
	_, err = r.db(t).ExecContext(ctx, `UPDATE contacts SET created_at = '2001-01-01T00:00:00Z' WHERE id = ?`, r.erased)
	must(t, err)
	re, err := r.holder(t).Reapply(ctx, r.dir, r.id, "restore")
	must(t, err)
	if len(re.Erasures) != 0 || r.isErased(t, r.erased) {
		t.Errorf("another person with the id was erased: %+v", re)
	}
}

func TestReapplyOnABackupOlderThanTheSuppressionList(t *testing.T) {
	// The list's key is made with the first contact that has an address:
	// a backup of a vault that had none cannot take the recorded hashes.
	r := newRestorable(t, false)
	empty := filepath.Join(t.TempDir(), "empty.carnetbackup")
	must(t, os.Rename(r.backupBefore(t), empty))
	_, err := r.holder(t).Erase(ctx, r.erased, rights.EraseOptions{Actor: "test"})
	must(t, err)
	must(t, rights.SyncRecord(ctx, r.db(t), r.dir, r.id, "Marie (app)", time.Now()))
	r.restore(t, empty)
	re, err := r.holder(t).Reapply(ctx, r.dir, r.id, "restore")
	must(t, err)
	if len(re.Erasures) != 0 || re.NotRelisted != 1 {
		t.Errorf("reapplied %+v, want nothing erased (the copy predates the person) and 1 hash not relisted", re)
	}
}

func TestReapplyIgnoresAnotherVaultsRecord(t *testing.T) {
	r := newRestorable(t, true)
	_, err := r.holder(t).Erase(ctx, r.erased, rights.EraseOptions{Actor: "test"})
	must(t, err)
	must(t, rights.SyncRecord(ctx, r.db(t), r.dir, "another-vault", "Marie (app)", time.Now()))
	other := newRestorable(t, true)
	// The other vault's record in this folder: its contact ids mean
	// nothing here.
	b, err := os.ReadFile(filepath.Join(r.dir, rights.RecordFile))
	must(t, err)
	must(t, os.WriteFile(filepath.Join(other.dir, rights.RecordFile), b, 0o600))
	re, err := other.holder(t).Reapply(ctx, other.dir, other.id, "restore")
	must(t, err)
	if re.Any() || other.isErased(t, other.erased) {
		t.Errorf("another vault's erasures were applied: %+v", re)
	}
}

// auditCount counts the audit entries of an action.
func auditCount(t *testing.T, db *sql.DB, action string) int {
	t.Helper()
	entries, err := privacy.New(db, nil).Audit(ctx, privacy.AuditQuery{Action: action})
	must(t, err)
	n := 0
	for _, e := range entries {
		if e.Action == action {
			n++
		}
	}
	return n
}

// Whoever can write the data folder must not be able to erase anyone
// through the record: a forged record is applied in no part, reported,
// logged, and written again from the database.
func TestAForgedRecordErasesNobody(t *testing.T) {
	for _, tc := range []struct {
		name  string
		forge func(t *testing.T, r *restorable, path string)
	}{
		{"an unsealed entry with an empty creation time (the earlier plain format)", func(t *testing.T, r *restorable, path string) {
			b := fmt.Sprintf(`{"format":"carnet-erasures/1","vaults":{%q:{"erasures":[{"certificate":"E-2099-0001","erased_at":"2099-01-01T00:00:00Z","contact_id":%d,"created_at":""}],"suppressed":[]}}}`, r.id, r.bystander)
			must(t, os.WriteFile(path, []byte(b), 0o600))
		}},
		{"a section edited by hand under the vault's key id", func(t *testing.T, r *restorable, path string) {
			var f map[string]any
			b, err := os.ReadFile(path)
			must(t, err)
			must(t, json.Unmarshal(b, &f))
			sections := f["vaults"].(map[string]any)[r.id].([]any)
			sections[0].(map[string]any)["sealed"] = base64.StdEncoding.EncodeToString([]byte(fmt.Sprintf(`{"erasures":[{"contact_id":%d,"created_at":""}]}`, r.bystander)))
			b, err = json.Marshal(f)
			must(t, err)
			must(t, os.WriteFile(path, b, 0o600))
		}},
		{"a sealed section with one byte of its ciphertext changed", func(t *testing.T, r *restorable, path string) {
			var f struct {
				Format string
				Vaults map[string][]struct {
					Key    string `json:"key"`
					Sealed []byte `json:"sealed"`
				}
			}
			b, err := os.ReadFile(path)
			must(t, err)
			must(t, json.Unmarshal(b, &f))
			f.Vaults[r.id][0].Sealed[20] ^= 1
			b, err = json.Marshal(map[string]any{"format": f.Format, "vaults": f.Vaults})
			must(t, err)
			must(t, os.WriteFile(path, b, 0o600))
		}},
		{"a sealed entry without a creation time", func(t *testing.T, r *restorable, path string) {
			must(t, rights.SealErasureForTest(ctx, r.db(t), r.dir, r.id, r.bystander, ""))
		}},
		{"a sealed entry with an unreadable creation time", func(t *testing.T, r *restorable, path string) {
			must(t, rights.SealErasureForTest(ctx, r.db(t), r.dir, r.id, r.bystander, "soon"))
		}},
		{"a file that is not JSON", func(t *testing.T, r *restorable, path string) {
			must(t, os.WriteFile(path, []byte("{\"format\": carnet"), 0o600))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRestorable(t, true)
			path := filepath.Join(r.dir, rights.RecordFile)
			must(t, rights.SyncRecord(ctx, r.db(t), r.dir, r.id, "Marie (app)", time.Now()))
			tc.forge(t, r, path)

			re, err := r.holder(t).Reapply(ctx, r.dir, r.id, "unlock")
			must(t, err)
			if r.isErased(t, r.bystander) || len(re.Erasures) != 0 {
				t.Fatalf("the forged record erased someone: %+v", re)
			}
			if re.Record != rights.RecordRejected {
				t.Errorf("record reported %q, want %q", re.Record, rights.RecordRejected)
			}
			if n := auditCount(t, r.db(t), "erasure_record.rejected"); n != 1 {
				t.Errorf("%d audit entries erasure_record.rejected, want 1", n)
			}
			// Written again from the database: the next unlock reads it.
			again, err := r.holder(t).Reapply(ctx, r.dir, r.id, "unlock")
			must(t, err)
			if again.Record != "" || again.Any() || r.isErased(t, r.bystander) {
				t.Errorf("the next unlock: %+v", again)
			}
		})
	}
}

// A re-key changes the data key only: the record's key, inside the vault,
// goes on, and a backup made before the re-key still opens the record.
func TestAnErasureSurvivesARekeyThenARestore(t *testing.T) {
	r := newRestorable(t, true)
	older := r.backup(t)
	e, err := r.holder(t).Erase(ctx, r.erased, rights.EraseOptions{Actor: "test"})
	must(t, err)
	must(t, rights.SyncRecord(ctx, r.db(t), r.dir, r.id, "Marie (app)", time.Now()))
	if _, err := r.v.Rekey(ctx, strongPassphrase, vault.RekeyOptions{}); err != nil {
		t.Fatal(err)
	}
	if !r.isErased(t, r.erased) {
		t.Fatal("the re-keyed vault lost the erasure")
	}
	// At the unlock after the re-key: the record is read and kept.
	re, err := r.holder(t).Reapply(ctx, r.dir, r.id, "unlock")
	must(t, err)
	if re.Record != "" || re.Any() {
		t.Fatalf("after the re-key: %+v", re)
	}
	r.restore(t, older)
	if r.isErased(t, r.erased) {
		t.Fatal("the older backup should hold the person: the test proves nothing")
	}
	re, err = r.holder(t).Reapply(ctx, r.dir, r.id, "restore")
	must(t, err)
	if re.Record != "" || len(re.Erasures) != 1 || re.Erasures[0].Certificate != e.Certificate || !r.isErased(t, r.erased) {
		t.Errorf("after the restore: %+v", re)
	}
}

// A backup made before the record's key existed (by an earlier version)
// cannot open the record: the user is told, nothing is applied, a fresh
// record is written, and the section of the later key is kept for a
// restore of a later backup.
func TestABackupOlderThanTheRecordKeyIsReported(t *testing.T) {
	dir := t.TempDir()
	v, err := vault.Open(dir, vault.Options{KDF: vaulttest.FastKDF})
	must(t, err)
	t.Cleanup(func() { v.Close() })
	_, err = v.Create(ctx, strongPassphrase)
	must(t, err)
	r := &restorable{v: v, dir: dir}
	r.id, err = v.ID()
	must(t, err)
	r.erased, err = crm.New(r.db(t), nil).CreateContact(ctx, crm.Contact{GivenName: "Ysolde", FamilyName: "Quenouillard", Emails: []crm.Email{{Address: "ysolde.q@exemple.test"}}})
	must(t, err)
	keyless := r.backup(t) // no record key in it yet

	must(t, rights.EnsureRecordKey(ctx, r.db(t)))
	keyed := r.backup(t)
	e, err := r.holder(t).Erase(ctx, r.erased, rights.EraseOptions{Actor: "test"})
	must(t, err)
	must(t, rights.SyncRecord(ctx, r.db(t), r.dir, r.id, "Marie (app)", time.Now()))

	r.restore(t, keyless)
	re, err := r.holder(t).Reapply(ctx, r.dir, r.id, "restore")
	must(t, err)
	if re.Record != rights.RecordUnreadable || re.Any() {
		t.Errorf("restore of a backup older than the record key: %+v, want nothing applied and %q", re, rights.RecordUnreadable)
	}
	if r.isErased(t, r.erased) {
		t.Error("erased from a record the copy cannot open")
	}
	if n := auditCount(t, r.db(t), "erasure_record.unreadable"); n != 1 {
		t.Errorf("%d audit entries erasure_record.unreadable, want 1", n)
	}
	// The fresh record, under the key now made in this copy, opens.
	again, err := r.holder(t).Reapply(ctx, r.dir, r.id, "unlock")
	must(t, err)
	if again.Record != "" {
		t.Errorf("the fresh record was reported %q", again.Record)
	}

	// The section of the earlier key was kept: a backup that holds that
	// key gets the erasure back.
	r.restore(t, keyed)
	re, err = r.holder(t).Reapply(ctx, r.dir, r.id, "restore")
	must(t, err)
	if re.Record != "" || len(re.Erasures) != 1 || re.Erasures[0].Certificate != e.Certificate {
		t.Errorf("restore of a backup holding the record key: %+v", re)
	}
}
