package app

import (
	"context"
	"sync"

	"carnet/backend/core"
	"carnet/backend/crm"
	"carnet/backend/i18n"
	"carnet/backend/sales"
)

// Sales is bound to the frontend: quotes, invoices, credit notes and
// payments (the seller's profile and catalogue are Seller's). It decodes,
// calls backend/core and maps errors.
type Sales struct {
	vault   *Vault
	i18n    *i18n.Bundle
	dialogs func() Dialogs

	mu    sync.Mutex
	saved map[string]bool // files SavePDF wrote, the only ones OpenFile opens
}

// List returns the documents of a kind ("" for all).
func (s *Sales) List(kind string) (_ []sales.Summary, err error) {
	defer guard(&err)
	return useCore(s.vault, func(ctx context.Context, c *core.Core) ([]sales.Summary, error) { return c.Documents(ctx, kind) })
}

// Find returns the documents matching a filter (kind, status, customer,
// period, or one contact's or company's).
func (s *Sales) Find(f sales.ListFilter) (_ []sales.Summary, err error) {
	defer guard(&err)
	return useCore(s.vault, func(ctx context.Context, c *core.Core) ([]sales.Summary, error) { return c.FindDocuments(ctx, f) })
}

// Overview returns amounts due, overdue, quoted and the monthly revenue.
func (s *Sales) Overview() (_ sales.Overview, err error) {
	defer guard(&err)
	return useCore(s.vault, func(ctx context.Context, c *core.Core) (sales.Overview, error) { return c.SalesOverview(ctx) })
}

// Document returns one document; opening a sealed one is recorded.
func (s *Sales) Document(id int64) (_ *sales.Document, err error) {
	defer guard(&err)
	return useCore(s.vault, func(ctx context.Context, c *core.Core) (*sales.Document, error) { return c.OpenDocument(ctx, id) })
}

// Totals computes a draft's totals with the same rule as issuing, for the
// editor to show as the user types.
func (s *Sales) Totals(lines []sales.Line, discountRate, discountAmount int64) (_ sales.Totals, err error) {
	defer guard(&err)
	return sales.Compute(lines, discountRate, discountAmount), nil
}

// SaveDraft creates or replaces a draft.
func (s *Sales) SaveDraft(d sales.Document) (_ int64, err error) {
	defer guard(&err)
	return useCore(s.vault, func(ctx context.Context, c *core.Core) (int64, error) { return c.SaveDraft(ctx, d) })
}

// DeleteDraft removes a draft.
func (s *Sales) DeleteDraft(id int64) (err error) {
	defer guard(&err)
	return doCore(s.vault, func(ctx context.Context, c *core.Core) error { return c.DeleteDraft(ctx, id) })
}

// SendQuote numbers a quote and marks it sent.
func (s *Sales) SendQuote(id int64) (_ *sales.Document, err error) {
	defer guard(&err)
	return useCore(s.vault, func(ctx context.Context, c *core.Core) (*sales.Document, error) { return c.SendQuote(ctx, id) })
}

// SetQuoteState records accepted, declined or expired.
func (s *Sales) SetQuoteState(id int64, state string) (err error) {
	defer guard(&err)
	return doCore(s.vault, func(ctx context.Context, c *core.Core) error { return c.SetQuoteState(ctx, id, state) })
}

// DuplicateQuote copies a quote into a new draft.
func (s *Sales) DuplicateQuote(id int64) (_ int64, err error) {
	defer guard(&err)
	return useCore(s.vault, func(ctx context.Context, c *core.Core) (int64, error) { return c.DuplicateQuote(ctx, id) })
}

// ConvertQuote makes a draft invoice from an accepted quote.
func (s *Sales) ConvertQuote(id int64) (_ int64, err error) {
	defer guard(&err)
	return useCore(s.vault, func(ctx context.Context, c *core.Core) (int64, error) { return c.ConvertQuote(ctx, id) })
}

// Issue numbers and freezes an invoice or credit note, dated today.
func (s *Sales) Issue(id int64) (_ *sales.Document, err error) {
	defer guard(&err)
	return useCore(s.vault, func(ctx context.Context, c *core.Core) (*sales.Document, error) { return c.IssueDocument(ctx, id) })
}

// AddPayment records a payment on an issued invoice.
func (s *Sales) AddPayment(invoiceID int64, p sales.Payment) (err error) {
	defer guard(&err)
	return doCore(s.vault, func(ctx context.Context, c *core.Core) error { return c.AddPayment(ctx, invoiceID, p) })
}

// Payments lists an invoice's payments.
func (s *Sales) Payments(invoiceID int64) (_ []sales.Payment, err error) {
	defer guard(&err)
	return useCore(s.vault, func(ctx context.Context, c *core.Core) ([]sales.Payment, error) { return c.Payments(ctx, invoiceID) })
}

// CreditNote makes a draft credit note: the whole invoice when lines is
// empty, else those lines.
func (s *Sales) CreditNote(invoiceID int64, lines []sales.Line) (_ int64, err error) {
	defer guard(&err)
	return useCore(s.vault, func(ctx context.Context, c *core.Core) (int64, error) { return c.CreditNote(ctx, invoiceID, lines) })
}

// SavePDF renders a document and writes it where the user chooses; it
// returns the file, or "" if the dialog was cancelled.
func (s *Sales) SavePDF(id int64) (_ string, err error) {
	defer guard(&err)
	path, err := useCore(s.vault, func(ctx context.Context, c *core.Core) (string, error) {
		name, err := c.DocumentFileName(ctx, id)
		if err != nil {
			return "", err
		}
		path, err := s.dialogs().SaveFile(ctx, s.i18n.T(c.Lang(), "sales.save_pdf", nil), name)
		if err != nil || path == "" {
			return "", err
		}
		return path, c.SaveDocumentPDF(ctx, id, path)
	})
	if err != nil || path == "" {
		return "", err
	}
	s.mu.Lock()
	if s.saved == nil {
		s.saved = map[string]bool{}
	}
	s.saved[path] = true
	s.mu.Unlock()
	return path, nil
}

// OpenFile opens a file the user saved (a PDF) with the system's viewer.
// Only files inside the folder the user chose can be asked for, as it is
// the path SavePDF returned.
func (s *Sales) OpenFile(path string) (err error) {
	defer guard(&err)
	s.mu.Lock()
	ok := s.saved[path]
	s.mu.Unlock()
	if !ok {
		return &core.UserError{Key: "error.not_found"}
	}
	return core.ForUser(s.dialogs().Open(s.vault.ctx, path))
}

// Customers finds companies and contacts to bill, by name.
func (s *Sales) Customers(query string) (_ []crm.Hit, err error) {
	defer guard(&err)
	return useCore(s.vault, func(ctx context.Context, c *core.Core) ([]crm.Hit, error) { return c.Customers(ctx, query) })
}
