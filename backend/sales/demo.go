package sales

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"carnet/backend/txn"
)

// DemoSummary says what sample sales data was made.
type DemoSummary struct {
	Products    int `json:"products"`
	Quotes      int `json:"quotes"`
	Invoices    int `json:"invoices"`
	CreditNotes int `json:"creditNotes"`
}

var demoCatalogue = []Product{
	{Reference: "CONS-J", Label: "Journée de conseil", Unit: "jour", UnitPrice: 65000, VATRate: RateStandard},
	{Reference: "CONS-H", Label: "Heure de conseil", Unit: "heure", UnitPrice: 9000, VATRate: RateStandard},
	{Reference: "FORM", Label: "Formation inter-entreprises", Unit: "personne", UnitPrice: 89000, VATRate: RateZero, Exemption: "article 261-4-4° a du CGI (formation professionnelle continue)"},
	{Reference: "INST", Label: "Installation sur site", Unit: "forfait", UnitPrice: 35000, VATRate: RateStandard},
	{Reference: "MAINT", Label: "Contrat de maintenance annuel", Unit: "an", UnitPrice: 120000, VATRate: RateStandard},
	{Reference: "TRAV-R", Label: "Travaux de rénovation énergétique", Unit: "m²", UnitPrice: 4500, VATRate: RateReduced},
	{Reference: "TRAV-A", Label: "Travaux d'amélioration (logement de plus de 2 ans)", Unit: "heure", UnitPrice: 5500, VATRate: RateIntermediate},
	{Reference: "LIVRE", Label: "Guide pratique (livre)", Unit: "exemplaire", UnitPrice: 2490, VATRate: RateReduced},
	{Reference: "PRESSE", Label: "Abonnement à la lettre professionnelle", Unit: "an", UnitPrice: 14900, VATRate: RateSuperReduced},
	{Reference: "DEPL", Label: "Frais de déplacement", Unit: "forfait", UnitPrice: 8000, VATRate: RateStandard},
}

// GenerateDemo fills the seller profile when empty, adds a catalogue, and
// makes quotes in every state, invoices issued over the last six months
// (paid, partly paid, overdue) and credit notes, for the given companies.
// It is deterministic for a seed.
func (s *Store) GenerateDemo(ctx context.Context, companies []int64, seed uint64) (DemoSummary, error) {
	var sum DemoSummary
	if len(companies) == 0 {
		return sum, nil
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x5eed))
	p, err := s.Profile(ctx)
	if err != nil {
		return sum, err
	}
	if p.LegalName == "" {
		p.LegalName, p.LegalForm, p.ShareCapital = "Atelier Démo", "SARL", 1000000
		p.Street, p.PostalCode, p.City, p.Country = "12 rue de la République", "69002", "Lyon", "FR"
		p.SIREN, p.SIRET, p.VATNumber, p.Registry = "443061841", "44306184100047", "FR64443061841", "RCS Lyon"
		p.Email, p.IBAN, p.BIC = "contact@atelier-demo.example", "FR7630006000011234567890189", "AGRIFRPPXXX"
		if err := s.SaveProfile(ctx, *p); err != nil {
			return sum, err
		}
	}
	var products []Product
	for _, pr := range demoCatalogue {
		id, err := s.SaveProduct(ctx, pr)
		if err != nil {
			return sum, err
		}
		pr.ID = id
		products = append(products, pr)
		sum.Products++
	}
	lines := func() []Line {
		var out []Line
		for range 1 + rng.IntN(4) {
			pr := products[rng.IntN(len(products))]
			out = append(out, Line{ProductID: pr.ID, Description: pr.Label, Unit: pr.Unit, Quantity: int64(1+rng.IntN(5)) * 1000,
				UnitPrice: pr.UnitPrice, VATRate: pr.VATRate, Exemption: pr.Exemption, DiscountRate: int64(rng.IntN(3)) * 500})
		}
		return out
	}
	customer := func() int64 { return companies[rng.IntN(len(companies))] }

	// Quotes in every state.
	for i, state := range []string{StateDraft, StateSent, StateAccepted, StateDeclined, StateExpired, StateSent, StateAccepted} {
		id, err := s.SaveDraft(ctx, Document{Kind: KindQuote, CompanyID: customer(), Lines: lines()})
		if err != nil {
			return sum, fmt.Errorf("sales: demo quote %d: %w", i, err)
		}
		if state != StateDraft {
			if _, err := s.SendQuote(ctx, id); err != nil {
				return sum, err
			}
			if state != StateSent {
				if err := s.SetQuoteState(ctx, id, state); err != nil {
					return sum, err
				}
			}
		}
		sum.Quotes++
	}

	// Invoices issued in date order over the last six months.
	today, _ := time.Parse(time.DateOnly, s.today())
	day := today.AddDate(0, -6, 0)
	// Never before an invoice already issued: numbers are chronological.
	var last string
	if err := txn.On(ctx, s.db).QueryRowContext(ctx, `SELECT coalesce(max(issue_date), '') FROM documents WHERE kind = 'invoice' AND issued_at <> ''`).Scan(&last); err != nil {
		return sum, fmt.Errorf("sales: demo: %w", err)
	}
	if l, err := time.Parse(time.DateOnly, last); err == nil && l.After(day) {
		day = l
	}
	var issued []*Document
	for day.Before(today) {
		id, err := s.SaveDraft(ctx, Document{Kind: KindInvoice, CompanyID: customer(), Operation: []string{"services", "goods", "both"}[rng.IntN(3)], Lines: lines()})
		if err != nil {
			return sum, err
		}
		d, err := s.Issue(ctx, id, day.Format(time.DateOnly))
		if err != nil {
			return sum, fmt.Errorf("sales: demo invoice: %w", err)
		}
		issued = append(issued, d)
		sum.Invoices++
		day = day.AddDate(0, 0, 4+rng.IntN(9))
	}
	for i, d := range issued {
		switch {
		case i == len(issued)-1 || i%4 == 0 && i%5 != 0: // half paid
			s.AddPayment(ctx, d.ID, Payment{Amount: d.Totals.Gross / 2, PaidOn: d.IssueDate, Method: "transfer"})
		case i%5 == 0: // left unpaid: overdue once past due
		default:
			paid := d.IssueDate
			if due, err := time.Parse(time.DateOnly, d.DueDate); err == nil && due.Before(today) {
				paid = due.AddDate(0, 0, -rng.IntN(10)).Format(time.DateOnly)
			}
			s.AddPayment(ctx, d.ID, Payment{Amount: d.Totals.Gross, PaidOn: paid, Method: []string{"transfer", "card", "cheque"}[rng.IntN(3)]})
		}
	}
	// Two credit notes: one full cancellation, one commercial gesture.
	for i, d := range issued {
		if sum.CreditNotes == 2 || i%5 != 0 {
			continue
		}
		var cl []Line
		if sum.CreditNotes == 1 {
			cl = []Line{{Description: "Geste commercial", Quantity: 1000, UnitPrice: 5000, VATRate: RateStandard}}
		}
		id, err := s.CreditNote(ctx, d.ID, cl)
		if err != nil {
			return sum, err
		}
		if _, err := s.Issue(ctx, id, ""); err != nil {
			return sum, fmt.Errorf("sales: demo credit note: %w", err)
		}
		sum.CreditNotes++
	}
	return sum, nil
}
