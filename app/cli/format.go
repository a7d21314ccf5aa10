package cli

import (
	"time"
)

// Dates and sizes printed for people follow the user's language and time
// zone, as the window writes them; --json keeps the stored ISO values
// for scripts.

// day writes the local day of t; a zero time writes nothing.
func (r *runner) day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return r.i18n.Format(r.lang).Date(t.Local())
}

// dayOf writes a stored date, an RFC 3339 instant (its local day) or a
// YYYY-MM-DD day, as the user's language writes a day. "" writes nothing;
// a value that is neither is printed as it is rather than hidden.
func (r *runner) dayOf(s string) string {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return r.day(t)
	}
	if t, err := time.ParseInLocation(time.DateOnly, s, time.Local); err == nil {
		return r.day(t)
	}
	return s
}

// momentOf writes a stored RFC 3339 instant as a local day and time of
// day; a YYYY-MM-DD day as a day. Like dayOf it keeps what it cannot read.
func (r *runner) momentOf(s string) string {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return r.i18n.Format(r.lang).DateTime(t.Local())
	}
	return r.dayOf(s)
}

// megabytes writes a size in decimal megabytes (10⁶ bytes, as the window
// does) with one decimal in the user's language, without the unit.
func (r *runner) megabytes(n int64) string {
	return r.i18n.Format(r.lang).Number(float64(n)/1e6, 1)
}
