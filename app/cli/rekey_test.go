package cli

import (
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"carnet/backend/privacy"
	"carnet/backend/vault"
	"carnet/backend/vault/vaulttest"
)

func TestPasswdRekeyAndRekey(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"CARNET_PASSPHRASE": vaulttest.StrongPassphrase, "LANG": "C"}
	if r := run(t, env, "--data-dir", dir, "init"); r.code != ExitOK {
		t.Fatalf("init: %+v", r)
	}
	oldKeys, _ := os.ReadFile(filepath.Join(dir, "carnet.keys"))

	// The instant change says what stays true of old key files.
	env["CARNET_NEW_PASSPHRASE"] = vaulttest.StrongPassphrase2
	r := run(t, env, "--data-dir", dir, "passwd")
	if r.code != ExitOK || !strings.Contains(r.stdout, "copies of the old key file") || !strings.Contains(r.stdout, "carnet rekey") {
		t.Fatalf("passwd: %+v", r)
	}
	// With --rekey: progress, the new code, and what is true afterwards.
	env = map[string]string{"CARNET_PASSPHRASE": vaulttest.StrongPassphrase2, "CARNET_NEW_PASSPHRASE": vaulttest.StrongPassphrase, "LANG": "C"}
	r = run(t, env, "--data-dir", dir, "passwd", "--rekey")
	if r.code != ExitOK || !strings.Contains(r.stdout, "no longer open anything written from now on") || !strings.Contains(r.stderr, "100%") {
		t.Fatalf("passwd --rekey: %+v", r)
	}
	// The first passphrase is the current one again, but the first key
	// file, put back, no longer opens the database.
	os.WriteFile(filepath.Join(dir, "carnet.keys"), oldKeys, 0o600)
	os.WriteFile(filepath.Join(dir, "carnet.keys.bak"), oldKeys, 0o600)
	env = map[string]string{"CARNET_PASSPHRASE": vaulttest.StrongPassphrase, "LANG": "C"}
	if r := run(t, env, "--data-dir", dir, "verify"); r.code != ExitFailure {
		t.Fatalf("the old key file with its passphrase opened the re-keyed vault: %+v", r)
	}
}

func TestRekeyAloneKeepsThePassphrase(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"CARNET_PASSPHRASE": vaulttest.StrongPassphrase, "LANG": "fr_FR.UTF-8"}
	var created struct{ RecoveryCode string }
	r := run(t, env, "--data-dir", dir, "--json", "init")
	json.Unmarshal([]byte(r.stdout), &created)
	var rekeyed struct {
		OK           bool
		Rekeyed      bool
		RecoveryCode string
	}
	r = run(t, env, "--data-dir", dir, "--json", "rekey")
	if r.code != ExitOK || json.Unmarshal([]byte(r.stdout), &rekeyed) != nil || !rekeyed.Rekeyed || rekeyed.RecoveryCode == created.RecoveryCode || len(rekeyed.RecoveryCode) != 29 {
		t.Fatalf("rekey: %+v", r)
	}
	if r := run(t, env, "--data-dir", dir, "verify"); r.code != ExitOK {
		t.Fatalf("verify after rekey: %+v", r)
	}
	if r := run(t, env, "--data-dir", dir, "rekey"); r.code != ExitOK || !strings.Contains(r.stdout, "rechiffré") {
		t.Fatalf("rekey in French: %+v", r)
	}
}

// Each run of the command line is a new process: the pause after five
// wrong tries must still hold in the next one.
func TestThePauseHoldsAcrossRuns(t *testing.T) {
	dir := t.TempDir()
	if r := run(t, map[string]string{"CARNET_PASSPHRASE": vaulttest.StrongPassphrase}, "--data-dir", dir, "init"); r.code != ExitOK {
		t.Fatalf("init: %+v", r)
	}
	wrong := map[string]string{"CARNET_PASSPHRASE": "not the passphrase", "LANG": "C"}
	for range 5 {
		run(t, wrong, "--data-dir", dir, "verify")
	}
	r := run(t, map[string]string{"CARNET_PASSPHRASE": vaulttest.StrongPassphrase, "LANG": "C"}, "--data-dir", dir, "verify")
	if r.code != ExitFailure || !strings.Contains(r.stderr, "Too many wrong tries. Wait") {
		t.Fatalf("right passphrase during the pause, in a new run: %+v", r)
	}
}

