package csvsafe

import (
	"bytes"
	"encoding/csv"
	"slices"
	"testing"
)

func TestCell(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`=HYPERLINK("http://x","y")`, `'=HYPERLINK("http://x","y")`},
		{"+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"},
		{"-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"},
		{"@SUM(A1:A9)", "'@SUM(A1:A9)"},
		{"\t=1+1", "'\t=1+1"},
		{"\r=1+1", "'\r=1+1"},
		{"-", "'-"},
		{"+33 4 72 00 00 00", "+33 4 72 00 00 00"}, // a phone number stays readable
		{"-1500", "-1500"},                         // so does a negative amount
		{"Hélène", "Hélène"},
		{"'t Hooft", "'t Hooft"},
		{"'=1", "''=1"}, // so that Undo does not take the user's apostrophe
		{"''@x", "'''@x"},
		{"'", "'"},
		{"", ""},
	} {
		if got := Cell(tc.in); got != tc.want {
			t.Errorf("Cell(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if got := Undo(Cell(tc.in)); got != tc.in {
			t.Errorf("Undo(Cell(%q)) = %q", tc.in, got)
		}
	}
}

func TestUndoKeepsOtherApostrophes(t *testing.T) {
	for _, v := range []string{"'t Hooft", "'", "''", "'abc", "'+33 1 02 03 04 05"} {
		if got := Undo(v); got != v {
			t.Errorf("Undo(%q) = %q", v, got)
		}
	}
}

func FuzzCellRoundTrip(f *testing.F) {
	for _, s := range []string{"=1", "'=1", "''", "+33 1", "-", "\t"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		d := Cell(v)
		if d != "" && d[0] != '\'' && needsQuote(d) {
			t.Fatalf("Cell(%q) = %q still starts a formula", v, d)
		}
		if got := Undo(d); got != v {
			t.Fatalf("Undo(Cell(%q)) = %q", v, got)
		}
	})
}

func TestWriterDefusesEveryCellAndLeavesTheRecord(t *testing.T) {
	var b bytes.Buffer
	w := NewWriter(&b)
	w.Comma = ';'
	rec := []string{"=1+1", "ok", "\tx"}
	if err := w.WriteAll([][]string{{"@header"}, rec}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rec, []string{"=1+1", "ok", "\tx"}) {
		t.Fatalf("the caller's record was changed: %q", rec)
	}
	r := csv.NewReader(&b)
	r.Comma, r.FieldsPerRecord = ';', -1
	got, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"'@header"}, {"'=1+1", "ok", "'\tx"}}
	if len(got) != 2 || !slices.Equal(got[0], want[0]) || !slices.Equal(got[1], want[1]) {
		t.Fatalf("read back %q, want %q", got, want)
	}
}

func TestWriterWithCRLFDropsCRBeforeDefusing(t *testing.T) {
	var b bytes.Buffer
	w := NewWriter(&b)
	w.UseCRLF = true
	w.WriteAll([][]string{{"\rplain", "\r=1+1", "a\r\nb"}})
	if got, want := b.String(), "plain,'=1+1,\"a\r\nb\"\r\n"; got != want {
		t.Fatalf("wrote %q, want %q", got, want)
	}
}
