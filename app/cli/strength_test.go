package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWeakPassphrasesAreRefusedWithTheReason(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "vault")
	for lang, want := range map[string]string{
		"C":           "This passphrase is too easy to guess. It is a common password with a few characters added.",
		"fr_FR.UTF-8": "Cette phrase de passe est trop facile à deviner. C’est un mot de passe courant avec quelques caractères en plus.",
	} {
		r := run(t, map[string]string{"CARNET_PASSPHRASE": "motdepasse123", "LANG": lang}, "--data-dir", dir, "init")
		if r.code != ExitFailure || !strings.Contains(r.stderr, want) {
			t.Fatalf("init with a common password (%s): %+v", lang, r)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "carnet.keys")); !os.IsNotExist(err) {
		t.Fatalf("a refused init left a key file: %v", err)
	}
	r := run(t, map[string]string{"CARNET_PASSPHRASE": "motdepasse123", "LANG": "C"}, "--data-dir", dir, "--json", "init")
	var out struct {
		OK    bool
		Error string
	}
	if json.Unmarshal([]byte(r.stdout), &out) != nil || out.OK || out.Error != "error.passphrase_weak" {
		t.Fatalf("init --json with a common password: %+v", r)
	}

	strong := "Ormeau vif, glacier pourpre 1987"
	env := map[string]string{"CARNET_PASSPHRASE": strong, "LANG": "C"}
	r = run(t, env, "--data-dir", dir, "--json", "init")
	var created struct{ RecoveryCode string }
	if r.code != ExitOK || json.Unmarshal([]byte(r.stdout), &created) != nil {
		t.Fatalf("init: %+v", r)
	}
	env["CARNET_NEW_PASSPHRASE"] = "azertyuiop"
	if r := run(t, env, "--data-dir", dir, "passwd"); r.code != ExitFailure || !strings.Contains(r.stderr, "It is one of the most common passwords.") {
		t.Fatalf("passwd to a keyboard row: %+v", r)
	}
	if r := run(t, env, "--data-dir", dir, "verify"); r.code != ExitOK {
		t.Fatalf("the refused passwd changed the passphrase: %+v", r)
	}

	// Restoring with the recovery code checks the new passphrase before
	// replacing anything.
	file := filepath.Join(t.TempDir(), "copy.carnetbackup")
	if r := run(t, env, "--data-dir", dir, "backup", "-o", file); r.code != ExitOK {
		t.Fatalf("backup: %+v", r)
	}
	other := filepath.Join(t.TempDir(), "other")
	rec := map[string]string{"CARNET_RECOVERY_CODE": created.RecoveryCode, "CARNET_NEW_PASSPHRASE": "jean-pierre1975", "LANG": "fr_FR.UTF-8"}
	if r := run(t, rec, "--data-dir", other, "restore", "--recovery", file); r.code != ExitFailure || !strings.Contains(r.stderr, "Un nom suivi d’une année") {
		t.Fatalf("restore --recovery with a name and a year: %+v", r)
	}
	if _, err := os.Stat(filepath.Join(other, "carnet.keys")); !os.IsNotExist(err) {
		t.Fatalf("a refused restore wrote a vault: %v", err)
	}
	rec["CARNET_NEW_PASSPHRASE"] = "plume orage citron balcon"
	if r := run(t, rec, "--data-dir", other, "restore", "--recovery", file); r.code != ExitOK {
		t.Fatalf("restore --recovery: %+v", r)
	}
	if r := run(t, map[string]string{"CARNET_PASSPHRASE": "plume orage citron balcon"}, "--data-dir", other, "verify"); r.code != ExitOK {
		t.Fatalf("verify with the new passphrase: %+v", r)
	}
}
