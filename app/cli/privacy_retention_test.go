package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestPrivacyRetentionAndBreaches(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"CARNET_PASSPHRASE": "first passphrase", "LANG": "C"}
	if r := run(t, env, "--data-dir", dir, "init"); r.code != ExitOK {
		t.Fatalf("init: %+v", r)
	}
	csv := filepath.Join(t.TempDir(), "c.csv")
	old := time.Now().AddDate(-4, 0, 0).Format(time.DateOnly)
	os.WriteFile(csv, []byte("Prénom;Nom;E-mail;Dernier contact\nHélène;Dupont;helene@example.fr;"+old+"\nPaul;Martin;paul@example.fr;\n"), 0o600)
	if r := run(t, env, "--data-dir", dir, "contacts", "import", csv); r.code != ExitOK {
		t.Fatalf("import: %+v", r)
	}
	// Today nobody is due (created today); four years on, everyone is.
	r := run(t, env, "--data-dir", dir, "--json", "privacy", "retention")
	var sw struct{ DueNow int }
	if r.code != ExitOK || json.Unmarshal([]byte(r.stdout), &sw) != nil || sw.DueNow != 0 {
		t.Fatalf("retention today: %+v", r)
	}
	later := time.Now().AddDate(4, 0, 0).Format(time.DateOnly)
	r = run(t, env, "--data-dir", dir, "--json", "privacy", "retention", "--as-of", later)
	if r.code != ExitOK || json.Unmarshal([]byte(r.stdout), &sw) != nil || sw.DueNow != 2 {
		t.Fatalf("retention in four years: %+v", r)
	}
	if r := run(t, env, "--data-dir", dir, "privacy", "retention", "--as-of", "demain"); r.code != ExitUsage {
		t.Fatalf("bad --as-of: %+v", r)
	}
	if r := run(t, env, "--data-dir", dir, "--json", "privacy", "breaches"); r.code != ExitOK || strings.TrimSpace(r.stdout) != "[]" {
		t.Fatalf("breaches: %+v", r)
	}
	if r := run(t, env, "--data-dir", dir, "privacy", "breach", "report", "1", "-o", filepath.Join(t.TempDir(), "v.pdf")); r.code != ExitFailure {
		t.Fatalf("report of no breach: %+v", r)
	}
}
