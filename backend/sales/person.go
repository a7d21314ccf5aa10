package sales

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// RetentionYears is how long issued invoices and credit notes are kept:
// ten years (Code de commerce, art. L123-22), from the end of the year.
const RetentionYears = 10

// keptUntil is the last day an issued document must be kept.
func keptUntil(issueDate string) string {
	d, err := time.Parse(time.DateOnly, issueDate)
	if err != nil {
		return ""
	}
	return time.Date(d.Year()+RetentionYears, 12, 31, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}

// PersonDocument is a document addressed to one contact, and what an
// erasure does with it.
type PersonDocument struct {
	ID        int64  `json:"id"`
	Kind      string `json:"kind"`
	Number    string `json:"number"`
	State     string `json:"state"`
	IssueDate string `json:"issueDate"`
	Gross     int64  `json:"gross"`
	// Fate on erasure: "keep" (issued: sealed until KeptUntil), "detach"
	// (a company's draft or quote: the link to the person goes), "delete".
	Fate      string `json:"fate"`
	KeptUntil string `json:"keptUntil"`
}

// DocumentsOf lists the documents linked to a contact, oldest first.
func DocumentsOf(ctx context.Context, q interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}, contactID int64) ([]PersonDocument, error) {
	rows, err := q.QueryContext(ctx, `
		SELECT id, kind, coalesce(number, ''), state, issue_date, total_gross, issued_at <> '', company_id IS NOT NULL
		FROM documents WHERE contact_id = ? ORDER BY issue_date = '', issue_date, id`, contactID)
	if err != nil {
		return nil, fmt.Errorf("sales: documents of %d: %w", contactID, err)
	}
	defer rows.Close()
	out := []PersonDocument{}
	for rows.Next() {
		var d PersonDocument
		var issued, company bool
		if err := rows.Scan(&d.ID, &d.Kind, &d.Number, &d.State, &d.IssueDate, &d.Gross, &issued, &company); err != nil {
			return nil, fmt.Errorf("sales: documents of %d: %w", contactID, err)
		}
		switch {
		case issued && d.Kind != KindQuote:
			d.Fate, d.KeptUntil = "keep", keptUntil(d.IssueDate)
		case company:
			d.Fate = "detach"
		default:
			d.Fate = "delete"
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Erased counts what an erasure did to the documents.
type Erased struct {
	Sealed   int `json:"sealed"`   // issued invoices and credit notes kept in the accounting archive
	Detached int `json:"detached"` // a company's quotes and drafts no longer naming the person
	Deleted  int `json:"deleted"`  // the person's own quotes and drafts
}

// EraseContactTx applies the fates of DocumentsOf in the caller's
// transaction. Issued documents stay as they are: their frozen buyer is the
// sealed archive, shown only when the document itself is opened.
func EraseContactTx(ctx context.Context, tx *sql.Tx, contactID int64) (Erased, error) {
	var e Erased
	docs, err := DocumentsOf(ctx, tx, contactID)
	if err != nil {
		return e, err
	}
	for _, d := range docs {
		switch d.Fate {
		case "keep":
			e.Sealed++
		case "detach":
			if _, err := tx.ExecContext(ctx, `UPDATE documents SET contact_id = NULL WHERE id = ?`, d.ID); err != nil {
				return e, fmt.Errorf("sales: erase: detach %d: %w", d.ID, err)
			}
			e.Detached++
		case "delete":
			// An invoice made from the quote keeps its own copy of everything.
			if _, err := tx.ExecContext(ctx, `UPDATE documents SET quote_id = NULL WHERE quote_id = ?`, d.ID); err != nil {
				return e, fmt.Errorf("sales: erase: quote %d: %w", d.ID, err)
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM documents WHERE id = ?`, d.ID); err != nil {
				return e, fmt.Errorf("sales: erase: delete %d: %w", d.ID, frozenErr(err))
			}
			e.Deleted++
		}
	}
	return e, nil
}
