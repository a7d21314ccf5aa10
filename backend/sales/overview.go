package sales

import (
	"context"
	"fmt"
	"time"

	"carnet/backend/txn"
)

// Overview is what the sales screen shows at the top.
type Overview struct {
	Due          int64          `json:"due"`          // issued invoices not yet paid, cents incl. VAT
	Overdue      int64          `json:"overdue"`      // of which past their due date
	OverdueCount int            `json:"overdueCount"` // invoices overdue
	OpenQuotes   int64          `json:"openQuotes"`   // sent quotes awaiting an answer, cents incl. VAT
	Months       []MonthRevenue `json:"months"`       // the last 12 months, oldest first
}

// MonthRevenue is the revenue excluding VAT invoiced in a month, net of
// credit notes.
type MonthRevenue struct {
	Month string `json:"month"` // YYYY-MM
	Net   int64  `json:"net"`
}

// Overview sums what is due, overdue and quoted, and the revenue of the
// last twelve months.
func (s *Store) Overview(ctx context.Context) (Overview, error) {
	var o Overview
	today := s.today()
	list, err := s.List(ctx, "")
	if err != nil {
		return o, err
	}
	for _, d := range list {
		switch {
		case d.Kind == KindInvoice && (d.Status == StateIssued || d.Status == StatusPartiallyPaid || d.Status == StatusOverdue):
			o.Due += d.Due
			if d.Status == StatusOverdue {
				o.Overdue += d.Due
				o.OverdueCount++
			}
		case d.Kind == KindQuote && d.Status == StateSent:
			o.OpenQuotes += d.Gross
		}
	}
	t, _ := time.Parse(time.DateOnly, today)
	first := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -11, 0)
	byMonth := map[string]int64{}
	const q = `
		SELECT substr(issue_date, 1, 7), sum(CASE kind WHEN 'credit_note' THEN -total_net ELSE total_net END)
		FROM documents WHERE kind IN ('invoice', 'credit_note') AND issued_at <> '' AND issue_date >= ?
		GROUP BY 1`
	rows, err := txn.On(ctx, s.db).QueryContext(ctx, q, first.Format(time.DateOnly))
	if err != nil {
		return o, fmt.Errorf("sales: overview: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var m string
		var n int64
		if err := rows.Scan(&m, &n); err != nil {
			return o, err
		}
		byMonth[m] = n
	}
	for m := first; !m.After(t); m = m.AddDate(0, 1, 0) {
		k := m.Format("2006-01")
		o.Months = append(o.Months, MonthRevenue{Month: k, Net: byMonth[k]})
	}
	return o, rows.Err()
}
