package retention_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"carnet/backend/crm"
	"carnet/backend/i18n"
	"carnet/backend/mail"
	"carnet/backend/privacy"
	"carnet/backend/privacy/retention"
	"carnet/backend/sales"
	"carnet/backend/vault/vaulttest"
)

var ctx = context.Background()

// asOf is the sweep's date in every test: three years after it is
// 2023-11-28T09:30:00Z.
var asOf = time.Date(2026, 11, 28, 9, 30, 0, 0, time.UTC)

// world is a vault with a clock the test moves.
type world struct {
	t   *testing.T
	db  *sql.DB
	now time.Time
	crm *crm.Store
	ret *retention.Store
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{t: t, db: vaulttest.DB(t), now: asOf}
	clock := func() time.Time { return w.now }
	tr, err := i18n.Load()
	must(t, err)
	w.crm = crm.New(w.db, clock)
	w.ret = retention.New(w.db, clock, tr)
	return w
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t, err = time.Parse(time.DateOnly, s)
	}
	if err != nil {
		panic(err)
	}
	return t
}

// contact creates a contact as if typed in at created.
func (w *world) contact(created string, c crm.Contact) int64 {
	w.t.Helper()
	saved := w.now
	w.now = at(created)
	defer func() { w.now = saved }()
	id, err := w.crm.CreateContact(ctx, c)
	must(w.t, err)
	return id
}

func (w *world) sweep(when time.Time) retention.Sweep {
	w.t.Helper()
	sw, err := w.ret.Due(ctx, when)
	must(w.t, err)
	return sw
}

// ids lists the items' ids with their start event: "12:collection".
func ids(items []retention.Item) []string {
	out := []string{}
	for _, it := range items {
		out = append(out, fmt.Sprintf("%d:%s", it.ID, it.From))
	}
	return out
}

func item(items []retention.Item, id int64) *retention.Item {
	for i := range items {
		if items[i].ID == id {
			return &items[i]
		}
	}
	return nil
}

func prospect(name string) crm.Contact {
	return crm.Contact{GivenName: name, FamilyName: "Test", Relationships: []crm.Relationship{crm.Prospect}}
}

