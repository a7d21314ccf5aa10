package cli

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"carnet/backend/backup"
	"carnet/backend/core"
	"carnet/backend/i18n"
	"carnet/backend/privacy/rights"
	"carnet/backend/vault/vaulttest"
)

// bare is a runner writing into buffers, for what a command prints.
func bare(t *testing.T, lang string, asJSON bool) (*runner, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	return &runner{env: Env{Stdout: &out, Stderr: &errb}, i18n: b, lang: lang, json: asJSON}, &out, &errb
}

// oneDocument decodes stdout as exactly one JSON document.
func oneDocument(t *testing.T, stdout string) map[string]any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(stdout))
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, stdout)
	}
	if err := dec.Decode(new(any)); err != io.EOF {
		t.Fatalf("stdout holds more than one JSON document:\n%s", stdout)
	}
	return doc
}

// An erasure whose only failure came after the commit (the file could not
// be compacted) is done: the person is erased and the request closed. It
// is reported as done, certificate and all, with a warning, not as a
// failure that a rerun would contradict.
func TestAnErasureWhoseCompactionFailedIsReportedDone(t *testing.T) {
	e := rights.Erasure{ID: 3, Certificate: "E-2026-0003", ErasedAt: "2026-12-07T10:00:00Z",
		Plan: rights.Plan{Name: "Hélène Dupont", Erase: []rights.Item{{What: "emails", Count: 1}}}}
	unfinished := fmt.Errorf("%w: %w", core.ErrErasureUnfinished, errors.New("disk I/O error"))

	r, out, errb := bare(t, "en", false)
	if code := r.erased(e, unfinished); code != ExitOK || !strings.Contains(out.String(), "E-2026-0003") ||
		!strings.Contains(errb.String(), "could not be compacted") {
		t.Fatalf("text: exit %d, stdout %q, stderr %q", code, out, errb)
	}
	r, out, _ = bare(t, "fr", true)
	if code := r.erased(e, unfinished); code != ExitOK {
		t.Fatalf("--json: exit %d, %s", code, out)
	}
	doc := oneDocument(t, out.String())
	if doc["certificate"] != "E-2026-0003" || !strings.Contains(fmt.Sprint(doc["warning"]), "compacté") || doc["error"] != nil {
		t.Fatalf("--json: %v", doc)
	}
	// Any other failure is one.
	r, out, _ = bare(t, "en", true)
	if code := r.erased(e, errors.New("core: erase: boom")); code != ExitFailure || oneDocument(t, out.String())["ok"] != false {
		t.Fatalf("a real failure: exit %d, %s", code, out)
	}
	// A finished erasure has no warning.
	r, out, _ = bare(t, "en", true)
	if code := r.erased(e, nil); code != ExitOK || strings.Contains(out.String(), "warning") {
		t.Fatalf("a finished erasure: exit %d, %s", code, out)
	}
}

// verify reads before anything writes: on a vault whose audit log no
// longer chains it adds no entry (no vault.unlock, nothing purged); on a
// sound one it then does the unlock's work like any command.
func TestVerifyWritesNothingIntoTheVaultItChecks(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"CARNET_PASSPHRASE": vaulttest.StrongPassphrase, "LANG": "C"}
	if r := run(t, env, "--data-dir", dir, "init"); r.code != ExitOK {
		t.Fatalf("init: %+v", r)
	}
	logSome(t, dir, 2)
	entries := func() (n int) {
		withDB(t, dir, func(db *sql.DB) { db.QueryRow(`SELECT count(*) FROM audit_log`).Scan(&n) })
		return n
	}
	before := entries()
	if r := run(t, env, "--data-dir", dir, "verify"); r.code != ExitOK {
		t.Fatalf("verify of a sound vault: %+v", r)
	}
	if got := entries(); got != before+1 {
		t.Fatalf("a sound verify: %d entries, want %d (its vault.unlock)", got, before+1)
	}
	withDB(t, dir, func(db *sql.DB) {
		for _, q := range []string{`DROP TRIGGER audit_log_no_update`,
			`UPDATE audit_log SET action = 'tampered' WHERE id = (SELECT min(id) FROM audit_log)`} {
			if _, err := db.Exec(q); err != nil {
				t.Fatal(err)
			}
		}
	})
	before = entries()
	r := run(t, env, "--data-dir", dir, "--json", "verify")
	if r.code != ExitFailure || !strings.Contains(r.stdout, `"ok": false`) {
		t.Fatalf("verify of a broken chain: %+v", r)
	}
	if got := entries(); got != before {
		t.Fatalf("verify of a broken chain wrote into it: %d entries, had %d", got, before)
	}
}

