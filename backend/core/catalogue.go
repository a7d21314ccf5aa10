package core

import (
	"context"

	"carnet/backend/sales"
)

// The catalogue and the seller profile: the user's own business data,
// written through c.change like every write but not audited (no data
// subject's record is read or changed; issued documents keep a frozen
// copy of the profile they were issued with).

// SellerProfile returns the seller profile.
func (c *Core) SellerProfile(ctx context.Context) (*sales.Profile, error) {
	return c.sales().Profile(ctx)
}

// SaveSellerProfile checks and stores the seller profile.
func (c *Core) SaveSellerProfile(ctx context.Context, p sales.Profile) error {
	return c.change(ctx, func(ctx context.Context) error {
		return c.sales().SaveProfile(ctx, p)
	})
}

// SetSellerLogo stores the seller's logo (PNG or JPEG) for documents
// made from now on.
func (c *Core) SetSellerLogo(ctx context.Context, data []byte) error {
	return c.change(ctx, func(ctx context.Context) error {
		return c.sales().SetLogo(ctx, data)
	})
}

// RemoveSellerLogo takes the logo off future documents; issued ones keep
// theirs.
func (c *Core) RemoveSellerLogo(ctx context.Context) error {
	return c.change(ctx, func(ctx context.Context) error {
		return c.sales().RemoveLogo(ctx)
	})
}

// SellerLogo returns the current logo and its MIME type, or nothing.
func (c *Core) SellerLogo(ctx context.Context) ([]byte, string, error) {
	st := c.sales()
	p, err := st.Profile(ctx)
	if err != nil || p.Logo == "" {
		return nil, "", err
	}
	return st.Logo(ctx, p.Logo)
}

// Products lists the catalogue; archived products only when asked.
func (c *Core) Products(ctx context.Context, withArchived bool) ([]sales.Product, error) {
	return c.sales().Products(ctx, withArchived)
}

// SaveProduct creates (ID 0) or updates a product and returns its id.
// Taking one out of the catalogue is archiving it (Archived): there is no
// deletion.
func (c *Core) SaveProduct(ctx context.Context, p sales.Product) (int64, error) {
	var id int64
	err := c.change(ctx, func(ctx context.Context) (err error) {
		id, err = c.sales().SaveProduct(ctx, p)
		return err
	})
	return id, err
}