func TestProspectsRunFromCollectionOrTheirLastContactWhicheverIsLater(t *testing.T) {
	w := newWorld(t)
	exact := w.contact("2023-11-28T09:30:00Z", prospect("Exactement"))
	oneSecondLater := w.contact("2023-11-28T09:30:01Z", prospect("Uneseconde"))
	wroteLater := w.contact("2022-01-01", crm.Contact{GivenName: "Écrit", Relationships: []crm.Relationship{crm.Prospect},
		LastInboundAt: "2025-01-10T08:00:00Z"})
	wroteLongAgo := w.contact("2020-05-01", crm.Contact{GivenName: "Ancien", Relationships: []crm.Relationship{crm.Prospect},
		LastInboundAt: "2023-06-01T08:00:00Z"})
	soon := w.contact("2023-12-20", prospect("Bientôt"))
	noRelationship := w.contact("2020-02-01", crm.Contact{GivenName: "Inclassé"})
	supplier := w.contact("2019-01-01", crm.Contact{GivenName: "Fournisseur", Relationships: []crm.Relationship{crm.Supplier}})
	restricted := w.contact("2019-01-01", prospect("Restreint"))
	must(t, w.crm.Restrict(ctx, restricted, "exactitude contestée", ""))
	consented := w.contact("2019-01-01", crm.Contact{GivenName: "Consent", Relationships: []crm.Relationship{crm.Prospect},
		Emails: []crm.Email{{Address: "consent@exemple.test"}}})
	ps := privacy.New(w.db, func() time.Time { return w.now })
	_, err := ps.Purposes(ctx, func(k string) string { return k })
	must(t, err)
	_, err = ps.Record(ctx, privacy.Entry{ContactID: consented, Purpose: "newsletter", Channel: "email", Action: "grant",
		Wording: "J’accepte", WordingVersion: "v1", Method: "form", RecordedBy: "Claire", OccurredAt: "2025-03-01T10:00:00Z"})
	must(t, err)

	g := w.sweep(asOf).Group(retention.GroupProspects)
	want := []string{
		fmt.Sprintf("%d:collection", noRelationship), // 2023-02-01
		fmt.Sprintf("%d:last_inbound", wroteLongAgo), // 2026-06-01
		fmt.Sprintf("%d:collection", exact),          // exactly three years: due
	}
	if got := ids(g.Due); !slices.Equal(got, want) {
		t.Fatalf("due prospects %v, want %v (oldest due first)", got, want)
	}
	if got, want := ids(g.Soon), []string{fmt.Sprintf("%d:collection", oneSecondLater), fmt.Sprintf("%d:collection", soon)}; !slices.Equal(got, want) {
		t.Fatalf("prospects due within 30 days %v, want %v", got, want)
	}
	for _, absent := range []int64{wroteLater, supplier, restricted, consented} {
		if item(g.Due, absent) != nil || item(g.Soon, absent) != nil {
			t.Errorf("contact %d is swept; it should not be (later contact, supplier, restricted or consent)", absent)
		}
	}
	e := item(g.Due, exact)
	if e.StartAt != "2023-11-28T09:30:00Z" || e.DueAt != "2026-11-28T09:30:00Z" || e.Name != "Exactement Test" || e.Kind != "contact" {
		t.Fatalf("item %+v", e)
	}
	if d := item(g.Due, wroteLongAgo); d.StartAt != "2023-06-01T08:00:00Z" || d.DueAt != "2026-06-01T08:00:00Z" {
		t.Fatalf("a prospect who wrote runs from their message: %+v", d)
	}
	// A second earlier, the three years are not over.
	g = w.sweep(asOf.Add(-time.Second)).Group(retention.GroupProspects)
	if item(g.Due, exact) != nil || item(g.Soon, exact) == nil {
		t.Fatal("three years less a second: not due yet, but soon")
	}
}

// issue makes an issued invoice for a contact on a day (days must come in
// order: invoice numbers are chronological).
func issue(t *testing.T, ss *sales.Store, contact int64, day string) int64 {
	t.Helper()
	id, err := ss.SaveDraft(ctx, sales.Document{Kind: sales.KindInvoice, ContactID: contact, B2C: true,
		Lines: []sales.Line{{Description: "Conseil", Quantity: 1000, UnitPrice: 10000, VATRate: sales.RateStandard}}})
	must(t, err)
	_, err = ss.Issue(ctx, id, day)
	must(t, err)
	return id
}

func seller(t *testing.T, ss *sales.Store) {
	t.Helper()
	p, err := ss.Profile(ctx)
	must(t, err)
	p.LegalName, p.LegalForm, p.Street, p.PostalCode, p.City, p.SIREN = "Atelier Lumière", "SARL", "1 place Bellecour", "69002", "Lyon", "443061841"
	must(t, ss.SaveProfile(ctx, *p))
}

func customer(name string, rel ...crm.Relationship) crm.Contact {
	return crm.Contact{GivenName: name, FamilyName: "Client", Relationships: append([]crm.Relationship{crm.Customer}, rel...)}
}

