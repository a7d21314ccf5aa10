package cli

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"carnet/backend/vault/vaulttest"
)

// Saving a document's PDF from the terminal is recorded as from the
// window: one export.document entry naming the actor and the document.
func TestSalesPDFAddsOneAuditEntry(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"CARNET_PASSPHRASE": vaulttest.StrongPassphrase, "LANG": "C"}
	if r := run(t, env, "--data-dir", dir, "init"); r.code != ExitOK {
		t.Fatalf("init: %+v", r)
	}
	if r := run(t, env, "--data-dir", dir, "demo", "--contacts", "20", "--seed", "3"); r.code != ExitOK {
		t.Fatalf("demo: %+v", r)
	}
	r := run(t, env, "--data-dir", dir, "--json", "sales", "list", "--kind", "invoice")
	var list []struct {
		ID     int64
		Number string
	}
	if r.code != ExitOK || json.Unmarshal([]byte(r.stdout), &list) != nil || len(list) == 0 {
		t.Fatalf("sales list: %+v", r)
	}
	if n := len(auditOf(t, env, dir, "export.document")); n != 0 {
		t.Fatalf("%d export.document entries before any export", n)
	}
	doc := list[0]
	out := filepath.Join(t.TempDir(), "invoice.pdf")
	if r := run(t, env, "--data-dir", dir, "sales", "pdf", doc.Number, "-o", out); r.code != ExitOK || !strings.Contains(r.stdout, doc.Number) {
		t.Fatalf("sales pdf: %+v", r)
	}
	got := auditOf(t, env, dir, "export.document")
	if len(got) != 1 {
		t.Fatalf("want one export.document entry, got %d: %+v", len(got), got)
	}
	if e := got[0]; !strings.Contains(e.Actor, "(cli") || e.SubjectKind != "document" || e.SubjectID != doc.ID || e.Detail["format"] != "pdf" {
		t.Fatalf("entry %+v, want the command line exporting document %d as pdf", e, doc.ID)
	}
	text, err := exec.Command("pdftotext", out, "-").Output()
	if err != nil || !strings.Contains(string(text), doc.Number) {
		t.Fatalf("the PDF does not say %s: %v\n%s", doc.Number, err, text)
	}
	// An unknown number writes nothing and records nothing.
	if r := run(t, env, "--data-dir", dir, "sales", "pdf", "F-1999-0001", "-o", out); r.code != ExitFailure {
		t.Fatalf("unknown number: %+v", r)
	}
	if n := len(auditOf(t, env, dir, "export.document")); n != 1 {
		t.Fatalf("%d export.document entries after a failed export, want still 1", n)
	}
}
