package sales

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"carnet/backend/txn"
)

// Errors callers act on.
var (
	ErrNotFound       = errors.New("sales: not found")
	ErrFrozen         = errors.New("sales: an issued document cannot be changed or deleted")
	ErrNotDraft       = errors.New("sales: only a draft can be changed")
	ErrWrongState     = errors.New("sales: not possible in this state")
	ErrNoCustomer     = errors.New("sales: the document needs a customer")
	ErrNoLines        = errors.New("sales: the document has no lines")
	ErrEmptyLabel     = errors.New("sales: a product needs a label")
	ErrBadTerms       = errors.New("sales: payment terms must be 0 to 60 days, quote validity at least a day")
	ErrDateOrder      = errors.New("sales: the issue date is before the last issued document's")
	ErrFutureDate     = errors.New("sales: the issue date is in the future")
	ErrOverpaid       = errors.New("sales: the payment exceeds what is due")
	ErrCreditTooLarge = errors.New("sales: the credit note exceeds what the invoice still bears")
	ErrSellerMissing  = errors.New("sales: fill in the company profile (name, address, SIREN) before issuing")
)

// Store reads and writes the sales tables of an unlocked vault.
type Store struct {
	db  *sql.DB
	now func() time.Time
}

// New returns a Store on db; now may be nil for the real clock.
func New(db *sql.DB, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: db, now: now}
}

func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return txn.Write(ctx, s.db, fn)
}

// today is the local calendar day.
func (s *Store) today() string { return s.now().Format(time.DateOnly) }