func TestCustomersRunFromTheEndOfTheRelationship(t *testing.T) {
	w := newWorld(t)
	ss := sales.New(w.db, func() time.Time { return w.now })
	seller(t, ss)
	lastInvoice := w.contact("2020-01-01", customer("Facturé", crm.Prospect))
	wroteAfter := w.contact("2020-01-01", crm.Contact{GivenName: "Écrit", Relationships: []crm.Relationship{crm.Customer},
		LastInboundAt: "2024-02-01T10:00:00Z"})
	never := w.contact("2020-03-01", customer("Jamais"))
	soon := w.contact("2020-01-01", customer("Bientôt"))
	recent := w.contact("2020-01-01", customer("Récent"))
	old := issue(t, ss, recent, "2015-06-01") // past its ten years at the end of 2025
	issue(t, ss, lastInvoice, "2023-05-01")
	issue(t, ss, wroteAfter, "2023-05-02")
	issue(t, ss, lastInvoice, "2023-10-01")
	issue(t, ss, soon, "2023-12-15")
	issue(t, ss, recent, "2024-01-15")

	sw := w.sweep(asOf)
	g := sw.Group(retention.GroupCustomers)
	want := []string{fmt.Sprintf("%d:collection", never), fmt.Sprintf("%d:invoice_date", lastInvoice)}
	if got := ids(g.Due); !slices.Equal(got, want) {
		t.Fatalf("former customers %v, want %v", got, want)
	}
	if d := item(g.Due, lastInvoice); d.StartAt != "2023-10-01T00:00:00Z" || d.DueAt != "2026-10-01T00:00:00Z" {
		t.Fatalf("the relationship ends with the last invoice, not the first: %+v", d)
	}
	if got, want := ids(g.Soon), []string{fmt.Sprintf("%d:invoice_date", soon)}; !slices.Equal(got, want) {
		t.Fatalf("customers due soon %v, want %v", got, want)
	}
	if item(g.Due, wroteAfter) != nil || item(g.Due, recent) != nil {
		t.Fatal("a customer who wrote or was invoiced since is swept")
	}
	// A prospect who became a customer is a customer.
	if item(sw.Group(retention.GroupProspects).Due, lastInvoice) != nil {
		t.Fatal("a customer is also listed as a prospect")
	}
	inv := sw.Group(retention.GroupInvoices)
	if len(inv.Due) != 1 || inv.Due[0].ID != old || inv.Due[0].DueAt != "2026-01-01T00:00:00Z" || inv.Due[0].Kind != "document" || len(inv.Actions) != 0 {
		t.Fatalf("invoices past their legal hold: %+v", inv)
	}
	if sw.DueNow != 2 || sw.DueSoon != 1 {
		t.Fatalf("dashboard counts now %d, soon %d; want 2 and 1 (invoices are a report, not counted)", sw.DueNow, sw.DueSoon)
	}
}

func TestSweepListsEveryGroupInOrderWithItsDecisions(t *testing.T) {
	w := newWorld(t)
	sw := w.sweep(asOf)
	var keys []string
	for _, g := range sw.Groups {
		keys = append(keys, g.Key)
		if g.Due == nil || g.Soon == nil {
			t.Errorf("group %s: nil lists (JSON null)", g.Key)
		}
	}
	want := []string{"prospects", "customers", "repermission", "archives", "messages", "invoices"}
	if !slices.Equal(keys, want) {
		t.Fatalf("groups %v, want %v", keys, want)
	}
	for _, tc := range []struct {
		group   string
		months  int
		actions []string
	}{
		{"prospects", 36, []string{"repermission", "archive", "erase"}},
		{"customers", 36, []string{"repermission", "archive", "erase"}},
		{"repermission", 0, []string{"archive", "erase"}},
		{"archives", 60, []string{"erase"}},
		{"messages", 24, []string{"delete"}},
		{"invoices", 120, []string{}},
	} {
		g := sw.Group(tc.group)
		if g.Months != tc.months || !slices.Equal(g.Actions, tc.actions) {
			t.Errorf("%s: %d months, actions %v; want %d, %v", tc.group, g.Months, g.Actions, tc.months, tc.actions)
		}
	}
}

func eml(from, to, date, subject string) []byte {
	return []byte("From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject + "\r\nDate: " + date +
		"\r\nMessage-ID: <" + strings.ReplaceAll(subject, " ", ".") + "@exemple.test>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nBonjour\r\n")
}

