package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"carnet/backend/vault"
)

type result struct {
	code           int
	stdout, stderr string
}

func run(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	e := Env{
		Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string { return env[k] },
		KDF:    vault.KDFParams{Time: 1, MemKiB: 8 * 1024, Threads: 1},
	}
	code := Run(context.Background(), args, e)
	return result{code, out.String(), errb.String()}
}

func TestInitVerifyPasswd(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "vault")
	env := map[string]string{"CARNET_PASSPHRASE": "first passphrase", "LANG": "C"}

	r := run(t, env, "--data-dir", dir, "--json", "init")
	var created struct {
		OK           bool   `json:"ok"`
		RecoveryCode string `json:"recoveryCode"`
	}
	if r.code != ExitOK || json.Unmarshal([]byte(r.stdout), &created) != nil || !created.OK || len(created.RecoveryCode) != 29 {
		t.Fatalf("init: %+v", r)
	}
	if r := run(t, env, "init", "--data-dir", dir); r.code != ExitFailure || !strings.Contains(r.stderr, "already exists") {
		t.Fatalf("second init: %+v", r)
	}
	if r := run(t, env, "--data-dir", dir, "verify"); r.code != ExitOK || !strings.Contains(r.stdout, "sound") {
		t.Fatalf("verify: %+v", r)
	}
	wrong := map[string]string{"CARNET_PASSPHRASE": "not the passphrase", "LANG": "fr_FR.UTF-8"}
	if r := run(t, wrong, "--data-dir", dir, "verify"); r.code != ExitFailure || !strings.Contains(r.stderr, "Phrase de passe incorrecte") {
		t.Fatalf("verify with a wrong passphrase, in French: %+v", r)
	}
	env["CARNET_NEW_PASSPHRASE"] = "second passphrase"
	if r := run(t, env, "--data-dir", dir, "passwd"); r.code != ExitOK {
		t.Fatalf("passwd: %+v", r)
	}
	if r := run(t, env, "--data-dir", dir, "verify"); r.code != ExitFailure {
		t.Fatalf("the old passphrase still works after passwd: %+v", r)
	}
	env["CARNET_PASSPHRASE"] = "second passphrase"
	if r := run(t, env, "--data-dir", dir, "--json", "verify"); r.code != ExitOK || !strings.Contains(r.stdout, `"ok": true`) {
		t.Fatalf("verify with the new passphrase: %+v", r)
	}
}

func TestVerifyReportsADamagedDatabase(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"CARNET_PASSPHRASE": "first passphrase"}
	if r := run(t, env, "--data-dir", dir, "init"); r.code != ExitOK {
		t.Fatalf("init: %+v", r)
	}
	db := filepath.Join(dir, "carnet.db")
	b, _ := os.ReadFile(db)
	// Page 2 onwards is data; scramble one page in the middle of the file.
	if len(b) < 3*4096 {
		t.Fatalf("database unexpectedly small: %d bytes", len(b))
	}
	for i := 4096; i < 2*4096; i++ {
		b[i] ^= 0x5a
	}
	os.WriteFile(db, b, 0o600)
	r := run(t, env, "--data-dir", dir, "verify")
	if r.code != ExitFailure {
		t.Fatalf("verify of a damaged database: %+v", r)
	}
}

func TestNoPassphraseAndNoTerminal(t *testing.T) {
	r := run(t, map[string]string{}, "--data-dir", t.TempDir(), "init")
	if r.code != ExitFailure || !strings.Contains(r.stderr, "CARNET_PASSPHRASE") {
		t.Fatalf("init without a passphrase: %+v", r)
	}
}

func TestUsage(t *testing.T) {
	if r := run(t, nil, "frobnicate"); r.code != ExitUsage {
		t.Fatalf("unknown command: %+v", r)
	}
	if r := run(t, nil, "help"); r.code != ExitOK || !strings.Contains(r.stdout, "verify") {
		t.Fatalf("help: %+v", r)
	}
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{nil, false},
		{[]string{"--data-dir", "/x"}, false},
		{[]string{"--data-dir", "/x", "verify"}, true},
		{[]string{"version"}, true},
	} {
		if got := Wanted(tc.args); got != tc.want {
			t.Errorf("Wanted(%q) = %v", tc.args, got)
		}
	}
}

