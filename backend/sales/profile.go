package sales

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // logo formats
	_ "image/png"
	"strings"

	"carnet/backend/crm"
	"carnet/backend/txn"
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
	Logo              string `json:"logo"` // sha256 of the logo image, "" for none
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
	return loadProfile(ctx, txn.On(ctx, s.db))
}

func loadProfile(ctx context.Context, q rowQuerier) (*Profile, error) {
	const sel = `
		SELECT legal_name, legal_form, share_capital, street, postal_code, city, country, siren, siret, registry,
			vat_number, vat_franchise, vat_on_debits, sole_trader, email, phone, logo, iban, bic, payment_days,
			late_penalty_rate, quote_validity_days, quote_pattern, invoice_pattern, credit_pattern
		FROM seller_profiles WHERE id = 1`
	var p Profile
	err := q.QueryRowContext(ctx, sel).Scan(&p.LegalName, &p.LegalForm, &p.ShareCapital, &p.Street, &p.PostalCode, &p.City,
		&p.Country, &p.SIREN, &p.SIRET, &p.Registry, &p.VATNumber, &p.VATFranchise, &p.VATOnDebits, &p.SoleTrader,
		&p.Email, &p.Phone, &p.Logo, &p.IBAN, &p.BIC, &p.PaymentDays, &p.LatePenaltyRate, &p.QuoteValidityDays,
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
	_, err = txn.On(ctx, s.db).ExecContext(ctx, q, strings.TrimSpace(p.LegalName), p.LegalForm, p.ShareCapital, p.Street, p.PostalCode,
		p.City, p.Country, p.SIREN, p.SIRET, p.Registry, p.VATNumber, p.VATFranchise, p.VATOnDebits, p.SoleTrader,
		p.Email, p.Phone, p.IBAN, p.BIC, p.PaymentDays, p.LatePenaltyRate, p.QuoteValidityDays,
		p.QuotePattern, p.InvoicePattern, p.CreditPattern)
	if err != nil {
		return fmt.Errorf("sales: save profile: %w", err)
	}
	return nil
}

// Logo limits.
const (
	MaxLogoBytes = 1 << 20
	MaxLogoSide  = 3000
)

// ErrBadLogo is returned for a logo that is not a PNG or JPEG image of
// reasonable size.
var ErrBadLogo = errors.New("sales: the logo must be a PNG or JPEG image under 1 MB")

// SetLogo stores a PNG or JPEG image as the seller's logo.
func (s *Store) SetLogo(ctx context.Context, data []byte) error {
	if len(data) == 0 || len(data) > MaxLogoBytes {
		return ErrBadLogo
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil || (format != "png" && format != "jpeg") || cfg.Width > MaxLogoSide || cfg.Height > MaxLogoSide || cfg.Width == 0 {
		return ErrBadLogo
	}
	sum := sha256.Sum256(data)
	hash := hex.EncodeToString(sum[:])
	return s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO logos (sha256, mime, data) VALUES (?, ?, ?)`, hash, "image/"+format, data); err != nil {
			return fmt.Errorf("sales: logo: %w", err)
		}
		_, err := tx.ExecContext(ctx, `UPDATE seller_profiles SET logo = ? WHERE id = 1`, hash)
		return err
	})
}

// RemoveLogo takes the logo off future documents; issued ones keep theirs.
func (s *Store) RemoveLogo(ctx context.Context) error {
	_, err := txn.On(ctx, s.db).ExecContext(ctx, `UPDATE seller_profiles SET logo = '' WHERE id = 1`)
	return err
}

// Logo returns a logo image and its MIME type by hash.
func (s *Store) Logo(ctx context.Context, hash string) ([]byte, string, error) {
	if hash == "" {
		return nil, "", nil
	}
	var data []byte
	var mime string
	err := txn.On(ctx, s.db).QueryRowContext(ctx, `SELECT data, mime FROM logos WHERE sha256 = ?`, hash).Scan(&data, &mime)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", ErrNotFound
	}
	if err != nil {
		return nil, "", fmt.Errorf("sales: logo: %w", err)
	}
	return data, mime, nil
}
