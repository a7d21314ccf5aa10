package pdf

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"carnet/backend/crm"
	"carnet/backend/i18n"
	"carnet/backend/sales"
	"carnet/backend/vault/vaulttest"
)

var ctx = context.Background()

// issued builds a real vault with a seller, a buyer and an issued invoice
// of n lines, and returns the sales store and the invoice.
func issued(t testing.TB, n int) (*sales.Store, *sales.Document) {
	t.Helper()
	db := vaulttest.DB(t)
	c := crm.New(db, nil)
	co, _ := c.CreateCompany(ctx, crm.Company{Name: "Łódź Ørsted & Straße GmbH", SIREN: "732829320", VATNumber: "FR44732829320",
		Addresses: []crm.Address{{Street: "12 quai Perrache", PostalCode: "69002", City: "Lyon", Country: "FR"}}})
	person, _ := c.CreateContact(ctx, crm.Contact{GivenName: "Jiří", FamilyName: "Dvořák"})
	s := sales.New(db, func() time.Time { return time.Date(2026, 11, 28, 10, 0, 0, 0, time.Local) })
	p, _ := s.Profile(ctx)
	p.LegalName, p.LegalForm, p.ShareCapital = "Atelier Carnet", "SARL", 1000000
	p.Street, p.PostalCode, p.City, p.SIREN, p.SIRET = "1 place Bellecour", "69002", "Lyon", "443061841", "44306184100047"
	p.VATNumber, p.Registry, p.IBAN, p.BIC, p.VATOnDebits = "FR64443061841", "RCS Lyon", "FR7630006000011234567890189", "AGRIFRPPXXX", true
	if err := s.SaveProfile(ctx, *p); err != nil {
		t.Fatal(err)
	}
	lines := []sales.Line{
		{Description: "Conseil en stratégie — Ελληνικά ok", Quantity: 1500, Unit: "jour", UnitPrice: 60000, DiscountRate: 1000, VATRate: sales.RateStandard},
		{Description: "Livre « Les Misérables »", Quantity: 3000, UnitPrice: 1990, VATRate: sales.RateReduced},
	}
	for i := 2; i < n; i++ {
		lines = append(lines, sales.Line{Description: fmt.Sprintf("Pièce détachée n° %d", i), Quantity: 1000, UnitPrice: int64(1000 + i), VATRate: sales.RateStandard})
	}
	id, err := s.SaveDraft(ctx, sales.Document{Kind: sales.KindInvoice, CompanyID: co, ContactID: person, Operation: "both", Lines: lines,
		Delivery: "Entrepôt Nord, 4 rue du Port, 69007 Lyon"})
	if err != nil {
		t.Fatal(err)
	}
	d, err := s.Issue(ctx, id, "")
	if err != nil {
		t.Fatal(err)
	}
	return s, d
}

func pdftotext(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatal("pdftotext is missing: install poppler-utils (make test does)")
	}
	f := filepath.Join(t.TempDir(), "doc.pdf")
	os.WriteFile(f, pdf, 0o600)
	out, err := exec.Command("pdftotext", "-layout", f, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func TestInvoiceCarriesEveryMandatoryMention(t *testing.T) {
	_, d := issued(t, 3)
	b, _ := i18n.Load()
	var buf bytes.Buffer
	if err := New(b, "fr").Document(&buf, d, testLogo(t)); err != nil {
		t.Fatal(err)
	}
	text := pdftotext(t, buf.Bytes())
	if out := pdfimages(t, buf.Bytes()); !strings.Contains(out, "image") || strings.Count(out, "\n") < 3 {
		t.Errorf("the logo is not in the PDF:\n%s", out)
	}
	// pdftotext writes the narrow no-break space as a space.
	text = strings.NewReplacer("\u202f", " ", "\u00a0", " ").Replace(text)
	for _, want := range []string{
		"FACTURE", "F-2026-0001", "Date : 28/11/2026", "Date de la vente ou de la prestation : 28/11/2026", "Échéance : 28/12/2026",
		"Atelier Carnet", "SARL au capital de 10 000,00 €", "SIREN 443061841", "RCS Lyon", "SIRET 44306184100047", "N° TVA FR64443061841",
		"Łódź Ørsted & Straße GmbH", "Jiří Dvořák", "12 quai Perrache", "SIREN 732829320", "N° TVA FR44732829320",
		"Conseil en stratégie — Ελληνικά ok", "1,5", "600,00 €", "10 %", "810,00 €",
		"Livre « Les Misérables »", "5,5 %", "59,70 €",
		"Total HT", "Total TTC", "Pénalités de retard : 12 % par an", "40 €", "Catégorie de l’opération : livraison de biens et prestation de services",
		"Option pour le paiement de la TVA d’après les débits", "FR76 3000 6000 0112 3456 7890 189", "1/1",
		"Livrer à : Entrepôt Nord, 4 rue du Port, 69007 Lyon",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q", want)
		}
	}
	// Totals as computed by sales: 810.00 + 59.70 + 10.02 HT.
	tot := d.Totals
	for _, amount := range []int64{tot.Net, tot.VAT, tot.Gross} {
		r := New(b, "fr")
		if s := strings.NewReplacer("\u202f", " ", "\u00a0", " ").Replace(r.money(amount)); !strings.Contains(text, s) {
			t.Errorf("total %s missing", s)
		}
	}
	if t.Failed() {
		t.Log(text)
	}
}

