package crm

import (
	"testing"
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
