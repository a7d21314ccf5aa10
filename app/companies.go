package app

import (
	"context"
	"database/sql"

	"carnet/backend/core"
	"carnet/backend/crm"
)

// Companies is bound to the frontend: the organisations people work for.
type Companies struct {
	vault *Vault
}

// List returns one page of companies whose name starts with prefix.
func (c *Companies) List(prefix string, offset, limit int) (_ crm.CompanyPage, err error) {
	defer guard(&err)
	return useDB(c.vault, func(ctx context.Context, db *sql.DB) (crm.CompanyPage, error) {
		return crm.New(db, nil).ListCompanies(ctx, prefix, offset, limit)
	})
}

// Get returns one company with its people.
func (c *Companies) Get(id int64) (_ *crm.Company, err error) {
	defer guard(&err)
	return useDB(c.vault, func(ctx context.Context, db *sql.DB) (*crm.Company, error) { return crm.New(db, nil).Company(ctx, id) })
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
