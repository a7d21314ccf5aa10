package sales

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"carnet/backend/crm"
)

// Profile is the seller: what every document says about the business.
type Profile struct {
	LegalName         string `json:"legalName"`
	LegalForm         string `json:"legalForm"`
	ShareCapital      int64  `json:"shareCapital"` // cents
	Street            string `json:"street"`
	PostalCode        string `json:"postalCode"`
	City              string `json:"city"`
	Country           string `json:"country"`
	SIREN             string `json:"siren"`
	SIRET             string `json:"siret"`
	Registry          string `json:"registry"` // "RCS Lyon" or "RM 69"
	VATNumber         string `json:"vatNumber"`
	VATFranchise      bool   `json:"vatFranchise"` // TVA non applicable, art. 293 B du CGI
	VATOnDebits       bool   `json:"vatOnDebits"`
	SoleTrader        bool   `json:"soleTrader"` // "EI"
	Email             string `json:"email"`
	Phone             string `json:"phone"`
	IBAN              string `json:"iban"`
	BIC               string `json:"bic"`
	PaymentDays       int    `json:"paymentDays"`
	LatePenaltyRate   int64  `json:"latePenaltyRate"` // basis points per year
	QuoteValidityDays int    `json:"quoteValidityDays"`
	QuotePattern      string `json:"quotePattern"`
	InvoicePattern    string `json:"invoicePattern"`
	CreditPattern     string `json:"creditPattern"`
}

// Profile returns the seller profile.
func (s *Store) Profile(ctx context.Context) (*Profile, error) {
	return loadProfile(ctx, s.db)
}

func loadProfile(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (*Profile, error) {
	const sel = `
		SELECT legal_name, legal_form, share_capital, street, postal_code, city, country, siren, siret, registry,
			vat_number, vat_franchise, vat_on_debits, sole_trader, email, phone, iban, bic, payment_days,
			late_penalty_rate, quote_validity_days, quote_pattern, invoice_pattern, credit_pattern
		FROM seller_profiles WHERE id = 1`
	var p Profile
	err := q.QueryRowContext(ctx, sel).Scan(&p.LegalName, &p.LegalForm, &p.ShareCapital, &p.Street, &p.PostalCode, &p.City,
		&p.Country, &p.SIREN, &p.SIRET, &p.Registry, &p.VATNumber, &p.VATFranchise, &p.VATOnDebits, &p.SoleTrader,
		&p.Email, &p.Phone, &p.IBAN, &p.BIC, &p.PaymentDays, &p.LatePenaltyRate, &p.QuoteValidityDays,
		&p.QuotePattern, &p.InvoicePattern, &p.CreditPattern)
	if err != nil {
		return nil, fmt.Errorf("sales: profile: %w", err)
	}
	return &p, nil
}

// SaveProfile checks and stores the seller profile.
func (s *Store) SaveProfile(ctx context.Context, p Profile) error {
	var err error
	if p.SIREN, err = crm.NormalizeSIREN(p.SIREN); err != nil {
		return err
	}
	if p.SIRET, err = crm.NormalizeSIRET(p.SIRET); err != nil {
		return err
	}
	if p.VATNumber, err = crm.NormalizeVAT(p.VATNumber); err != nil {
		return err
	}
	for _, pat := range []string{p.QuotePattern, p.InvoicePattern, p.CreditPattern} {
		if err := checkPattern(pat); err != nil {
			return err
		}
	}
	if p.PaymentDays < 0 || p.PaymentDays > 60 || p.QuoteValidityDays < 1 || p.LatePenaltyRate < 0 {
		// Art. L441-10 du Code de commerce: 60 days at most from the invoice.
		return ErrBadTerms
	}
	p.IBAN = strings.ToUpper(strings.ReplaceAll(p.IBAN, " ", ""))
	const q = `
		UPDATE seller_profiles SET legal_name = ?, legal_form = ?, share_capital = ?, street = ?, postal_code = ?,
			city = ?, country = ?, siren = ?, siret = ?, registry = ?, vat_number = ?, vat_franchise = ?,
			vat_on_debits = ?, sole_trader = ?, email = ?, phone = ?, iban = ?, bic = ?, payment_days = ?,
			late_penalty_rate = ?, quote_validity_days = ?, quote_pattern = ?, invoice_pattern = ?, credit_pattern = ?
		WHERE id = 1`
	_, err = s.db.ExecContext(ctx, q, strings.TrimSpace(p.LegalName), p.LegalForm, p.ShareCapital, p.Street, p.PostalCode,
		p.City, p.Country, p.SIREN, p.SIRET, p.Registry, p.VATNumber, p.VATFranchise, p.VATOnDebits, p.SoleTrader,
		p.Email, p.Phone, p.IBAN, p.BIC, p.PaymentDays, p.LatePenaltyRate, p.QuoteValidityDays,
		p.QuotePattern, p.InvoicePattern, p.CreditPattern)
	if err != nil {
		return fmt.Errorf("sales: save profile: %w", err)
	}
	return nil
}
