package app

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"carnet/backend/crm"
	"carnet/backend/vault/vaulttest"
)

const backupPass = "long enough passphrase"

func unlockedWithBackups(t *testing.T) (*Services, string) {
	t.Helper()
	s, _ := start(t)
	if _, err := s.Vault.Create(backupPass); err != nil {
		t.Fatal(err)
	}
	folder := t.TempDir()
	if err := s.Backups.SetFolder(folder, true); err != nil {
		t.Fatalf("SetFolder: %v", err)
	}
	return s, folder
}

func countBackups(t *testing.T, s *Services) int {
	t.Helper()
	st, err := s.Backups.Status()
	if err != nil {
		t.Fatal(err)
	}
	if st.FolderProblem != nil {
		t.Fatalf("folder problem: %+v", st.FolderProblem)
	}
	return len(st.Backups)
}

func TestBackupFolderIsValidated(t *testing.T) {
	s, _ := start(t)
	if _, err := s.Vault.Create(backupPass); err != nil {
		t.Fatal(err)
	}
	inside := filepath.Join(s.Vault.cfg.DataDir, "copies")
	os.Mkdir(inside, 0o700)
	for _, c := range []struct {
		folder string
		auto   bool
		key    string
	}{
		{"", true, "backup.error.no_folder"},
		{inside, true, "backup.error.folder_inside"},
		{filepath.Join(t.TempDir(), "unplugged"), true, "backup.error.folder_unavailable"},
	} {
		if ue := userErr(t, s.Backups.SetFolder(c.folder, c.auto)); ue.Key != c.key {
			t.Errorf("SetFolder(%q): %s, want %s", c.folder, ue.Key, c.key)
		}
	}
	if ue := userErr(t, func() error { _, err := s.Backups.BackUpNow(); return err }()); ue.Key != "backup.error.no_folder" {
		t.Errorf("back up with no folder: %s", ue.Key)
	}
}

func TestBackupAtLockOnlyWhenSomethingChanged(t *testing.T) {
	s, _ := unlockedWithBackups(t)
	if err := s.Vault.Lock(); err != nil {
		t.Fatal(err)
	}
	if n := countBackups(t, s); n != 1 {
		t.Fatalf("backups after the first lock: %d", n)
	}
	if err := s.Vault.Unlock(backupPass); err != nil {
		t.Fatal(err)
	}
	// Nothing written since the last automatic backup of this session:
	// the unlock's own audit entry aside, so back up once, then not again.
	s.Backups.automatic("lock")
	n := countBackups(t, s)
	s.Backups.automatic("lock")
	if m := countBackups(t, s); m != n {
		t.Fatalf("a lock with nothing new wrote a backup (%d then %d)", n, m)
	}
	// The daily check does nothing within a day of the newest backup…
	s.Backups.automatic("daily")
	if m := countBackups(t, s); m != n {
		t.Fatalf("daily backup written although one is less than a day old")
	}
	// …and backs up once a day has passed.
	s.Backups.now = func() time.Time { return time.Now().Add(25 * time.Hour) }
	s.Backups.automatic("daily")
	st, _ := s.Backups.Status()
	if len(st.Backups) == 0 || time.Until(st.Backups[0].Time) < 24*time.Hour {
		t.Fatalf("no daily backup after a day: %+v", st.Backups)
	}
}

func TestAnUnpluggedDiskNeverStopsTheLock(t *testing.T) {
	s, folder := unlockedWithBackups(t)
	os.RemoveAll(folder)
	if err := s.Vault.Lock(); err != nil {
		t.Fatalf("Lock with the backup folder gone: %v", err)
	}
	if st, _ := s.Vault.Status(); st.State != "locked" {
		t.Fatalf("state %s", st.State)
	}
	st, err := s.Backups.Status()
	if err != nil {
		t.Fatal(err)
	}
	if st.LastError == nil || st.LastError.Key != "backup.error.folder_unavailable" || st.FolderProblem == nil {
		t.Fatalf("the failed automatic backup is not reported: %+v", st)
	}
	// The next success clears it.
	os.Mkdir(folder, 0o700)
	s.Vault.Unlock(backupPass)
	if _, err := s.Backups.BackUpNow(); err != nil {
		t.Fatal(err)
	}
	if st, _ := s.Backups.Status(); st.LastError != nil {
		t.Fatalf("error kept after a successful backup: %+v", st.LastError)
	}
}

