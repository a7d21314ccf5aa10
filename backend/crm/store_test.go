package crm

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"carnet/backend/vault/vaulttest"
)

var ctx = context.Background()

// newStore opens a real encrypted vault in a temporary folder.
func newStore(t testing.TB) (*Store, *time.Time) {
	t.Helper()
	db := vaulttest.DB(t)
	now := time.Date(2026, 11, 28, 9, 30, 0, 0, time.UTC)
	return New(db, func() time.Time { return now }), &now
}

func mustCreate(t testing.TB, s *Store, c Contact) int64 {
	t.Helper()
	id, err := s.CreateContact(ctx, c)
	if err != nil {
		t.Fatalf("CreateContact(%s %s): %v", c.GivenName, c.FamilyName, err)
	}
	return id
}

func searchIDs(t *testing.T, s *Store, q string) []int64 {
	t.Helper()
	hits, err := s.Search(ctx, q, 20)
	if err != nil {
		t.Fatalf("Search(%q): %v", q, err)
	}
	var ids []int64
	for _, h := range hits {
		if h.Kind == "contact" {
			ids = append(ids, h.ID)
		}
	}
	return ids
}

func TestContactRoundTrip(t *testing.T) {
	s, _ := newStore(t)
	coID, err := s.CreateCompany(ctx, Company{Name: "Boulangerie Lemaire", SIRET: "732 829 320 00074", VATNumber: "FR44732829320"})
	if err != nil {
		t.Fatal(err)
	}
	id := mustCreate(t, s, Contact{
		GivenName: " Hélène ", FamilyName: "Dupont", JobTitle: "Gérante",
		Emails:        []Email{{Address: "helene@example.fr", Label: "work"}, {Address: "HELENE@example.fr"}, {Address: "h.dupont@example.org"}},
		Phones:        []Phone{{Number: "06 12 34 56 78", Label: "mobile"}},
		Addresses:     []Address{{Street: "3 rue des Lilas", PostalCode: "69003", City: "Lyon", Country: "FR"}, {}},
		Companies:     []CompanyLink{{CompanyID: coID, Role: "owner"}},
		Tags:          []string{"VIP", " vip ", "Lyon"},
		Relationships: []Relationship{Customer, Supplier},
		Birthday:      "1980-02-29", Source: "business card, salon Lyon 2026", LastInboundAt: "2026-11-20",
	})
	c, err := s.Contact(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if c.GivenName != "Hélène" || len(c.Emails) != 2 || c.Emails[0].Label != "work" || c.Phones[0].Number != "06 12 34 56 78" {
		t.Fatalf("contact read back: %+v", c)
	}
	if !slices.Equal(c.Tags, []string{"Lyon", "VIP"}) || len(c.Addresses) != 1 || c.Companies[0].CompanyName != "Boulangerie Lemaire" {
		t.Fatalf("tags %v, addresses %v, companies %v", c.Tags, c.Addresses, c.Companies)
	}
	if !slices.Equal(c.Relationships, []Relationship{Customer, Supplier}) || c.LastInboundAt != "2026-11-20T00:00:00Z" {
		t.Fatalf("relationships %v, last inbound %q", c.Relationships, c.LastInboundAt)
	}

	// An edit without source or a newer inbound date keeps both.
	c.Source, c.LastInboundAt, c.FamilyName = "", "", "Dupont-Martin"
	if err := s.UpdateContact(ctx, *c); err != nil {
		t.Fatal(err)
	}
	c2, _ := s.Contact(ctx, id)
	if c2.Source != "business card, salon Lyon 2026" || c2.LastInboundAt != "2026-11-20T00:00:00Z" || c2.FamilyName != "Dupont-Martin" {
		t.Fatalf("after update: source %q, last inbound %q, name %q", c2.Source, c2.LastInboundAt, c2.FamilyName)
	}
	co, _ := s.Company(ctx, coID)
	if co.SIREN != "732829320" || len(co.People) != 1 || co.People[0].Role != "owner" {
		t.Fatalf("company %+v", co)
	}
}

func TestContactValidation(t *testing.T) {
	s, _ := newStore(t)
	for _, tc := range []struct {
		name string
		c    Contact
		want error
	}{
		{"no name and no e-mail", Contact{JobTitle: "CEO"}, ErrEmptyContact},
		{"bad e-mail", Contact{GivenName: "A", Emails: []Email{{Address: "not an address"}}}, ErrInvalidEmail},
		{"bad birthday", Contact{GivenName: "A", Birthday: "31/02/1980"}, ErrInvalidDate},
		{"bad phone", Contact{GivenName: "A", Phones: []Phone{{Number: "call me"}}}, ErrInvalidPhone},
		{"unknown relationship", Contact{GivenName: "A", Relationships: []Relationship{"friend"}}, ErrInvalidRelationship},
		{"unknown company", Contact{GivenName: "A", Companies: []CompanyLink{{CompanyID: 99}}}, ErrUnknownCompany},
	} {
		if _, err := s.CreateContact(ctx, tc.c); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	if p, _ := s.ListContacts(ctx, ListQuery{WithTotal: true}); p.Total != 0 {
		t.Fatalf("a refused contact left %d rows", p.Total)
	}
	if id := mustCreate(t, s, Contact{Emails: []Email{{Address: "only@mail.example"}}}); id == 0 {
		t.Fatal("an e-mail alone is enough")
	}
	if _, err := s.CreateCompany(ctx, Company{Name: "X", SIREN: "123456789"}); !errors.Is(err, ErrInvalidSIREN) {
		t.Fatalf("bad SIREN: %v", err)
	}
	if _, err := s.CreateCompany(ctx, Company{Name: "X", SIREN: "732829320", SIRET: "44306184100047"}); !errors.Is(err, ErrSIRETNotSIREN) {
		t.Fatalf("SIRET of another SIREN: %v", err)
	}
}

func TestSearchIgnoresAccentsCaseAndPhoneFormatting(t *testing.T) {
	s, _ := newStore(t)
	coID, _ := s.CreateCompany(ctx, Company{Name: "Société Générale des Eaux"})
	helene := mustCreate(t, s, Contact{GivenName: "Hélène", FamilyName: "Dupont", Phones: []Phone{{Number: "06 12 34 56 78"}}})
	francois := mustCreate(t, s, Contact{GivenName: "François", FamilyName: "Müller", Emails: []Email{{Address: "fm@eaux.example"}},
		Companies: []CompanyLink{{CompanyID: coID}}, Tags: []string{"Fournisseur clé"}})
	other := mustCreate(t, s, Contact{GivenName: "Paul", FamilyName: "Martin", Phones: []Phone{{Number: "+49 30 1234567"}}})

	for _, tc := range []struct {
		q    string
		want []int64
	}{
		{"helene", []int64{helene}},
		{"HÉLÈNE dup", []int64{helene}},
		{"he", []int64{helene}},
		{"francois", []int64{francois}},
		{"muller", []int64{francois}},
		{"generale", []int64{francois}},
		{"fournisseur cle", []int64{francois}},
		{"fm@eaux", []int64{francois}},
		{"06 12 34 56 78", []int64{helene}},
		{"0612345678", []int64{helene}},
		{"+33612345678", []int64{helene}},
		{"+33 6 12", []int64{helene}},
		{"06.12", []int64{helene}},
		{"030 1234", nil},
		{"+49 30", []int64{other}},
		{"zzz", nil},
		{`"; DROP TABLE contacts; --`, nil},
		{"", nil},
	} {
		if got := searchIDs(t, s, tc.q); !slices.Equal(got, tc.want) {
			t.Errorf("Search(%q) = %v, want %v", tc.q, got, tc.want)
		}
	}

	// Notes are found and point to their contact.
	if _, err := s.AddActivity(ctx, Activity{ContactID: helene, Kind: "note", Body: "Intéressée par le devis pour la véranda"}); err != nil {
		t.Fatal(err)
	}
	hits, _ := s.Search(ctx, "veranda", 10)
	if len(hits) != 1 || hits[0].Kind != "note" || hits[0].ContactID != helene || hits[0].Detail != "Hélène Dupont" {
		t.Fatalf("note hit: %+v", hits)
	}
	// A renamed company is found under its new name, with its people.
	co, _ := s.Company(ctx, coID)
	co.Name = "Eaux du Rhône"
	if err := s.UpdateCompany(ctx, *co); err != nil {
		t.Fatal(err)
	}
	if got := searchIDs(t, s, "rhone"); !slices.Equal(got, []int64{francois}) {
		t.Fatalf("after rename: %v", got)
	}
}

func TestTrashHidesRestoresAndPurgesAfterThirtyDays(t *testing.T) {
	s, now := newStore(t)
	id := mustCreate(t, s, Contact{GivenName: "Zoé", FamilyName: "Lambert"})
	s.AddActivity(ctx, Activity{ContactID: id, Kind: "note", Body: "rappeler jeudi"})
	if err := s.DeleteContact(ctx, id); err != nil {
		t.Fatal(err)
	}
	if got := searchIDs(t, s, "zoe"); len(got) != 0 {
		t.Fatalf("trashed contact still found: %v", got)
	}
	if hits, _ := s.Search(ctx, "rappeler", 5); len(hits) != 0 {
		t.Fatalf("trashed contact's note still found: %v", hits)
	}
	if p, _ := s.ListContacts(ctx, ListQuery{WithTotal: true}); p.Total != 0 {
		t.Fatal("trashed contact still listed")
	}
	trash, _ := s.Trash(ctx)
	if len(trash) != 1 || trash[0].Name != "Zoé Lambert" || trash[0].PurgeOn != "2026-12-28" {
		t.Fatalf("trash %+v", trash)
	}
	if err := s.RestoreContact(ctx, id); err != nil {
		t.Fatal(err)
	}
	if got := searchIDs(t, s, "zoe"); !slices.Equal(got, []int64{id}) {
		t.Fatalf("restored contact not found: %v", got)
	}
	if hits, _ := s.Search(ctx, "rappeler", 5); len(hits) != 1 {
		t.Fatalf("restored contact's note not found: %v", hits)
	}
	s.DeleteContact(ctx, id)
	*now = now.AddDate(0, 0, TrashDays-1)
	if n, _ := s.PurgeTrash(ctx); n != 0 {
		t.Fatal("purged before thirty days")
	}
	*now = now.AddDate(0, 0, 1)
	if n, err := s.PurgeTrash(ctx); n != 1 || err != nil {
		t.Fatalf("purge after thirty days: %d, %v", n, err)
	}
	if _, err := s.Contact(ctx, id); !errors.Is(err, ErrNotFound) {
		t.Fatalf("purged contact: %v", err)
	}
}

func TestTimelineAndTasks(t *testing.T) {
	s, now := newStore(t)
	id := mustCreate(t, s, Contact{GivenName: "Jean", FamilyName: "Petit"})
	coID, _ := s.CreateCompany(ctx, Company{Name: "Petit & Fils"})
	s.AddActivity(ctx, Activity{ContactID: id, Kind: "call", Body: "Appel de suivi", OccurredAt: "2026-11-20T10:00:00Z"})
	overdue, _ := s.AddActivity(ctx, Activity{ContactID: id, Kind: "task", Title: "Envoyer le devis", DueOn: "2026-11-25"})
	today, _ := s.AddActivity(ctx, Activity{CompanyID: coID, Kind: "task", Title: "Relancer", DueOn: "2026-11-28", RemindAt: "2026-11-28T10:00:00Z"})
	s.AddActivity(ctx, Activity{ContactID: id, Kind: "task", Title: "Plus tard", DueOn: "2026-12-15"})
	if _, err := s.AddActivity(ctx, Activity{ContactID: id, Kind: "party"}); !errors.Is(err, ErrInvalidKind) {
		t.Fatalf("unknown kind: %v", err)
	}
	if _, err := s.AddActivity(ctx, Activity{ContactID: 999, Kind: "note"}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown contact: %v", err)
	}
	tl, _ := s.Timeline(ctx, id, 0)
	if len(tl) != 3 || tl[0].Kind != "task" || tl[2].Kind != "call" {
		t.Fatalf("timeline order: %+v", tl)
	}
	due, _ := s.Tasks(ctx, now.Format(time.DateOnly), false)
	if len(due) != 2 || due[0].ID != overdue || due[1].ID != today || due[1].CompanyName != "Petit & Fils" || due[0].ContactName != "Jean Petit" {
		t.Fatalf("today/overdue: %+v", due)
	}
	if r, _ := s.DueReminders(ctx); len(r) != 0 {
		t.Fatalf("reminder shown before its time: %+v", r)
	}
	*now = now.Add(time.Hour) // 10:30, after the 10:00 reminder
	if r, _ := s.DueReminders(ctx); len(r) != 1 || r[0].ID != today {
		t.Fatalf("due reminders: %+v", r)
	}
	if err := s.DismissReminder(ctx, today); err != nil {
		t.Fatal(err)
	}
	if r, _ := s.DueReminders(ctx); len(r) != 0 {
		t.Fatalf("a dismissed reminder is still due: %+v", r)
	}
	if err := s.SetTaskDone(ctx, overdue, true); err != nil {
		t.Fatal(err)
	}
	due, _ = s.Tasks(ctx, now.Format(time.DateOnly), false)
	if len(due) != 1 {
		t.Fatalf("a done task is still due: %+v", due)
	}
	if p, _ := s.ListContacts(ctx, ListQuery{Filter: Filter{HasOpenTask: true}, WithTotal: true}); p.Total != 1 {
		t.Fatalf("has open task filter: %d", p.Total)
	}
}

func TestListFiltersSortsAndSegments(t *testing.T) {
	s, _ := newStore(t)
	co, _ := s.CreateCompany(ctx, Company{Name: "Acme"})
	mustCreate(t, s, Contact{GivenName: "Émile", FamilyName: "Zola", Relationships: []Relationship{Customer}, Tags: []string{"auteur"}, Owner: "Marie"})
	mustCreate(t, s, Contact{GivenName: "Albert", FamilyName: "Camus", Relationships: []Relationship{Prospect, Customer}, Companies: []CompanyLink{{CompanyID: co}}})
	mustCreate(t, s, Contact{GivenName: "Éric", FamilyName: "Éluard", Relationships: []Relationship{Supplier}, Tags: []string{"auteur"}})
	names := func(lq ListQuery) []string {
		p, err := s.ListContacts(ctx, lq)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range p.Rows {
			out = append(out, r.Name)
		}
		return out
	}
	if got := names(ListQuery{}); !slices.Equal(got, []string{"Albert Camus", "Éric Éluard", "Émile Zola"}) {
		t.Fatalf("sorted by family name, accents folded: %v", got)
	}
	if got := names(ListQuery{Desc: true, Limit: 2}); !slices.Equal(got, []string{"Émile Zola", "Éric Éluard"}) {
		t.Fatalf("descending page: %v", got)
	}
	if got := names(ListQuery{Offset: 2}); !slices.Equal(got, []string{"Émile Zola"}) {
		t.Fatalf("offset: %v", got)
	}
	if got := names(ListQuery{Filter: Filter{Relationship: Customer}}); len(got) != 2 {
		t.Fatalf("customers: %v", got)
	}
	if got := names(ListQuery{Filter: Filter{Tag: "AUTEUR", Relationship: Supplier}}); !slices.Equal(got, []string{"Éric Éluard"}) {
		t.Fatalf("tag and relationship: %v", got)
	}
	if got := names(ListQuery{Filter: Filter{CompanyID: co}}); !slices.Equal(got, []string{"Albert Camus"}) {
		t.Fatalf("company: %v", got)
	}
	if got := names(ListQuery{Filter: Filter{Owner: "Marie"}}); !slices.Equal(got, []string{"Émile Zola"}) {
		t.Fatalf("owner: %v", got)
	}
	id, err := s.SaveSegment(ctx, Segment{Name: "Auteurs fournisseurs", Filter: Filter{Tag: "auteur", Relationship: Supplier}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveSegment(ctx, Segment{Name: "auteurs FOURNISSEURS"}); !errors.Is(err, ErrDuplicateName) {
		t.Fatalf("duplicate segment name: %v", err)
	}
	segs, _ := s.Segments(ctx)
	if len(segs) != 1 || segs[0].ID != id || segs[0].Filter.Tag != "auteur" {
		t.Fatalf("segments %+v", segs)
	}
	if got := names(ListQuery{Filter: segs[0].Filter}); !slices.Equal(got, []string{"Éric Éluard"}) {
		t.Fatalf("segment applied: %v", got)
	}
	tags, _ := s.Tags(ctx)
	owners, _ := s.Owners(ctx)
	if !slices.Equal(tags, []string{"auteur"}) || !slices.Equal(owners, []string{"Marie"}) {
		t.Fatalf("tags %v owners %v", tags, owners)
	}
}

func TestCompanyTypedByNameIsFoundOrCreated(t *testing.T) {
	s, _ := newStore(t)
	existing, _ := s.CreateCompany(ctx, Company{Name: "Lemaire SA"})
	id := mustCreate(t, s, Contact{GivenName: "A", Companies: []CompanyLink{{CompanyName: "lemaire sa", Role: "CEO"}, {CompanyName: "Nouvelle SARL"}, {CompanyName: "  "}}})
	c, _ := s.Contact(ctx, id)
	if len(c.Companies) != 2 || c.Companies[0].CompanyID != existing || c.Companies[1].CompanyName != "Nouvelle SARL" || c.Companies[0].Role != "CEO" {
		t.Fatalf("links %+v", c.Companies)
	}
	if p, _ := s.ListCompanies(ctx, "", 0, 10); p.Total != 2 {
		t.Fatalf("companies: %d", p.Total)
	}
}

func TestSnapshotPagesMatchTheList(t *testing.T) {
	s, _ := newStore(t)
	if _, err := s.GenerateDemo(ctx, DemoOptions{Contacts: 120, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	q := ListQuery{Filter: Filter{Relationship: Customer}, Sort: SortName, Desc: true}
	sn, err := s.Snapshot(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	full, _ := s.ListContacts(ctx, ListQuery{Filter: q.Filter, Sort: q.Sort, Desc: true, Limit: 500, WithTotal: true})
	if sn.Len() != full.Total || !sn.Matches(q) || sn.Matches(ListQuery{}) {
		t.Fatalf("snapshot of %d, list of %d", sn.Len(), full.Total)
	}
	for off := 0; off < sn.Len(); off += 7 {
		p, err := s.Page(ctx, sn, off, 7)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range p.Rows {
			if r.ID != full.Rows[off+i].ID || r.Name != full.Rows[off+i].Name || r.Email != full.Rows[off+i].Email {
				t.Fatalf("row %d: %+v, list has %+v", off+i, r, full.Rows[off+i])
			}
		}
	}
	// A contact deleted after the snapshot is left out, not shown stale.
	s.DeleteContact(ctx, full.Rows[0].ID)
	if p, _ := s.Page(ctx, sn, 0, 3); len(p.Rows) != 2 || p.Rows[0].ID != full.Rows[1].ID {
		t.Fatalf("after delete: %+v", p.Rows)
	}
}

func TestUpdateIgnoresAnEmptyCompanyLink(t *testing.T) {
	s, _ := newStore(t)
	id := mustCreate(t, s, Contact{GivenName: "Anne", Companies: []CompanyLink{{CompanyName: "Atelier Vert"}}})
	c, err := s.Contact(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	c.Companies = append(c.Companies, CompanyLink{}) // a blank row of the form
	if err := s.UpdateContact(ctx, *c); err != nil {
		t.Fatalf("update with an empty link: %v", err)
	}
	if ids := searchIDs(t, s, "atelier vert"); len(ids) != 1 || ids[0] != id {
		t.Fatalf("the company is still searched: %v", ids)
	}
}
