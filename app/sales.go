package app

import (
	"context"
	"encoding/base64"
	"sync"

	"carnet/backend/core"
	"carnet/backend/crm"
	"carnet/backend/fsutil"
	"carnet/backend/i18n"
	"carnet/backend/sales"
)

// Sales is bound to the frontend: catalogue, quotes, invoices, credit
// notes, payments and the seller profile.
type Sales struct {
	vault   *Vault
	i18n    *i18n.Bundle
	dialogs func() Dialogs
	lang    func() string

	mu    sync.Mutex
	saved map[string]bool // files SavePDF wrote, the only ones OpenFile opens
}

func (s *Sales) store() (*sales.Store, error) {
	db, err := s.vault.db()
	if err != nil {
		return nil, err
	}
	return sales.New(db, nil), nil
}

// run calls fn on the unlocked sales store and maps its error for the user.
func run[T any](s *Sales, fn func(ctx context.Context, st *sales.Store) (T, error)) (T, error) {
	var zero T
	st, err := s.store()
	if err != nil {
		return zero, userError(err)
	}
	v, err := fn(s.vault.ctx, st)
	if err != nil {
		return zero, userError(err)
	}
	return v, nil
}

// Profile returns the seller profile.
func (s *Sales) Profile() (_ *sales.Profile, err error) {
	defer guard(&err)
	return run(s, func(ctx context.Context, st *sales.Store) (*sales.Profile, error) { return st.Profile(ctx) })
}

// SaveProfile checks and stores the seller profile.
func (s *Sales) SaveProfile(p sales.Profile) (err error) {
	defer guard(&err)
	_, err = run(s, func(ctx context.Context, st *sales.Store) (any, error) { return nil, st.SaveProfile(ctx, p) })
	return err
}

// Products lists the catalogue.
func (s *Sales) Products(withArchived bool) (_ []sales.Product, err error) {
	defer guard(&err)
	return run(s, func(ctx context.Context, st *sales.Store) ([]sales.Product, error) {
		return st.Products(ctx, withArchived)
	})
}

// SaveProduct creates or updates a product.
func (s *Sales) SaveProduct(p sales.Product) (_ int64, err error) {
	defer guard(&err)
	return run(s, func(ctx context.Context, st *sales.Store) (int64, error) { return st.SaveProduct(ctx, p) })
}

// List returns the documents of a kind ("" for all).
func (s *Sales) List(kind string) (_ []sales.Summary, err error) {
	defer guard(&err)
	return run(s, func(ctx context.Context, st *sales.Store) ([]sales.Summary, error) { return st.List(ctx, kind) })
}

// Find returns the documents matching a filter (kind, status, customer,
// period, or one contact's or company's).
func (s *Sales) Find(f sales.ListFilter) (_ []sales.Summary, err error) {
	defer guard(&err)
	return run(s, func(ctx context.Context, st *sales.Store) ([]sales.Summary, error) { return st.Find(ctx, f) })
}

// Overview returns amounts due, overdue, quoted and the monthly revenue.
func (s *Sales) Overview() (_ sales.Overview, err error) {
	defer guard(&err)
	return run(s, func(ctx context.Context, st *sales.Store) (sales.Overview, error) { return st.Overview(ctx) })
}

// Document returns one document.
// Opening a sealed document (its customer was erased) is logged: the
// buyer's data in it may only serve accounting.
func (s *Sales) Document(id int64) (_ *sales.Document, err error) {
	defer guard(&err)
	d, err := run(s, func(ctx context.Context, st *sales.Store) (*sales.Document, error) { return st.Document(ctx, id) })
	if err == nil && d.Sealed {
		s.vault.audit("document.open_sealed", "document", id, nil)
	}
	return d, err
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
	return run(s, func(ctx context.Context, st *sales.Store) (int64, error) { return st.SaveDraft(ctx, d) })
}

// DeleteDraft removes a draft.
func (s *Sales) DeleteDraft(id int64) (err error) {
	defer guard(&err)
	_, err = run(s, func(ctx context.Context, st *sales.Store) (any, error) { return nil, st.DeleteDraft(ctx, id) })
	return err
}

// SendQuote numbers a quote and marks it sent.
func (s *Sales) SendQuote(id int64) (_ *sales.Document, err error) {
	defer guard(&err)
	return run(s, func(ctx context.Context, st *sales.Store) (*sales.Document, error) { return st.SendQuote(ctx, id) })
}

// SetQuoteState records accepted, declined or expired.
func (s *Sales) SetQuoteState(id int64, state string) (err error) {
	defer guard(&err)
	_, err = run(s, func(ctx context.Context, st *sales.Store) (any, error) { return nil, st.SetQuoteState(ctx, id, state) })
	return err
}

// DuplicateQuote copies a quote into a new draft.
func (s *Sales) DuplicateQuote(id int64) (_ int64, err error) {
	defer guard(&err)
	return run(s, func(ctx context.Context, st *sales.Store) (int64, error) { return st.DuplicateQuote(ctx, id) })
}