func TestLongInvoiceRepeatsTheHeaderAndNumbersPages(t *testing.T) {
	_, d := issued(t, 120)
	b, _ := i18n.Load()
	var buf bytes.Buffer
	if err := New(b, "en").Document(&buf, d, nil); err != nil {
		t.Fatal(err)
	}
	text := pdftotext(t, buf.Bytes())
	pages := strings.Split(text, "\f")
	if len(pages) < 3 {
		t.Fatalf("120 lines on %d pages", len(pages))
	}
	for i, p := range pages[:len(pages)-1] {
		if !strings.Contains(p, "Description") || !strings.Contains(p, fmt.Sprintf("%d/%d", i+1, len(pages)-1)) {
			t.Errorf("page %d lacks the table header or its number", i+1)
		}
	}
	if !strings.Contains(text, "Total incl. VAT") || !strings.Contains(text, "€40") {
		t.Error("English totals or recovery fee missing")
	}
	if dir := os.Getenv("CARNET_SHOTS"); dir != "" {
		f := filepath.Join(dir, "invoice-120-lines.pdf")
		os.WriteFile(f, buf.Bytes(), 0o644)
		exec.Command("pdftoppm", "-png", "-r", "70", f, filepath.Join(dir, "invoice-page")).Run()
	}
}

// testLogo draws a small PNG logo.
func testLogo(t *testing.T) *Logo {
	img := image.NewRGBA(image.Rect(0, 0, 200, 80))
	for x := range 200 {
		for y := range 80 {
			img.Set(x, y, color.RGBA{36, 84, uint8(138 + x%100), 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return &Logo{Data: b.Bytes(), MIME: "image/png"}
}

func pdfimages(t *testing.T, pdf []byte) string {
	f := filepath.Join(t.TempDir(), "doc.pdf")
	os.WriteFile(f, pdf, 0o600)
	out, err := exec.Command("pdfimages", "-list", f).Output()
	if err != nil {
		t.Fatalf("pdfimages: %v", err)
	}
	return string(out)
}

func TestQuotePrintsTheCurrentSellerAndCustomer(t *testing.T) {
	s, inv := issued(t, 2)
	id, err := s.SaveDraft(ctx, sales.Document{Kind: sales.KindQuote, CompanyID: inv.CompanyID, Lines: inv.Lines})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SendQuote(ctx, id); err != nil {
		t.Fatal(err)
	}
	q, err := s.Printable(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := i18n.Load()
	var buf bytes.Buffer
	if err := New(b, "fr").Document(&buf, q, nil); err != nil {
		t.Fatal(err)
	}
	text := pdftotext(t, buf.Bytes())
	for _, want := range []string{"DEVIS", "D-2026-0001", "Valable jusqu’au", "Atelier Carnet", "Łódź Ørsted & Straße GmbH", "CLIENT", "Bon pour accord"} {
		if !strings.Contains(text, want) {
			t.Errorf("the quote lacks %q", want)
		}
	}
	if strings.Contains(text, "40 €") {
		t.Error("a quote does not carry the invoice-only recovery fee")
	}
}