// logSome appends n entries to the audit log of the vault in dir.
func logSome(t *testing.T, dir string, n int) {
	t.Helper()
	ctx := context.Background()
	v, err := vault.Open(dir, vault.Options{KDF: vault.KDFParams{Time: 1, MemKiB: 8 * 1024, Threads: 1}})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	if err := v.Unlock(ctx, vaulttest.StrongPassphrase); err != nil {
		t.Fatal(err)
	}
	db, _ := v.DB()
	for range n {
		if err := privacy.New(db, nil).Log(ctx, "test", "test.entry", "", 0, nil); err != nil {
			t.Fatal(err)
		}
	}
}

// A database put back from an older copy is reported by verify until the
// copy is accepted; normal use never reports one.
func TestVerifyReportsARolledBackDatabase(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"CARNET_PASSPHRASE": vaulttest.StrongPassphrase, "LANG": "C"}
	if r := run(t, env, "--data-dir", dir, "init"); r.code != ExitOK {
		t.Fatalf("init: %+v", r)
	}
	logSome(t, dir, 2)
	if r := run(t, env, "--data-dir", dir, "verify"); r.code != ExitOK {
		t.Fatalf("normal use reported a problem: %+v", r)
	}
	old, _ := os.ReadFile(filepath.Join(dir, "carnet.db"))
	logSome(t, dir, 3)
	os.WriteFile(filepath.Join(dir, "carnet.db"), old, 0o600)
	// The copy holds the 2 entries and the first verify's vault.unlock;
	// the key file anchored those and 3 more.
	r := run(t, env, "--data-dir", dir, "verify")
	if r.code != ExitFailure || !strings.Contains(r.stdout, "the audit log held 6 entries") || !strings.Contains(r.stdout, "it now has 3") {
		t.Fatalf("verify of a rolled-back database: %+v", r)
	}
	if r := run(t, env, "--data-dir", dir, "verify"); r.code != ExitFailure {
		t.Fatalf("a second verify no longer reports the rollback: %+v", r)
	}
	if r := run(t, env, "--data-dir", dir, "verify", "--accept-rollback"); r.code != ExitOK || !strings.Contains(r.stdout, "kept") {
		t.Fatalf("verify --accept-rollback: %+v", r)
	}
	if r := run(t, env, "--data-dir", dir, "verify"); r.code != ExitOK {
		t.Fatalf("verify after accepting: %+v", r)
	}
	// The decision is recorded once, by core, in the command line's name.
	withDB(t, dir, func(db *sql.DB) {
		all, err := privacy.New(db, nil).Audit(context.Background(), privacy.AuditQuery{Action: "vault.rollback_accepted", Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 1 || all[0].Detail["chain"] != "audit_log" || !strings.Contains(all[0].Actor, "(cli") {
			t.Fatalf("vault.rollback_accepted entries: %+v", all)
		}
	})
}

// An audit entry that cannot be written after a re-key (here a trigger
// refuses it) does not hide the new code: the old one is dead already.
func TestRekeyShowsTheCodeWhenTheAuditEntryFails(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"CARNET_PASSPHRASE": vaulttest.StrongPassphrase, "LANG": "C"}
	if r := run(t, env, "--data-dir", dir, "init"); r.code != ExitOK {
		t.Fatalf("init: %+v", r)
	}
	ctx := context.Background()
	v, err := vault.Open(dir, vault.Options{KDF: vaulttest.FastKDF})
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Unlock(ctx, vaulttest.StrongPassphrase); err != nil {
		t.Fatal(err)
	}
	db, _ := v.DB()
	if _, err := db.Exec(`CREATE TRIGGER no_rekey_entry BEFORE INSERT ON audit_log
		WHEN NEW.action = 'vault.rekey' BEGIN SELECT RAISE(ABORT, 'refused for the test'); END`); err != nil {
		t.Fatal(err)
	}
	v.Close()

	r := run(t, env, "--data-dir", dir, "rekey")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	code := strings.TrimSpace(lines[len(lines)-1])
	if r.code != ExitOK || len(code) != 29 || !strings.Contains(r.stderr, "could not be recorded in the audit log") {
		t.Fatalf("rekey with the audit entry refused: %+v", r)
	}
	v, err = vault.Open(dir, vault.Options{KDF: vaulttest.FastKDF})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	if err := v.UnlockWithRecovery(ctx, code); err != nil {
		t.Fatalf("the code printed: %v", err)
	}
}