func TestRestoreFromTheApp(t *testing.T) {
	s, _ := unlockedWithBackups(t)
	add := func(name string) {
		if _, err := s.Contacts.Save(crm.Contact{GivenName: name, FamilyName: "Test"}); err != nil {
			t.Fatal(err)
		}
	}
	add("Before")
	res, err := s.Backups.BackUpNow()
	if err != nil {
		t.Fatal(err)
	}
	add("After")

	// A wrong passphrase: refused, the vault stays open and unchanged.
	if ue := userErr(t, func() error { _, err := s.Backups.Restore(res.Backup.Path, "wrong passphrase!", false); return err }()); ue.Key != "error.wrong_passphrase" {
		t.Fatalf("wrong passphrase: %+v", ue)
	}
	page, err := s.Contacts.List(crm.ListQuery{Limit: 10, WithTotal: true})
	if err != nil || page.Total != 2 {
		t.Fatalf("after a refused restore: %d contacts, %v", page.Total, err)
	}

	info, err := s.Backups.Inspect(res.Backup.Path)
	if err != nil || info.Created.IsZero() {
		t.Fatalf("Inspect: %+v %v", info, err)
	}
	out, err := s.Backups.Restore(res.Backup.Path, backupPass, false)
	if err != nil {
		t.Fatalf("Restore: %v", err)
	}
	if out.Replaced == "" || out.MustChangePassphrase {
		t.Fatalf("restore result %+v", out)
	}
	page, err = s.Contacts.List(crm.ListQuery{Limit: 10, WithTotal: true})
	if err != nil || page.Total != 1 || page.Rows[0].Name != "Before Test" {
		t.Fatalf("after restore: %+v, %v", page, err)
	}
	if _, err := os.Stat(filepath.Join(out.Replaced, "carnet.db")); err != nil {
		t.Fatalf("the replaced vault is not kept: %v", err)
	}
}

// A restore with the recovery code opens the vault only after a new
// passphrase: it is recorded then, once.
func TestARestoreWithTheRecoveryCodeIsRecordedOnceThePassphraseIsSet(t *testing.T) {
	s, _ := start(t)
	code, err := s.Vault.Create(vaulttest.StrongPassphrase)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Backups.SetFolder(t.TempDir(), false); err != nil {
		t.Fatal(err)
	}
	res, err := s.Backups.BackUpNow()
	if err != nil {
		t.Fatal(err)
	}
	out, err := s.Backups.Restore(res.Backup.Path, code, true)
	if err != nil {
		t.Fatalf("Restore: %v", err)
	}
	if !out.MustChangePassphrase || !s.Vault.status().MustChangePassphrase {
		t.Fatalf("a restore with the recovery code must ask for a new passphrase: %+v", out)
	}
	if err := s.Vault.SetNewPassphrase(vaulttest.StrongPassphrase + " encore"); err != nil {
		t.Fatal(err)
	}
	if n := auditActions(t, s)["backup.restore"]; n != 1 {
		t.Fatalf("%d backup.restore entries, want 1", n)
	}
	// Recorded once: an unlock later adds nothing.
	if err := s.Vault.Lock(); err != nil {
		t.Fatal(err)
	}
	if err := s.Vault.Unlock(vaulttest.StrongPassphrase + " encore"); err != nil {
		t.Fatal(err)
	}
	if n := auditActions(t, s)["backup.restore"]; n != 1 {
		t.Fatalf("%d backup.restore entries after an unlock, want 1", n)
	}
}

// An action done whose audit entry cannot be written is reported done,
// and the user is told until the lock.
func TestAnActionNotRecordedIsDoneAndTold(t *testing.T) {
	s, folder := unlockedWithBackups(t)
	if err := s.Backups.SetFolder(folder, false); err != nil { // no backup at lock: it would be told too
		t.Fatal(err)
	}
	res, err := s.Backups.BackUpNow()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Backups.Restore(res.Backup.Path, backupPass, false); err != nil {
		t.Fatal(err)
	}
	if st := s.Vault.status(); st.NotRecorded != nil {
		t.Fatalf("told of a failure that did not happen: %+v", st.NotRecorded)
	}
	db, err := s.Vault.db()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TRIGGER fail_audit BEFORE INSERT ON audit_log
		BEGIN SELECT RAISE(ABORT, 'injected audit failure'); END`); err != nil {
		t.Fatal(err)
	}
	n, err := s.Backups.PurgeReplaced(nil)
	if err != nil || n != 1 {
		t.Fatalf("purge: %d, %v; want 1 purged and no error", n, err)
	}
	if st := s.Vault.status(); st.NotRecorded == nil {
		t.Fatal("the user is not told the purge is missing from the audit log")
	}
	if err := s.Vault.Lock(); err != nil {
		t.Fatal(err)
	}
	if err := s.Vault.Unlock(backupPass); err != nil {
		t.Fatal(err)
	}
	if st := s.Vault.status(); st.NotRecorded != nil {
		t.Fatalf("still told after the lock: %+v", st.NotRecorded)
	}
}
