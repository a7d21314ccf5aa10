package crm

import (
	"context"
	"math/bits"
	"strings"
)

// rowSet collects the values of the rows one INSERT writes: width values a
// row, one after the other.
type rowSet struct {
	width int
	args  []any
}

func newRowSet(width, rows int) rowSet {
	return rowSet{width: width, args: make([]any, 0, width*rows)}
}

func (r *rowSet) add(values ...any) { r.args = append(r.args, values...) }

// maxRowsPerInsert bounds the rows of one statement. Each statement costs
// about as much as writing two or three rows, whatever it writes, so a
// bulk load writes its rows 64 at a time; more gains nothing measurable.
const maxRowsPerInsert = 64

// insertRows writes the rows of r with head ("INSERT OR FAIL INTO t (a,
// b)") and tail (an ON CONFLICT clause or ""), in statements of 64, 32,
// 16, … rows, so a statement cache holds at most seven texts per table.
//
// Heads say OR FAIL rather than the default OR ABORT: a statement of
// several rows that may abort half-way makes SQLite copy each page it
// changes to a statement journal first, to undo the statement alone (a
// tenth of a bulk load). Every caller rolls back the whole transaction on
// an error, so a statement stopped where it failed undoes nothing less.
func insertRows(ctx context.Context, tx queryer, head, tail string, r *rowSet) error {
	for rest := r.args; len(rest) > 0; {
		n := min(len(rest)/r.width, maxRowsPerInsert)
		n = 1 << (bits.Len(uint(n)) - 1) // the largest power of two ≤ n
		if _, err := tx.ExecContext(ctx, valuesSQL(head, tail, r.width, n), rest[:n*r.width]...); err != nil {
			return err
		}
		rest = rest[n*r.width:]
	}
	return nil
}

// valuesSQL is head VALUES (?, ?), (?, ?) … tail, for n rows of width values.
func valuesSQL(head, tail string, width, n int) string {
	row := "(?" + strings.Repeat(", ?", width-1) + ")"
	var b strings.Builder
	b.Grow(len(head) + len(tail) + 8 + n*(len(row)+2))
	b.WriteString(head)
	b.WriteString(" VALUES ")
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
	b.WriteString(tail)
	return b.String()
}
