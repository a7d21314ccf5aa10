package core

import (
	"context"
	"database/sql"

	"carnet/backend/crm"
	"carnet/backend/pdf"
	"carnet/backend/sales"
	"carnet/backend/txn"
)

// The sales use cases: quotes, invoices, credit notes, payments and their
// PDFs (the catalogue and the seller profile are in catalogue.go).
//
// Every write runs in c.change. Audited, as the window always did or as
// the law asks:
//   - document.issue: numbering an invoice or a credit note is a legal act
//     (Code de commerce Art. L441-9, CGI Art. 242 nonies A: gapless,
//     chronological numbers); the entry commits with the number and the
//     kept original, or none of them does.
//   - document.open_sealed: a sealed document's buyer was erased; the data
//     may only serve accounting (GDPR Art. 17(3)(b) and 5(2)).
//   - export.document: a document written to a file leaves the vault.
//
// Drafts, quotes, payments and credit-note drafts are business records
// with their own history (state, dates); they are not audited.

func (c *Core) sales() *sales.Store { return sales.New(c.db, c.now) }

// Documents lists the documents of a kind ("" for all).
func (c *Core) Documents(ctx context.Context, kind string) ([]sales.Summary, error) {
	return c.sales().List(ctx, kind)
}

// FindDocuments lists the documents matching a filter (kind, status,
// customer, period, one contact's or company's).
func (c *Core) FindDocuments(ctx context.Context, f sales.ListFilter) ([]sales.Summary, error) {
	return c.sales().Find(ctx, f)
}

// SalesOverview is the amounts due, overdue, quoted and the monthly
// revenue.
func (c *Core) SalesOverview(ctx context.Context) (sales.Overview, error) {
	return c.sales().Overview(ctx)
}

// Payments lists an invoice's payments.
func (c *Core) Payments(ctx context.Context, invoiceID int64) ([]sales.Payment, error) {
	return c.sales().Payments(ctx, invoiceID)
}

// DocumentByNumber finds a numbered quote, invoice or credit note.
func (c *Core) DocumentByNumber(ctx context.Context, number string) (*sales.Document, error) {
	return c.sales().ByNumber(ctx, number)
}