func TestContactsCommands(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"CARNET_PASSPHRASE": "first passphrase", "LANG": "fr_FR.UTF-8"}
	if r := run(t, env, "--data-dir", dir, "init"); r.code != ExitOK {
		t.Fatalf("init: %+v", r)
	}
	csvPath := filepath.Join(t.TempDir(), "clients.csv")
	os.WriteFile(csvPath, []byte("Prénom;Nom;Adresse e-mail;Téléphone;Société\nHélène;Dupont;helene@example.fr;06 12 34 56 78;Lemaire SA\nZoé;Lambert;pas-une-adresse;;\n"), 0o600)

	r := run(t, env, "--data-dir", dir, "contacts", "import", csvPath, "--dry-run")
	// Row 3's bad e-mail is skipped and named; Zoé is imported without it.
	if r.code != ExitOK || !strings.Contains(r.stdout, "Essai à blanc") || !strings.Contains(r.stdout, "1 valeurs ignorées") ||
		!strings.Contains(r.stdout, "ligne 3 : Adresse e-mail « pas-une-adresse » ignoré (Adresse e-mail invalide.)") {
		t.Fatalf("dry run: %+v", r)
	}
	if r := run(t, env, "--data-dir", dir, "--json", "contacts", "search", "helene"); r.stdout != "[]\n" {
		t.Fatalf("the dry run wrote: %+v", r)
	}
	r = run(t, env, "--json", "contacts", "import", "--data-dir", dir, csvPath)
	var sum struct{ New, Updated int }
	if r.code != ExitOK || json.Unmarshal([]byte(r.stdout), &sum) != nil || sum.New != 2 {
		t.Fatalf("import: %+v", r)
	}
	r = run(t, env, "--data-dir", dir, "--json", "contacts", "search", "0612345678")
	var hits []struct {
		Kind string
		ID   int64
	}
	if json.Unmarshal([]byte(r.stdout), &hits) != nil || len(hits) != 1 || hits[0].Kind != "contact" {
		t.Fatalf("search by phone: %+v", r)
	}
	r = run(t, env, "--data-dir", dir, "contacts", "show", fmt.Sprint(hits[0].ID))
	if r.code != ExitOK || !strings.Contains(r.stdout, "Hélène Dupont") || !strings.Contains(r.stdout, "import : clients.csv") {
		t.Fatalf("show: %+v", r)
	}
	out := filepath.Join(t.TempDir(), "export.vcf")
	if r := run(t, env, "--data-dir", dir, "contacts", "export", "--format", "vcard", "-o", out); r.code != ExitOK {
		t.Fatalf("export: %+v", r)
	}
	if b, _ := os.ReadFile(out); !strings.Contains(string(b), "FN:Hélène Dupont") {
		t.Fatalf("vCard export: %s", b)
	}
	if r := run(t, env, "--data-dir", dir, "--json", "demo", "--contacts", "50", "--seed", "7"); r.code != ExitOK || !strings.Contains(r.stdout, `"contacts": 50`) {
		t.Fatalf("demo: %+v", r)
	}
	// A vCard saved under another name (phones share "contacts.txt") is
	// read as a vCard, as the window does, not as a CSV with bad rows.
	txt := filepath.Join(t.TempDir(), "contacts.txt")
	os.WriteFile(txt, []byte("\xef\xbb\xbfbegin:vcard\r\nVERSION:3.0\r\nN:Quenouille;Ysaline;;;\r\nFN:Ysaline Quenouille\r\nEMAIL:ysaline@example.fr\r\nEND:VCARD\r\n"), 0o600)
	r = run(t, env, "--json", "contacts", "import", "--data-dir", dir, txt)
	if r.code != ExitOK || json.Unmarshal([]byte(r.stdout), &sum) != nil || sum.New != 1 {
		t.Fatalf("vCard named .txt: %+v", r)
	}
	if r := run(t, env, "--data-dir", dir, "--json", "contacts", "search", "ysaline@example.fr"); !strings.Contains(r.stdout, `"contact"`) {
		t.Fatalf("the vCard named .txt was not imported as one: %+v", r)
	}
	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte("Nom;Prénom\nDupont;\"Hélène\n"), 0o600)
	if r := run(t, env, "--data-dir", dir, "contacts", "import", bad); r.code != ExitFailure || !strings.Contains(r.stderr, "mal formé") {
		t.Fatalf("malformed file: %+v", r)
	}
}

func TestDemoAndSalesCommands(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"CARNET_PASSPHRASE": "first passphrase", "LANG": "fr_FR.UTF-8"}
	if r := run(t, env, "--data-dir", dir, "init"); r.code != ExitOK {
		t.Fatalf("init: %+v", r)
	}
	r := run(t, env, "--data-dir", dir, "--json", "demo", "--contacts", "100", "--seed", "5")
	if r.code != ExitOK || !strings.Contains(r.stdout, `"invoices"`) {
		t.Fatalf("demo: %+v", r)
	}
	r = run(t, env, "--data-dir", dir, "--json", "sales", "list", "--kind", "invoice")
	var list []struct {
		Number string
		Status string
	}
	if r.code != ExitOK || json.Unmarshal([]byte(r.stdout), &list) != nil || len(list) < 10 {
		t.Fatalf("sales list: %+v", r)
	}
	statuses := map[string]bool{}
	for _, d := range list {
		statuses[d.Status] = true
	}
	for _, s := range []string{"paid", "partially_paid", "overdue", "credited"} {
		if !statuses[s] {
			t.Errorf("the demo has no %s invoice: %v", s, statuses)
		}
	}
	out := filepath.Join(t.TempDir(), "f.pdf")
	r = run(t, env, "--data-dir", dir, "sales", "pdf", list[len(list)-1].Number, "-o", out)
	if r.code != ExitOK {
		t.Fatalf("sales pdf: %+v", r)
	}
	if b, _ := os.ReadFile(out); !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatal("not a PDF")
	}
	if r := run(t, env, "--data-dir", dir, "sales", "pdf", "F-1999-0001", "-o", out); r.code != ExitFailure {
		t.Fatalf("unknown number: %+v", r)
	}
	// A second demo run keeps invoice numbers chronological.
	if r := run(t, env, "--data-dir", dir, "demo", "--contacts", "10"); r.code != ExitOK {
		t.Fatalf("second demo: %+v", r)
	}
}
