package cli

import (
	"archive/zip"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPrivacyExportAndErase(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"CARNET_PASSPHRASE": "first passphrase", "LANG": "C"}
	if r := run(t, env, "--data-dir", dir, "init"); r.code != ExitOK {
		t.Fatalf("init: %+v", r)
	}
	csv := filepath.Join(t.TempDir(), "c.csv")
	os.WriteFile(csv, []byte("Prénom;Nom;E-mail;Téléphone\nHélène;Dupont;helene@example.fr;06 12 34 56 78\nPaul;Martin;paul@example.fr;\n"), 0o600)
	if r := run(t, env, "--data-dir", dir, "contacts", "import", csv); r.code != ExitOK {
		t.Fatalf("import: %+v", r)
	}
	if r := run(t, env, "--data-dir", dir, "privacy", "export", "--contact", "1"); r.code != ExitUsage {
		t.Fatalf("export without -o: %+v", r)
	}
	if r := run(t, env, "--data-dir", dir, "privacy", "export", "--contact", "1", "--email", "x@y.z", "-o", "a.zip"); r.code != ExitUsage {
		t.Fatalf("export with both --contact and --email: %+v", r)
	}
	out := filepath.Join(t.TempDir(), "helene")
	r := run(t, env, "--data-dir", dir, "--json", "privacy", "export", "--email", "HELENE@example.fr", "-o", out)
	var res struct {
		Path  string
		Files int
	}
	if r.code != ExitOK || json.Unmarshal([]byte(r.stdout), &res) != nil || res.Path != out+".zip" || res.Files < 10 {
		t.Fatalf("export by e-mail: %+v", r)
	}
	zr, err := zip.OpenReader(res.Path)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, f := range zr.File {
		names[f.Name] = true
	}
	zr.Close()
	if !names["report.pdf"] || !names["data.json"] || !names["manifest.json"] || !names["csv/person.csv"] {
		t.Fatalf("bundle files: %v", names)
	}
	if r := run(t, env, "--data-dir", dir, "privacy", "export", "--email", "nobody@example.fr", "-o", out+"2.zip"); r.code != ExitFailure {
		t.Fatalf("export of an unknown address: %+v", r)
	}

	// The dry run changes nothing; the erasure then does what it said.
	r = run(t, env, "--data-dir", dir, "privacy", "erase", "--contact", "1", "--dry-run")
	if r.code != ExitOK || !strings.Contains(r.stdout, "Hélène Dupont") || !strings.Contains(r.stdout, "1 phone number") {
		t.Fatalf("dry run: %+v", r)
	}
	if r := run(t, env, "--data-dir", dir, "--json", "contacts", "search", "dupont"); r.code != ExitOK || !strings.Contains(r.stdout, "Dupont") {
		t.Fatalf("the dry run erased: %+v", r)
	}
	r = run(t, env, "--data-dir", dir, "--json", "privacy", "erase", "--contact", "1")
	var e struct{ Certificate string }
	if r.code != ExitOK || json.Unmarshal([]byte(r.stdout), &e) != nil || !strings.HasPrefix(e.Certificate, "E-") {
		t.Fatalf("erase: %+v", r)
	}
	if r := run(t, env, "--data-dir", dir, "--json", "contacts", "search", "dupont"); r.code != ExitOK || strings.Contains(r.stdout, "Dupont") {
		t.Fatalf("found after erasure: %+v", r)
	}
	if r := run(t, env, "--data-dir", dir, "privacy", "erase", "--contact", "1"); r.code != ExitFailure {
		t.Fatalf("erasing twice: %+v", r)
	}
	r = run(t, env, "--data-dir", dir, "--json", "privacy", "audit")
	if r.code != ExitOK || !strings.Contains(r.stdout, `"contact.erase"`) || !strings.Contains(r.stdout, `"export.subject_access"`) || strings.Contains(r.stdout, "helene") {
		t.Fatalf("audit: %+v", r)
	}
	// Each command added one entry of its own action, naming the command
	// line and the person (by id: an erased person has no name any more).
	var log []struct {
		Actor, Action string
		SubjectKind   string
		SubjectID     int64
	}
	if err := json.Unmarshal([]byte(r.stdout), &log); err != nil {
		t.Fatal(err)
	}
	for _, action := range []string{"export.subject_access", "contact.erase"} {
		var n int
		for _, e := range log {
			if e.Action != action {
				continue
			}
			n++
			if !strings.Contains(e.Actor, "(cli") || e.SubjectKind != "contact" || e.SubjectID != 1 {
				t.Errorf("%s entry %+v: want contact 1 by the command line", action, e)
			}
		}
		if n != 1 {
			t.Errorf("%d %s entries, want 1", n, action)
		}
	}
	if r := run(t, env, "--data-dir", dir, "--json", "verify"); r.code != ExitOK {
		t.Fatalf("verify after erasure: %+v", r)
	}
}
