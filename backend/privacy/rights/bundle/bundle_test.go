package bundle_test

import (
	"archive/zip"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"carnet/backend/crm"
	"carnet/backend/i18n"
	"carnet/backend/mail"
	"carnet/backend/privacy"
	"carnet/backend/privacy/rights"
	"carnet/backend/privacy/rights/bundle"
	"carnet/backend/sales"
	"carnet/backend/vault/vaulttest"
)

var ctx = context.Background()

// TestBundleHoldsEverythingAndItsFingerprints seeds a person with data in
// every table, writes the bundle to a chosen path, and reads it back: each
// file is listed in the manifest with its SHA-256, data.json and the CSV
// files hold every marker, the report (read with pdftotext) too, every
// e-mail is there as .eml and every document as PDF.
func TestBundleHoldsEverythingAndItsFingerprints(t *testing.T) {
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	db := vaulttest.DB(t)
	words := func(k string) string { return b.T("fr", k, nil) }
	cs, ps, ms, ss := crm.New(db, nil), privacy.New(db, nil), mail.New(db, nil), sales.New(db, nil)
	co, _ := cs.CreateCompany(ctx, crm.Company{Name: "Verrerie Kobaltine"})
	f, _ := cs.SaveCustomField(ctx, crm.CustomField{Name: "Régime", Sensitive: true, Category: "health", Condition: "a"})
	id, err := cs.CreateContact(ctx, crm.Contact{GivenName: "Ondine", FamilyName: "Brumespoir", Language: "fr", Source: "carte de visite Kobaltine",
		Emails: []crm.Email{{Address: "ondine@brumespoir.test"}}, Phones: []crm.Phone{{Number: "06 11 22 33 44"}},
		Addresses: []crm.Address{{Street: "4 impasse Brumeuse", PostalCode: "35000", City: "Rennes", Country: "FR"}},
		Companies: []crm.CompanyLink{{CompanyID: co, Role: "Souffleuse"}}, Tags: []string{"vitrail"},
		Fields: []crm.FieldValue{{FieldID: f, Value: "sans-gluten-marqueur"}}})
	if err != nil {
		t.Fatal(err)
	}
	cs.AddActivity(ctx, crm.Activity{ContactID: id, Kind: "call", Title: "Appel", Body: "appel-marqueur"})
	ps.Purposes(ctx, words)
	ps.Record(ctx, privacy.Entry{ContactID: id, Purpose: "newsletter", Channel: "email", Action: "grant", Wording: "Oui", WordingVersion: "v1",
		Method: "paper", Evidence: "coupon", EvidenceName: "coupon.pdf", EvidenceFile: []byte("%PDF coupon-marqueur"), RecordedBy: "Claire"})
	ps.SaveRequest(ctx, "Claire", privacy.Request{Kind: "access", ContactID: id, Requester: "Ondine B.", Channel: "email", ReceivedOn: time.Now().Format(time.DateOnly)})
	acct, _ := ms.SaveAccount(ctx, mail.Account{Name: "Atelier", Address: "moi@atelier.test", IMAPHost: "127.0.0.1", IMAPPort: 143,
		IMAPSecurity: mail.None, SMTPHost: "127.0.0.1", SMTPPort: 25, SMTPSecurity: mail.None, Username: "u", Password: "p"})
	for _, subj := range []string{"Commande vitrail", "Livraison vitrail"} {
		raw := "From: Ondine <ondine@brumespoir.test>\r\nTo: moi@atelier.test\r\nSubject: " + subj + "\r\nDate: Tue, 3 Nov 2026 09:00:00 +0100\r\n\r\nmessage-marqueur\r\n"
		if _, err := ms.ImportFile(ctx, acct, []byte(raw)); err != nil {
			t.Fatal(err)
		}
	}
	p, _ := ss.Profile(ctx)
	p.LegalName, p.LegalForm, p.Street, p.PostalCode, p.City, p.SIREN = "Atelier Carnet", "SARL", "1 place Bellecour", "69002", "Lyon", "443061841"
	if err := ss.SaveProfile(ctx, *p); err != nil {
		t.Fatal(err)
	}
	inv, _ := ss.SaveDraft(ctx, sales.Document{Kind: sales.KindInvoice, ContactID: id, B2C: true,
		Lines: []sales.Line{{Description: "Vitrail sur mesure", Quantity: 1000, UnitPrice: 90000, VATRate: sales.RateStandard}}})
	if _, err := ss.Issue(ctx, inv, ""); err != nil {
		t.Fatal(err)
	}

	h := rights.New(db, nil, words)
	h.Speaks = b.Has // written in the person's own language, as core asks
	d, err := h.Collect(ctx, id, "", "en")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "acces.zip")
	man, err := bundle.WriteFile(ctx, path, db, d, b)
	if err != nil {
		t.Fatal(err)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "*.partial")); len(left) != 0 {
		t.Fatalf("temporary files left: %v", left)
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		files[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	var listed bundle.Manifest
	if err := json.Unmarshal(files["manifest.json"], &listed); err != nil {
		t.Fatal(err)
	}
	if len(listed.Files) != len(files)-1 || len(man.Files) != len(listed.Files) {
		t.Fatalf("manifest lists %d files, the zip holds %d", len(listed.Files), len(files))
	}
	for _, f := range listed.Files {
		sum := sha256.Sum256(files[f.Path])
		if hex.EncodeToString(sum[:]) != f.SHA256 || len(files[f.Path]) != f.Size {
			t.Errorf("%s: fingerprint or size does not match", f.Path)
		}
	}
	for _, name := range []string{"report.pdf", "data.json", "README.txt", "csv/person.csv", "csv/emails.csv", "csv/phones.csv",
		"csv/addresses.csv", "csv/companies.csv", "csv/custom_fields.csv", "csv/activities.csv", "csv/consents.csv",
		"csv/requests.csv", "csv/emails_messages.csv", "csv/documents.csv", "csv/audit.csv",
		"emails/00001-2026-11-03.eml", "emails/00002-2026-11-03.eml", "documents/F-" + time.Now().Format("2006") + "-0001.pdf"} {
		if len(files[name]) == 0 {
			t.Errorf("%s missing or empty", name)
		}
	}
	evidence := 0
	for name := range files {
		if strings.HasPrefix(name, "consents/") && strings.Contains(string(files[name]), "coupon-marqueur") {
			evidence++
		}
	}
	if evidence != 1 {
		t.Errorf("consent evidence files: %d", evidence)
	}
	markers := []string{"Brumespoir", "ondine@brumespoir.test", "06 11 22 33 44", "4 impasse Brumeuse", "Souffleuse", "vitrail",
		"sans-gluten-marqueur", "appel-marqueur", "carte de visite Kobaltine", "Commande vitrail", "Ondine B."}
	all := string(files["data.json"])
	var csvs strings.Builder
	for name, data := range files {
		if strings.HasPrefix(name, "csv/") {
			csvs.Write(data)
		}
	}
	for _, m := range markers {
		if !strings.Contains(all, m) {
			t.Errorf("data.json lacks %q", m)
		}
		if !strings.Contains(csvs.String(), m) {
			t.Errorf("the CSV files lack %q", m)
		}
	}
	report := pdfText(t, files["report.pdf"])
	for _, m := range append(markers[:10:10], "CNIL", "Verrerie Kobaltine") {
		if !strings.Contains(report, m) {
			t.Errorf("report.pdf lacks %q", m)
		}
	}
	// The person's language, not the user's.
	if !strings.Contains(report, "Vos données") {
		t.Errorf("the report is not in French:\n%s", report[:min(400, len(report))])
	}
	if !strings.Contains(string(files["README.txt"]), "report.pdf") {
		t.Error("README.txt does not describe the files")
	}
}

func pdfText(t *testing.T, data []byte) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "r.pdf")
	os.WriteFile(f, data, 0o600)
	out, err := exec.Command("pdftotext", "-layout", f, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// TestBundleCSVDefusesFormulas: a mail subject is written by anyone; in the
// bundle's CSV files it must come out as text a spreadsheet shows, not a
// formula it runs (OWASP "CSV injection"), and so must a note starting
// with TAB or CR. The bundle is built for real and read back from the ZIP.
func TestBundleCSVDefusesFormulas(t *testing.T) {
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	db := vaulttest.DB(t)
	words := func(k string) string { return b.T("en", k, nil) }
	cs, ms := crm.New(db, nil), mail.New(db, nil)
	id, err := cs.CreateContact(ctx, crm.Contact{GivenName: "Ondine", FamilyName: "@Brumespoir", Notes: "\t=1+2",
		Emails: []crm.Email{{Address: "ondine@brumespoir.test"}}, Phones: []crm.Phone{{Number: "+33 6 11 22 33 44"}}})
	if err != nil {
		t.Fatal(err)
	}
	acct, _ := ms.SaveAccount(ctx, mail.Account{Name: "Atelier", Address: "moi@atelier.test", IMAPHost: "127.0.0.1", IMAPPort: 143,
		IMAPSecurity: mail.None, SMTPHost: "127.0.0.1", SMTPPort: 25, SMTPSecurity: mail.None, Username: "u", Password: "p"})
	subject1 := `=HYPERLINK("http://x","y")`
	raw := "From: Ondine <ondine@brumespoir.test>\r\nTo: moi@atelier.test\r\nSubject: " + subject1 +
		"\r\nDate: Tue, 3 Nov 2026 09:00:00 +0100\r\n\r\nbody\r\n"
	if _, err := ms.ImportFile(ctx, acct, []byte(raw)); err != nil {
		t.Fatal(err)
	}
	h := rights.New(db, nil, words)
	h.Speaks = b.Has // written in the person's own language, as core asks
	d, err := h.Collect(ctx, id, "", "en")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "access.zip")
	if _, err := bundle.WriteFile(ctx, path, db, d, b); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	read := func(name string) [][]string {
		t.Helper()
		f, err := zr.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		data, _ := io.ReadAll(f)
		r := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(data), "\ufeff")))
		r.FieldsPerRecord = -1
		recs, err := r.ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return recs
	}
	cell := func(recs [][]string, col int, match func(string) bool) string {
		for _, rec := range recs[1:] {
			if col < len(rec) && match(rec[col]) {
				return rec[col]
			}
		}
		return ""
	}
	msgs := read("csv/emails_messages.csv")
	if got := cell(msgs, 5, func(s string) bool { return strings.Contains(s, "HYPERLINK") }); got != "'"+subject1 {
		t.Errorf("subject in emails_messages.csv = %q, want %q", got, "'"+subject1)
	}
	person := read("csv/person.csv")
	value := func(field string) string {
		for _, rec := range person {
			if rec[0] == field {
				return rec[1]
			}
		}
		return ""
	}
	if got := value("family_name"); got != "'@Brumespoir" {
		t.Errorf("family_name = %q", got)
	}
	if got := value("notes"); got != "'\t=1+2" {
		t.Errorf("notes = %q", got)
	}
	// A phone number is arithmetic at worst: left readable.
	if got := cell(read("csv/phones.csv"), 0, func(string) bool { return true }); got != "+33 6 11 22 33 44" {
		t.Errorf("phone = %q", got)
	}
	for _, f := range zr.File {
		if !strings.HasPrefix(f.Name, "csv/") {
			continue
		}
		for _, rec := range read(f.Name) {
			for _, v := range rec {
				if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) && strings.ContainsFunc(v, func(r rune) bool { return r > '9' }) {
					t.Errorf("%s: cell %q starts a formula", f.Name, v)
				}
			}
		}
	}
}
