package cli

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"carnet/backend/privacy"
)

// carnet privacy erase names the backup and the replaced vault that still
// hold the person; carnet restore of that backup erases them again;
// carnet replaced list|purge shows and deletes the replaced vaults.
func TestEraseRestoreAndReplacedCommands(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"CARNET_PASSPHRASE": "Ormeau vif, glacier pourpre 1987", "LANG": "C"}
	if r := run(t, env, "--data-dir", dir, "init"); r.code != ExitOK {
		t.Fatalf("init: %+v", r)
	}
	csv := filepath.Join(t.TempDir(), "c.csv")
	os.WriteFile(csv, []byte("Prénom;Nom;E-mail\nYsolde;Quenouillard;ysolde.q@exemple.test\n"), 0o600)
	if r := run(t, env, "--data-dir", dir, "contacts", "import", csv); r.code != ExitOK {
		t.Fatalf("import: %+v", r)
	}
	before := filepath.Join(t.TempDir(), "before.carnetbackup")
	if r := run(t, env, "--data-dir", dir, "backup", "-o", before); r.code != ExitOK {
		t.Fatalf("backup: %+v", r)
	}
	if r := run(t, env, "--data-dir", dir, "restore", before); r.code != ExitOK {
		t.Fatalf("first restore: %+v", r)
	}
	r := run(t, env, "--data-dir", dir, "privacy", "erase", "--contact", "1")
	if r.code != ExitOK || !strings.Contains(r.stdout, "1 vault set aside by a restore still contains them") ||
		!strings.Contains(r.stdout, filepath.Join(dir, "replaced")) || !strings.Contains(r.stdout, "carnet replaced purge --all") {
		t.Fatalf("erase does not name the replaced vault: %+v", r)
	}

	time.Sleep(1100 * time.Millisecond) // replaced/ folders are named to the second
	r = run(t, env, "--data-dir", dir, "restore", before)
	if r.code != ExitOK || !strings.Contains(r.stdout, "1 erasure made after this backup was applied again") || !strings.Contains(r.stdout, "contact 1: erased under E-") {
		t.Fatalf("restore of an older backup: %+v", r)
	}
	if r := run(t, env, "--data-dir", dir, "contacts", "search", "Quenouillard"); strings.Contains(r.stdout, "Quenouillard") {
		t.Fatalf("the person came back: %+v", r)
	}

	r = run(t, env, "--data-dir", dir, "replaced", "list")
	if r.code != ExitOK || strings.Count(strings.TrimSpace(r.stdout), "\n") != 1 {
		t.Fatalf("replaced list: %+v", r)
	}
	if r := run(t, env, "--data-dir", dir, "replaced", "purge", "--all"); r.code != ExitUsage || !strings.Contains(r.stderr, "way back after a restore") {
		t.Fatalf("purge without --yes: %+v", r)
	}
	if r := run(t, env, "--data-dir", dir, "replaced", "purge", "--all", "--yes"); r.code != ExitOK || !strings.Contains(r.stdout, "2 replaced vaults deleted") {
		t.Fatalf("purge: %+v", r)
	}
	if r := run(t, env, "--data-dir", dir, "replaced", "list"); !strings.Contains(r.stdout, "No replaced vault") {
		t.Fatalf("after the purge: %+v", r)
	}
	// Recorded as from the window, by the same core functions: the last
	// restore in the restored vault, the purge with its count.
	withDB(t, dir, func(db *sql.DB) {
		all, err := privacy.New(db, nil).Audit(context.Background(), privacy.AuditQuery{Limit: 1000})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string][]privacy.AuditEntry{}
		for _, e := range all {
			got[e.Action] = append(got[e.Action], e)
		}
		if e := got["backup.restore"]; len(e) != 1 || e[0].Detail["recovery"] != false || !strings.Contains(e[0].Actor, "(cli") {
			t.Errorf("backup.restore entries: %+v", e)
		}
		if e := got["backup.purge_replaced"]; len(e) != 1 || e[0].Detail["count"] != float64(2) {
			t.Errorf("backup.purge_replaced entries: %+v", e)
		}
	})
}
