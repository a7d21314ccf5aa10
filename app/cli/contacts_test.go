package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"carnet/backend/privacy"
	"carnet/backend/vault/vaulttest"
)

// auditOf reads the vault's audit log with the command line, and keeps the
// entries of action.
func auditOf(t *testing.T, env map[string]string, dir, action string) []privacy.AuditEntry {
	t.Helper()
	r := run(t, env, "--data-dir", dir, "--json", "privacy", "audit")
	var all []privacy.AuditEntry
	if r.code != ExitOK || json.Unmarshal([]byte(r.stdout), &all) != nil {
		t.Fatalf("privacy audit: %+v", r)
	}
	var out []privacy.AuditEntry
	for _, e := range all {
		if e.Action == action {
			out = append(out, e)
		}
	}
	return out
}

// The command line leaves the same trail as the window: a DPO's audit log
// that misses what was done from a terminal is not one (GDPR Art. 5(2)).
func TestContactsShowExportAndImportEachAddOneAuditEntry(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"CARNET_PASSPHRASE": vaulttest.StrongPassphrase, "LANG": "en_GB.UTF-8"}
	if r := run(t, env, "--data-dir", dir, "init"); r.code != ExitOK {
		t.Fatalf("init: %+v", r)
	}
	// A vCard under a .txt name: read by its content.
	cards := filepath.Join(t.TempDir(), "cards.txt")
	os.WriteFile(cards, []byte("BEGIN:VCARD\r\nVERSION:3.0\r\nN:Martin;Hélène;;;\r\nFN:Hélène Martin\r\nEMAIL:helene@example.fr\r\nEND:VCARD\r\n"+
		"BEGIN:VCARD\r\nVERSION:3.0\r\nN:Durand;Paul;;;\r\nFN:Paul Durand\r\nEMAIL:paul@example.fr\r\nEND:VCARD\r\n"), 0o600)
	if r := run(t, env, "--data-dir", dir, "contacts", "import", cards); r.code != ExitOK {
		t.Fatalf("import: %+v", r)
	}
	imports := auditOf(t, env, dir, "import.contacts")
	if len(imports) != 1 || imports[0].Detail["count"] != float64(2) || imports[0].Detail["format"] != "vcard" || !strings.Contains(imports[0].Actor, "(cli") {
		t.Fatalf("import entries: %+v", imports)
	}

	r := run(t, env, "--data-dir", dir, "--json", "contacts", "search", "helene@example.fr")
	var hits []struct{ ID int64 }
	if json.Unmarshal([]byte(r.stdout), &hits) != nil || len(hits) != 1 {
		t.Fatalf("search: %+v", r)
	}
	id := hits[0].ID
	if r := run(t, env, "--data-dir", dir, "contacts", "show", fmt.Sprint(id)); r.code != ExitOK || !strings.Contains(r.stdout, "Hélène Martin") {
		t.Fatalf("show: %+v", r)
	}
	views := auditOf(t, env, dir, "contact.view")
	if len(views) != 1 {
		t.Fatalf("%d contact.view entries after one show, want 1: %+v", len(views), views)
	}
	if v := views[0]; v.SubjectKind != "contact" || v.SubjectID != id || !strings.Contains(v.Actor, "(cli") {
		t.Errorf("view entry %+v, want contact %d by the command line", v, id)
	}

	out := filepath.Join(t.TempDir(), "contacts.csv")
	if r := run(t, env, "--data-dir", dir, "contacts", "export", "-o", out); r.code != ExitOK {
		t.Fatalf("export: %+v", r)
	}
	exports := auditOf(t, env, dir, "export.contacts")
	if len(exports) != 1 {
		t.Fatalf("%d export.contacts entries after one export, want 1: %+v", len(exports), exports)
	}
	if e := exports[0]; e.Detail["count"] != float64(2) || e.Detail["format"] != "csv" || e.Detail["sensitive"] != false || !strings.Contains(e.Actor, "(cli") {
		t.Errorf("export entry %+v", e)
	}
	if b, err := os.ReadFile(out); err != nil || !strings.Contains(string(b), "paul@example.fr") {
		t.Fatalf("exported file: %s, %v", b, err)
	}
	// Reading the log and searching are not in it; the show and the export
	// were counted once each.
	if n := len(auditOf(t, env, dir, "contact.view")); n != 1 {
		t.Errorf("%d contact.view entries at the end", n)
	}
}
