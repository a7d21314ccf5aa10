package app

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"carnet/backend/privacy"
	"carnet/backend/vault"
	"carnet/backend/vault/vaulttest"
)

// startIn starts the services on the vault folder dir, as a new process
// of the app would.
func startIn(t *testing.T, dir string) (*Services, *recorder) {
	t.Helper()
	s, err := New(Config{DataDir: dir, KDF: vault.KDFParams{Time: 1, MemKiB: 8 * 1024, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{got: make(chan struct{}, 1024)}
	s.Startup(context.Background(), rec)
	t.Cleanup(s.Shutdown)
	return s, rec
}

func auditActions(t *testing.T, s *Services) map[string]int {
	t.Helper()
	entries, err := s.Register.Audit(privacy.AuditQuery{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]int{}
	for _, e := range entries {
		m[e.Action]++
	}
	return m
}

func TestRekeyFromTheApp(t *testing.T) {
	s, rec := startIn(t, t.TempDir())
	oldCode, err := s.Vault.Create(vaulttest.StrongPassphrase)
	if err != nil {
		t.Fatal(err)
	}
	if ue := userErr(t, func() error { _, err := s.Vault.Rekey("not the passphrase", vaulttest.StrongPassphrase2); return err }()); ue.Key != "error.wrong_passphrase" {
		t.Fatalf("wrong passphrase: %+v", ue)
	}
	unlocks := auditActions(t, s)["vault.unlock"]
	code, err := s.Vault.Rekey(vaulttest.StrongPassphrase, vaulttest.StrongPassphrase2)
	if err != nil {
		t.Fatal(err)
	}
	// The database reopened: background work restarts, but that is no
	// unlock for the audit log.
	if got := auditActions(t, s)["vault.unlock"]; got != unlocks {
		t.Fatalf("%d vault.unlock entries after a re-key, want %d", got, unlocks)
	}
	if code == oldCode || s.Vault.status().State != "unlocked" {
		t.Fatalf("after the re-key: code %q, status %+v", code, s.Vault.status())
	}
	rec.mu.Lock()
	var progress bool
	for _, e := range rec.events {
		progress = progress || e == EventRekeyProgress
	}
	rec.mu.Unlock()
	if !progress {
		t.Fatal("no progress event")
	}
	if auditActions(t, s)["vault.rekey"] != 1 {
		t.Fatal("the re-key is not in the audit log")
	}
	s.Vault.Lock()
	if ue := userErr(t, s.Vault.Unlock(vaulttest.StrongPassphrase)); ue.Key != "error.wrong_passphrase" {
		t.Fatalf("old passphrase: %+v", ue)
	}
	if ue := userErr(t, s.Vault.UnlockWithRecovery(oldCode)); ue.Key != "error.wrong_recovery_code" {
		t.Fatalf("old recovery code: %+v", ue)
	}
	if err := s.Vault.Unlock(vaulttest.StrongPassphrase2); err != nil {
		t.Fatal(err)
	}
}

// A re-key whose swap fails after it was committed still hands the new
// code to the window (the old one is dead): the vault is shown locked,
// asks for the passphrase, and the unlock finishes the swap.
func TestARekeyThatFailsAfterItsCommitStillGivesTheCode(t *testing.T) {
	dir := t.TempDir()
	s, _ := startIn(t, dir)
	if _, err := s.Vault.Create(vaulttest.StrongPassphrase); err != nil {
		t.Fatal(err)
	}
	// A folder where the old database must step aside.
	blocker := filepath.Join(dir, "carnet-rekey-old.db")
	if err := os.Mkdir(blocker, 0o700); err != nil {
		t.Fatal(err)
	}
	code, err := s.Vault.Rekey(vaulttest.StrongPassphrase, vaulttest.StrongPassphrase2)
	if err != nil || code == "" {
		t.Fatalf("re-key failing after its commit: %q, %v", code, err)
	}
	if st := s.Vault.status(); st.State != "locked" || st.Problem != nil {
		t.Fatalf("status: %+v", st)
	}
	os.Remove(blocker)
	if err := s.Vault.UnlockWithRecovery(code); err != nil {
		t.Fatalf("the code given: %v", err)
	}
}

// The pause after five wrong tries is still there when the app starts
// again.
func TestThePauseSurvivesARestartOfTheApp(t *testing.T) {
	dir := t.TempDir()
	s, _ := startIn(t, dir)
	if _, err := s.Vault.Create(vaulttest.StrongPassphrase); err != nil {
		t.Fatal(err)
	}
	s.Vault.Lock()
	for range vault.FreeTries {
		s.Vault.Unlock("wrong passphrase!")
	}
	s.Shutdown()
	again, _ := startIn(t, dir)
	if ue := userErr(t, again.Vault.Unlock(vaulttest.StrongPassphrase)); ue.Key != "error.paused" {
		t.Fatalf("right passphrase after a restart during the pause: %+v", ue)
	}
}

// A database put back from an older copy is shown, logged at unlock, and
// cleared when the user keeps it.
func TestARollbackIsShownAndLogged(t *testing.T) {
	dir := t.TempDir()
	s, _ := startIn(t, dir)
	if _, err := s.Vault.Create(vaulttest.StrongPassphrase); err != nil {
		t.Fatal(err)
	}
	s.Vault.Lock()
	old := mustCopy(t, filepath.Join(dir, "carnet.db"))
	for range 2 { // each unlock adds to the audit log
		if err := s.Vault.Unlock(vaulttest.StrongPassphrase); err != nil {
			t.Fatal(err)
		}
		s.Vault.Lock()
	}
	os.WriteFile(filepath.Join(dir, "carnet.db"), old, 0o600)
	if err := s.Vault.Unlock(vaulttest.StrongPassphrase); err != nil {
		t.Fatal(err)
	}
	st := s.Vault.status()
	if st.Rollback == nil || st.Rollback.Chain != "audit_log" {
		t.Fatalf("status after a rollback: %+v", st)
	}
	if auditActions(t, s)["vault.rollback_detected"] != 1 {
		t.Fatal("the rollback is not in the audit log")
	}
	if err := s.Vault.AcceptRollback(); err != nil {
		t.Fatal(err)
	}
	if st := s.Vault.status(); st.Rollback != nil {
		t.Fatalf("still shown once accepted: %+v", st.Rollback)
	}
	s.Vault.Lock()
	s.Vault.Unlock(vaulttest.StrongPassphrase)
	if st := s.Vault.status(); st.Rollback != nil {
		t.Fatalf("shown again after the decision: %+v", st.Rollback)
	}
}

func mustCopy(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
