package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPrivacyConsentCommands(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"CARNET_PASSPHRASE": "first passphrase", "LANG": "C"}
	if r := run(t, env, "--data-dir", dir, "init"); r.code != ExitOK {
		t.Fatalf("init: %+v", r)
	}
	csv := filepath.Join(t.TempDir(), "c.csv")
	os.WriteFile(csv, []byte("Prénom;Nom;E-mail\nHélène;Dupont;helene@example.fr\n"), 0o600)
	if r := run(t, env, "--data-dir", dir, "contacts", "import", csv); r.code != ExitOK {
		t.Fatalf("import: %+v", r)
	}
	if r := run(t, env, "--data-dir", dir, "--json", "privacy", "purposes"); r.code != ExitOK || !strings.Contains(r.stdout, `"newsletter"`) {
		t.Fatalf("purposes: %+v", r)
	}
	// The first grant gives the wording; later ones name it by version.
	if r := run(t, env, "--data-dir", dir, "privacy", "consent", "grant", "--contact", "1", "--purpose", "newsletter",
		"--channel", "email", "--wording", "J’accepte de recevoir la lettre.", "--wording-version", "v1", "--evidence", "formulaire papier"); r.code != ExitOK {
		t.Fatalf("grant: %+v", r)
	}
	if r := run(t, env, "--data-dir", dir, "privacy", "consent", "grant", "--contact", "1", "--purpose", "newsletter",
		"--channel", "sms", "--wording-version", "v1"); r.code != ExitOK {
		t.Fatalf("grant by version: %+v", r)
	}
	if r := run(t, env, "--data-dir", dir, "privacy", "consent", "grant", "--contact", "1", "--purpose", "newsletter",
		"--channel", "post", "--wording-version", "v9"); r.code != ExitFailure {
		t.Fatalf("unknown wording version accepted: %+v", r)
	}
	if r := run(t, env, "--data-dir", dir, "privacy", "consent", "withdraw", "--contact", "1", "--purpose", "newsletter", "--channel", "email", "--method", "email"); r.code != ExitOK {
		t.Fatalf("withdraw: %+v", r)
	}
	r := run(t, env, "--data-dir", dir, "--json", "privacy", "consent", "history", "--contact", "1")
	var h struct {
		Current []struct{ Channel, Status string }
		History []struct{ Action, Wording string }
	}
	if r.code != ExitOK || json.Unmarshal([]byte(r.stdout), &h) != nil || len(h.History) != 3 || h.History[1].Wording != "J’accepte de recevoir la lettre." {
		t.Fatalf("history: %+v", r)
	}
	if len(h.Current) != 2 || h.Current[0].Status != "withdrawn" || h.Current[1].Status != "granted" {
		t.Fatalf("current: %+v", h.Current)
	}
	r = run(t, env, "--data-dir", dir, "--json", "privacy", "audit", "--contact", "1")
	if r.code != ExitOK || strings.Count(r.stdout, `"consent.`) != 3 || strings.Contains(r.stdout, "helene@") {
		t.Fatalf("audit: %+v", r)
	}
	if r := run(t, env, "--data-dir", dir, "--json", "privacy", "requests", "--open"); r.code != ExitOK || strings.TrimSpace(r.stdout) != "[]" {
		t.Fatalf("requests: %+v", r)
	}
	r = run(t, env, "--data-dir", dir, "--json", "verify")
	if r.code != ExitOK || !strings.Contains(r.stdout, `"ledger"`) || strings.Contains(r.stdout, `"ok": false`) {
		t.Fatalf("verify with chains: %+v", r)
	}
}
