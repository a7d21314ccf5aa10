package sales

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"carnet/backend/crm"
	"carnet/backend/txn"
)

// Document kinds and states.
const (
	KindQuote   = "quote"
	KindInvoice = "invoice"
	KindCredit  = "credit_note"

	StateDraft    = "draft"
	StateSent     = "sent"     // quotes
	StateAccepted = "accepted" // quotes
	StateDeclined = "declined" // quotes
	StateExpired  = "expired"  // quotes
	StateIssued   = "issued"   // invoices and credit notes

	// Derived payment states of an issued invoice.
	StatusPartiallyPaid = "partially_paid"
	StatusPaid          = "paid"
	StatusOverdue       = "overdue"
	StatusCredited      = "credited" // fully cancelled by credit notes
)

// Party is a buyer as printed on a document.
type Party struct {
	Name       string `json:"name"`
	Contact    string `json:"contact"` // the person, when the buyer is a company
	Street     string `json:"street"`
	PostalCode string `json:"postalCode"`
	City       string `json:"city"`
	Country    string `json:"country"`
	SIREN      string `json:"siren"`
	VATNumber  string `json:"vatNumber"`
	Email      string `json:"email"`
	// Delivery address when different from the billing one.
	Delivery string `json:"delivery"`
}

// Document is a quote, an invoice or a credit note.
type Document struct {
	ID        int64  `json:"id"`
	Kind      string `json:"kind"`
	Number    string `json:"number"`
	State     string `json:"state"`
	Status    string `json:"status"` // state, or the payment status of an issued invoice
	ContactID int64  `json:"contactId"`
	CompanyID int64  `json:"companyId"`
	QuoteID   int64  `json:"quoteId"`
	InvoiceID int64  `json:"invoiceId"`
	// For a credit note: the number and date of the invoice it corrects.
	InvoiceNumber  string  `json:"invoiceNumber"`
	InvoiceDate    string  `json:"invoiceDate"`
	B2C            bool    `json:"b2c"`
	Operation      string  `json:"operation"` // goods, services, both
	IssueDate      string  `json:"issueDate"`
	SaleDate       string  `json:"saleDate"`
	DueDate        string  `json:"dueDate"`
	ValidUntil     string  `json:"validUntil"`
	DiscountRate   int64   `json:"discountRate"`
	DiscountAmount int64   `json:"discountAmount"`
	Notes          string  `json:"notes"`
	Terms          string  `json:"terms"`
	Delivery       string  `json:"delivery"` // delivery address, when not the billing one
	Lines          []Line  `json:"lines"`
	Nets           []int64 `json:"nets"` // each line's amount excluding VAT, by the rounding rule
	Totals         Totals  `json:"totals"`
	Buyer          Party   `json:"buyer"`
	Seller         Profile `json:"seller"`
	Paid           int64   `json:"paid"`     // cents received
	Credited       int64   `json:"credited"` // cents cancelled by issued credit notes
	Due            int64   `json:"due"`      // cents still to receive
	IssuedAt       string  `json:"issuedAt"`
	// Sealed: the customer was erased; the document is kept, with its
	// buyer, only for the accounting retention period (SealedUntil).
	Sealed      bool   `json:"sealed"`
	SealedUntil string `json:"sealedUntil"`
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func (d *Document) check() error {
	if d.ContactID == 0 && d.CompanyID == 0 {
		return ErrNoCustomer
	}
	if d.Operation == "" {
		d.Operation = "services"
	}
	if d.Operation != "goods" && d.Operation != "services" && d.Operation != "both" {
		return ErrWrongState
	}
	if d.DiscountRate < 0 || d.DiscountRate > 10000 || d.DiscountAmount < 0 {
		return ErrNegative
	}
	for i := range d.Lines {
		d.Lines[i].Description = strings.TrimSpace(d.Lines[i].Description)
		if err := d.Lines[i].check(); err != nil {
			return fmt.Errorf("line %d: %w", i+1, err)
		}
	}
	for _, day := range []string{d.SaleDate, d.ValidUntil} {
		if day != "" {
			if _, err := time.Parse(time.DateOnly, day); err != nil {
				return fmt.Errorf("%w: %q", ErrBadAmount, day)
			}
		}
	}
	return nil
}

// SaveDraft creates (ID 0) or replaces a draft. Quotes can be edited until
// sent; invoices and credit notes until issued.
func (s *Store) SaveDraft(ctx context.Context, d Document) (int64, error) {
	if d.Kind != KindQuote && d.Kind != KindInvoice && d.Kind != KindCredit {
		return 0, ErrWrongState
	}
	if err := d.check(); err != nil {
		return 0, err
	}
	if d.ContactID != 0 {
		// Nothing new for a restricted or erased person.
		if err := crm.CheckNotRestricted(ctx, txn.On(ctx, s.db), d.ContactID); err != nil {
			return 0, err
		}
	}
	t := Compute(d.Lines, d.DiscountRate, d.DiscountAmount)
	now := stamp(s.now())
	err := s.write(ctx, func(tx *sql.Tx) error {
		if d.ID == 0 {
			const q = `
				INSERT INTO documents (kind, state, contact_id, company_id, quote_id, invoice_id, b2c, operation, sale_date,
					valid_until, discount_rate, discount_amount, notes, terms, delivery, total_net, total_vat, total_gross, created_at, updated_at)
				VALUES (?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`
			if err := tx.QueryRowContext(ctx, q, d.Kind, nullID(d.ContactID), nullID(d.CompanyID), nullID(d.QuoteID), nullID(d.InvoiceID),
				d.B2C, d.Operation, d.SaleDate, d.ValidUntil, d.DiscountRate, d.DiscountAmount, d.Notes, d.Terms, d.Delivery,
				t.Net, t.VAT, t.Gross, now, now).Scan(&d.ID); err != nil {
				return fmt.Errorf("sales: new %s: %w", d.Kind, err)
			}
		} else {
			cur, err := loadDocument(ctx, tx, d.ID)
			if err != nil {
				return err
			}
			if cur.IssuedAt != "" {
				return ErrFrozen
			}
			if cur.State != StateDraft {
				return ErrNotDraft
			}
			const q = `
				UPDATE documents SET contact_id = ?, company_id = ?, b2c = ?, operation = ?, sale_date = ?, valid_until = ?,
					discount_rate = ?, discount_amount = ?, notes = ?, terms = ?, delivery = ?, total_net = ?, total_vat = ?, total_gross = ?, updated_at = ?
				WHERE id = ?`
			if _, err := tx.ExecContext(ctx, q, nullID(d.ContactID), nullID(d.CompanyID), d.B2C, d.Operation, d.SaleDate, d.ValidUntil,
				d.DiscountRate, d.DiscountAmount, d.Notes, d.Terms, d.Delivery, t.Net, t.VAT, t.Gross, now, d.ID); err != nil {
				return fmt.Errorf("sales: update %s %d: %w", d.Kind, d.ID, err)
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM document_lines WHERE document_id = ?`, d.ID); err != nil {
				return fmt.Errorf("sales: update %s %d: %w", d.Kind, d.ID, err)
			}
		}
		return writeLines(ctx, tx, d.ID, d.Lines)
	})
	return d.ID, err
}

func writeLines(ctx context.Context, tx *sql.Tx, id int64, lines []Line) error {
	const q = `
		INSERT INTO document_lines (document_id, position, product_id, description, quantity, unit, unit_price,
			discount_rate, discount_amount, vat_rate, exemption)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	for i, l := range lines {
		if _, err := tx.ExecContext(ctx, q, id, i, nullID(l.ProductID), l.Description, l.Quantity, l.Unit, l.UnitPrice,
			l.DiscountRate, l.DiscountAmt, l.VATRate, l.Exemption); err != nil {
			return fmt.Errorf("sales: document %d line %d: %w", id, i+1, frozenErr(err))
		}
	}
	return nil
}

// frozenErr turns the triggers' refusal into ErrFrozen.
func frozenErr(err error) error {
	if err != nil && strings.Contains(err.Error(), "issued documents are frozen") {
		return ErrFrozen
	}
	return err
}

type rowQuerier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Document returns one document with its lines, totals and payments.
func (s *Store) Document(ctx context.Context, id int64) (*Document, error) {
	d, err := loadDocument(ctx, txn.On(ctx, s.db), id)
	if err != nil {
		return nil, err
	}
	d.Status = status(d, s.today())
	return d, nil
}

func loadDocument(ctx context.Context, q rowQuerier, id int64) (*Document, error) {
	const sel = `
		SELECT id, kind, coalesce(number, ''), state, coalesce(contact_id, 0), coalesce(company_id, 0), coalesce(quote_id, 0),
			coalesce(invoice_id, 0), b2c, operation, issue_date, sale_date, due_date, valid_until, discount_rate, discount_amount,
			notes, terms, delivery, buyer, seller, issued_at,
			(SELECT coalesce(sum(amount), 0) FROM payments WHERE document_id = d.id),
			(SELECT coalesce(sum(total_gross), 0) FROM documents c WHERE c.invoice_id = d.id AND c.kind = 'credit_note' AND c.issued_at <> ''),
			coalesce((SELECT number FROM documents i WHERE i.id = d.invoice_id), ''),
			coalesce((SELECT issue_date FROM documents i WHERE i.id = d.invoice_id), '')
		FROM documents d WHERE id = ?`
	var d Document
	var buyer, seller string
	err := q.QueryRowContext(ctx, sel, id).Scan(&d.ID, &d.Kind, &d.Number, &d.State, &d.ContactID, &d.CompanyID, &d.QuoteID,
		&d.InvoiceID, &d.B2C, &d.Operation, &d.IssueDate, &d.SaleDate, &d.DueDate, &d.ValidUntil, &d.DiscountRate,
		&d.DiscountAmount, &d.Notes, &d.Terms, &d.Delivery, &buyer, &seller, &d.IssuedAt, &d.Paid, &d.Credited, &d.InvoiceNumber, &d.InvoiceDate)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("sales: document %d: %w", id, err)
	}
	json.Unmarshal([]byte(buyer), &d.Buyer)
	json.Unmarshal([]byte(seller), &d.Seller)
	if d.ContactID != 0 {
		// Sealed when the customer was erased (crm's erased state).
		ct, err := crm.StateOf(ctx, q, d.ContactID)
		if err != nil && !errors.Is(err, crm.ErrNotFound) {
			return nil, fmt.Errorf("sales: document %d: %w", id, err)
		}
		d.Sealed = ct.Erased
	}
	if d.Sealed {
		d.SealedUntil = keptUntil(d.IssueDate)
	}
	rows, err := q.QueryContext(ctx, `
		SELECT coalesce(product_id, 0), description, quantity, unit, unit_price, discount_rate, discount_amount, vat_rate, exemption
		FROM document_lines WHERE document_id = ? ORDER BY position`, id)
	if err != nil {
		return nil, fmt.Errorf("sales: document %d lines: %w", id, err)
	}
	defer rows.Close()
	d.Lines = []Line{}
	for rows.Next() {
		var l Line
		if err := rows.Scan(&l.ProductID, &l.Description, &l.Quantity, &l.Unit, &l.UnitPrice, &l.DiscountRate, &l.DiscountAmt, &l.VATRate, &l.Exemption); err != nil {
			return nil, fmt.Errorf("sales: document %d lines: %w", id, err)
		}
		d.Lines = append(d.Lines, l)
	}
	d.Totals = Compute(d.Lines, d.DiscountRate, d.DiscountAmount)
	d.Nets = make([]int64, len(d.Lines))
	for i, l := range d.Lines {
		d.Nets[i] = l.Net()
	}
	d.Due = max(0, d.Totals.Gross-d.Paid-d.Credited)
	return &d, rows.Err()
}

// status derives what the lists show: the state, or for an issued invoice
// whether it is paid, partly paid, credited or overdue (past its due date).
func status(d *Document, today string) string {
	if d.Kind != KindInvoice || d.IssuedAt == "" {
		return d.State
	}
	switch {
	case d.Credited >= d.Totals.Gross:
		return StatusCredited
	case d.Due == 0:
		return StatusPaid
	case d.DueDate != "" && d.DueDate < today:
		return StatusOverdue
	case d.Paid > 0:
		return StatusPartiallyPaid
	}
	return StateIssued
}

// DeleteDraft removes a draft or an unsent quote.
func (s *Store) DeleteDraft(ctx context.Context, id int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		d, err := loadDocument(ctx, tx, id)
		if err != nil {
			return err
		}
		if d.IssuedAt != "" {
			return ErrFrozen
		}
		if d.State != StateDraft {
			return ErrNotDraft
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM documents WHERE id = ?`, id); err != nil {
			return fmt.Errorf("sales: delete %d: %w", id, frozenErr(err))
		}
		return nil
	})
}

// buyerOf copies the customer's identity for the document.
func buyerOf(ctx context.Context, db *sql.DB, d *Document) (Party, error) {
	cs := crm.New(db, nil)
	var p Party
	if d.CompanyID != 0 {
		co, err := cs.Company(ctx, d.CompanyID)
		if err != nil {
			return p, fmt.Errorf("sales: buyer: %w", err)
		}
		p.Name, p.SIREN, p.VATNumber = co.Name, co.SIREN, co.VATNumber
		if len(co.Addresses) > 0 {
			a := co.Addresses[0]
			p.Street, p.PostalCode, p.City, p.Country = a.Street, a.PostalCode, a.City, a.Country
		}
	}
	if d.ContactID != 0 {
		c, err := cs.Contact(ctx, d.ContactID)
		if err != nil {
			return p, fmt.Errorf("sales: buyer: %w", err)
		}
		if p.Name == "" {
			p.Name = c.DisplayName()
			if len(c.Addresses) > 0 {
				a := c.Addresses[0]
				p.Street, p.PostalCode, p.City, p.Country = a.Street, a.PostalCode, a.City, a.Country
			}
		} else {
			p.Contact = c.DisplayName()
		}
		if len(c.Emails) > 0 {
			p.Email = c.Emails[0].Address
		}
	}
	return p, nil
}

// Issue gives an invoice or a credit note its number (next in its series,
// gapless), its issue date (today unless given; never before the last
// issued document of its kind, never in the future), its due date, and
// freezes it with copies of the buyer and the seller.
func (s *Store) Issue(ctx context.Context, id int64, issueDate string) (*Document, error) {
	if issueDate == "" {
		issueDate = s.today()
	}
	day, err := time.Parse(time.DateOnly, issueDate)
	if err != nil {
		return nil, fmt.Errorf("%w: %q", ErrBadAmount, issueDate)
	}
	if issueDate > s.today() {
		return nil, ErrFutureDate
	}
	cur, err := loadDocument(ctx, txn.On(ctx, s.db), id)
	if err != nil {
		return nil, err
	}
	buyer, err := buyerOf(ctx, s.db, cur)
	if err != nil {
		return nil, err
	}
	buyer.Delivery = strings.TrimSpace(cur.Delivery)
	err = s.write(ctx, func(tx *sql.Tx) error {
		d, err := loadDocument(ctx, tx, id)
		if err != nil {
			return err
		}
		if d.Kind == KindQuote || d.IssuedAt != "" {
			return ErrWrongState
		}
		if len(d.Lines) == 0 {
			return ErrNoLines
		}
		seller, err := loadProfile(ctx, tx)
		if err != nil {
			return err
		}
		if seller.LegalName == "" || seller.Street == "" || seller.SIREN == "" {
			return ErrSellerMissing
		}
		var last string
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(issue_date), '') FROM documents WHERE kind = ? AND issued_at <> ''`, d.Kind).Scan(&last); err != nil {
			return fmt.Errorf("sales: issue: %w", err)
		}
		if issueDate < last {
			return ErrDateOrder
		}
		if d.Kind == KindCredit {
			inv, err := loadDocument(ctx, tx, d.InvoiceID)
			if err != nil {
				return err
			}
			if inv.IssuedAt == "" || inv.Kind != KindInvoice {
				return ErrWrongState
			}
			if d.Totals.Gross > inv.Totals.Gross-inv.Credited {
				return ErrCreditTooLarge
			}
		}
		pattern := seller.InvoicePattern
		if d.Kind == KindCredit {
			pattern = seller.CreditPattern
		}
		number, err := nextNumber(ctx, tx, d.Kind, pattern, day)
		if err != nil {
			return err
		}
		due := ""
		if d.Kind == KindInvoice {
			due = day.AddDate(0, 0, seller.PaymentDays).Format(time.DateOnly)
		}
		sale := d.SaleDate
		if sale == "" {
			sale = issueDate
		}
		bj, _ := json.Marshal(buyer)
		sj, _ := json.Marshal(seller)
		const q = `
			UPDATE documents SET number = ?, state = 'issued', issue_date = ?, sale_date = ?, due_date = ?, buyer = ?, seller = ?,
				total_net = ?, total_vat = ?, total_gross = ?, issued_at = ?, updated_at = ?
			WHERE id = ? AND issued_at = ''`
		now := stamp(s.now())
		if _, err := tx.ExecContext(ctx, q, number, issueDate, sale, due, string(bj), string(sj), d.Totals.Net, d.Totals.VAT, d.Totals.Gross, now, now, id); err != nil {
			return fmt.Errorf("sales: issue %d: %w", id, frozenErr(err))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.Document(ctx, id)
}

// Payment is money received for an invoice.
type Payment struct {
	ID     int64  `json:"id"`
	PaidOn string `json:"paidOn"`
	Amount int64  `json:"amount"` // cents
	Method string `json:"method"` // transfer, card, cheque, cash…
	Note   string `json:"note"`
}

// AddPayment records a payment on an issued invoice; it cannot exceed
// what remains due.
func (s *Store) AddPayment(ctx context.Context, invoiceID int64, p Payment) error {
	if p.Amount <= 0 {
		return ErrNegative
	}
	if p.PaidOn == "" {
		p.PaidOn = s.today()
	}
	if _, err := time.Parse(time.DateOnly, p.PaidOn); err != nil {
		return fmt.Errorf("%w: %q", ErrBadAmount, p.PaidOn)
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		d, err := loadDocument(ctx, tx, invoiceID)
		if err != nil {
			return err
		}
		if d.Kind != KindInvoice || d.IssuedAt == "" {
			return ErrWrongState
		}
		if p.Amount > d.Due {
			return ErrOverpaid
		}
		const q = `INSERT INTO payments (document_id, paid_on, amount, method, note, created_at) VALUES (?, ?, ?, ?, ?, ?)`
		if _, err := tx.ExecContext(ctx, q, invoiceID, p.PaidOn, p.Amount, p.Method, p.Note, stamp(s.now())); err != nil {
			return fmt.Errorf("sales: payment on %d: %w", invoiceID, err)
		}
		return nil
	})
}

// Payments lists an invoice's payments by date.
func (s *Store) Payments(ctx context.Context, invoiceID int64) ([]Payment, error) {
	rows, err := txn.On(ctx, s.db).QueryContext(ctx, `SELECT id, paid_on, amount, method, note FROM payments WHERE document_id = ? ORDER BY paid_on, id`, invoiceID)
	if err != nil {
		return nil, fmt.Errorf("sales: payments: %w", err)
	}
	defer rows.Close()
	out := []Payment{}
	for rows.Next() {
		var p Payment
		if err := rows.Scan(&p.ID, &p.PaidOn, &p.Amount, &p.Method, &p.Note); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