func TestUnlinkedEmailsAreDueAfterTheChosenPeriod(t *testing.T) {
	w := newWorld(t)
	w.contact("2025-01-01", crm.Contact{GivenName: "Connue", Emails: []crm.Email{{Address: "connue@exemple.test"}}})
	ms := mail.New(w.db, func() time.Time { return w.now })
	account, err := ms.SaveAccount(ctx, mail.Account{Name: "Bureau", Address: "moi@atelier.test", IMAPHost: "127.0.0.1", IMAPPort: 143,
		IMAPSecurity: mail.None, SMTPHost: "127.0.0.1", SMTPPort: 25, SMTPSecurity: mail.None, Username: "u", Password: "p"})
	must(t, err)
	imp := func(from, date, subject string) int64 {
		id, err := ms.ImportFile(ctx, account, eml(from, "moi@atelier.test", date, subject))
		must(t, err)
		return id
	}
	linked := imp("Connue <CONNUE@exemple.test>", "Mon, 1 Jan 2024 10:00:00 +0000", "Lie")
	old := imp("Inconnu <inconnu@ailleurs.test>", "Mon, 1 Jan 2024 10:00:00 +0000", "Vieux")
	recent := imp("inconnu@ailleurs.test", "Sun, 1 Jun 2025 10:00:00 +0000", "Recent")
	soon := imp("autre@ailleurs.test", "Fri, 20 Dec 2024 10:00:00 +0000", "Bientot")

	g := w.sweep(asOf).Group(retention.GroupMessages)
	if len(g.Due) != 1 || g.Due[0].ID != old || g.Due[0].Name != "Vieux" || g.Due[0].Detail != "Inconnu <inconnu@ailleurs.test>" ||
		g.Due[0].DueAt != "2026-01-01T10:00:00Z" || g.Due[0].From != "message_date" {
		t.Fatalf("due messages %+v, want only %d", g.Due, old)
	}
	if len(g.Soon) != 1 || g.Soon[0].ID != soon {
		t.Fatalf("messages due soon %+v, want %d", g.Soon, soon)
	}
	if item(g.Due, linked) != nil || item(g.Due, recent) != nil {
		t.Fatal("a message linked to a contact, or recent, is due")
	}

	// Only what is due can be deleted: nothing happens otherwise.
	_, err = w.ret.DeleteMessages(ctx, "Claire", []int64{old, recent})
	var nd *retention.NotDueError
	if !errors.As(err, &nd) || !slices.Equal(nd.IDs, []int64{recent}) || !errors.Is(err, retention.ErrNotDue) {
		t.Fatalf("deleting a message not due: %v", err)
	}
	n, err := w.ret.DeleteMessages(ctx, "Claire", []int64{old})
	if err != nil || n != 1 {
		t.Fatalf("delete: %d, %v", n, err)
	}
	var left, addrs int
	w.db.QueryRow(`SELECT count(*) FROM mail_messages`).Scan(&left)
	w.db.QueryRow(`SELECT count(*) FROM mail_addresses WHERE message_id = ?`, old).Scan(&addrs)
	if left != 3 || addrs != 0 {
		t.Fatalf("after deleting: %d messages, %d addresses of the deleted one", left, addrs)
	}
	if hits, _ := ms.Search(ctx, "vieux", 10); len(hits) != 0 {
		t.Fatalf("the deleted message is still found: %+v", hits)
	}
	audit := auditOf(t, w, "retention.message_delete")
	if len(audit) != 1 || audit[0].SubjectKind != "message" || audit[0].SubjectID != old {
		t.Fatalf("audit %+v", audit)
	}

	// An e-mail that comes to be linked to a contact is no longer due.
	w.contact("2026-11-01", crm.Contact{GivenName: "Plus inconnu", Emails: []crm.Email{{Address: "autre@ailleurs.test"}}})
	if _, err := w.ret.DeleteMessages(ctx, "Claire", []int64{soon}); !errors.Is(err, retention.ErrNotDue) {
		t.Fatalf("a message linked since: %v", err)
	}

	// 0 keeps e-mails.
	p := retention.DefaultPolicy()
	p.MessageMonths = 0
	must(t, w.ret.SavePolicy(ctx, "Claire", p))
	if g := w.sweep(asOf.AddDate(10, 0, 0)).Group(retention.GroupMessages); len(g.Due)+len(g.Soon) != 0 || g.Months != 0 {
		t.Fatalf("with 0 months nothing is due: %+v", g)
	}
}

