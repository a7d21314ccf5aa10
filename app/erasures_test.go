package app

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"carnet/backend/crm"
	"carnet/backend/privacy"
	"carnet/backend/privacy/rights"
	"carnet/backend/vault/vaulttest"
)

// Erase, then restore a backup made before: the person is erased again at
// once and the restore says so; the erasure screen and the certificate
// name the backup and the vault the restore set aside, which can be purged.
func TestErasureSurvivesARestoreAndNamesTheCopies(t *testing.T) {
	s, _ := start(t)
	if _, err := s.Vault.Create(vaulttest.StrongPassphrase); err != nil {
		t.Fatal(err)
	}
	folder := t.TempDir()
	if err := s.Backups.SetFolder(folder, false); err != nil {
		t.Fatal(err)
	}
	d := &saveDialogs{dir: t.TempDir()}
	s.SetDialogs(d)
	id, err := s.Contacts.Save(crm.Contact{GivenName: "Ysolde", FamilyName: "Quenouillard", Emails: []crm.Email{{Address: "ysolde.q@exemple.test"}}})
	if err != nil {
		t.Fatal(err)
	}
	made, err := s.Backups.BackUpNow()
	if err != nil {
		t.Fatal(err)
	}
	// A first restore (the same backup) sets a vault holding her aside.
	if _, err := s.Backups.Restore(made.Backup.Path, vaulttest.StrongPassphrase, false); err != nil {
		t.Fatal(err)
	}

	plan, err := s.Rights.ErasurePreview(id)
	if err != nil {
		t.Fatal(err)
	}
	if plan.Copies == nil || len(plan.Copies.Backups) != 1 || plan.Copies.Backups[0].Name != filepath.Base(made.Backup.Path) ||
		!plan.Copies.Backups[0].Automatic || plan.Copies.LastExpiry.IsZero() || len(plan.Copies.Replaced) != 1 {
		t.Fatalf("preview copies: %+v", plan.Copies)
	}
	e, err := s.Rights.Erase(id, 0)
	if err != nil {
		t.Fatal(err)
	}
	if e.Plan.Copies == nil || len(e.Plan.Copies.Backups) != 1 || len(e.Plan.Copies.Replaced) != 1 {
		t.Fatalf("result copies: %+v", e.Plan.Copies)
	}
	if _, err := os.Stat(filepath.Join(s.Vault.cfg.DataDir, "carnet-erasures.json")); err != nil {
		t.Fatalf("no record of the erasure outside the vault: %v", err)
	}

	// The certificate, in the user's language, says the same.
	path, err := s.Rights.SaveCertificate(e.ID, "Ysolde Quenouillard")
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{"1 backup of our files made between", "The last automatic backup that holds them expires on", "1 earlier copy of our files"} {
		if !strings.Contains(text, want) {
			t.Errorf("the certificate lacks %q:\n%s", want, out)
		}
	}

	// The backup predates the erasure: restoring it brings her back…
	time.Sleep(1100 * time.Millisecond) // replaced/ folders are named to the second
	res, err := s.Backups.Restore(made.Backup.Path, vaulttest.StrongPassphrase, false)
	if err != nil {
		t.Fatal(err)
	}
	// …for no longer than the restore itself.
	if res.Reapplied == nil || len(res.Reapplied.Erasures) != 1 || res.Reapplied.Erasures[0].Certificate != e.Certificate {
		t.Fatalf("the restore did not say it erased her again: %+v", res.Reapplied)
	}
	if _, err := s.Contacts.Get(id); err == nil {
		t.Fatal("the restored backup brought the erased person back")
	}
	if _, err := s.Contacts.Save(crm.Contact{GivenName: "Ysolde", Emails: []crm.Email{{Address: "ysolde.q@exemple.test"}}}); err == nil {
		t.Error("her address is not on the suppression list again")
	}

	// Two vaults set aside now; the user purges them from Settings.
	list, err := s.Backups.Replaced()
	if err != nil || len(list) != 2 {
		t.Fatalf("replaced vaults: %+v %v", list, err)
	}
	if n, err := s.Backups.PurgeReplaced([]string{"nope"}); n != 0 || userErr(t, err).Key != "backup.error.unknown_replaced" {
		t.Errorf("purge of an unknown name: %d %v", n, err)
	}
	if n, err := s.Backups.PurgeReplaced(nil); err != nil || n != 2 {
		t.Fatalf("purge: %d %v", n, err)
	}
	if list, _ := s.Backups.Replaced(); len(list) != 0 {
		t.Errorf("left after the purge: %+v", list)
	}
}

