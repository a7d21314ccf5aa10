package cli

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestPrivacyRegisterWritesPDFODSAndCSV(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"CARNET_PASSPHRASE": "first passphrase", "LANG": "fr_FR.UTF-8"}
	if r := run(t, env, "--data-dir", dir, "init"); r.code != ExitOK {
		t.Fatalf("init: %+v", r)
	}
	out := t.TempDir()

	pdf := filepath.Join(out, "registre.PDF") // the extension's case does not matter
	if r := run(t, env, "--data-dir", dir, "privacy", "register", "-o", pdf); r.code != ExitOK || !strings.Contains(r.stdout, "registre.PDF") {
		t.Fatalf("pdf: %+v", r)
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatal("pdftotext is missing: install poppler-utils (make test does)")
	}
	text, err := exec.Command("pdftotext", "-layout", pdf, "-").Output()
	if err != nil || !bytes.Contains(text, []byte("Registre des activités de traitement")) || !bytes.Contains(text, []byte("Gestion de la clientèle")) {
		t.Errorf("the PDF does not read as the French register (%v):\n%s", err, text)
	}
	// Exactly one entry in the audit log, naming the command line (Art. 5(2)).
	exports := registerExports(t, env, dir)
	if len(exports) != 1 || !strings.Contains(exports[0].Actor, "(cli") || exports[0].Detail["format"] != "pdf" {
		t.Fatalf("export.register entries after one export: %+v", exports)
	}

	ods := filepath.Join(out, "registre.ods")
	if r := run(t, env, "--data-dir", dir, "--json", "privacy", "register", "-o", ods); r.code != ExitOK || !strings.Contains(r.stdout, `"format": "ods"`) {
		t.Fatalf("ods: %+v", r)
	}
	z, err := zip.OpenReader(ods)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	if z.File[0].Name != "mimetype" || z.File[0].Method != zip.Store {
		t.Errorf("the ODS does not start with its stored mimetype: %q", z.File[0].Name)
	}
	rc, _ := z.Open("content.xml")
	var content bytes.Buffer
	content.ReadFrom(rc)
	rc.Close()
	// The common sheet and the five default activities.
	if n := strings.Count(content.String(), "<table:table "); n != 6 {
		t.Errorf("%d sheets, want 6", n)
	}

	csvFile := filepath.Join(out, "registre.csv")
	if r := run(t, env, "--data-dir", dir, "privacy", "register", "-o", csvFile); r.code != ExitOK {
		t.Fatalf("csv: %+v", r)
	}
	b, _ := os.ReadFile(csvFile)
	cr := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff"))))
	cr.Comma = ';'
	records, err := cr.ReadAll()
	if err != nil || len(records) < 6*10 || records[0][0] != "Feuille" {
		t.Errorf("the CSV: %d records, %v", len(records), err)
	}

	if n := len(registerExports(t, env, dir)); n != 3 {
		t.Errorf("%d export.register entries after three exports", n)
	}

	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no output file", []string{"privacy", "register"}, "-o"},
		{"an extension that is not a format", []string{"privacy", "register", "-o", filepath.Join(out, "registre.docx")}, "registre.docx"},
	} {
		r := run(t, env, append([]string{"--data-dir", dir}, tc.args...)...)
		if r.code != ExitUsage || !strings.Contains(r.stderr, tc.want) || !strings.Contains(r.stderr, "Usage") {
			t.Errorf("%s: %+v", tc.name, r)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "registre.docx")); err == nil {
		t.Error("a file was written for an unknown format")
	}
	if n := len(registerExports(t, env, dir)); n != 3 {
		t.Errorf("%d export.register entries after refused commands, want 3", n)
	}
}

type auditLine struct {
	Actor, Action string
	Detail        map[string]any
}

// registerExports reads the audit log with "privacy audit" and returns its
// export.register entries.
func registerExports(t *testing.T, env map[string]string, dir string) []auditLine {
	t.Helper()
	r := run(t, env, "--data-dir", dir, "--json", "privacy", "audit")
	var all []auditLine
	if r.code != ExitOK || json.Unmarshal([]byte(r.stdout), &all) != nil {
		t.Fatalf("privacy audit: %+v", r)
	}
	var out []auditLine
	for _, e := range all {
		if e.Action == "export.register" {
			out = append(out, e)
		}
	}
	return out
}
