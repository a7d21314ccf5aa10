package core

import (
	"context"

	"carnet/backend/crm"
	"carnet/backend/sales"
)

// DemoSummary says what sample data was added.
type DemoSummary struct {
	crm.DemoSummary
	Sales sales.DemoSummary `json:"sales"`
}

// GenerateDemo adds sample data ("try Carnet with sample data", and the
// command line's demo): contacts, companies, notes and tasks, then a
// catalogue, quotes, invoices and credit notes for the first companies.
// It is deterministic for a seed. The people are fictitious: nothing is
// audited. All of it is one transaction: sample data comes whole or not
// at all.
func (c *Core) GenerateDemo(ctx context.Context, contacts int, seed uint64) (DemoSummary, error) {
	var sum DemoSummary
	s := c.crm()
	err := c.change(ctx, func(ctx context.Context) (err error) {
		if sum.DemoSummary, err = s.GenerateDemo(ctx, crm.DemoOptions{Contacts: contacts, Seed: seed}); err != nil {
			return err
		}
		page, err := s.ListCompanies(ctx, "", 0, 30)
		if err != nil {
			return err
		}
		var ids []int64
		for _, r := range page.Rows {
			ids = append(ids, r.ID)
		}
		sum.Sales, err = sales.New(c.db, c.now).GenerateDemo(ctx, ids, seed)
		return err
	})
	return sum, err
}