func auditOf(t *testing.T, w *world, action string) []privacy.AuditEntry {
	t.Helper()
	entries, err := privacy.New(w.db, nil).Audit(ctx, privacy.AuditQuery{Action: action})
	must(t, err)
	return entries
}

func TestRepermissionWithoutAYesByTheDeadlineIsDueForErasure(t *testing.T) {
	w := newWorld(t)
	seller(t, sales.New(w.db, func() time.Time { return w.now }))
	silent := w.contact("2022-01-01", crm.Contact{GivenName: "Silence", FamilyName: "Muet", Language: "en",
		Relationships: []crm.Relationship{crm.Prospect}, Emails: []crm.Email{{Address: "silence@exemple.test"}}})
	yes := w.contact("2022-01-01", crm.Contact{GivenName: "Oui", FamilyName: "Volontiers", Language: "fr",
		Relationships: []crm.Relationship{crm.Prospect}, Emails: []crm.Email{{Address: "oui@exemple.test"}}})
	no := w.contact("2022-01-01", crm.Contact{GivenName: "Non", FamilyName: "Merci", Language: "de", Relationships: []crm.Relationship{crm.Customer}})
	other := w.contact("2026-01-01", prospect("Récent"))

	if err := w.ret.Answer(ctx, "Claire", silent, true); !errors.Is(err, retention.ErrNoRequest) {
		t.Fatalf("an answer without a request: %v", err)
	}
	letters, err := w.ret.AskRepermission(ctx, "Claire", []int64{silent, yes, no})
	must(t, err)
	if len(letters) != 3 {
		t.Fatalf("%d letters", len(letters))
	}
	en, fr, de := letters[0], letters[1], letters[2]
	if en.Language != "en" || en.To != "silence@exemple.test" || !strings.HasPrefix(en.Body, "Hello Silence Muet,") ||
		!strings.Contains(en.Topic, "Atelier Lumière") || !strings.Contains(en.Body, "3 years") || !strings.Contains(en.Body, "28 December 2026") {
		t.Fatalf("English letter: %+v", en)
	}
	if fr.Language != "fr" || !strings.HasPrefix(fr.Body, "Bonjour Oui Volontiers,") || !strings.Contains(fr.Body, "28 décembre 2026") || !strings.Contains(fr.Body, "3 ans") {
		t.Fatalf("French letter: %+v", fr)
	}
	if de.Language != "fr" || de.To != "" {
		t.Fatalf("a language Carnet does not write falls back to French; no address, a letter to print: %+v", de)
	}
	if en.Deadline != "2026-12-28T09:30:00Z" {
		t.Fatalf("deadline %s, want 30 days after asking", en.Deadline)
	}
	// Asking again sends the same request, not a new one.
	again, err := w.ret.AskRepermission(ctx, "Claire", []int64{silent})
	if err != nil || len(again) != 1 || again[0].Deadline != en.Deadline {
		t.Fatalf("asking twice: %+v, %v", again, err)
	}
	if n := len(auditOf(t, w, "retention.repermission")); n != 3 {
		t.Fatalf("%d requests logged, want 3", n)
	}

	// Waiting: out of the prospects, in the re-permission group's soon list.
	sw := w.sweep(asOf)
	rp := sw.Group(retention.GroupRepermission)
	if item(sw.Group(retention.GroupProspects).Due, silent) != nil {
		t.Fatal("a person asked to confirm is still listed among prospects")
	}
	if it := item(rp.Soon, silent); it == nil || it.State != retention.StateWaiting || it.DueAt != en.Deadline || it.From != "repermission" {
		t.Fatalf("waiting for an answer: %+v", rp)
	}

	w.now = asOf.AddDate(0, 0, 5)
	must(t, w.ret.Answer(ctx, "Claire", yes, true))
	must(t, w.ret.Answer(ctx, "Claire", no, false))
	if err := w.ret.Answer(ctx, "Claire", no, true); !errors.Is(err, retention.ErrNoRequest) {
		t.Fatalf("answering twice: %v", err)
	}
	rp = w.sweep(w.now).Group(retention.GroupRepermission)
	if it := item(rp.Due, no); it == nil || it.State != retention.StateRefused {
		t.Fatalf("a no is due for erasure at once: %+v", rp)
	}

	// The deadline passes: no yes, due for erasure; the yes restarted the clock.
	w.now = asOf.AddDate(0, 0, 31)
	sw = w.sweep(w.now)
	rp = sw.Group(retention.GroupRepermission)
	if it := item(rp.Due, silent); it == nil || it.State != retention.StateNoAnswer {
		t.Fatalf("no answer by the deadline: %+v", rp)
	}
	for _, g := range sw.Groups {
		if item(g.Due, yes) != nil || item(g.Soon, yes) != nil {
			t.Fatalf("a person who said yes is in %s", g.Key)
		}
	}
	later := w.sweep(asOf.AddDate(3, 0, 5)).Group(retention.GroupProspects)
	if it := item(later.Due, yes); it == nil || it.From != "confirmed" || it.StartAt != "2026-12-03T09:30:00Z" {
		t.Fatalf("three years after the yes: %+v", later.Due)
	}

	// Erasure is approved only for what is due, and logged.
	_, err = w.ret.ApproveErasure(ctx, "Claire", []int64{silent, other})
	var nd *retention.NotDueError
	if !errors.As(err, &nd) || !slices.Equal(nd.IDs, []int64{other}) {
		t.Fatalf("approving a contact not due: %v", err)
	}
	if n := len(auditOf(t, w, "retention.erase")); n != 0 {
		t.Fatalf("%d erasures logged after a refusal", n)
	}
	got, err := w.ret.ApproveErasure(ctx, "Claire", []int64{silent, no, silent})
	if err != nil || !slices.Equal(got, []int64{silent, no}) {
		t.Fatalf("approve: %v, %v", got, err)
	}
	logged := auditOf(t, w, "retention.erase")
	if len(logged) != 2 || logged[0].Detail["group"] != "repermission" {
		t.Fatalf("erasures logged: %+v", logged)
	}
	for _, e := range auditOf(t, w, "retention.") {
		for _, v := range e.Detail {
			if s, ok := v.(string); ok && (strings.Contains(s, "Silence") || strings.Contains(s, "@")) {
				t.Fatalf("personal data in the audit log: %+v", e)
			}
		}
	}
}