// ConvertQuote makes a draft invoice from an accepted quote.
func (s *Sales) ConvertQuote(id int64) (_ int64, err error) {
	defer guard(&err)
	return run(s, func(ctx context.Context, st *sales.Store) (int64, error) { return st.ConvertQuote(ctx, id) })
}

// Issue numbers and freezes an invoice or credit note, dated today.
func (s *Sales) Issue(id int64) (_ *sales.Document, err error) {
	defer guard(&err)
	return run(s, func(ctx context.Context, st *sales.Store) (*sales.Document, error) {
		d, err := st.Issue(ctx, id, "")
		if err != nil {
			return nil, err
		}
		// The original, as the customer will receive it, is kept now.
		if _, err := DocumentPDF(ctx, st, s.i18n, s.lang(), id); err != nil {
			return nil, err
		}
		return d, nil
	})
}

// AddPayment records a payment on an issued invoice.
func (s *Sales) AddPayment(invoiceID int64, p sales.Payment) (err error) {
	defer guard(&err)
	_, err = run(s, func(ctx context.Context, st *sales.Store) (any, error) { return nil, st.AddPayment(ctx, invoiceID, p) })
	return err
}

// Payments lists an invoice's payments.
func (s *Sales) Payments(invoiceID int64) (_ []sales.Payment, err error) {
	defer guard(&err)
	return run(s, func(ctx context.Context, st *sales.Store) ([]sales.Payment, error) {
		return st.Payments(ctx, invoiceID)
	})
}

// CreditNote makes a draft credit note: the whole invoice when lines is
// empty, else those lines.
func (s *Sales) CreditNote(invoiceID int64, lines []sales.Line) (_ int64, err error) {
	defer guard(&err)
	if len(lines) == 0 {
		lines = nil
	}
	return run(s, func(ctx context.Context, st *sales.Store) (int64, error) { return st.CreditNote(ctx, invoiceID, lines) })
}

// SavePDF renders a document and writes it where the user chooses; it
// returns the file, or "" if the dialog was cancelled.
func (s *Sales) SavePDF(id int64) (_ string, err error) {
	defer guard(&err)
	st, err := s.store()
	if err != nil {
		return "", userError(err)
	}
	d, err := st.Document(s.vault.ctx, id)
	if err != nil {
		return "", userError(err)
	}
	lang := s.lang()
	name := d.Number
	if name == "" {
		name = s.i18n.T(lang, "pdf.draft", nil)
	}
	path, err := s.dialogs().SaveFile(s.vault.ctx, s.i18n.T(lang, "sales.save_pdf", nil), name+".pdf")
	if err != nil || path == "" {
		return "", userError(err)
	}
	b, err := DocumentPDF(s.vault.ctx, st, s.i18n, lang, d.ID)
	if err != nil {
		return "", userError(err)
	}
	if err := fsutil.WriteFileAtomic(path, b, 0o600); err != nil {
		return "", userError(err)
	}
	s.vault.audit("export.document", "document", d.ID, map[string]any{"format": "pdf"})
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
	return userError(s.dialogs().Open(s.vault.ctx, path))
}

// SetLogo stores the seller's logo (PNG or JPEG, sent base64).
func (s *Sales) SetLogo(contentBase64 string) (err error) {
	defer guard(&err)
	data, err := base64.StdEncoding.DecodeString(contentBase64)
	if err != nil {
		return userError(sales.ErrBadLogo)
	}
	_, err = run(s, func(ctx context.Context, st *sales.Store) (any, error) { return nil, st.SetLogo(ctx, data) })
	return err
}

// RemoveLogo takes the logo off future documents.
func (s *Sales) RemoveLogo() (err error) {
	defer guard(&err)
	_, err = run(s, func(ctx context.Context, st *sales.Store) (any, error) { return nil, st.RemoveLogo(ctx) })
	return err
}

// LogoDataURL returns the current logo as a data: URL for the settings
// screen, or "".
func (s *Sales) LogoDataURL() (_ string, err error) {
	defer guard(&err)
	return run(s, func(ctx context.Context, st *sales.Store) (string, error) {
		p, err := st.Profile(ctx)
		if err != nil || p.Logo == "" {
			return "", err
		}
		data, mime, err := st.Logo(ctx, p.Logo)
		if err != nil {
			return "", err
		}
		return "data:" + mime + ";base64," + base64.StdEncoding.EncodeToString(data), nil
	})
}

// Customers finds companies and contacts to bill, by name.
func (s *Sales) Customers(query string) (_ []crm.Hit, err error) {
	defer guard(&err)
	db, err := s.vault.db()
	if err != nil {
		return nil, userError(err)
	}
	hits, err := crm.New(db, nil).Search(s.vault.ctx, query, 12)
	if err != nil {
		return nil, userError(err)
	}
	out := []crm.Hit{}
	for _, h := range hits {
		if h.Kind != "note" {
			out = append(out, h)
		}
	}
	return out, nil
}
