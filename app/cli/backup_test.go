package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBackupAndRestoreOnAnotherMachine(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "vault")
	env := map[string]string{"CARNET_PASSPHRASE": "first passphrase", "LANG": "C"}
	r := run(t, env, "--data-dir", dir, "--json", "init")
	var created struct{ RecoveryCode string }
	json.Unmarshal([]byte(r.stdout), &created)
	if r := run(t, env, "--data-dir", dir, "demo", "--contacts", "20"); r.code != ExitOK {
		t.Fatalf("demo: %+v", r)
	}

	if r := run(t, env, "--data-dir", dir, "backup"); r.code != ExitUsage || !strings.Contains(r.stderr, "-o FILE") {
		t.Fatalf("backup without a destination: %+v", r)
	}
	file := filepath.Join(t.TempDir(), "copy.carnetbackup")
	r = run(t, env, "--data-dir", dir, "--json", "backup", "-o", file)
	var out struct {
		OK   bool   `json:"ok"`
		Path string `json:"path"`
		Size int64  `json:"size"`
	}
	if r.code != ExitOK || json.Unmarshal([]byte(r.stdout), &out) != nil || !out.OK || out.Path != file || out.Size == 0 {
		t.Fatalf("backup: %+v", r)
	}
	if r := run(t, env, "--data-dir", dir, "backup", "-o", file); r.code != ExitFailure || !strings.Contains(r.stderr, "already exists") {
		t.Fatalf("backup over an existing file: %+v", r)
	}

	// The other machine: an empty folder, the passphrase.
	other := filepath.Join(t.TempDir(), "other")
	if r := run(t, map[string]string{"CARNET_PASSPHRASE": "wrong passphrase", "LANG": "C"}, "--data-dir", other, "restore", file); r.code != ExitFailure || !strings.Contains(r.stderr, "Wrong passphrase") {
		t.Fatalf("restore with a wrong passphrase: %+v", r)
	}
	if r := run(t, env, "--data-dir", other, "restore", file); r.code != ExitOK || !strings.Contains(r.stdout, "restored") {
		t.Fatalf("restore: %+v", r)
	}
	search := run(t, env, "--data-dir", other, "--json", "contacts", "search", "a")
	if search.code != ExitOK || !strings.Contains(search.stdout, `"id"`) {
		t.Fatalf("restored vault has no contacts: %+v", search)
	}
	if r := run(t, env, "--data-dir", other, "verify"); r.code != ExitOK {
		t.Fatalf("verify restored vault: %+v", r)
	}

	// A third machine with the recovery code: a new passphrase is set.
	third := filepath.Join(t.TempDir(), "third")
	rec := map[string]string{"CARNET_RECOVERY_CODE": created.RecoveryCode, "CARNET_NEW_PASSPHRASE": "third passphrase", "LANG": "C"}
	if r := run(t, rec, "--data-dir", third, "restore", "--recovery", file); r.code != ExitOK {
		t.Fatalf("restore with the recovery code: %+v", r)
	}
	if r := run(t, map[string]string{"CARNET_PASSPHRASE": "third passphrase"}, "--data-dir", third, "verify"); r.code != ExitOK {
		t.Fatalf("verify with the new passphrase: %+v", r)
	}

	// A damaged file changes nothing.
	b, _ := os.ReadFile(file)
	b[len(b)/2] ^= 1
	bad := filepath.Join(t.TempDir(), "bad.carnetbackup")
	os.WriteFile(bad, b, 0o600)
	if r := run(t, env, "--data-dir", other, "restore", bad); r.code != ExitFailure || !strings.Contains(r.stderr, "damaged") {
		t.Fatalf("restore of a damaged file: %+v", r)
	}
	if _, err := os.Stat(filepath.Join(other, "replaced")); !os.IsNotExist(err) {
		t.Fatal("a refused restore moved the vault aside")
	}
}
