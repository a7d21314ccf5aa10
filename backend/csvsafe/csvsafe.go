// Package csvsafe writes CSV files that a spreadsheet opens without running
// anything, and reads Carnet's own files back without loss. Every CSV file
// Carnet writes goes through Writer: the contacts export, the register of
// processing activities, the subject-access bundle.
//
// The rule is OWASP's "CSV injection" one: a cell that starts with '=',
// '+', '-', '@', TAB (0x09) or CR (0x0D) is read by Excel, LibreOffice and
// Google Sheets as a formula (TAB and CR because spreadsheets trim them
// and look at what follows), so it gets a leading apostrophe and is shown
// as text. Mail subjects, names and notes come from anyone: a subject
// "=HYPERLINK(…)" must not become a link that leaks data when clicked.
//
// One exception, the same for every column: a cell made only of digits and
// " +-.()/" (with at least one digit) is left as written. Such a cell can
// hold no function call, no cell reference and no DDE command (those need
// letters, '!', '|' or ':'), only arithmetic on constants, so it is harmless;
// it is what phone numbers ("+33 4 72 00 00 00") and negative amounts
// ("-1500") look like, and an apostrophe would spoil them for the reader.
package csvsafe

import (
	"encoding/csv"
	"io"
	"strings"
)

// triggers are the first characters a spreadsheet reads as a formula.
const triggers = "=+-@\t\r"

// Cell returns v defused: with a leading apostrophe when a spreadsheet
// would run it as a formula, and when it already starts with apostrophes
// before such a value, so that Undo gives back exactly v.
func Cell(v string) string {
	if needsQuote(v) {
		return "'" + v
	}
	return v
}

// Undo gives back the value Cell was given: the apostrophe Cell added is
// removed, any other is kept ("'t Hooft" stays as it is). The importer
// calls it on every cell, so that an export read back loses nothing.
func Undo(s string) string {
	if len(s) > 1 && s[0] == '\'' && needsQuote(s[1:]) {
		return s[1:]
	}
	return s
}

// needsQuote: v starts with a trigger and is not plain arithmetic, or is
// an apostrophe before such a value (which Undo would otherwise strip).
func needsQuote(v string) bool {
	v = strings.TrimLeft(v, "'")
	return v != "" && strings.IndexByte(triggers, v[0]) >= 0 && !arithmetic(v)
}

// arithmetic reports whether v is made only of digits and " +-.()/",
// with at least one digit: a phone number or a number.
func arithmetic(v string) bool {
	digits := false
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c >= '0' && c <= '9':
			digits = true
		case strings.IndexByte(" +-.()/", c) >= 0:
		default:
			return false
		}
	}
	return digits
}

// Writer is a csv.Writer whose Write and WriteAll defuse every cell,
// headers included (custom field names are typed by users too).
type Writer struct {
	*csv.Writer
	rec []string
}

// NewWriter returns a Writer writing to w.
func NewWriter(w io.Writer) *Writer {
	return &Writer{Writer: csv.NewWriter(w)}
}

// Write writes one record, each cell defused; rec itself is not changed.
func (w *Writer) Write(rec []string) error {
	w.rec = w.rec[:0]
	for _, v := range rec {
		if w.UseCRLF && strings.IndexByte(v, '\r') >= 0 {
			// encoding/csv drops every CR then (a line end becomes CRLF):
			// drop them first, so the quote follows what is written.
			v = strings.ReplaceAll(v, "\r", "")
		}
		w.rec = append(w.rec, Cell(v))
	}
	return w.Writer.Write(w.rec)
}

// WriteAll writes records, each cell defused, and flushes.
func (w *Writer) WriteAll(records [][]string) error {
	for _, rec := range records {
		if err := w.Write(rec); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}