func TestArchivedContactsLeaveTheirGroupForTheArchive(t *testing.T) {
	w := newWorld(t)
	id := w.contact("2020-01-01", crm.Contact{GivenName: "Archivée", FamilyName: "Scellée", Relationships: []crm.Relationship{crm.Prospect}})
	if err := w.ret.Archive(ctx, "Claire", []int64{id}, " "); !errors.Is(err, crm.ErrNoReason) {
		t.Fatalf("archive without a reason: %v", err)
	}
	must(t, w.ret.Archive(ctx, "Claire", []int64{id}, "Litige en cours"))
	sw := w.sweep(asOf)
	if item(sw.Group(retention.GroupProspects).Due, id) != nil {
		t.Fatal("an archived contact is still a prospect due")
	}
	p, err := w.crm.ListContacts(ctx, crm.ListQuery{WithTotal: true})
	must(t, err)
	if p.Total != 0 {
		t.Fatalf("the archived contact is listed: %+v", p.Rows)
	}
	if hits, _ := w.crm.Search(ctx, "scellée", 10); len(hits) != 0 {
		t.Fatalf("the archived contact is found: %+v", hits)
	}
	if _, err := w.ret.AskRepermission(ctx, "Claire", []int64{id}); !errors.Is(err, crm.ErrArchived) {
		t.Fatalf("asking an archived contact: %v", err)
	}
	g := w.sweep(asOf.AddDate(5, 0, 0)).Group(retention.GroupArchives)
	if it := item(g.Due, id); it == nil || it.From != "archived" || it.DueAt != "2031-11-28T09:30:00Z" || it.Name != "Archivée Scellée" {
		t.Fatalf("five years after archiving: %+v", g)
	}
	if n := len(auditOf(t, w, "retention.archive")); n != 1 {
		t.Fatalf("%d archive decisions logged", n)
	}
	must(t, w.ret.Unarchive(ctx, "Claire", id))
	if item(w.sweep(asOf).Group(retention.GroupProspects).Due, id) == nil {
		t.Fatal("out of the archive, the prospect is due again")
	}
}

