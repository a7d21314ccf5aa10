package sales

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"slices"
	"sync"
	"testing"
	"time"

	"carnet/backend/crm"
	"carnet/backend/vault/vaulttest"
)

var ctx = context.Background()

type fixture struct {
	s       *Store
	crm     *crm.Store
	now     *time.Time
	company int64
	contact int64
}

func setup(t *testing.T) *fixture {
	t.Helper()
	db := vaulttest.DB(t)
	var err error
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.Local)
	f := &fixture{s: New(db, func() time.Time { return now }), crm: crm.New(db, nil), now: &now}
	f.company, err = f.crm.CreateCompany(ctx, crm.Company{Name: "Boulangerie Lemaire", SIRET: "73282932000074", VATNumber: "FR44732829320",
		Addresses: []crm.Address{{Street: "3 rue des Lilas", PostalCode: "69003", City: "Lyon", Country: "FR"}}})
	if err != nil {
		t.Fatal(err)
	}
	f.contact, _ = f.crm.CreateContact(ctx, crm.Contact{GivenName: "Hélène", FamilyName: "Dupont", Emails: []crm.Email{{Address: "h@example.fr"}}})
	p, _ := f.s.Profile(ctx)
	p.LegalName, p.LegalForm, p.Street, p.PostalCode, p.City = "Atelier Carnet", "SARL", "1 place Bellecour", "69002", "Lyon"
	p.SIREN, p.VATNumber, p.Registry = "443061841", "FR64443061841", "RCS Lyon"
	if err := f.s.SaveProfile(ctx, *p); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) draft(t *testing.T, kind string, lines ...Line) int64 {
	t.Helper()
	if len(lines) == 0 {
		lines = []Line{{Description: "Conseil", Quantity: 2000, UnitPrice: 45000, VATRate: RateStandard}}
	}
	id, err := f.s.SaveDraft(ctx, Document{Kind: kind, CompanyID: f.company, ContactID: f.contact, Lines: lines})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestDraftsHaveNoNumberAndIssuingIsGaplessAndChronological(t *testing.T) {
	f := setup(t)
	a := f.draft(t, KindInvoice)
	d, _ := f.s.Document(ctx, a)
	if d.Number != "" || d.Status != StateDraft || d.Totals.Gross != 108000 {
		t.Fatalf("draft: number %q status %s gross %d", d.Number, d.Status, d.Totals.Gross)
	}
	empty, _ := f.s.SaveDraft(ctx, Document{Kind: KindInvoice, CompanyID: f.company})
	if _, err := f.s.Issue(ctx, empty, ""); !errors.Is(err, ErrNoLines) {
		t.Fatalf("issuing an empty invoice: %v", err)
	}
	d, err := f.s.Issue(ctx, a, "")
	if err != nil || d.Number != "F-2026-0001" || d.IssueDate != "2026-11-28" || d.DueDate != "2026-12-28" {
		t.Fatalf("first issue: %+v, %v", d, err)
	}
	if d.Buyer.Name != "Boulangerie Lemaire" || d.Buyer.SIREN != "732829320" || d.Buyer.Contact != "Hélène Dupont" || d.Seller.LegalName != "Atelier Carnet" {
		t.Fatalf("snapshots: buyer %+v seller %q", d.Buyer, d.Seller.LegalName)
	}
	b := f.draft(t, KindInvoice)
	if _, err := f.s.Issue(ctx, b, "2026-11-27"); !errors.Is(err, ErrDateOrder) {
		t.Fatalf("issuing before the last invoice: %v", err)
	}
	if _, err := f.s.Issue(ctx, b, "2026-11-29"); !errors.Is(err, ErrFutureDate) {
		t.Fatalf("issuing in the future: %v", err)
	}
	// The refused attempts took no number.
	if d, _ := f.s.Issue(ctx, b, ""); d.Number != "F-2026-0002" {
		t.Fatalf("after refused attempts: %q", d.Number)
	}
	// A new year restarts the series.
	*f.now = time.Date(2027, 1, 2, 9, 0, 0, 0, time.Local)
	c := f.draft(t, KindInvoice)
	if d, _ := f.s.Issue(ctx, c, ""); d.Number != "F-2027-0001" {
		t.Fatalf("new year: %q", d.Number)
	}
}

func TestConcurrentIssuingLeavesNoGaps(t *testing.T) {
	f := setup(t)
	const n = 12
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = f.draft(t, KindInvoice)
	}
	var wg sync.WaitGroup
	numbers := make([]string, n)
	errs := make([]error, n)
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d, err := f.s.Issue(ctx, id, "")
			errs[i] = err
			if d != nil {
				numbers[i] = d.Number
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	slices.Sort(numbers)
	for i, num := range numbers {
		if want := fmt.Sprintf("F-2026-%04d", i+1); num != want {
			t.Fatalf("numbers %v: position %d is %s, want %s", numbers, i, num, want)
		}
	}
}

func TestIssuedInvoicesNeverChange(t *testing.T) {
	f := setup(t)
	id := f.draft(t, KindInvoice)
	d, _ := f.s.Issue(ctx, id, "")
	d.Notes = "changed"
	if _, err := f.s.SaveDraft(ctx, *d); !errors.Is(err, ErrFrozen) {
		t.Fatalf("editing an issued invoice: %v", err)
	}
	if err := f.s.DeleteDraft(ctx, id); !errors.Is(err, ErrFrozen) {
		t.Fatalf("deleting an issued invoice: %v", err)
	}
	// Even raw SQL is refused by the triggers.
	for _, q := range []string{
		`UPDATE documents SET total_gross = 1 WHERE id = ?`,
		`UPDATE documents SET number = 'F-2026-9999' WHERE id = ?`,
		`DELETE FROM documents WHERE id = ?`,
		`DELETE FROM document_lines WHERE document_id = ?`,
		`UPDATE document_lines SET unit_price = 1 WHERE document_id = ?`,
		`INSERT INTO document_lines (document_id, position, description, quantity, unit_price, vat_rate) VALUES (?, 9, 'x', 1000, 1, 2000)`,
	} {
		if _, err := f.s.db.ExecContext(ctx, q, id); err == nil || !errors.Is(frozenErr(err), ErrFrozen) {
			t.Errorf("%s: %v", q, err)
		}
	}
	after, _ := f.s.Document(ctx, id)
	if after.Totals.Gross != d.Totals.Gross || after.Number != d.Number || len(after.Lines) != 1 {
		t.Fatalf("the invoice changed: %+v", after)
	}
	// The buyer's later changes do not reach the issued invoice.
	co, _ := f.crm.Company(ctx, f.company)
	co.Name = "Lemaire & Fils"
	f.crm.UpdateCompany(ctx, *co)
	if after, _ := f.s.Document(ctx, id); after.Buyer.Name != "Boulangerie Lemaire" {
		t.Fatalf("buyer snapshot changed: %q", after.Buyer.Name)
	}
}

func TestPaymentsAndOverdue(t *testing.T) {
	f := setup(t)
	id := f.draft(t, KindInvoice)
	f.s.Issue(ctx, id, "") // 1080.00 € due 2026-12-28
	if err := f.s.AddPayment(ctx, id, Payment{Amount: 50000, Method: "transfer"}); err != nil {
		t.Fatal(err)
	}
	d, _ := f.s.Document(ctx, id)
	if d.Status != StatusPartiallyPaid || d.Due != 58000 {
		t.Fatalf("after a part payment: %s, due %d", d.Status, d.Due)
	}
	if err := f.s.AddPayment(ctx, id, Payment{Amount: 58001}); !errors.Is(err, ErrOverpaid) {
		t.Fatalf("overpayment: %v", err)
	}
	*f.now = time.Date(2026, 12, 29, 9, 0, 0, 0, time.Local)
	if d, _ := f.s.Document(ctx, id); d.Status != StatusOverdue {
		t.Fatalf("after the due date: %s", d.Status)
	}
	f.s.AddPayment(ctx, id, Payment{Amount: 58000, PaidOn: "2026-12-29", Method: "card"})
	if d, _ := f.s.Document(ctx, id); d.Status != StatusPaid || d.Due != 0 {
		t.Fatalf("fully paid: %s, due %d", d.Status, d.Due)
	}
	if ps, _ := f.s.Payments(ctx, id); len(ps) != 2 {
		t.Fatalf("payments: %+v", ps)
	}
	draft := f.draft(t, KindInvoice)
	if err := f.s.AddPayment(ctx, draft, Payment{Amount: 100}); !errors.Is(err, ErrWrongState) {
		t.Fatalf("payment on a draft: %v", err)
	}
}

func TestCreditNotes(t *testing.T) {
	f := setup(t)
	id := f.draft(t, KindInvoice, Line{Description: "Conseil", Quantity: 2000, UnitPrice: 45000, VATRate: RateStandard},
		Line{Description: "Livre", Quantity: 1000, UnitPrice: 2000, VATRate: RateReduced})
	inv, _ := f.s.Issue(ctx, id, "")
	partial, err := f.s.CreditNote(ctx, id, []Line{{Description: "Remise commerciale sur Conseil", Quantity: 1000, UnitPrice: 10000, VATRate: RateStandard}})
	if err != nil {
		t.Fatal(err)
	}
	cn, err := f.s.Issue(ctx, partial, "")
	if err != nil || cn.Number != "A-2026-0001" || cn.InvoiceID != id || cn.Totals.Gross != 12000 {
		t.Fatalf("partial credit note: %+v, %v", cn, err)
	}
	after, _ := f.s.Document(ctx, id)
	if after.Due != inv.Totals.Gross-12000 || after.Credited != 12000 {
		t.Fatalf("invoice after the credit note: due %d credited %d", after.Due, after.Credited)
	}
	full, _ := f.s.CreditNote(ctx, id, nil)
	if _, err := f.s.Issue(ctx, full, ""); !errors.Is(err, ErrCreditTooLarge) {
		t.Fatalf("crediting more than what is left: %v", err)
	}
	f.s.DeleteDraft(ctx, full)
	if _, err := f.s.CreditNote(ctx, f.draft(t, KindInvoice), nil); !errors.Is(err, ErrWrongState) {
		t.Fatalf("credit note of a draft invoice: %v", err)
	}
	// Cancelling the rest makes the invoice credited; the series goes on.
	rest, _ := f.s.CreditNote(ctx, id, []Line{{Description: "Annulation du solde", Quantity: 1000, UnitPrice: after.Due, VATRate: 0, Exemption: "Régularisation"}})
	cn2, err := f.s.Issue(ctx, rest, "")
	if err != nil || cn2.Number != "A-2026-0002" {
		t.Fatalf("second credit note: %+v %v", cn2, err)
	}
	if d, _ := f.s.Document(ctx, id); d.Status != StatusCredited {
		t.Fatalf("fully credited invoice: %s", d.Status)
	}
}

func TestQuotesLifeCycle(t *testing.T) {
	f := setup(t)
	q := f.draft(t, KindQuote)
	if _, err := f.s.ConvertQuote(ctx, q); !errors.Is(err, ErrWrongState) {
		t.Fatalf("converting a draft quote: %v", err)
	}
	d, err := f.s.SendQuote(ctx, q)
	if err != nil || d.Number != "D-2026-0001" || d.State != StateSent || d.ValidUntil != "2026-12-28" {
		t.Fatalf("sent quote: %+v %v", d, err)
	}
	if _, err := f.s.SaveDraft(ctx, *d); !errors.Is(err, ErrNotDraft) {
		t.Fatalf("editing a sent quote: %v", err)
	}
	if err := f.s.SetQuoteState(ctx, q, StateAccepted); err != nil {
		t.Fatal(err)
	}
	inv, err := f.s.ConvertQuote(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	i, _ := f.s.Document(ctx, inv)
	if i.Kind != KindInvoice || i.QuoteID != q || i.Number != "" || len(i.Lines) != 1 || i.Totals.Gross != d.Totals.Gross {
		t.Fatalf("invoice from quote: %+v", i)
	}
	dup, _ := f.s.DuplicateQuote(ctx, q)
	if c, _ := f.s.Document(ctx, dup); c.State != StateDraft || c.Number != "" || len(c.Lines) != 1 {
		t.Fatalf("duplicate: %+v", c)
	}
	if err := f.s.SetQuoteState(ctx, dup, StateDeclined); !errors.Is(err, ErrWrongState) {
		t.Fatalf("declining a draft: %v", err)
	}
	list, _ := f.s.List(ctx, "")
	if len(list) != 3 || list[0].Customer != "Boulangerie Lemaire" {
		t.Fatalf("list: %+v", list)
	}
	for _, tc := range []struct {
		f    ListFilter
		want int
	}{
		{ListFilter{Kind: KindQuote}, 2},
		{ListFilter{Status: StateAccepted}, 1},
		{ListFilter{Customer: "lemaire"}, 3},
		{ListFilter{Customer: "nobody"}, 0},
		{ListFilter{From: "2026-11-28", To: "2026-11-28"}, 1}, // only the sent quote has a date
		{ListFilter{CompanyID: f.company}, 3},
		{ListFilter{ContactID: f.contact + 100}, 0},
	} {
		if got, _ := f.s.Find(ctx, tc.f); len(got) != tc.want {
			t.Errorf("Find(%+v): %d documents, want %d", tc.f, len(got), tc.want)
		}
	}
}

func TestSellerProfileIsRequiredAndChecked(t *testing.T) {
	f := setup(t)
	p, _ := f.s.Profile(ctx)
	bad := *p
	bad.InvoicePattern = "F-{YYYY}"
	if err := f.s.SaveProfile(ctx, bad); !errors.Is(err, ErrBadPattern) {
		t.Fatalf("pattern without counter: %v", err)
	}
	bad = *p
	bad.PaymentDays = 90
	if err := f.s.SaveProfile(ctx, bad); !errors.Is(err, ErrBadTerms) {
		t.Fatalf("90 days: %v", err)
	}
	bad = *p
	bad.SIREN = "123456789"
	if err := f.s.SaveProfile(ctx, bad); !errors.Is(err, crm.ErrInvalidSIREN) {
		t.Fatalf("bad SIREN: %v", err)
	}
	p.LegalName = ""
	f.s.SaveProfile(ctx, *p)
	if _, err := f.s.Issue(ctx, f.draft(t, KindInvoice), ""); !errors.Is(err, ErrSellerMissing) {
		t.Fatalf("issuing without a seller: %v", err)
	}
	if _, err := f.s.SaveProduct(ctx, Product{Label: "Livre", UnitPrice: 2000, VATRate: 550}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.SaveProduct(ctx, Product{Label: "Export", UnitPrice: 2000, VATRate: 0}); !errors.Is(err, ErrExemptionMissing) {
		t.Fatalf("0 %% product without exemption: %v", err)
	}
	if ps, _ := f.s.Products(ctx, false); len(ps) != 1 {
		t.Fatalf("products: %+v", ps)
	}
}

func TestOverviewAndDemo(t *testing.T) {
	f := setup(t)
	sum, err := f.s.GenerateDemo(ctx, []int64{f.company}, 1)
	if err != nil || sum.Invoices < 10 || sum.CreditNotes != 2 || sum.Quotes != 7 {
		t.Fatalf("demo: %+v %v", sum, err)
	}
	o, err := f.s.Overview(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Months) != 12 || o.Months[11].Month != "2026-11" || o.Due <= 0 || o.Overdue <= 0 || o.OverdueCount == 0 || o.OpenQuotes <= 0 {
		t.Fatalf("overview: %+v", o)
	}
	var revenue int64
	for _, m := range o.Months {
		revenue += m.Net
	}
	if revenue <= 0 {
		t.Fatalf("no revenue: %+v", o.Months)
	}
}

func TestLogoIsCheckedAndIssuedDocumentsKeepTheirs(t *testing.T) {
	f := setup(t)
	if err := f.s.SetLogo(ctx, []byte("GIF89a not a png")); !errors.Is(err, ErrBadLogo) {
		t.Fatalf("a GIF or junk: %v", err)
	}
	png1 := tinyPNG(t, 10)
	if err := f.s.SetLogo(ctx, png1); err != nil {
		t.Fatal(err)
	}
	d, _ := f.s.Issue(ctx, f.draft(t, KindInvoice), "")
	first := d.Seller.Logo
	if first == "" {
		t.Fatal("the issued invoice has no logo")
	}
	f.s.SetLogo(ctx, tinyPNG(t, 20))
	again, _ := f.s.Document(ctx, d.ID)
	if again.Seller.Logo != first {
		t.Fatal("changing the logo changed an issued invoice")
	}
	if data, mime, err := f.s.Logo(ctx, first); err != nil || mime != "image/png" || !bytes.Equal(data, png1) {
		t.Fatalf("the first logo is gone: %s %v", mime, err)
	}
}

func tinyPNG(t *testing.T, side int) []byte {
	img := image.NewGray(image.Rect(0, 0, side, side))
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