// OpenDocument returns one document. Opening a sealed one (its customer
// was erased) is recorded, and the document is returned only once the
// entry is: its buyer's data may serve accounting only (Art. 17(3)(b)).
func (c *Core) OpenDocument(ctx context.Context, id int64) (*sales.Document, error) {
	d, err := c.sales().Document(ctx, id)
	if err != nil || !d.Sealed {
		return d, err
	}
	err = c.change(ctx, func(ctx context.Context) error {
		return c.audit(ctx, "document.open_sealed", "document", id, nil)
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// Customers finds the companies and contacts a document can be made out
// to, by name (notes are no customers).
func (c *Core) Customers(ctx context.Context, query string) ([]crm.Hit, error) {
	hits, err := c.crm().Search(ctx, query, 12)
	if err != nil {
		return nil, err
	}
	out := []crm.Hit{}
	for _, h := range hits {
		if h.Kind != "note" {
			out = append(out, h)
		}
	}
	return out, nil
}

// SaveDraft creates (ID 0) or replaces a draft and returns its id.
func (c *Core) SaveDraft(ctx context.Context, d sales.Document) (int64, error) {
	var id int64
	err := c.change(ctx, func(ctx context.Context) (err error) {
		id, err = c.sales().SaveDraft(ctx, d)
		return err
	})
	return id, err
}

// DeleteDraft removes a draft; issued documents cannot be deleted.
func (c *Core) DeleteDraft(ctx context.Context, id int64) error {
	return c.change(ctx, func(ctx context.Context) error {
		return c.sales().DeleteDraft(ctx, id)
	})
}

// SendQuote numbers a draft quote and marks it sent.
func (c *Core) SendQuote(ctx context.Context, id int64) (*sales.Document, error) {
	var d *sales.Document
	err := c.change(ctx, func(ctx context.Context) (err error) {
		d, err = c.sales().SendQuote(ctx, id)
		return err
	})
	return d, err
}

// SetQuoteState records the customer's answer to a sent quote: accepted,
// declined, or expired.
func (c *Core) SetQuoteState(ctx context.Context, id int64, state string) error {
	return c.change(ctx, func(ctx context.Context) error {
		return c.sales().SetQuoteState(ctx, id, state)
	})
}

// DuplicateQuote copies a quote into a new draft quote.
func (c *Core) DuplicateQuote(ctx context.Context, id int64) (int64, error) {
	var n int64
	err := c.change(ctx, func(ctx context.Context) (err error) {
		n, err = c.sales().DuplicateQuote(ctx, id)
		return err
	})
	return n, err
}

// ConvertQuote makes a draft invoice from an accepted quote.
func (c *Core) ConvertQuote(ctx context.Context, id int64) (int64, error) {
	var n int64
	err := c.change(ctx, func(ctx context.Context) (err error) {
		n, err = c.sales().ConvertQuote(ctx, id)
		return err
	})
	return n, err
}

// CreditNote makes a draft credit note for an issued invoice: all of it
// when lines is empty, else those lines.
func (c *Core) CreditNote(ctx context.Context, invoiceID int64, lines []sales.Line) (int64, error) {
	if len(lines) == 0 {
		lines = nil // the store's "whole invoice"
	}
	var n int64
	err := c.change(ctx, func(ctx context.Context) (err error) {
		n, err = c.sales().CreditNote(ctx, invoiceID, lines)
		return err
	})
	return n, err
}

// AddPayment records a payment on an issued invoice.
func (c *Core) AddPayment(ctx context.Context, invoiceID int64, p sales.Payment) error {
	return c.change(ctx, func(ctx context.Context) error {
		return c.sales().AddPayment(ctx, invoiceID, p)
	})
}

// IssueDocument numbers and freezes an invoice or a credit note, dated
// today, and keeps its original PDF, as the customer will receive it, in
// the interface's language. The number, the original and the audit entry
// commit together: a failure in any leaves the draft as it was and the
// number unused (the series stays gapless).
func (c *Core) IssueDocument(ctx context.Context, id int64) (*sales.Document, error) {
	var d *sales.Document
	err := c.change(ctx, func(ctx context.Context) (err error) {
		st := c.sales()
		if d, err = st.Issue(ctx, id, ""); err != nil {
			return err
		}
		if _, err := pdf.New(c.i18n, c.lang()).Stored(ctx, st, id); err != nil {
			return err
		}
		return c.audit(ctx, "document.issue", "document", id, map[string]any{"kind": d.Kind, "number": d.Number})
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// DocumentPDF renders a quote, invoice or credit note as printed. The
// first printing of an issued document is kept as its original (a write,
// hence the transaction) and returned from then on; once kept, it is read
// without taking the write lock.
func (c *Core) DocumentPDF(ctx context.Context, id int64) ([]byte, error) {
	var b []byte
	var kept bool
	if err := txn.Read(ctx, c.db, func(tx *sql.Tx) (err error) {
		b, kept, err = c.sales().ArchivedPDF(txn.With(ctx, tx), id)
		return err
	}); err != nil || kept {
		return b, err
	}
	err := c.change(ctx, func(ctx context.Context) (err error) {
		b, err = pdf.New(c.i18n, c.lang()).Stored(ctx, c.sales(), id)
		return err
	})
	return b, err
}

// DocumentFileName is the name to offer when saving a document's PDF: its
// number, or "draft" in the interface's language.
func (c *Core) DocumentFileName(ctx context.Context, id int64) (string, error) {
	d, err := c.sales().Document(ctx, id)
	if err != nil {
		return "", err
	}
	name := d.Number
	if name == "" {
		name = c.i18n.T(c.lang(), "pdf.draft", nil)
	}
	return name + ".pdf", nil
}

// SaveDocumentPDF writes a document's PDF to the file the user chose and
// records the export. The first printing, if this is it, is kept by
// DocumentPDF in a change of its own; the entry and the file are then
// written together (exportFile): a refused entry leaves no file, a file
// that cannot be written leaves no entry.
func (c *Core) SaveDocumentPDF(ctx context.Context, id int64, path string) error {
	b, err := c.DocumentPDF(ctx, id)
	if err != nil {
		return err
	}
	return c.writeExport(ctx, path, b, "export.document", "document", id, map[string]any{"format": "pdf"})
}
