package cli

import (
	"context"
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"carnet/backend/privacy"
	"carnet/backend/vault"
	"carnet/backend/vault/vaulttest"
)

// withDB opens the vault in dir as the window would and runs fn on its
// database.
func withDB(t *testing.T, dir string, fn func(db *sql.DB)) {
	t.Helper()
	v, err := vault.Open(dir, vault.Options{KDF: vaulttest.FastKDF})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	if err := v.Unlock(context.Background(), vaulttest.StrongPassphrase); err != nil {
		t.Fatal(err)
	}
	db, err := v.DB()
	if err != nil {
		t.Fatal(err)
	}
	fn(db)
}

// Every command that unlocks does the unlock's housekeeping, as the window
// does: a restriction whose end date passed is lifted and the trash older
// than 30 days emptied, each recorded as Carnet's own work ("app"); the
// unlock itself in the name of the command line.
func TestACommandLineUnlockLiftsEndedRestrictionsAndEmptiesOldTrash(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"CARNET_PASSPHRASE": vaulttest.StrongPassphrase, "LANG": "C"}
	if r := run(t, env, "--data-dir", dir, "init"); r.code != ExitOK {
		t.Fatalf("init: %+v", r)
	}
	csv := filepath.Join(t.TempDir(), "c.csv")
	os.WriteFile(csv, []byte("Prénom;Nom;E-mail\nAnatole;Vidal;anatole@exemple.test\nBerthe;Morin;berthe@exemple.test\n"), 0o600)
	if r := run(t, env, "--data-dir", dir, "contacts", "import", csv); r.code != ExitOK {
		t.Fatalf("import: %+v", r)
	}
	// As if the window had trashed Anatole 40 days ago and restricted
	// Berthe until yesterday.
	withDB(t, dir, func(db *sql.DB) {
		long := time.Now().AddDate(0, 0, -40).UTC().Format(time.RFC3339)
		yesterday := time.Now().AddDate(0, 0, -1).Format(time.DateOnly)
		if _, err := db.Exec(`UPDATE contacts SET deleted_at = ? WHERE family_name = 'Vidal'`, long); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec(`UPDATE contacts SET restricted_at = ?, restriction_reason = 'contestation', restricted_until = ? WHERE family_name = 'Morin'`, long, yesterday); err != nil {
			t.Fatal(err)
		}
	})

	if r := run(t, env, "--data-dir", dir, "contacts", "search", "Morin"); r.code != ExitOK || !strings.Contains(r.stdout, "Berthe") {
		t.Fatalf("search after the end of the restriction: %+v", r)
	}
	withDB(t, dir, func(db *sql.DB) {
		var erased, restricted sql.NullString
		db.QueryRow(`SELECT erased_at FROM contacts WHERE id = 1`).Scan(&erased)
		db.QueryRow(`SELECT restricted_at FROM contacts WHERE id = 2`).Scan(&restricted)
		if !erased.Valid || restricted.Valid {
			t.Fatalf("after a CLI unlock: erased_at %v (want set), restricted_at %v (want none)", erased, restricted)
		}
		all, err := privacy.New(db, nil).Audit(context.Background(), privacy.AuditQuery{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]privacy.AuditEntry{}
		for _, e := range all {
			got[e.Action] = e
		}
		if e, ok := got["contact.purge"]; !ok || e.Detail["count"] != float64(1) || !strings.Contains(e.Actor, "(app") {
			t.Errorf("contact.purge entry: %+v", e)
		}
		if e, ok := got["contact.unrestrict"]; !ok || e.SubjectID != 2 || e.Detail["reason"] != "end_date" || !strings.Contains(e.Actor, "(app") {
			t.Errorf("contact.unrestrict entry: %+v", e)
		}
		if e, ok := got["vault.unlock"]; !ok || !strings.Contains(e.Actor, "(cli") {
			t.Errorf("vault.unlock entry: %+v", e)
		}
	})
}

// The command line calls core, never the window's package (issue 17).
// NOTE: this passes only once every part of issue 17 is merged (contacts,
// sales, privacy and register commands still import carnet/app on their
// own branches); the integrator runs it after the merge.
func TestTheCommandLineDoesNotImportTheWindowsPackage(t *testing.T) {
	gobin := filepath.Join(os.Getenv("GOROOT"), "bin", "go")
	if _, err := os.Stat(gobin); err != nil {
		if gobin, err = exec.LookPath("go"); err != nil {
			t.Skip("no go command to list the dependencies with")
		}
	}
	cmd := exec.Command(gobin, "list", "-deps", ".")
	cmd.Env = os.Environ() // GOTOOLCHAIN and the rest as this test was run with
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	for _, p := range strings.Fields(string(out)) {
		if p == "carnet/app" {
			t.Fatal("carnet/app/cli depends on carnet/app: the command line must call backend/core, not the window's bound services " +
				"(expected to fail until all branches of issue 17 are merged)")
		}
	}
}

// carnet backup is recorded as "Back up now" is in the window.
func TestABackupFromTheCommandLineIsRecorded(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"CARNET_PASSPHRASE": vaulttest.StrongPassphrase, "LANG": "C"}
	if r := run(t, env, "--data-dir", dir, "init"); r.code != ExitOK {
		t.Fatalf("init: %+v", r)
	}
	if r := run(t, env, "--data-dir", dir, "backup", "-o", filepath.Join(t.TempDir(), "b.carnetbackup")); r.code != ExitOK {
		t.Fatalf("backup: %+v", r)
	}
	withDB(t, dir, func(db *sql.DB) {
		all, err := privacy.New(db, nil).Audit(context.Background(), privacy.AuditQuery{Action: "backup.write", Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 1 || !strings.Contains(all[0].Actor, "(cli") {
			t.Fatalf("backup.write entries: %+v", all)
		}
	})
}
