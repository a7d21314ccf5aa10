package app

import (
	"context"

	"carnet/backend/core"
	"carnet/backend/crm"
)

// Companies is bound to the frontend: the organisations people work for.
type Companies struct {
	vault *Vault
}

func (c *Companies) store() (*crm.Store, error) {
	db, err := c.vault.db()
	if err != nil {
		return nil, userError(err)
	}
	return crm.New(db, nil), nil
}

// List returns one page of companies whose name starts with prefix.
func (c *Companies) List(prefix string, offset, limit int) (_ crm.CompanyPage, err error) {
	defer guard(&err)
	s, err := c.store()
	if err != nil {
		return crm.CompanyPage{}, err
	}
	p, err := s.ListCompanies(c.vault.ctx, prefix, offset, limit)
	return p, userError(err)
}

// Get returns one company with its people.
func (c *Companies) Get(id int64) (_ *crm.Company, err error) {
	defer guard(&err)
	s, err := c.store()
	if err != nil {
		return nil, err
	}
	co, err := s.Company(c.vault.ctx, id)
	return co, userError(err)
}

// Save creates (ID 0) or updates a company and returns its id.
func (c *Companies) Save(co crm.Company) (_ int64, err error) {
	defer guard(&err)
	return useCore(c.vault, func(ctx context.Context, cc *core.Core) (int64, error) { return cc.SaveCompany(ctx, co) })
}

// Delete removes a company; its people stay.
func (c *Companies) Delete(id int64) (err error) {
	defer guard(&err)
	return doCore(c.vault, func(ctx context.Context, cc *core.Core) error { return cc.DeleteCompany(ctx, id) })
}
