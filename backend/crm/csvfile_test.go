package crm

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

func win1252(s string) []byte {
	b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(s))
	if err != nil {
		panic(err)
	}
	return b
}

func TestParseCSVSniffsEncodingAndDelimiter(t *testing.T) {
	frenchExcel := win1252("Nom;Prénom;Société;Téléphone;Adresse e-mail;Ville\r\nDupont;Hélène;Boulangerie Lemaire;06 12 34 56 78;helene@example.fr;Lyon\r\nMüller;François;;;fm@example.fr;Besançon\r\n")
	for _, tc := range []struct {
		name     string
		data     []byte
		encoding string
		delim    string
	}{
		{"French Excel: Windows-1252 and semicolons", frenchExcel, "windows-1252", ";"},
		{"UTF-8 with BOM and commas", []byte("\xef\xbb\xbfNom,Prénom,E-mail\nDupont,Hélène,helene@example.fr\nMüller,François,fm@example.fr\n"), "utf-8-bom", ","},
		{"UTF-8 with tabs", []byte("Nom\tPrénom\tE-mail\nDupont\tHélène\thelene@example.fr\n"), "utf-8", "\t"},
		{"commas inside quoted fields do not fool the sniffer", []byte("Nom;Notes\n\"Dupont\";\"a, b, c, d\"\n\"Martin\";\"e, f\"\n"), "utf-8", ";"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := ParseCSV("x.csv", bytes.NewReader(tc.data))
			if err != nil {
				t.Fatal(err)
			}
			if f.Encoding != tc.encoding || f.Delimiter != tc.delim {
				t.Fatalf("encoding %s delimiter %q, want %s %q", f.Encoding, f.Delimiter, tc.encoding, tc.delim)
			}
			if f.Headers[0] != "Nom" || f.RowCount == 0 || !strings.Contains(strings.Join(f.Rows[0], "|"), "Dupont") {
				t.Fatalf("headers %q rows %q", f.Headers, f.Rows)
			}
			if strings.Contains(strings.Join(f.Headers, ""), "\ufeff") || !strings.Contains(strings.Join(f.Rows[0], ""), "Hélène") && tc.name != "commas inside quoted fields do not fool the sniffer" {
				t.Fatalf("text not decoded: %q", f.Rows[0])
			}
		})
	}
}

func TestSuggestMappingKnowsFrenchGoogleAndOutlookHeaders(t *testing.T) {
	for _, tc := range []struct {
		headers []string
		want    []string
	}{
		{[]string{"Nom", "Prénom", "Société", "Téléphone", "Portable", "Adresse e-mail", "Code postal", "Ville", "Étiquettes", "Dernier contact", "Source"},
			[]string{FieldFamilyName, FieldGivenName, FieldCompany, FieldPhone, FieldPhone, FieldEmail, FieldPostalCode, FieldCity, FieldTags, FieldLastInbound, FieldSource}},
		{[]string{"Name", "Given Name", "Family Name", "E-mail 1 - Type", "E-mail 1 - Value", "Phone 1 - Type", "Phone 1 - Value", "Organization 1 - Name", "Organization 1 - Title", "Group Membership"},
			[]string{FieldFullName, FieldGivenName, FieldFamilyName, "", FieldEmail, "", FieldPhone, FieldCompany, FieldJobTitle, FieldTags}},
		{[]string{"First Name", "Middle Name", "Last Name", "Company", "Job Title", "Business Street", "Business City", "Business Postal Code", "Business Country/Region", "Business Phone", "Mobile Phone", "E-mail Address", "E-mail 2 Address", "Categories", "Notes"},
			[]string{FieldGivenName, "", FieldFamilyName, FieldCompany, FieldJobTitle, FieldStreet, FieldCity, FieldPostalCode, FieldCountry, FieldPhone, FieldPhone, FieldEmail, FieldEmail, FieldTags, FieldNotes}},
	} {
		if got := SuggestMapping(tc.headers); !slices.Equal(got, tc.want) {
			t.Errorf("SuggestMapping(%q)\n got %q\nwant %q", tc.headers, got, tc.want)
		}
	}
}

func TestMalformedFilesAreRefusedWhole(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
		want error
	}{
		{"unbalanced quote", []byte("Nom;Prénom\nDupont;\"Hélène\nMartin;Paul\n"), ErrMalformedCSV},
		{"binary", []byte("PK\x03\x04\x00\x00binary zip"), ErrBinaryFile},
		{"empty", []byte("  \n\n"), ErrEmptyFile},
		{"too large", bytes.Repeat([]byte("a"), MaxImportBytes+1), ErrFileTooLarge},
	} {
		if _, err := ParseCSV("bad.csv", bytes.NewReader(tc.data)); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	_, err := ParseCSV("bad.csv", strings.NewReader("Nom;Prénom\nDupont;Hélène\nMartin;\"Paul\n"))
	if err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Fatalf("the error names the line: %v", err)
	}
}

func TestCandidatesFromRows(t *testing.T) {
	data := "Nom complet;E-mail;Téléphone;Naissance;Relation;Étiquettes;Notes\n" +
		"DUPONT Hélène;helene@example.fr, h@example.org;06 12 34 56 78;5/3/1980;Client, Fournisseur;vip;Sympa\n" +
		"Paul Martin;paul@example.fr;;;ami;;\n" +
		"Zoé Lambert;zoe@example.fr;;;;;" + strings.Repeat("x", MaxFieldBytes+1) + "\n" +
		"A;b@example.fr;;;;;;;surplus\n"
	f, err := ParseCSV("c.csv", strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	cands, err := f.Candidates(f.Mapping)
	if err != nil {
		t.Fatal(err)
	}
	c := cands[0].Contact
	if c.GivenName != "Hélène" || c.FamilyName != "DUPONT" || len(c.Emails) != 2 || c.Birthday != "1980-03-05" ||
		!slices.Equal(c.Relationships, []Relationship{Customer, Supplier}) || !slices.Equal(c.Tags, []string{"vip"}) {
		t.Fatalf("row 2: %+v", c)
	}
	// A bad value costs that value, not the row.
	if p := cands[1]; p.Err != nil || p.Row != 3 || p.Contact.GivenName != "Paul" || len(p.Contact.Emails) != 1 ||
		len(p.Skipped) != 1 || p.Skipped[0].Field != FieldRelationship || p.Skipped[0].Value != "ami" || !errors.Is(p.Skipped[0].Err, ErrInvalidRelationship) {
		t.Fatalf("row 3: %+v", p)
	}
	if z := cands[2]; z.Err != nil || z.Contact.Notes != "" || len(z.Contact.Emails) != 1 ||
		len(z.Skipped) != 1 || z.Skipped[0].Field != FieldNotes || !errors.Is(z.Skipped[0].Err, ErrFieldTooLong) {
		t.Fatalf("row 4: %+v", z.Skipped)
	}
	if !errors.Is(cands[3].Err, ErrWrongFieldCount) {
		t.Fatalf("row 5: %v", cands[3].Err)
	}
}
