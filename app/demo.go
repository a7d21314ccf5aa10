package app

import (
	"context"

	"carnet/backend/crm"
	"carnet/backend/sales"
)

// DemoSales adds sample sales (catalogue, quotes, invoices, payments,
// credit notes) for the first companies of the vault.
func DemoSales(ctx context.Context, c *crm.Store, s *sales.Store, seed uint64) (sales.DemoSummary, error) {
	page, err := c.ListCompanies(ctx, "", 0, 30)
	if err != nil {
		return sales.DemoSummary{}, err
	}
	var ids []int64
	for _, r := range page.Rows {
		ids = append(ids, r.ID)
	}
	return s.GenerateDemo(ctx, ids, seed)
}
