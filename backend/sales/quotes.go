package sales

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"carnet/backend/crm"
	"carnet/backend/txn"
)

// SendQuote numbers a draft quote and marks it sent; its validity runs
// from today for the profile's number of days unless a date was set.
func (s *Store) SendQuote(ctx context.Context, id int64) (*Document, error) {
	err := s.write(ctx, func(tx *sql.Tx) error {
		d, err := loadDocument(ctx, tx, id)
		if err != nil {
			return err
		}
		if d.Kind != KindQuote || d.State != StateDraft {
			return ErrWrongState
		}
		if len(d.Lines) == 0 {
			return ErrNoLines
		}
		p, err := loadProfile(ctx, tx)
		if err != nil {
			return err
		}
		today, _ := time.Parse(time.DateOnly, s.today())
		number, err := nextNumber(ctx, tx, KindQuote, p.QuotePattern, today)
		if err != nil {
			return err
		}
		valid := d.ValidUntil
		if valid == "" {
			valid = today.AddDate(0, 0, p.QuoteValidityDays).Format(time.DateOnly)
		}
		const q = `UPDATE documents SET number = ?, state = 'sent', issue_date = ?, valid_until = ?, updated_at = ? WHERE id = ?`
		_, err = tx.ExecContext(ctx, q, number, s.today(), valid, stamp(s.now()), id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.Document(ctx, id)
}

// SetQuoteState records the customer's answer to a sent quote: accepted,
// declined, or expired.
func (s *Store) SetQuoteState(ctx context.Context, id int64, state string) error {
	if state != StateAccepted && state != StateDeclined && state != StateExpired {
		return ErrWrongState
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		d, err := loadDocument(ctx, tx, id)
		if err != nil {
			return err
		}
		if d.Kind != KindQuote || d.State != StateSent {
			return ErrWrongState
		}
		_, err = tx.ExecContext(ctx, `UPDATE documents SET state = ?, updated_at = ? WHERE id = ?`, state, stamp(s.now()), id)
		return err
	})
}

// copyAsDraft makes a new draft of kind from d's customer and lines.
func (s *Store) copyAsDraft(ctx context.Context, d *Document, kind string) (int64, error) {
	n := *d
	n.ID, n.Kind, n.Number, n.State, n.IssuedAt, n.ValidUntil = 0, kind, "", StateDraft, "", ""
	n.QuoteID, n.InvoiceID = 0, 0
	switch {
	case d.Kind == KindQuote && kind == KindInvoice:
		n.QuoteID = d.ID
	case d.Kind == KindInvoice && kind == KindCredit:
		n.InvoiceID = d.ID
	}
	return s.SaveDraft(ctx, n)
}

// DuplicateQuote makes a new draft quote with the same customer and lines.
func (s *Store) DuplicateQuote(ctx context.Context, id int64) (int64, error) {
	d, err := loadDocument(ctx, txn.On(ctx, s.db), id)
	if err != nil {
		return 0, err
	}
	if d.Kind != KindQuote {
		return 0, ErrWrongState
	}
	return s.copyAsDraft(ctx, d, KindQuote)
}

// ConvertQuote makes a draft invoice from an accepted quote, lines carried
// over and the link kept.
func (s *Store) ConvertQuote(ctx context.Context, id int64) (int64, error) {
	d, err := loadDocument(ctx, txn.On(ctx, s.db), id)
	if err != nil {
		return 0, err
	}
	if d.Kind != KindQuote || d.State != StateAccepted {
		return 0, ErrWrongState
	}
	return s.copyAsDraft(ctx, d, KindInvoice)
}

// CreditNote makes a draft credit note for an issued invoice: all its lines
// when lines is nil (a full cancellation), else the lines given (partial).
func (s *Store) CreditNote(ctx context.Context, invoiceID int64, lines []Line) (int64, error) {
	inv, err := loadDocument(ctx, txn.On(ctx, s.db), invoiceID)
	if err != nil {
		return 0, err
	}
	if inv.Kind != KindInvoice || inv.IssuedAt == "" {
		return 0, ErrWrongState
	}
	if lines != nil {
		inv.Lines = lines
		inv.DiscountRate, inv.DiscountAmount = 0, 0
	}
	inv.Notes, inv.Delivery = "", ""
	return s.copyAsDraft(ctx, inv, KindCredit)
}

// Summary is a document as lists show it.
type Summary struct {
	ID        int64  `json:"id"`
	Kind      string `json:"kind"`
	Number    string `json:"number"`
	Status    string `json:"status"`
	Customer  string `json:"customer"`
	IssueDate string `json:"issueDate"`
	DueDate   string `json:"dueDate"`
	Gross     int64  `json:"gross"`
	Due       int64  `json:"due"`
	// Sealed: the customer was erased; the document is kept for the
	// accounting retention period and its buyer shown only when opened.
	Sealed bool `json:"sealed"`
}

// ListFilter narrows the document lists; zero fields do not filter.
type ListFilter struct {
	Kind      string `json:"kind"`
	Status    string `json:"status"`
	Customer  string `json:"customer"`  // part of the customer's name, any case
	From      string `json:"from"`      // issue date on or after, YYYY-MM-DD
	To        string `json:"to"`        // issue date on or before
	ContactID int64  `json:"contactId"` // documents of one contact
	CompanyID int64  `json:"companyId"` // documents of one company
}

// List returns documents of a kind ("" for all), newest first.
func (s *Store) List(ctx context.Context, kind string) ([]Summary, error) {
	return s.Find(ctx, ListFilter{Kind: kind})
}

// Find returns the documents matching f, newest first, in one query and
// one read of their contacts through crm: the totals stored at save and
// issue, payments and credit notes summed, the customer's name from the
// frozen buyer (issued) or the linked company or contact (drafts and
// quotes). The overview calls it on every refresh.
func (s *Store) Find(ctx context.Context, f ListFilter) ([]Summary, error) {
	const q = `
		SELECT d.id, d.kind, coalesce(d.number, ''), d.state, d.issue_date, d.due_date, d.total_gross, d.issued_at,
			(SELECT coalesce(sum(amount), 0) FROM payments WHERE document_id = d.id),
			(SELECT coalesce(sum(total_gross), 0) FROM documents c
			 WHERE c.invoice_id = d.id AND c.kind = 'credit_note' AND c.issued_at <> ''),
			coalesce(d.contact_id, 0), d.company_id IS NOT NULL,
			CASE WHEN d.issued_at <> '' THEN coalesce(json_extract(d.buyer, '$.name'), '') ELSE co.name END
		FROM documents d
		LEFT JOIN companies co ON co.id = d.company_id
		WHERE (d.kind = ?1 OR ?1 = '')
		  AND (d.issue_date >= ?2 OR ?2 = '') AND (d.issue_date <= ?3 OR ?3 = '')
		  AND (d.contact_id = ?4 OR ?4 = 0) AND (d.company_id = ?5 OR ?5 = 0)
		ORDER BY d.issue_date = '' DESC, d.issue_date DESC, d.id DESC`
	db := txn.On(ctx, s.db)
	rows, err := db.QueryContext(ctx, q, f.Kind, f.From, f.To, f.ContactID, f.CompanyID)
	if err != nil {
		return nil, fmt.Errorf("sales: list: %w", err)
	}
	defer rows.Close()
	// Each row becomes its Summary at once (a whole Document per row held
	// until the contacts are read would weigh megabytes on a long list);
	// only what the customer's name needs waits for the contacts.
	type found struct {
		sum        Summary
		contactID  int64
		hasCompany bool
		name       sql.NullString // the frozen buyer's or the company's
	}
	today := s.today()
	var all []found
	var contacts []int64
	for rows.Next() {
		var r found
		var d Document
		if err := rows.Scan(&d.ID, &d.Kind, &d.Number, &d.State, &d.IssueDate, &d.DueDate, &d.Totals.Gross, &d.IssuedAt,
			&d.Paid, &d.Credited, &r.contactID, &r.hasCompany, &r.name); err != nil {
			return nil, fmt.Errorf("sales: list: %w", err)
		}
		d.Due = max(0, d.Totals.Gross-d.Paid-d.Credited)
		r.sum = Summary{ID: d.ID, Kind: d.Kind, Number: d.Number, Status: status(&d, today),
			IssueDate: d.IssueDate, DueDate: d.DueDate, Gross: d.Totals.Gross, Due: d.Due}
		if f.Status != "" && r.sum.Status != f.Status {
			continue
		}
		all = append(all, r)
		if r.contactID != 0 {
			contacts = append(contacts, r.contactID)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sales: list: %w", err)
	}
	rows.Close()
	// Every state (crm.Every): an erased customer's documents are listed,
	// sealed and without a name.
	people, err := crm.States(ctx, db, contacts, crm.Every)
	if err != nil {
		return nil, fmt.Errorf("sales: list: %w", err)
	}
	needle := crm.Fold(f.Customer)
	out := make([]Summary, 0, len(all))
	for _, r := range all {
		sum := r.sum
		ct, hasContact := people[r.contactID]
		sum.Sealed = ct.Erased
		switch {
		case ct.Erased && !r.hasCompany:
		case r.name.Valid:
			sum.Customer = r.name.String
		case hasContact:
			sum.Customer = ct.Name
		}
		if needle != "" && !strings.Contains(crm.Fold(sum.Customer), needle) {
			continue
		}
		out = append(out, sum)
	}
	return out, nil
}

// ByNumber finds a numbered quote, invoice or credit note.
func (s *Store) ByNumber(ctx context.Context, number string) (*Document, error) {
	var id int64
	err := txn.On(ctx, s.db).QueryRowContext(ctx, `SELECT id FROM documents WHERE number = ?`, number).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("sales: document %s: %w", number, err)
	}
	return s.Document(ctx, id)
}

// Printable returns a document ready to print: an issued one as frozen;
// a quote or a draft with the current seller profile and customer.
func (s *Store) Printable(ctx context.Context, id int64) (*Document, error) {
	d, err := s.Document(ctx, id)
	if err != nil || d.IssuedAt != "" {
		return d, err
	}
	p, err := s.Profile(ctx)
	if err != nil {
		return nil, err
	}
	d.Seller = *p
	if d.Buyer, err = buyerOf(ctx, s.db, d); err != nil {
		return nil, err
	}
	d.Buyer.Delivery = strings.TrimSpace(d.Delivery)
	return d, nil
}
