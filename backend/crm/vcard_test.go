package crm

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
)

const outlookVCard21 = "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=Windows-1252;ENCODING=QUOTED-PRINTABLE:M=FCller;Fran=E7ois\r\n" +
	"FN;CHARSET=Windows-1252;ENCODING=QUOTED-PRINTABLE:Fran=E7ois M=FCller\r\n" +
	"ORG:Eaux du Rh\xf4ne\r\nTEL;WORK;VOICE:+33 4 72 00 00 00\r\nTEL;CELL:06 12 34 56 78\r\n" +
	"EMAIL;PREF;INTERNET:fm@eaux.example\r\nEMAIL;INTERNET:francois@perso.example\r\n" +
	"NOTE;ENCODING=QUOTED-PRINTABLE:Rencontr=C3=A9 au salon de Lyon, tr=C3=A8s int=C3=A9ress=C3=A9 par =\r\nla gamme pro.\r\n" +
	"ADR;WORK:;;12 quai Perrache;Lyon;;69002;France\r\nEND:VCARD\r\n"

const vcard3and4 = `BEGIN:VCARD
VERSION:3.0
N:Dupont;Hélène;;;
FN:Hélène Dupont
EMAIL;TYPE=INTERNET,WORK:helene@example.fr
TEL;TYPE=CELL:+33612345678
CATEGORIES:VIP,Lyon
NOTE:Une note très longue qui a été pliée sur pl
 usieurs lignes selon la RFC.
BDAY:1980-03-05
END:VCARD
BEGIN:VCARD
VERSION:4.0
FN:Paul Martin
EMAIL;TYPE=home:paul@example.fr
TEL;VALUE=uri;TYPE=cell:tel:+33-7-00-00-00-01
BDAY:19750612
END:VCARD
`

func TestParseVCards(t *testing.T) {
	cands, err := ParseVCards(strings.NewReader(outlookVCard21))
	if err != nil {
		t.Fatal(err)
	}
	c := cands[0].Contact
	if c.GivenName != "François" || c.FamilyName != "Müller" || len(c.Companies) != 1 || c.Companies[0].CompanyName != "Eaux du Rhône" {
		t.Fatalf("quoted-printable and Windows-1252: %+v", c)
	}
	if len(c.Phones) != 2 || c.Phones[1].Label != "cell" || len(c.Emails) != 2 {
		t.Fatalf("bare parameters: phones %+v emails %+v", c.Phones, c.Emails)
	}
	if c.Notes != "Rencontré au salon de Lyon, très intéressé par la gamme pro." {
		t.Fatalf("soft line breaks: %q", c.Notes)
	}
	if len(c.Addresses) != 1 || c.Addresses[0].City != "Lyon" || c.Addresses[0].PostalCode != "69002" {
		t.Fatalf("address %+v", c.Addresses)
	}

	cands, err = ParseVCards(strings.NewReader(vcard3and4))
	if err != nil || len(cands) != 2 {
		t.Fatalf("two cards: %d, %v", len(cands), err)
	}
	h, p := cands[0].Contact, cands[1].Contact
	if h.GivenName != "Hélène" || !slices.Equal(h.Tags, []string{"VIP", "Lyon"}) || !strings.Contains(h.Notes, "plusieurs lignes") || h.Birthday != "1980-03-05" {
		t.Fatalf("vCard 3.0: %+v", h)
	}
	if p.GivenName != "Paul" || p.FamilyName != "Martin" || p.Phones[0].Number != "+33-7-00-00-00-01" || p.Birthday != "1975-06-12" {
		t.Fatalf("vCard 4.0: %+v", p)
	}
	if _, err := ParseVCards(strings.NewReader("Nom;Prénom\nDupont;Hélène\n")); !errors.Is(err, ErrNoCards) {
		t.Fatalf("a CSV is not vCard: %v", err)
	}
}

