package crm

import (
	"bytes"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// Cards as phones and desktop address books write them (written for this
// test after their exports' habits): Apple's grouped labels and escaped
// separators, Outlook's vCard 2.1 with quoted-printable and a charset,
// Google's vCard 3.0, Android's quoted-printable with soft line breaks.
const (
	appleCard = "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//iPhone OS 17.2//EN\r\n" +
		"N:Appleseed;Johnny;Marie,Claire;Dr.;Jr.\r\nFN:Dr. Johnny Marie Claire Appleseed Jr.\r\n" +
		"ORG:Pomme & Fils;Ventes\r\nTITLE:Directeur\r\n" +
		"item1.EMAIL;type=INTERNET;type=pref:johnny@pomme.example\r\nitem1.X-ABLabel:_$!<Other>!$_\r\n" +
		"item2.EMAIL;type=INTERNET:jo@perso.example\r\nitem2.X-ABLabel:Bureau Lyon\r\n" +
		"TEL;type=CELL;type=VOICE;type=pref:+33 6 98 76 54 32\r\n" +
		"TEL;type=WORK;type=VOICE:BusinessPhone\r\n" +
		"item3.ADR;type=HOME;type=pref:;;12\\, rue de la Paix;Paris;;75002;France\r\nitem3.X-ABADR:fr\r\n" +
		"NOTE:Rencontré à Lyon\\; suite au salon\\nDeuxième ligne\r\nBDAY;value=date:1980-03-05\r\nEND:VCARD\r\n"
	outlookCard = "BEGIN:VCARD\r\nVERSION:2.1\r\n" +
		"N;LANGUAGE=fr;CHARSET=Windows-1252;ENCODING=QUOTED-PRINTABLE:Lef=E8vre;Ma=EFt=E9\r\n" +
		"FN;CHARSET=Windows-1252;ENCODING=QUOTED-PRINTABLE:Ma=EFt=E9 Lef=E8vre\r\n" +
		"ORG;CHARSET=Windows-1252;ENCODING=QUOTED-PRINTABLE:Chocolaterie Lef=E8vre\r\nROLE;ENCODING=QUOTED-PRINTABLE:G=E9rante\r\n" +
		"TEL;WORK;VOICE:BusinessPhone\r\nTEL;HOME;VOICE:02 99 00 11 22\r\n" +
		"EMAIL;PREF;INTERNET;ENCODING=QUOTED-PRINTABLE:voir=20la=20fiche=20papier\r\n" +
		"EMAIL;INTERNET:maite@chocolat.example\r\n" +
		"ADR;WORK;ENCODING=QUOTED-PRINTABLE;CHARSET=Windows-1252:;;3 all=E9e des F=E8ves;Rennes;;35000;France\r\nEND:VCARD\r\n"
	googleCard = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Awa Diop\r\nN:Diop;Awa;;;\r\n" +
		"EMAIL;TYPE=INTERNET;TYPE=HOME:awa@gmail.example\r\nTEL;TYPE=CELL:07 11 22 33 44\r\n" +
		"ADR;TYPE=WORK:;;5 avenue Foch;Dakar;;;Sénégal\r\nORG:Teranga SARL\r\nTITLE:Gérante\r\n" +
		"CATEGORIES:myContacts,Clients\r\nEND:VCARD\r\n"
	androidCard = "BEGIN:VCARD\r\nVERSION:2.1\r\n" +
		"N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Gu=C3=A9rin;=C3=89l=C3=A9onore;;;\r\n" +
		"FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=C3=89l=C3=A9onore Gu=C3=A9rin\r\n" +
		"TEL;CELL:0611223344\r\nEMAIL;HOME:eleonore@android.example\r\n" +
		"EMAIL;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:pas=20d=E2=80=99adresse\r\n" +
		"NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:Une note assez longue pour =C3=AAtre coup=C3=A9e par le t=\r\n" +
		"=C3=A9l=C3=A9phone en plusieurs lignes.\r\nEND:VCARD\r\n"
	namelessCard = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:nobody@example.org\r\nEMAIL:nobody@example.org\r\nEND:VCARD\r\n"
)

// TestRealWorldCardsKeepEveryGoodField: a phone "number" that is a word
// or an e-mail that is not an address is skipped and reported with its
// card, field and value; the card's name, other e-mails, phones and
// company are imported.
func TestRealWorldCardsKeepEveryGoodField(t *testing.T) {
	s, _ := newStore(t)
	file := appleCard + outlookCard + googleCard + androidCard + namelessCard
	cands, err := ParseVCards(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	sum, err := s.Import(ctx, cands, ImportOptions{Source: "import: contacts.vcf"})
	if err != nil {
		t.Fatal(err)
	}
	if sum.New != 5 || sum.Refused != 0 || sum.SkippedValues != 4 {
		t.Fatalf("summary %+v", sum)
	}
	want := []RowProblem{
		{Row: 1, Reason: "import.problem.phone", Field: FieldPhone, Value: "BusinessPhone", Skipped: true},
		{Row: 2, Reason: "import.problem.email", Field: FieldEmail, Value: "voir la fiche papier", Skipped: true},
		{Row: 2, Reason: "import.problem.phone", Field: FieldPhone, Value: "BusinessPhone", Skipped: true},
		{Row: 4, Reason: "import.problem.email", Field: FieldEmail, Value: "pas d’adresse", Skipped: true},
	}
	if got := sum.Problems; !reflect.DeepEqual(got, want) {
		t.Fatalf("problems:\n got %+v\nwant %+v", got, want)
	}
	all, err := s.ExportContacts(ctx, Filter{})
	if err != nil || len(all) != 5 {
		t.Fatalf("%d contacts, %v", len(all), err)
	}
	by := map[string]*Contact{}
	for _, c := range all {
		by[c.FamilyName] = c
	}
	a := by["Appleseed"]
	if a == nil || a.GivenName != "Johnny Marie Claire" || a.NamePrefix != "Dr." || a.NameSuffix != "Jr." || a.JobTitle != "Directeur" ||
		len(a.Emails) != 2 || a.Emails[0].Label != "other" || a.Emails[1].Label != "Bureau Lyon" || len(a.Phones) != 1 || a.Phones[0].Label != "cell" ||
		len(a.Companies) != 1 || a.Companies[0].CompanyName != "Pomme & Fils" || a.Birthday != "1980-03-05" ||
		len(a.Addresses) != 1 || a.Addresses[0] != (Address{Label: "home", Street: "12, rue de la Paix", City: "Paris", PostalCode: "75002", Country: "France"}) ||
		a.Notes != "Rencontré à Lyon; suite au salon\nDeuxième ligne" {
		t.Errorf("Apple card: %+v", a)
	}
	m := by["Lefèvre"]
	if m == nil || m.GivenName != "Maïté" || len(m.Emails) != 1 || m.Emails[0].Address != "maite@chocolat.example" ||
		len(m.Phones) != 1 || m.Phones[0] != (Phone{Number: "02 99 00 11 22", Label: "home"}) ||
		len(m.Companies) != 1 || m.Companies[0].CompanyName != "Chocolaterie Lefèvre" || m.Companies[0].Role != "Gérante" ||
		len(m.Addresses) != 1 || m.Addresses[0].Street != "3 allée des Fèves" || m.Addresses[0].Label != "work" {
		t.Errorf("Outlook card: %+v", m)
	}
	g := by["Diop"]
	if g == nil || g.GivenName != "Awa" || g.Emails[0].Label != "home" || g.Addresses[0].Label != "work" || g.Addresses[0].Country != "Sénégal" ||
		!slices.Equal(g.Tags, []string{"Clients"}) || g.Companies[0].CompanyName != "Teranga SARL" || g.JobTitle != "Gérante" {
		t.Errorf("Google card: %+v", g)
	}
	e := by["Guérin"]
	if e == nil || e.GivenName != "Éléonore" || len(e.Emails) != 1 || len(e.Phones) != 1 ||
		e.Notes != "Une note assez longue pour être coupée par le téléphone en plusieurs lignes." {
		t.Errorf("Android card: %+v", e)
	}
	n := by[""]
	if n == nil || n.GivenName != "" || n.Emails[0].Address != "nobody@example.org" {
		t.Errorf("a card whose FN is its e-mail stays nameless: %+v", n)
	}
}

// TestVCardExportImportKeepsEverything: a contact with every field Carnet
// stores (but custom fields, left out of vCards), exported and imported
// into a fresh vault, comes back equal but for ids and timestamps; so does
// a contact without a name.
func TestVCardExportImportKeepsEverything(t *testing.T) {
	s, _ := newStore(t)
	atelier, _ := s.CreateCompany(ctx, Company{Name: "Atelier; Verre & Co"})
	lemaire, _ := s.CreateCompany(ctx, Company{Name: "Lemaire, SA"})
	long := strings.Repeat("Une note qui dépasse largement soixante-quinze octets, accents compris — ", 4)
	mustCreate(t, s, Contact{
		GivenName: "Jean Marie", FamilyName: "de La Tour, d’Auvergne", NamePrefix: "Dr", NameSuffix: "III",
		JobTitle: "Directeur; achats", Website: "https://example.fr/a,b", Birthday: "1970-01-31", Language: "fr",
		Notes: "Ligne 1\nLigne 2, avec virgule; point-virgule \\ antislash\n" + long, Owner: "Claire",
		Relationships: []Relationship{Customer, Partner},
		Emails:        []Email{{Address: "jm@example.fr", Label: "work"}, {Address: "jm@perso.example", Label: "Bureau Lyon"}, {Address: "x@example.org"}},
		Phones:        []Phone{{Number: "+33 6 12 34 56 78", Label: "cell"}, {Number: "04 72 00 00 00", Label: "mobile"}, {Number: "01 02 03 04 05"}},
		Addresses: []Address{
			{Label: "home", Street: "12, rue de la Paix\nBât. B", PostalCode: "75002", City: "Paris", Region: "Île-de-France", Country: "FR"},
			{Label: "work", Street: "1 quai; Perrache", PostalCode: "69002", City: "Lyon", Country: "FR"},
			{Label: "Entrepôt", Street: "ZI Nord", City: "Vénissieux", Country: "FR"},
		},
		Companies:     []CompanyLink{{CompanyID: atelier, Role: "Gérant"}, {CompanyID: lemaire, Role: "Associé, conseil"}},
		Tags:          []string{"VIP", "Lyon, Rhône"},
		Source:        "salon 2025",
		LastInboundAt: "2026-10-01T09:30:00Z",
	})
	mustCreate(t, s, Contact{Emails: []Email{{Address: "sans.nom@example.org"}}})
	before, err := s.ExportContacts(ctx, Filter{})
	if err != nil || len(before) != 2 {
		t.Fatalf("export: %d, %v", len(before), err)
	}
	var vcf bytes.Buffer
	if err := WriteVCards(&vcf, before); err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(vcf.String(), "\r\n") {
		if len(l) > 75 {
			t.Errorf("line of %d octets, not folded: %q", len(l), l)
		}
	}
	cands, err := ParseVCards(&vcf)
	if err != nil {
		t.Fatal(err)
	}
	fresh, _ := newStore(t)
	sum, err := fresh.Import(ctx, cands, ImportOptions{Source: "import: carnet.vcf"})
	if err != nil || sum.New != 2 || len(sum.Problems) != 0 {
		t.Fatalf("import: %+v, %v", sum, err)
	}
	after, err := fresh.ExportContacts(ctx, Filter{})
	if err != nil || len(after) != 2 {
		t.Fatalf("export after import: %d, %v", len(after), err)
	}
	for i := range before {
		b, a := comparable(before[i]), comparable(after[i])
		if !reflect.DeepEqual(b, a) {
			t.Errorf("contact %d changed on the way:\nbefore %+v\nafter  %+v", i, b, a)
		}
	}
	if after[1].GivenName != "" || after[1].FamilyName != "" {
		t.Errorf("the nameless contact got a name: %+v", after[1])
	}
}

// comparable is c without what a vault gives: ids and timestamps.
func comparable(c *Contact) Contact {
	out := *c
	out.ID, out.CreatedAt, out.UpdatedAt = 0, "", ""
	out.Fields = nil
	out.Companies = slices.Clone(c.Companies)
	for i := range out.Companies {
		out.Companies[i].CompanyID = 0
	}
	return out
}

// TestCSVExportImportRoundTrip: values that start like a formula (= + - @
// TAB CR) are defused in the export and come back as they were; so does a
// value that already starts with an apostrophe. (A CR is dropped by the
// export's CRLF line ends, as encoding/csv writes them: csvsafe's tests
// and the bundle's cover it.)
func TestCSVExportImportRoundTrip(t *testing.T) {
	s, _ := newStore(t)
	mustCreate(t, s, Contact{GivenName: "=cmd|' /C calc'!A0", FamilyName: "+Dupont", JobTitle: "-Directeur", Owner: "@Claire",
		Emails: []Email{{Address: "-h@example.fr"}, {Address: "=x@example.fr"}}, Phones: []Phone{{Number: "+33 6 12 34 56 78"}},
		Notes: "\t=1+2 indented", Source: "'=already quoted", Website: `=HYPERLINK("http://x","y")`,
		Tags: []string{"@vip"}, Companies: []CompanyLink{{CompanyName: "=Société"}},
		Addresses: []Address{{Street: "-12 rue", City: "@Lyon", PostalCode: "+69", Country: "=FR"}}})
	mustCreate(t, s, Contact{GivenName: "Zoé", FamilyName: "'t Hooft", Notes: "'@both", Emails: []Email{{Address: "zoe@example.fr"}}})
	before, err := s.ExportContacts(ctx, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := WriteCSV(&out, before, ';', CSVLabels{}, nil); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`'=cmd|`, `'+Dupont`, `'-Directeur`, `'@Claire`, "'\t=1+2", `''@both`, `''=already`, `'=HYPERLINK`, ";+33 6 12 34 56 78;"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the export lacks %q", want)
		}
	}
	f, err := ParseCSV("carnet.csv", &out)
	if err != nil {
		t.Fatal(err)
	}
	cands, err := f.Candidates(exportFields) // the headers are the fields' names here
	if err != nil {
		t.Fatal(err)
	}
	fresh, _ := newStore(t)
	sum, err := fresh.Import(ctx, cands, ImportOptions{Source: "import"})
	if err != nil || sum.New != 2 || len(sum.Problems) != 0 {
		t.Fatalf("import: %+v, %v", sum, err)
	}
	after, _ := fresh.ExportContacts(ctx, Filter{})
	for i := range before {
		b, a := comparable(before[i]), comparable(after[i])
		if !reflect.DeepEqual(b, a) {
			t.Errorf("contact %d changed on the way:\nbefore %+v\nafter  %+v", i, b, a)
		}
	}
}
