package crm

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestImportDryRunIsExactAndWritesNothing(t *testing.T) {
	s, _ := newStore(t)
	existing := mustCreate(t, s, Contact{GivenName: "Hélène", FamilyName: "Dupont", Emails: []Email{{Address: "helene@example.fr"}}, Source: "salon 2025"})
	data := "Prénom;Nom;E-mail;Téléphone;Société;Source;Dernier contact\n" +
		"Hélène;Dupont;HELENE@example.fr;06 12 34 56 78;Lemaire SA;;2026-10-01\n" + // updates the existing contact
		"Paul;Martin;paul@example.fr;;Lemaire SA;;\n" + // new
		"Paul;Martin;;+33 7 00 00 00 01;;;\n" + // new (no shared e-mail or phone)
		"Paolo;Martini;PAUL@example.fr;;;;\n" + // same e-mail as row 3: merged into it
		"Zoé;Lambert;zoe@@example.fr;;;;\n" + // bad e-mail: imported without it
		"Jean;Petit;jean@example.fr;;;site web, formulaire de contact;15/11/2026\n" +
		";;nobody@@example.fr;;;;\n" // bad e-mail and nothing else: refused

	f, err := ParseCSV("clients.csv", strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	cands, _ := f.Candidates(f.Mapping)
	want := ImportSummary{Rows: 7, New: 4, Updated: 1, Duplicates: 1, CompaniesCreated: 1, Refused: 1, SkippedValues: 1}
	check := func(got ImportSummary, dry bool) {
		t.Helper()
		if got.Rows != want.Rows || got.New != want.New || got.Updated != want.Updated || got.Duplicates != want.Duplicates ||
			got.CompaniesCreated != want.CompaniesCreated || got.Refused != want.Refused || got.SkippedValues != want.SkippedValues || got.DryRun != dry {
			t.Fatalf("summary %+v, want %+v", got, want)
		}
		wantProblems := []RowProblem{
			{Row: 6, Reason: "import.problem.email", Field: FieldEmail, Value: "zoe@@example.fr", Skipped: true},
			{Row: 8, Reason: "import.problem.email", Field: FieldEmail, Value: "nobody@@example.fr"},
		}
		if !reflect.DeepEqual(got.Problems, wantProblems) {
			t.Fatalf("problems %+v, want %+v", got.Problems, wantProblems)
		}
	}
	dry, err := s.Import(ctx, cands, ImportOptions{DryRun: true, Source: "import: clients.csv"})
	if err != nil {
		t.Fatal(err)
	}
	check(dry, true)
	if p, _ := s.ListContacts(ctx, ListQuery{WithTotal: true}); p.Total != 1 {
		t.Fatalf("the dry run wrote %d contacts", p.Total-1)
	}
	var progress [][2]int
	sum, err := s.Import(ctx, cands, ImportOptions{Source: "import: clients.csv", Progress: func(d, n int) { progress = append(progress, [2]int{d, n}) }})
	if err != nil {
		t.Fatal(err)
	}
	check(sum, false)
	if last := progress[len(progress)-1]; last != [2]int{7, 7} {
		t.Fatalf("progress ends at %v", last)
	}

	h, _ := s.Contact(ctx, existing)
	if h.Source != "salon 2025" || h.LastInboundAt != "2026-10-01T00:00:00Z" || len(h.Phones) != 1 || h.Companies[0].CompanyName != "Lemaire SA" {
		t.Fatalf("updated contact keeps its source and gains the rest: %+v", h)
	}
	ids := searchIDs(t, s, "jean petit")
	j, _ := s.Contact(ctx, ids[0])
	if j.Source != "site web, formulaire de contact" || j.LastInboundAt != "2026-11-15T00:00:00Z" {
		t.Fatalf("source and last inbound columns: %q %q", j.Source, j.LastInboundAt)
	}
	ids = searchIDs(t, s, "paul@example.fr")
	p, _ := s.Contact(ctx, ids[0])
	if p.Source != "import: clients.csv" || p.GivenName != "Paul" {
		t.Fatalf("new contact's source is the file: %+v", p)
	}
	ids = searchIDs(t, s, "lambert")
	if z, _ := s.Contact(ctx, ids[0]); len(ids) != 1 || z.GivenName != "Zoé" || len(z.Emails) != 0 {
		t.Fatalf("the row with a bad e-mail is imported without it: %+v", z)
	}
	assertForeignKeys(t, s)
}

// assertForeignKeys checks that a bulk load, which runs with foreign-key
// checks off and holds back its search documents, left the search index
// whole, every reference valid and the checks back on.
func assertForeignKeys(t *testing.T, s *Store) {
	t.Helper()
	if _, err := s.db.ExecContext(ctx, `INSERT INTO search (search, rank) VALUES ('integrity-check', 0)`); err != nil {
		t.Fatalf("search index after the import: %v", err)
	}
	rows, err := s.db.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	if rows.Next() {
		t.Fatal("the import left a dangling reference")
	}
	s.db.SetMaxIdleConns(1) // one pooled connection: the one the import used
	var on bool
	if err := s.db.QueryRowContext(ctx, `PRAGMA foreign_keys`).Scan(&on); err != nil || !on {
		t.Fatalf("foreign keys after import: %v %v", on, err)
	}
}

func TestImportCancelledWritesNothing(t *testing.T) {
	s, _ := newStore(t)
	var cands []Candidate
	for i := range 2000 {
		cands = append(cands, Candidate{Row: i + 2, Contact: Contact{GivenName: "N", FamilyName: strings.Repeat("x", i%7+1)}})
	}
	c, cancel := context.WithCancel(ctx)
	_, err := s.Import(c, cands, ImportOptions{Progress: func(done, _ int) {
		if done >= 1000 {
			cancel()
		}
	}})
	if !errors.Is(err, ErrCancelled) {
		t.Fatalf("cancelled import: %v", err)
	}
	if p, _ := s.ListContacts(ctx, ListQuery{WithTotal: true}); p.Total != 0 {
		t.Fatalf("a cancelled import left %d contacts", p.Total)
	}
}

// importFixture is a file of n people among whom some repeat an earlier
// row (in the same batch of written rows, or an earlier one), some name an
// existing company in another case, one links a company by id and one an
// unknown company.
func importFixture(t *testing.T, s *Store, n int) []Candidate {
	t.Helper()
	lemaire, err := s.CreateCompany(ctx, Company{Name: "Lemaire SA"})
	if err != nil {
		t.Fatal(err)
	}
	mustCreate(t, s, Contact{GivenName: "Déjà", FamilyName: "Là", Emails: []Email{{Address: "p7@example.fr"}}, Source: "salon"})
	csv, _ := DemoImportFiles(n)
	f, err := ParseCSV("clients.csv", strings.NewReader(string(csv)))
	if err != nil {
		t.Fatal(err)
	}
	cands, err := f.Candidates(f.Mapping)
	if err != nil {
		t.Fatal(err)
	}
	for i := range cands {
		c := &cands[i].Contact
		switch {
		case i == 7: // the contact already in the vault
			c.Emails = []Email{{Address: "P7@example.fr"}}
		case i%50 == 49: // a row of an earlier batch
			c.Emails = append(c.Emails, cands[i-45].Contact.Emails[0])
			c.Notes = "second row"
		case i%50 == 20: // the row before, in the same batch
			c.Phones = cands[i-1].Contact.Phones
		case i%9 == 0:
			cands[i].CompanyName = "LEMAIRE sa"
		case i == 11:
			c.Companies = []CompanyLink{{CompanyID: lemaire, Role: "achats"}}
		case i == 13: // refused: no company is created for it
			c.Companies = []CompanyLink{{CompanyName: "Orpheline SARL"}, {CompanyID: lemaire + 1000}}
		}
	}
	return cands
}

func TestImportInOneGoEqualsRowByRow(t *testing.T) {
	const n = 300
	whole, _ := newStore(t)
	sum, err := whole.Import(ctx, importFixture(t, whole, n), ImportOptions{Source: "import"})
	if err != nil {
		t.Fatal(err)
	}
	// 1 existing contact updated, rows 49, 99, … merged into earlier rows,
	// rows 20, 70, … into the row before; row 13 names no company.
	if sum.Updated != 1 || sum.Duplicates != 2*n/50 || sum.New != n-1-2*n/50-1 || len(sum.Problems) != 1 ||
		sum.Problems[0].Row != 15 || sum.Problems[0].Reason != "import.problem.invalid" {
		t.Fatalf("summary %+v", sum)
	}
	assertForeignKeys(t, whole)

	single, _ := newStore(t)
	created := 0
	for _, c := range importFixture(t, single, n) {
		s, err := single.Import(ctx, []Candidate{c}, ImportOptions{Source: "import"})
		if err != nil {
			t.Fatal(err)
		}
		created += s.CompaniesCreated
	}
	companies, err := whole.ListCompanies(ctx, "", 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	if sum.CompaniesCreated != created || companies.Total != created+1 {
		t.Fatalf("%d companies created in one go, %d row by row, %d in the vault", sum.CompaniesCreated, created, companies.Total)
	}
	if orphan, _ := whole.ListCompanies(ctx, "Orpheline", 0, 1); orphan.Total != 0 {
		t.Fatal("a refused row created its company")
	}
	a, b := allContacts(t, whole), allContacts(t, single)
	if len(a) != sum.New+1 || len(a) != len(b) {
		t.Fatalf("%d contacts in one go, %d row by row", len(a), len(b))
	}
	for i := range a {
		if !reflect.DeepEqual(a[i], b[i]) {
			t.Fatalf("contact %d differs:\n one go     %+v\n row by row %+v", a[i].ID, a[i], b[i])
		}
	}
	for _, q := range []string{"lemaire", "second row", "0600000000"} {
		if x, y := searchIDs(t, whole, q), searchIDs(t, single, q); len(x) == 0 || !slices.Equal(x, y) {
			t.Fatalf("search %q: %v in one go, %v row by row", q, x, y)
		}
	}
}

func allContacts(t *testing.T, s *Store) []*Contact {
	t.Helper()
	p, err := s.ListContacts(ctx, ListQuery{Sort: "created", Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	var out []*Contact
	for _, r := range p.Rows {
		c, err := s.Contact(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b *Contact) int { return int(a.ID - b.ID) })
	return out
}

func TestImportAgainChangesOnlyWhatIsNew(t *testing.T) {
	s, now := newStore(t)
	cands := importFixture(t, s, 120)
	if _, err := s.Import(ctx, cands, ImportOptions{Source: "import"}); err != nil {
		t.Fatal(err)
	}
	before := allContacts(t, s)
	*now = now.Add(time.Hour)
	sum, err := s.Import(ctx, cands, ImportOptions{Source: "import"})
	if err != nil {
		t.Fatal(err)
	}
	if sum.New != 0 || sum.Updated != 0 || sum.Duplicates != 0 || sum.Unchanged != 119 {
		t.Fatalf("the same file again: %+v", sum)
	}
	if after := allContacts(t, s); !reflect.DeepEqual(before, after) {
		t.Fatal("importing the same file again changed contacts")
	}
	cands[30].Contact.Phones = append(cands[30].Contact.Phones, Phone{Number: "+33 7 99 99 99 99"})
	if _, err := s.Import(ctx, cands[30:31], ImportOptions{Source: "import"}); err != nil {
		t.Fatal(err)
	}
	ids := searchIDs(t, s, "0799999999")
	if len(ids) != 1 {
		t.Fatalf("the new phone is searched: %v", ids)
	}
	assertForeignKeys(t, s)
	after := allContacts(t, s)
	for i := range after {
		if got, was := after[i], before[i]; (got.UpdatedAt != was.UpdatedAt) != (got.ID == ids[0]) || got.ID == ids[0] && len(got.Phones) != len(was.Phones)+1 {
			t.Fatalf("contact %d: updated %s, was %s; %d phones, had %d", got.ID, got.UpdatedAt, was.UpdatedAt, len(got.Phones), len(was.Phones))
		}
	}
}