// A command whose audit entry could not be written says so on stderr and,
// in --json, with "recorded": false; the result stays one document.
func TestJSONSaysWhenTheAuditEntryIsMissing(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"CARNET_PASSPHRASE": vaulttest.StrongPassphrase, "LANG": "C"}
	if r := run(t, env, "--data-dir", dir, "init"); r.code != ExitOK {
		t.Fatalf("init: %+v", r)
	}
	r := run(t, env, "--data-dir", dir, "--json", "backup", "-o", filepath.Join(t.TempDir(), "a.carnetbackup"))
	if doc := oneDocument(t, r.stdout); r.code != ExitOK || doc["recorded"] != nil {
		t.Fatalf("a recorded backup: %+v", r)
	}
	withDB(t, dir, func(db *sql.DB) {
		if _, err := db.Exec(`CREATE TRIGGER no_entry BEFORE INSERT ON audit_log
			WHEN NEW.action IN ('backup.write', 'vault.rekey') BEGIN SELECT RAISE(ABORT, 'refused for the test'); END`); err != nil {
			t.Fatal(err)
		}
	})
	r = run(t, env, "--data-dir", dir, "--json", "backup", "-o", filepath.Join(t.TempDir(), "b.carnetbackup"))
	if doc := oneDocument(t, r.stdout); r.code != ExitOK || doc["ok"] != true || doc["recorded"] != false ||
		!strings.Contains(r.stderr, "could not be recorded") {
		t.Fatalf("a backup not recorded: %+v", r)
	}
	r = run(t, env, "--data-dir", dir, "--json", "rekey")
	if doc := oneDocument(t, r.stdout); r.code != ExitOK || doc["ok"] != true || doc["recorded"] != false || len(fmt.Sprint(doc["recoveryCode"])) != 29 {
		t.Fatalf("a re-key not recorded: %+v", r)
	}
}

// Dates are printed as the user's language writes a local day; what is
// empty or unreadable neither panics nor turns into year 1.
func TestDatesAndSizesForPeople(t *testing.T) {
	r, out, _ := bare(t, "fr", false)
	instant := "2026-12-07T23:30:00Z"
	at, _ := time.Parse(time.RFC3339, instant)
	for _, tc := range []struct{ got, want string }{
		{r.dayOf(instant), at.Local().Format("02/01/2006")},
		{r.dayOf("2026-03-09"), "09/03/2026"},
		{r.dayOf(""), ""},
		{r.dayOf("2026"), "2026"},
		{r.momentOf(instant), at.Local().Format("02/01/2006 15:04")},
		{r.momentOf(""), ""},
		{r.day(time.Time{}), ""},
		// Decimal megabytes, as the window: 1 500 000 bytes are 1,5 Mo.
		{r.megabytes(1_500_000), "1,5"},
		{r.megabytes(1 << 20), "1,0"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
	// A backup in the rotation with no expiry known prints no "01/01/1".
	r.copiesLines(&backup.Copies{Backups: []backup.HeldBackup{{Name: "auto.carnetbackup", Time: at, Automatic: true}}})
	if strings.Contains(out.String(), "01/01/1\n") || !strings.Contains(out.String(), "auto.carnetbackup") {
		t.Fatalf("copies: %q", out)
	}
}
