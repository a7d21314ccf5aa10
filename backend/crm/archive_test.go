package crm

import (
	"database/sql"
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestArchivedContactIsSealedOutOfListsAndSearch(t *testing.T) {
	s, _ := newStore(t)
	kept := mustCreate(t, s, Contact{GivenName: "Anatole", FamilyName: "Vifargent", Emails: []Email{{Address: "anatole@exemple.test"}}})
	gone := mustCreate(t, s, Contact{GivenName: "Bérénice", FamilyName: "Vifargent", Emails: []Email{{Address: "berenice@exemple.test"}},
		Relationships: []Relationship{Prospect}})
	if _, err := s.AddActivity(ctx, Activity{ContactID: gone, Kind: "note", Body: "Notearchivée quintessence"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Archive(ctx, gone, "  "); !errors.Is(err, ErrNoReason) {
		t.Fatalf("archive without a reason: %v, want ErrNoReason", err)
	}
	if err := s.Archive(ctx, gone, "Litige possible jusqu'en 2031"); err != nil {
		t.Fatal(err)
	}

	ids := func(f Filter) []int64 {
		p, err := s.ListContacts(ctx, ListQuery{Filter: f, WithTotal: true})
		if err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, r := range p.Rows {
			out = append(out, r.ID)
		}
		if p.Total != len(out) {
			t.Fatalf("total %d for %d rows", p.Total, len(out))
		}
		return out
	}
	if got := ids(Filter{}); !slices.Equal(got, []int64{kept}) {
		t.Fatalf("default list: %v, want only %d", got, kept)
	}
	if got := ids(Filter{Relationship: Prospect}); len(got) != 0 {
		t.Fatalf("prospects: %v, want none (the only one is archived)", got)
	}
	if got := ids(Filter{Archived: true}); !slices.Equal(got, []int64{gone}) {
		t.Fatalf("archive list: %v, want %d", got, gone)
	}
	if got := ids(Filter{Restricted: true}); len(got) != 0 {
		t.Fatalf("restricted list: %v, want none", got)
	}
	sn, err := s.Snapshot(ctx, ListQuery{Filter: Filter{Archived: true}})
	if err != nil || !slices.Equal(sn.IDs(), []int64{gone}) {
		t.Fatalf("archive snapshot: %v, %v", sn.IDs(), err)
	}
	if got := searchIDs(t, s, "vifargent"); !slices.Equal(got, []int64{kept}) {
		t.Fatalf("search: %v, want only %d", got, kept)
	}
	if hits, _ := s.Search(ctx, "quintessence", 20); len(hits) != 0 {
		t.Fatalf("the archived contact's note is still found: %+v", hits)
	}

	c, err := s.Contact(ctx, gone)
	if err != nil || c.Archive == nil || c.Archive.Reason != "Litige possible jusqu'en 2031" || c.Archive.Since == "" {
		t.Fatalf("archived contact reads %+v, %v", c, err)
	}
	c.JobTitle = "Changée"
	if err := s.UpdateContact(ctx, *c); !errors.Is(err, ErrArchived) || !errors.Is(err, ErrRestricted) {
		t.Fatalf("editing an archived contact: %v, want ErrArchived (an ErrRestricted)", err)
	}
	if err := CheckNotRestricted(ctx, s.db, gone); !errors.Is(err, ErrArchived) {
		t.Fatalf("nothing new for an archived contact: %v", err)
	}
	if _, err := s.ExportContacts(ctx, Filter{Archived: true}); !errors.Is(err, ErrArchived) {
		t.Fatalf("exporting the archive: %v", err)
	}
	if got, _ := RestrictedAddresses(ctx, s.db, []string{"BERENICE@exemple.test", "anatole@exemple.test"}); !slices.Equal(got, []string{"BERENICE@exemple.test"}) {
		t.Fatalf("no mail to an archived contact: %v", got)
	}

	if err := s.Unarchive(ctx, gone); err != nil {
		t.Fatal(err)
	}
	if got := ids(Filter{}); len(got) != 2 {
		t.Fatalf("after unarchiving: %v", got)
	}
	if hits, _ := s.Search(ctx, "quintessence", 20); len(hits) != 1 {
		t.Fatalf("the note is back in search: %+v", hits)
	}
	if err := s.Unarchive(ctx, gone); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unarchiving twice: %v", err)
	}
}

// The default list's condition must be the list indexes' condition term
// for term, or SQLite would sort 100,000 rows instead of walking an index.
func TestListUsesThePartialIndexes(t *testing.T) {
	s, _ := newStore(t)
	for _, tc := range []struct {
		name  string
		q     ListQuery
		index string
	}{
		{"by name", ListQuery{}, "contacts_sort"},
		{"customers by name", ListQuery{Filter: Filter{Relationship: Customer}}, "contacts_sort"},
		{"by date of creation", ListQuery{Sort: SortCreated, Desc: true}, "contacts_created"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			where, args, err := tc.q.Filter.where()
			if err != nil {
				t.Fatal(err)
			}
			order, _ := tc.q.orderBy()
			rows, err := s.db.QueryContext(ctx, `EXPLAIN QUERY PLAN SELECT c.id FROM contacts c WHERE `+where+` ORDER BY `+order, args...)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var plan []string
			for rows.Next() {
				var id, parent, unused int
				var detail sql.NullString
				rows.Scan(&id, &parent, &unused, &detail)
				plan = append(plan, detail.String)
			}
			p := strings.Join(plan, "; ")
			if !strings.Contains(p, tc.index) || strings.Contains(p, "TEMP B-TREE") {
				t.Fatalf("plan %q, want the %s index and no sort", p, tc.index)
			}
		})
	}
}
