package crm

import (
	"bytes"
	"testing"
	"time"
)

func TestDemoIsDeterministicAndValid(t *testing.T) {
	a, _ := newStore(t)
	b, _ := newStore(t)
	for _, s := range []*Store{a, b} {
		sum, err := s.GenerateDemo(ctx, DemoOptions{Contacts: 300, Seed: 42})
		if err != nil {
			t.Fatal(err)
		}
		if sum.Contacts != 300 || sum.Companies != 60 || sum.Activities != 600 {
			t.Fatalf("summary %+v", sum)
		}
	}
	pa, _ := a.ListContacts(ctx, ListQuery{Limit: 50})
	pb, _ := b.ListContacts(ctx, ListQuery{Limit: 50})
	for i := range pa.Rows {
		if pa.Rows[i].Name != pb.Rows[i].Name || pa.Rows[i].Email != pb.Rows[i].Email {
			t.Fatalf("seed 42 gave different data at row %d: %+v vs %+v", i, pa.Rows[i], pb.Rows[i])
		}
	}
	// Every generated company passes the same validation as typed ones.
	cp, _ := a.ListCompanies(ctx, "", 0, 100)
	for _, r := range cp.Rows {
		co, err := a.Company(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if err := co.normalize(); err != nil {
			t.Fatalf("demo company %q is invalid: %v", co.Name, err)
		}
	}
	if hits, _ := a.Search(ctx, "veranda", 5); len(hits) == 0 {
		t.Fatal("demo notes are not searchable")
	}
}

func TestDemoCollectsContactsOverTheYearsAsked(t *testing.T) {
	s, now := newStore(t)
	if _, err := s.GenerateDemo(ctx, DemoOptions{Contacts: 300, Seed: 7, Years: 6}); err != nil {
		t.Fatal(err)
	}
	var first, last string
	if err := s.db.QueryRowContext(ctx, `SELECT min(created_at), max(created_at) FROM contacts`).Scan(&first, &last); err != nil {
		t.Fatal(err)
	}
	oldest, newest := now.AddDate(-6, 0, -2).Format(time.RFC3339), now.Format(time.RFC3339)
	if first < oldest || last > newest || first > now.AddDate(-5, 0, 0).Format(time.RFC3339) || last < now.AddDate(-1, 0, 0).Format(time.RFC3339) {
		t.Fatalf("contacts collected from %s to %s, want spread over the six years before %s", first, last, newest)
	}
}

func TestDemoImportFilesReadBackPersonForPerson(t *testing.T) {
	csvData, vcfData := DemoImportFiles(40)
	f, err := ParseCSV("contacts.csv", bytes.NewReader(csvData))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.Candidates(f.Mapping)
	if err != nil {
		t.Fatal(err)
	}
	cards, err := ParseVCards(bytes.NewReader(vcfData))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 40 || len(cards) != 40 {
		t.Fatalf("%d rows and %d cards, want 40 of each", len(rows), len(cards))
	}
	for i, c := range append(rows, cards...) {
		p := c.Contact
		// A CSV row names its company; a card holds it as a company link.
		if c.Err != nil || p.GivenName == "" || p.FamilyName == "" || len(p.Emails) != 1 || len(p.Phones) != 1 || c.CompanyName == "" && len(p.Companies) != 1 {
			t.Fatalf("person %d read back as %+v (company %q, %v)", i, p, c.CompanyName, c.Err)
		}
	}
	if r := rows[3].Contact; len(r.Tags) != 2 || r.Source != "import test" || r.LastInboundAt == "" {
		t.Fatalf("the CSV's tags, source and last contact: %+v", r)
	}
}
