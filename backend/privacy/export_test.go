package privacy_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/xml"
	"io"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"carnet/backend/i18n"
	"carnet/backend/privacy"
	"carnet/backend/vault/vaulttest"
)

// activityItems is how many items every activity sheet has (CNIL template).
const activityItems = 13

// sampleRegister is the default catalogue in French plus activities whose
// names spreadsheets would refuse as tab names.
func sampleRegister(t *testing.T) (privacy.Register, func(string) string) {
	t.Helper()
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	tr := func(k string) string { return b.T("fr", k, nil) }
	ctx := context.Background()
	s := privacy.New(vaulttest.DB(t), nil)
	if _, err := s.Purposes(ctx, tr); err != nil {
		t.Fatal(err)
	}
	long := "Vidéoprotection: accès [entrée/sortie] *caméras* du dépôt?"
	for _, p := range []privacy.Purpose{
		{Name: long, Description: "Sécurité des biens & des personnes <locaux>", LawfulBasis: "legitimate_interests",
			BalancingNote:    "Prévenir les vols ; caméras limitées aux accès, personnes informées par affichage.",
			PeopleCategories: []string{"Salariés", "Visiteurs"}, DataCategories: []string{"Images"},
			Recipients:      []privacy.Recipient{{Name: "Télésurveillance Rhône", Kind: "processor", Country: "FR"}},
			Transfers:       []privacy.Transfer{{Country: "US", Safeguard: "Clauses contractuelles types de la Commission"}},
			RetentionMonths: 1, RetentionFrom: "collection", SensitiveCondition: ""},
		{Name: long + " (bis)", LawfulBasis: "consent", SensitiveCondition: "Consentement explicite (art. 9.2.a)",
			Description: "=HYPERLINK(\"http://example.com\")"},
	} {
		if _, err := s.SavePurpose(ctx, "test", p); err != nil {
			t.Fatal(err)
		}
	}
	list, err := s.Purposes(ctx, tr)
	if err != nil {
		t.Fatal(err)
	}
	controller := privacy.Party{Name: "Atelier Carnet & Fils <SARL>", Address: "1 place Bellecour\n69002 Lyon", ID: "443061841",
		Email: "contact@atelier.example", Phone: "+33 4 72 00 00 00"}
	profile := privacy.Profile{DPOName: "Claire Dupont", DPOEmail: "dpo@atelier.example"}
	measures := []string{tr("privacy.default.security.encryption"), "Sauvegarde chiffrée hebdomadaire"}
	return privacy.BuildRegister(controller, profile, list, measures, time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)), tr
}

