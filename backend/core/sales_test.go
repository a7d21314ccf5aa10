package core_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	imgpng "image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"carnet/backend/core"
	"carnet/backend/crm"
	"carnet/backend/privacy/rights"
	"carnet/backend/sales"
)

// seller fills in the profile issuing requires and returns a company and
// one of its people to bill.
func seller(t *testing.T, c *core.Core) (company, contact int64) {
	t.Helper()
	ctx := context.Background()
	p, err := c.SellerProfile(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p.LegalName, p.LegalForm, p.Street, p.PostalCode, p.City = "Atelier Carnet", "SARL", "1 place Bellecour", "69002", "Lyon"
	p.SIREN, p.VATNumber, p.Registry = "443061841", "FR64443061841", "RCS Lyon"
	if err := c.SaveSellerProfile(ctx, *p); err != nil {
		t.Fatal(err)
	}
	people := crm.New(c.DB(), nil)
	company, err = people.CreateCompany(ctx, crm.Company{Name: "Boulangerie Lemaire", SIRET: "73282932000074",
		Addresses: []crm.Address{{Street: "3 rue des Lilas", PostalCode: "69003", City: "Lyon", Country: "FR"}}})
	if err != nil {
		t.Fatal(err)
	}
	return company, addContact(t, c.DB(), "Hélène", "Dupont")
}

func draft(t *testing.T, c *core.Core, kind string, company, contact int64) int64 {
	t.Helper()
	id, err := c.SaveDraft(context.Background(), sales.Document{Kind: kind, CompanyID: company, ContactID: contact,
		Lines: []sales.Line{{Description: "Conseil", Quantity: 2000, UnitPrice: 45000, VATRate: sales.RateStandard}}})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// pdfText reads a PDF back as a person would see it.
func pdfText(t *testing.T, path string) string {
	t.Helper()
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	return string(out)
}

func TestAQuoteBecomesAnIssuedPaidAndCreditedInvoice(t *testing.T) {
	ctx := context.Background()
	c := newCore(t)
	company, contact := seller(t, c)
	q := draft(t, c, sales.KindQuote, company, contact)
	sent, err := c.SendQuote(ctx, q)
	if err != nil || sent.Number == "" || sent.State != sales.StateSent {
		t.Fatalf("send quote: %+v, %v", sent, err)
	}
	if _, err := c.ConvertQuote(ctx, q); !errors.Is(err, sales.ErrWrongState) {
		t.Fatalf("converting a quote not yet accepted: %v", err)
	}
	if err := c.SetQuoteState(ctx, q, sales.StateAccepted); err != nil {
		t.Fatal(err)
	}
	inv, err := c.ConvertQuote(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteDraft(ctx, q); !errors.Is(err, sales.ErrNotDraft) {
		t.Fatalf("deleting a sent quote: %v", err)
	}
	d, err := c.IssueDocument(ctx, inv)
	if err != nil || d.Number == "" || d.QuoteID != q || d.Totals.Gross != 108000 {
		t.Fatalf("issue: %+v, %v", d, err)
	}
	if err := c.AddPayment(ctx, inv, sales.Payment{Amount: 8000, Method: "transfer"}); err != nil {
		t.Fatal(err)
	}
	if p, err := c.Payments(ctx, inv); err != nil || len(p) != 1 || p[0].Amount != 8000 {
		t.Fatalf("payments: %+v, %v", p, err)
	}
	cn, err := c.CreditNote(ctx, inv, []sales.Line{})
	if err != nil {
		t.Fatal(err)
	}
	credit, err := c.IssueDocument(ctx, cn)
	if err != nil || credit.Kind != sales.KindCredit || credit.Totals.Gross != 108000 {
		t.Fatalf("issue the credit note: %+v, %v", credit, err)
	}
	list, err := c.Documents(ctx, sales.KindInvoice)
	if err != nil || len(list) != 1 || list[0].Status != "credited" {
		t.Fatalf("invoices: %+v, %v", list, err)
	}
	if n := len(auditEntries(t, c.DB(), "document.issue")); n != 2 {
		t.Errorf("%d document.issue entries for an invoice and a credit note, want 2", n)
	}
}

func TestIssuingAnInvoiceRecordsItAndKeepsItsOriginal(t *testing.T) {
	ctx := context.Background()
	c := newCore(t)
	company, contact := seller(t, c)
	id := draft(t, c, sales.KindInvoice, company, contact)
	d, err := c.IssueDocument(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	got := auditEntries(t, c.DB(), "document.issue")
	if len(got) != 1 {
		t.Fatalf("want one document.issue entry, got %d", len(got))
	}
	e := got[0]
	if e.SubjectKind != "document" || e.SubjectID != id || e.Detail["number"] != d.Number || e.Detail["kind"] != sales.KindInvoice {
		t.Errorf("entry %+v, want document %d numbered %s", e, id, d.Number)
	}
	if !strings.Contains(e.Actor, "(cli") {
		t.Errorf("actor %q does not say the command line", e.Actor)
	}
	if _, kept, err := sales.New(c.DB(), nil).ArchivedPDF(ctx, id); err != nil || !kept {
		t.Fatalf("the original was not kept at issue: %v", err)
	}
}

func TestAFailedAuditLeavesTheInvoiceADraftAndItsNumberUnused(t *testing.T) {
	ctx := context.Background()
	c := newCore(t)
	company, contact := seller(t, c)
	id := draft(t, c, sales.KindInvoice, company, contact)
	failAudit(t, c.DB())
	if _, err := c.IssueDocument(ctx, id); err == nil || !strings.Contains(err.Error(), "injected audit failure") {
		t.Fatalf("issue with a failing audit: %v", err)
	}
	d, err := c.OpenDocument(ctx, id)
	if err != nil || d.Number != "" || d.IssuedAt != "" || d.State != sales.StateDraft {
		t.Fatalf("after a failed issue: %+v, %v", d, err)
	}
	if _, kept, _ := sales.New(c.DB(), nil).ArchivedPDF(ctx, id); kept {
		t.Fatal("an original was kept for an invoice that was not issued")
	}
	if _, err := c.DB().Exec(`DROP TRIGGER fail_audit`); err != nil {
		t.Fatal(err)
	}
	// The series is gapless: the number the failed attempt drew is the
	// one the next issue gets.
	other := draft(t, c, sales.KindInvoice, company, contact)
	d, err = c.IssueDocument(ctx, other)
	if err != nil || !strings.HasSuffix(d.Number, "-0001") {
		t.Fatalf("first invoice after the failed attempt: %+v, %v", d, err)
	}
}

func TestSavingADocumentPDFAddsOneEntryAndTheFileSaysItsNumber(t *testing.T) {
	ctx := context.Background()
	c := newCore(t)
	company, contact := seller(t, c)
	id := draft(t, c, sales.KindInvoice, company, contact)
	d, err := c.IssueDocument(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	name, err := c.DocumentFileName(ctx, id)
	if err != nil || name != d.Number+".pdf" {
		t.Fatalf("file name %q, %v", name, err)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := c.SaveDocumentPDF(ctx, id, path); err != nil {
		t.Fatal(err)
	}
	if text := pdfText(t, path); !strings.Contains(text, d.Number) || !strings.Contains(text, "Boulangerie Lemaire") {
		t.Fatalf("the PDF does not say %s for Boulangerie Lemaire:\n%s", d.Number, text)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("file mode: %v, %v", fi, err)
	}
	got := auditEntries(t, c.DB(), "export.document")
	if len(got) != 1 {
		t.Fatalf("want one export.document entry, got %d", len(got))
	}
	if e := got[0]; e.SubjectKind != "document" || e.SubjectID != id || e.Detail["format"] != "pdf" || !strings.Contains(e.Actor, "(cli") {
		t.Errorf("entry %+v, want document %d as pdf from the command line", e, id)
	}
	// A draft is named as one, and its PDF renders too.
	dr := draft(t, c, sales.KindInvoice, company, contact)
	if name, err := c.DocumentFileName(ctx, dr); err != nil || name == ".pdf" || strings.Contains(name, "F-") {
		t.Fatalf("a draft's file name: %q, %v", name, err)
	}
	if b, err := c.DocumentPDF(ctx, dr); err != nil || !strings.HasPrefix(string(b), "%PDF-") {
		t.Fatalf("draft PDF: %v", err)
	}
}

func TestAFailedAuditLeavesNoPDFFile(t *testing.T) {
	ctx := context.Background()
	c := newCore(t)
	company, contact := seller(t, c)
	id := draft(t, c, sales.KindInvoice, company, contact)
	if _, err := c.IssueDocument(ctx, id); err != nil {
		t.Fatal(err)
	}
	failAudit(t, c.DB())
	path := filepath.Join(t.TempDir(), "f.pdf")
	if err := c.SaveDocumentPDF(ctx, id, path); err == nil || !strings.Contains(err.Error(), "injected audit failure") {
		t.Fatalf("save with a failing audit: %v", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a file was left after the audit failed: %v", err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 0 {
		t.Fatalf("left in the folder: %v", entries)
	}
}

func TestADocumentPDFThatCannotBeWrittenLeavesNoEntry(t *testing.T) {
	ctx := context.Background()
	c := newCore(t)
	company, contact := seller(t, c)
	id := draft(t, c, sales.KindInvoice, company, contact)
	if _, err := c.IssueDocument(ctx, id); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "no such folder", "f.pdf")
	if err := c.SaveDocumentPDF(ctx, id, path); err == nil {
		t.Fatal("saved into a folder that does not exist")
	}
	if n := len(auditEntries(t, c.DB(), "export.document")); n != 0 {
		t.Fatalf("%d export.document entries for a file not written", n)
	}
}

func TestOpeningASealedDocumentIsRecordedAndNeedsTheEntry(t *testing.T) {
	ctx := context.Background()
	c := newCore(t)
	company, contact := seller(t, c)
	sealed := draft(t, c, sales.KindInvoice, 0, contact)
	if _, err := c.IssueDocument(ctx, sealed); err != nil {
		t.Fatal(err)
	}
	open := draft(t, c, sales.KindInvoice, company, 0)
	if _, err := c.IssueDocument(ctx, open); err != nil {
		t.Fatal(err)
	}
	words := func(k string) string { return k }
	if _, err := rights.New(c.DB(), nil, words).Erase(ctx, contact, rights.EraseOptions{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	if d, err := c.OpenDocument(ctx, open); err != nil || d.Sealed {
		t.Fatalf("open the company's invoice: %+v, %v", d, err)
	}
	if n := len(auditEntries(t, c.DB(), "document.open_sealed")); n != 0 {
		t.Fatalf("opening a document that is not sealed was recorded (%d)", n)
	}
	d, err := c.OpenDocument(ctx, sealed)
	if err != nil || !d.Sealed || d.Buyer.Name != "Hélène Dupont" {
		t.Fatalf("open the sealed invoice: %+v, %v", d, err)
	}
	got := auditEntries(t, c.DB(), "document.open_sealed")
	if len(got) != 1 || got[0].SubjectKind != "document" || got[0].SubjectID != sealed {
		t.Fatalf("entries %+v, want one for document %d", got, sealed)
	}
	// Without its entry, the sealed buyer is not shown.
	failAudit(t, c.DB())
	if d, err := c.OpenDocument(ctx, sealed); err == nil || d != nil {
		t.Fatalf("a sealed document was shown without its audit entry: %+v, %v", d, err)
	}
}

func TestTheCatalogueAndTheLogoAreKept(t *testing.T) {
	ctx := context.Background()
	c := newCore(t)
	id, err := c.SaveProduct(ctx, sales.Product{Label: "  Conseil  ", UnitPrice: 45000, VATRate: sales.RateStandard})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.SaveProduct(ctx, sales.Product{Label: " "}); !errors.Is(err, sales.ErrEmptyLabel) {
		t.Fatalf("a product without a label: %v", err)
	}
	if _, err := c.SaveProduct(ctx, sales.Product{ID: id, Label: "Conseil", UnitPrice: 45000, VATRate: sales.RateStandard, Archived: true}); err != nil {
		t.Fatal(err)
	}
	if list, _ := c.Products(ctx, false); len(list) != 0 {
		t.Fatalf("an archived product is listed: %+v", list)
	}
	if list, _ := c.Products(ctx, true); len(list) != 1 || list[0].Label != "Conseil" {
		t.Fatalf("with the archived: %+v", list)
	}
	if err := c.SetSellerLogo(ctx, []byte("not an image")); !errors.Is(err, sales.ErrBadLogo) {
		t.Fatalf("a logo that is no image: %v", err)
	}
	if data, _, err := c.SellerLogo(ctx); err != nil || data != nil {
		t.Fatalf("no logo yet: %d bytes, %v", len(data), err)
	}
	var png bytes.Buffer
	if err := imgpng.Encode(&png, image.NewRGBA(image.Rect(0, 0, 4, 2))); err != nil {
		t.Fatal(err)
	}
	if err := c.SetSellerLogo(ctx, png.Bytes()); err != nil {
		t.Fatal(err)
	}
	if data, mime, err := c.SellerLogo(ctx); err != nil || mime != "image/png" || !bytes.Equal(data, png.Bytes()) {
		t.Fatalf("the logo back: %d bytes %q, %v", len(data), mime, err)
	}
	if err := c.RemoveSellerLogo(ctx); err != nil {
		t.Fatal(err)
	}
	if data, _, err := c.SellerLogo(ctx); err != nil || data != nil {
		t.Fatalf("a removed logo: %d bytes, %v", len(data), err)
	}
}
