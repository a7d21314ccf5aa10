package app

import (
	"context"
	"encoding/base64"

	"carnet/backend/core"
	"carnet/backend/sales"
)

// Seller is bound to the frontend: the seller's own business, the profile
// printed on every document, the logo and the catalogue. It decodes, calls
// backend/core and maps errors.
type Seller struct {
	vault *Vault
}

// Profile returns the seller profile.
func (s *Seller) Profile() (_ *sales.Profile, err error) {
	defer guard(&err)
	return useCore(s.vault, func(ctx context.Context, c *core.Core) (*sales.Profile, error) { return c.SellerProfile(ctx) })
}

// SaveProfile checks and stores the seller profile.
func (s *Seller) SaveProfile(p sales.Profile) (err error) {
	defer guard(&err)
	return doCore(s.vault, func(ctx context.Context, c *core.Core) error { return c.SaveSellerProfile(ctx, p) })
}

// Products lists the catalogue.
func (s *Seller) Products(withArchived bool) (_ []sales.Product, err error) {
	defer guard(&err)
	return useCore(s.vault, func(ctx context.Context, c *core.Core) ([]sales.Product, error) { return c.Products(ctx, withArchived) })
}

// SaveProduct creates or updates a product.
func (s *Seller) SaveProduct(p sales.Product) (_ int64, err error) {
	defer guard(&err)
	return useCore(s.vault, func(ctx context.Context, c *core.Core) (int64, error) { return c.SaveProduct(ctx, p) })
}

// SetLogo stores the seller's logo (PNG or JPEG, sent base64).
func (s *Seller) SetLogo(contentBase64 string) (err error) {
	defer guard(&err)
	data, err := base64.StdEncoding.DecodeString(contentBase64)
	if err != nil {
		return core.ForUser(sales.ErrBadLogo)
	}
	return doCore(s.vault, func(ctx context.Context, c *core.Core) error { return c.SetSellerLogo(ctx, data) })
}

// RemoveLogo takes the logo off future documents.
func (s *Seller) RemoveLogo() (err error) {
	defer guard(&err)
	return doCore(s.vault, func(ctx context.Context, c *core.Core) error { return c.RemoveSellerLogo(ctx) })
}

// LogoDataURL returns the current logo as a data: URL for the settings
// screen, or "".
func (s *Seller) LogoDataURL() (_ string, err error) {
	defer guard(&err)
	return useCore(s.vault, func(ctx context.Context, c *core.Core) (string, error) {
		data, mime, err := c.SellerLogo(ctx)
		if err != nil || len(data) == 0 {
			return "", err
		}
		return "data:" + mime + ";base64," + base64.StdEncoding.EncodeToString(data), nil
	})
}