func TestRegisterCSVHasEveryItemOfEveryActivity(t *testing.T) {
	r, tr := sampleRegister(t)
	var buf bytes.Buffer
	if err := privacy.WriteRegisterCSV(&buf, r, tr); err != nil {
		t.Fatal(err)
	}
	data, ok := bytes.CutPrefix(buf.Bytes(), []byte("\ufeff"))
	if !ok {
		t.Fatal("no UTF-8 byte order mark: Excel would misread the accents")
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma = ';'
	cr.FieldsPerRecord = 3
	records, err := cr.ReadAll()
	if err != nil {
		t.Fatalf("the CSV does not parse: %v", err)
	}
	if got := strings.Join(records[0], "|"); got != "Feuille|Rubrique|Valeur" {
		t.Errorf("header %q", got)
	}
	perSheet := map[string]int{}
	var order []string
	for _, rec := range records[1:] {
		if perSheet[rec[0]] == 0 {
			order = append(order, rec[0])
		}
		perSheet[rec[0]]++
	}
	if len(order) != 1+len(r.Activities) || order[0] != "Registre" {
		t.Fatalf("sheets %q, want Registre then %d activities", order, len(r.Activities))
	}
	for _, name := range order[1:] {
		if perSheet[name] != activityItems {
			t.Errorf("activity %q has %d items, want %d", name, perSheet[name], activityItems)
		}
	}
	text := string(data)
	for _, want := range []string{"Atelier Carnet & Fils <SARL>", "Claire Dupont", "Intérêt légitime (art. 6.1.f du RGPD)",
		"Consentement (art. 6.1.a du RGPD)", "US : Clauses contractuelles types de la Commission", "1 mois à compter de la collecte",
		"Oui. Condition de l’art. 9.2 : Consentement explicite (art. 9.2.a)", "Télésurveillance Rhône (sous-traitant, FR)",
		"3 ans à compter de la fin de la relation commerciale", "10 ans à compter de la date de facture", "Sauvegarde chiffrée hebdomadaire",
		"28/11/2026"} {
		if !strings.Contains(text, want) {
			t.Errorf("the CSV lacks %q", want)
		}
	}
	// A value that a spreadsheet would run as a formula is defused; a phone
	// number is left as it is.
	for _, want := range []string{`'=HYPERLINK(""http://example.com"")`, ";+33 4 72 00 00 00"} {
		if !strings.Contains(text, want) {
			t.Errorf("the CSV lacks %q", want)
		}
	}
	// Carnet's own measures are listed once even when the activity names them too.
	for _, rec := range records {
		if rec[1] == "Mesures de sécurité" && strings.Count(rec[2], tr("privacy.default.security.encryption")) != 1 {
			t.Errorf("%s: measures repeated: %q", rec[0], rec[2])
		}
	}
}

const (
	nsTable  = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
	nsText   = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
	odsMIME  = "application/vnd.oasis.opendocument.spreadsheet"
	sheetBan = `[]:*?/\`
)

func TestRegisterODSIsAnOpenDocumentSpreadsheet(t *testing.T) {
	r, tr := sampleRegister(t)
	var buf bytes.Buffer
	if err := privacy.WriteRegisterODS(&buf, r, tr); err != nil {
		t.Fatal(err)
	}
	raw := buf.Bytes()
	// ODF: "mimetype" first, stored, no extra field, so its content sits
	// at offset 38 where file-type sniffers look.
	if string(raw[30:38]) != "mimetype" || string(raw[38:38+len(odsMIME)]) != odsMIME {
		t.Fatalf("the archive does not start with the stored mimetype: %q", raw[:80])
	}
	z, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatal(err)
	}
	if f := z.File[0]; f.Name != "mimetype" || f.Method != zip.Store {
		t.Fatalf("first entry %q method %d, want mimetype stored", f.Name, f.Method)
	}
	files := map[string][]byte{}
	for _, f := range z.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name], err = io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
	}
	for _, name := range []string{"META-INF/manifest.xml", "styles.xml", "meta.xml", "content.xml"} {
		if err := wellFormed(files[name]); err != nil {
			t.Errorf("%s is not well-formed XML: %v", name, err)
		}
	}
	if !bytes.Contains(files["META-INF/manifest.xml"], []byte(`manifest:media-type="`+odsMIME+`"`)) {
		t.Error("the manifest does not declare a spreadsheet")
	}

	var sheets []string
	var texts []string
	d := xml.NewDecoder(bytes.NewReader(files["content.xml"]))
	inP := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			if e.Name.Space == nsTable && e.Name.Local == "table" {
				for _, a := range e.Attr {
					if a.Name.Space == nsTable && a.Name.Local == "name" {
						sheets = append(sheets, a.Value)
					}
				}
			}
			inP = e.Name.Space == nsText && e.Name.Local == "p"
		case xml.EndElement:
			inP = false
		case xml.CharData:
			if inP {
				texts = append(texts, string(e))
			}
		}
	}
	if len(sheets) != 1+len(r.Activities) {
		t.Fatalf("%d sheets, want the common one and %d activities", len(sheets), len(r.Activities))
	}
	seen := map[string]bool{}
	for _, s := range sheets {
		if s == "" || utf8.RuneCountInString(s) > 31 || strings.ContainsAny(s, sheetBan) || seen[strings.ToLower(s)] {
			t.Errorf("sheet name %q is empty, too long, has one of %s, or is taken", s, sheetBan)
		}
		seen[strings.ToLower(s)] = true
	}
	all := strings.Join(texts, "\n")
	for _, want := range []string{"Atelier Carnet & Fils <SARL>", "Sécurité des biens & des personnes <locaux>", "Finalité(s) du traitement",
		"Vidéoprotection: accès [entrée/sortie] *caméras* du dépôt?"} {
		if !strings.Contains(all, want) {
			t.Errorf("no cell reads %q", want)
		}
	}
	if !bytes.Contains(files["content.xml"], []byte(`office:date-value="2026-11-28"`)) {
		t.Error("the register's date is not a date cell")
	}
}

func wellFormed(b []byte) error {
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		if _, err := d.Token(); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
	}
}

func TestSheetNamesAreValidAndUnique(t *testing.T) {
	for _, tc := range []struct {
		name  string
		names []string
		want  []string
	}{
		{"forbidden characters become spaces", []string{"a/b:c*d?e[f]g\\h"}, []string{"a b c d e f g h"}},
		{"long names are cut at 31 characters", []string{strings.Repeat("é", 40)}, []string{strings.Repeat("é", 31)}},
		{"long names are cut between words when possible", []string{"Vidéoprotection des accès au dépôt de Vénissieux"},
			[]string{"Vidéoprotection des accès au"}},
		{"duplicates are numbered, case aside", []string{"Clients", "clients", "CLIENTS"}, []string{"Clients", "clients (2)", "CLIENTS (3)"}},
		{"a name equal to the common sheet's is numbered", []string{"registre"}, []string{"registre (2)"}},
		{"apostrophes do not open or close a name", []string{"'Salons'"}, []string{"Salons"}},
		{"a name of nothing but forbidden characters falls back to its number", []string{"/?*"}, []string{"Activité 1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var r privacy.Register
			for _, n := range tc.names {
				r.Activities = append(r.Activities, privacy.Purpose{Name: n, LawfulBasis: "contract"})
			}
			b, _ := i18n.Load()
			sheets := r.Sheets(func(k string) string { return b.T("fr", k, nil) })
			for i, want := range tc.want {
				if got := sheets[i+1].Name; got != want {
					t.Errorf("sheet %d: %q, want %q", i+1, got, want)
				}
			}
		})
	}
}
