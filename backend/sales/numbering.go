package sales

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// ErrBadPattern is returned for a numbering pattern without a counter.
var ErrBadPattern = errors.New("sales: a numbering pattern needs a counter such as {NNNN}")

var counterToken = regexp.MustCompile(`\{N+\}`)

// checkPattern accepts patterns such as "F-{YYYY}-{NNNN}": one counter,
// optional {YYYY}, {YY} and {MM}, and printable text.
func checkPattern(p string) error {
	if len(counterToken.FindAllString(p, -1)) != 1 || strings.ContainsAny(p, "/\\\n") || len(p) > 40 {
		return fmt.Errorf("%w: %q", ErrBadPattern, p)
	}
	return nil
}

// period is the part of the date that restarts the counter: the year when
// the pattern shows one (and the month when it shows that too), else "".
func period(pattern string, day time.Time) string {
	switch {
	case strings.Contains(pattern, "{MM}") && (strings.Contains(pattern, "{YYYY}") || strings.Contains(pattern, "{YY}")):
		return day.Format("2006-01")
	case strings.Contains(pattern, "{YYYY}") || strings.Contains(pattern, "{YY}"):
		return day.Format("2006")
	}
	return ""
}

// render writes the number n with pattern for a document dated day.
func render(pattern string, day time.Time, n int64) string {
	s := strings.NewReplacer("{YYYY}", day.Format("2006"), "{YY}", day.Format("06"), "{MM}", day.Format("01")).Replace(pattern)
	return counterToken.ReplaceAllStringFunc(s, func(tok string) string {
		return fmt.Sprintf("%0*d", len(tok)-2, n)
	})
}

// nextNumber takes the next number of a series inside the caller's
// transaction, so a rollback gives it back: no gaps.
func nextNumber(ctx context.Context, tx *sql.Tx, kind, pattern string, day time.Time) (string, error) {
	per := period(pattern, day)
	const q = `
		INSERT INTO sequences (kind, period, last) VALUES (?, ?, 1)
		ON CONFLICT (kind, period) DO UPDATE SET last = last + 1
		RETURNING last`
	var n int64
	if err := tx.QueryRowContext(ctx, q, kind, per).Scan(&n); err != nil {
		return "", fmt.Errorf("sales: number %s: %w", kind, err)
	}
	return render(pattern, day, n), nil
}