// A record of erasures forged in the data folder (an unsealed entry that
// would erase anyone) erases nobody at unlock: the user is warned on every
// screen, the audit log keeps it, and the record is written again.
func TestAForgedErasureRecordIsReportedAtUnlock(t *testing.T) {
	s, rec := start(t)
	if _, err := s.Vault.Create(vaulttest.StrongPassphrase); err != nil {
		t.Fatal(err)
	}
	id, err := s.Contacts.Save(crm.Contact{GivenName: "Paul", FamilyName: "Témoin", Emails: []crm.Email{{Address: "paul@exemple.test"}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Vault.Lock(); err != nil {
		t.Fatal(err)
	}
	vaultRecord := filepath.Join(s.Vault.cfg.DataDir, rights.RecordFile)
	forged := fmt.Sprintf(`{"format":"carnet-erasures/1","vaults":{%q:{"erasures":[{"certificate":"E-2099-0001","erased_at":"2099-01-01T00:00:00Z","contact_id":%d,"created_at":""}],"suppressed":[]}}}`, s.Backups.vaultID(), id)
	if err := os.WriteFile(vaultRecord, []byte(forged), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := s.Vault.Unlock(vaulttest.StrongPassphrase); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Contacts.Get(id); err != nil {
		t.Fatalf("the forged record erased the contact: %v", err)
	}
	if st, _ := s.Vault.Status(); st.ErasureRecord != rights.RecordRejected {
		t.Errorf("status erasureRecord %q, want %q", st.ErasureRecord, rights.RecordRejected)
	}
	rec.mu.Lock()
	told := slices.Contains(rec.events, EventErasuresReapplied)
	rec.mu.Unlock()
	if !told {
		t.Errorf("no %s event for the rejected record", EventErasuresReapplied)
	}
	entries, err := s.Register.Audit(privacy.AuditQuery{Action: "erasure_record."})
	if err != nil || len(entries) != 1 || entries[0].Action != "erasure_record.rejected" {
		t.Errorf("audit: %+v %v", entries, err)
	}
	// Written again from the vault: the next unlock finds nothing wrong.
	if err := s.Vault.Lock(); err != nil {
		t.Fatal(err)
	}
	if st, _ := s.Vault.Status(); st.ErasureRecord != "" {
		t.Errorf("the notice outlived the lock: %q", st.ErasureRecord)
	}
	if err := s.Vault.Unlock(vaulttest.StrongPassphrase); err != nil {
		t.Fatal(err)
	}
	if st, _ := s.Vault.Status(); st.ErasureRecord != "" {
		t.Errorf("the record written again was reported %q", st.ErasureRecord)
	}
}

// A backup made before the record's key existed (an earlier version of
// Carnet) cannot read the record: the restore says so instead of saying
// nothing, and the person erased since stays to be erased by hand.
func TestARestoreOlderThanTheRecordKeyIsReported(t *testing.T) {
	s, _ := start(t)
	if _, err := s.Vault.Create(vaulttest.StrongPassphrase); err != nil {
		t.Fatal(err)
	}
	if err := s.Backups.SetFolder(t.TempDir(), false); err != nil {
		t.Fatal(err)
	}
	id, err := s.Contacts.Save(crm.Contact{GivenName: "Ysolde", FamilyName: "Quenouillard", Emails: []crm.Email{{Address: "ysolde.q@exemple.test"}}})
	if err != nil {
		t.Fatal(err)
	}
	// What an earlier version's vault looked like: no record key.
	db, err := s.Vault.db()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`DELETE FROM settings WHERE key = 'erasure_record_key'`); err != nil {
		t.Fatal(err)
	}
	made, err := s.Backups.BackUpNow()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Rights.Erase(id, 0); err != nil {
		t.Fatal(err)
	}
	res, err := s.Backups.Restore(made.Backup.Path, vaulttest.StrongPassphrase, false)
	if err != nil {
		t.Fatal(err)
	}
	if res.Reapplied == nil || res.Reapplied.Record != rights.RecordUnreadable || len(res.Reapplied.Erasures) != 0 {
		t.Fatalf("the restore did not say it could not read the record: %+v", res.Reapplied)
	}
	if st, _ := s.Vault.Status(); st.ErasureRecord != rights.RecordUnreadable {
		t.Errorf("status erasureRecord %q", st.ErasureRecord)
	}
}