func TestExportsReadBack(t *testing.T) {
	s, _ := newStore(t)
	co, _ := s.CreateCompany(ctx, Company{Name: "Lemaire SA"})
	mustCreate(t, s, Contact{GivenName: "Hélène", FamilyName: "Dupont", Emails: []Email{{Address: "h@example.fr"}, {Address: "h2@example.fr"}},
		Phones: []Phone{{Number: "06 12 34 56 78"}, {Number: "+33 4 72 00 00 00"}}, Companies: []CompanyLink{{CompanyID: co}},
		Tags: []string{"VIP", "Lyon"}, Relationships: []Relationship{Customer}, Source: "salon", LastInboundAt: "2026-10-01",
		Notes: "=HYPERLINK(\"http://evil\")", Addresses: []Address{{Street: "3 rue des Lilas", PostalCode: "69003", City: "Lyon", Country: "France"}}})
	all, err := s.ExportContacts(ctx, Filter{})
	if err != nil || len(all) != 1 {
		t.Fatalf("export: %d, %v", len(all), err)
	}
	var csvOut bytes.Buffer
	labels := CSVLabels{Headers: map[string]string{FieldGivenName: "Prénom", FieldFamilyName: "Nom", FieldEmail: "Adresse e-mail", FieldPhone: "Téléphone",
		FieldCompany: "Société", FieldTags: "Étiquettes", FieldRelationship: "Relation", FieldSource: "Source", FieldLastInbound: "Dernier contact", FieldNotes: "Notes",
		FieldStreet: "Adresse", FieldPostalCode: "Code postal", FieldCity: "Ville", FieldCountry: "Pays"},
		Relationships: map[Relationship]string{Customer: "client"}}
	if err := WriteCSV(&csvOut, all, ';', labels, nil); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(csvOut.Bytes(), []byte("\xef\xbb\xbfPrénom;Nom;")) || !strings.Contains(csvOut.String(), `'=HYPERLINK`) {
		t.Fatalf("CSV export: %q", csvOut.String())
	}
	f, err := ParseCSV("export.csv", &csvOut)
	if err != nil {
		t.Fatal(err)
	}
	cands, _ := f.Candidates(f.Mapping)
	c := cands[0].Contact
	if c.GivenName != "Hélène" || len(c.Emails) != 2 || len(c.Phones) != 2 || cands[0].CompanyName != "Lemaire SA" ||
		!slices.Equal(c.Relationships, []Relationship{Customer}) || c.Source != "salon" || c.LastInboundAt != "2026-10-01" || c.Addresses[0].City != "Lyon" {
		t.Fatalf("CSV read back: %+v (company %q)", c, cands[0].CompanyName)
	}

	var vcf bytes.Buffer
	if err := WriteVCards(&vcf, all); err != nil {
		t.Fatal(err)
	}
	back, err := ParseVCards(&vcf)
	if err != nil {
		t.Fatal(err)
	}
	v := back[0].Contact
	if v.GivenName != "Hélène" || len(v.Emails) != 2 || len(v.Phones) != 2 || len(v.Companies) != 1 || v.Companies[0].CompanyName != "Lemaire SA" ||
		!slices.Equal(v.Tags, []string{"Lyon", "VIP"}) {
		t.Fatalf("vCard read back: %+v", v)
	}
}

func TestMergeKeepsEverything(t *testing.T) {
	s, now := newStore(t)
	co, _ := s.CreateCompany(ctx, Company{Name: "Acme"})
	first := mustCreate(t, s, Contact{GivenName: "Helene", FamilyName: "Dupont", Emails: []Email{{Address: "helene@example.fr"}},
		Tags: []string{"salon"}, Source: "salon Lyon 2024", LastInboundAt: "2025-01-01", Companies: []CompanyLink{{CompanyID: co}}})
	*now = now.Add(24 * 3600e9)
	second := mustCreate(t, s, Contact{GivenName: "Hélène", FamilyName: "Dupont", Emails: []Email{{Address: "HELENE@example.fr"}, {Address: "hd@perso.example"}},
		Phones: []Phone{{Number: "06 12 34 56 78"}}, Tags: []string{"VIP"}, Source: "import: clients.csv", LastInboundAt: "2026-06-01",
		Relationships: []Relationship{Customer}, Companies: []CompanyLink{{CompanyID: co}}})
	s.AddActivity(ctx, Activity{ContactID: first, Kind: "note", Body: "note one"})
	s.AddActivity(ctx, Activity{ContactID: second, Kind: "task", Title: "task two", DueOn: "2026-12-01"})

	dups, err := s.Duplicates(ctx, 0)
	if err != nil || len(dups) != 1 || dups[0].A.ID != first || dups[0].B.ID != second || dups[0].Reason != "email" {
		t.Fatalf("duplicates: %+v, %v", dups, err)
	}
	m, err := s.Merge(ctx, second, first, Contact{GivenName: "Hélène", FamilyName: "Dupont", Notes: "merged"})
	if err != nil {
		t.Fatal(err)
	}
	if m.Source != "salon Lyon 2024" || m.LastInboundAt != "2026-06-01T00:00:00Z" || !strings.HasPrefix(m.CreatedAt, "2026-11-28") {
		t.Fatalf("earliest source and creation, latest inbound: %+v", m)
	}
	if len(m.Emails) != 2 || len(m.Phones) != 1 || !slices.Equal(m.Tags, []string{"salon", "VIP"}) || len(m.Companies) != 1 || m.Notes != "merged" {
		t.Fatalf("lists united: %+v", m)
	}
	tl, _ := s.Timeline(ctx, second, 0)
	if len(tl) != 2 {
		t.Fatalf("timeline after merge: %+v", tl)
	}
	if _, err := s.Contact(ctx, first); !errors.Is(err, ErrNotFound) {
		t.Fatalf("dropped contact: %v", err)
	}
	if dups, _ := s.Duplicates(ctx, 0); len(dups) != 0 {
		t.Fatalf("duplicates after merge: %+v", dups)
	}
	if got := searchIDs(t, s, "hd@perso"); !slices.Equal(got, []int64{second}) {
		t.Fatalf("search after merge: %v", got)
	}
}

func TestIsVCardByNameOrContent(t *testing.T) {
	for _, tc := range []struct {
		name string
		data string
		want bool
	}{
		{"cards.vcf", "", true},
		{"CARDS.VCARD", "Nom;Prénom\n", true},
		{"contacts.txt", "BEGIN:VCARD\r\nVERSION:3.0\r\nEND:VCARD\r\n", true},
		{"export", "\xef\xbb\xbf\r\n  begin:vcard\nEND:VCARD", true},
		{"clients.csv", "Nom;Prénom\nDupont;Hélène\n", false},
		{"clients.csv", "BEGIN:VCAR", false},
		{"notes.txt", "", false},
	} {
		if got := IsVCard(tc.name, []byte(tc.data)); got != tc.want {
			t.Errorf("IsVCard(%q, %q) = %v, want %v", tc.name, tc.data, got, tc.want)
		}
	}
}