func TestPolicyIsValidatedAndKept(t *testing.T) {
	w := newWorld(t)
	p, err := w.ret.Policy(ctx)
	must(t, err)
	if p != retention.DefaultPolicy() || p.Validate() != nil {
		t.Fatalf("a new vault has the CNIL's periods: %+v", p)
	}
	for _, tc := range []struct {
		name  string
		edit  func(*retention.Policy)
		field string
	}{
		{"prospects kept a month is allowed", func(p *retention.Policy) { p.ProspectMonths = 1 }, ""},
		{"prospects never forgotten are not", func(p *retention.Policy) { p.ProspectMonths = 0 }, "prospectMonths"},
		{"customers kept more than ten years are not", func(p *retention.Policy) { p.CustomerMonths = 121 }, "customerMonths"},
		{"a negative archive is not", func(p *retention.Policy) { p.ArchiveMonths = -1 }, "archiveMonths"},
		{"e-mails kept for good (0) are allowed", func(p *retention.Policy) { p.MessageMonths = 0 }, ""},
		{"a negative e-mail period is not", func(p *retention.Policy) { p.MessageMonths = -3 }, "messageMonths"},
		{"three days to answer is too short", func(p *retention.Policy) { p.RepermissionDays = 3 }, "repermissionDays"},
		{"ninety days to answer is too long", func(p *retention.Policy) { p.RepermissionDays = 90 }, "repermissionDays"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := retention.DefaultPolicy()
			tc.edit(&p)
			err := w.ret.SavePolicy(ctx, "Claire", p)
			var pe *retention.PolicyError
			switch {
			case tc.field == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.field != "" && (!errors.As(err, &pe) || pe.Field != tc.field || !errors.Is(err, retention.ErrPolicy)):
				t.Fatalf("error %v, want a PolicyError on %s", err, tc.field)
			case tc.field != "" && (pe.Min > pe.Max || pe.Value >= pe.Min && pe.Value <= pe.Max):
				t.Fatalf("bounds %+v do not explain the refusal", pe)
			}
		})
	}
	p = retention.DefaultPolicy()
	p.ProspectMonths, p.MessageMonths = 24, 6
	must(t, w.ret.SavePolicy(ctx, "Claire", p))
	got, err := w.ret.Policy(ctx)
	if err != nil || got != p {
		t.Fatalf("policy read back %+v, %v; want %+v", got, err, p)
	}
	if err := w.ret.SavePolicy(ctx, "Claire", retention.Policy{}); err == nil {
		t.Fatal("an empty policy was saved")
	}
	if got, _ := w.ret.Policy(ctx); got != p {
		t.Fatal("a refused policy changed the stored one")
	}
	logged := auditOf(t, w, "retention.policy")
	if len(logged) == 0 || fmt.Sprint(logged[0].Detail["fields"]) != "[messageMonths prospectMonths]" {
		t.Fatalf("policy change logged as %+v", logged)
	}
	// The sweep uses the saved periods.
	id := w.contact("2024-11-01", prospect("Deuxans"))
	if item(w.sweep(asOf).Group(retention.GroupProspects).Due, id) == nil {
		t.Fatal("with 24 months, a prospect collected 25 months ago is due")
	}
}
