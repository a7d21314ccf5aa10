package i18n

import (
	"bufio"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

const (
	nnbsp = "\u202f" // narrow no-break space: French thousands, CLDR
	nbsp  = "\u00a0" // no-break space: French, before € and %
)

func loaded(t *testing.T) *Bundle {
	t.Helper()
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestFormatWritesNumbersTheWayEachLanguageDoes(t *testing.T) {
	b := loaded(t)
	for _, tc := range []struct {
		name   string
		write  func(f *Format) string
		fr, en string
	}{
		{"a whole number groups thousands", func(f *Format) string { return f.Int(1234567) }, "1" + nnbsp + "234" + nnbsp + "567", "1,234,567"},
		{"a short number has no separator", func(f *Format) string { return f.Int(999) }, "999", "999"},
		{"a negative whole number", func(f *Format) string { return f.Int(-12345) }, "-12" + nnbsp + "345", "-12,345"},
		{"a number rounds to the decimals asked", func(f *Format) string { return f.Number(1234.56, 1) }, "1" + nnbsp + "234,6", "1,234.6"},
		{"a number without decimals", func(f *Format) string { return f.Number(2.5e6, 0) }, "2" + nnbsp + "500" + nnbsp + "000", "2,500,000"},
		{"a negative number", func(f *Format) string { return f.Number(-0.25, 2) }, "-0,25", "-0.25"},
		{"a tiny negative number rounded to zero has no sign", func(f *Format) string { return f.Number(-0.01, 1) }, "0,0", "0.0"},
		// Half away from zero, as the window's Intl.NumberFormat (ICU), not
		// strconv's half to even: a size or a total reads the same in both.
		{"a half rounds away from zero", func(f *Format) string { return f.Number(2.5, 0) }, "3", "3"},
		{"a negative half rounds away from zero", func(f *Format) string { return f.Number(-2.5, 0) }, "-3", "-3"},
		{"a half at the last decimal rounds up", func(f *Format) string { return f.Number(0.125, 2) }, "0,13", "0.13"},
		{"three decimals kept as they are", func(f *Format) string { return f.Number(0.125, 3) }, "0,125", "0.125"},
		{"the decimal written, not the binary value below it", func(f *Format) string { return f.Number(1.005, 2) }, "1,01", "1.01"},
		{"a carry reaches the thousands", func(f *Format) string { return f.Number(999.96, 1) }, "1" + nnbsp + "000,0", "1,000.0"},
		{"missing decimals are zeros", func(f *Format) string { return f.Number(1.5, 3) }, "1,500", "1.500"},
		{"a small number to fewer decimals", func(f *Format) string { return f.Number(0.0005, 3) }, "0,001", "0.001"},
		{"a decimal drops trailing zeros", func(f *Format) string { return f.Decimal(1500, 3) }, "1,5", "1.5"},
		{"a whole decimal has no separator", func(f *Format) string { return f.Decimal(2000, 3) }, "2", "2"},
		{"a decimal keeps leading zeros of the fraction", func(f *Format) string { return f.Decimal(1005, 3) }, "1,005", "1.005"},
		{"a large decimal groups thousands", func(f *Format) string { return f.Decimal(-1234500, 3) }, "-1" + nnbsp + "234,5", "-1,234.5"},
		{"money in euros", func(f *Format) string { return f.Money(1234567, "EUR") }, "12" + nnbsp + "345,67" + nbsp + "€", "€12,345.67"},
		{"a few cents", func(f *Format) string { return f.Money(5, "EUR") }, "0,05" + nbsp + "€", "€0.05"},
		{"a credit is negative", func(f *Format) string { return f.Money(-4000, "EUR") }, "-40,00" + nbsp + "€", "-€40.00"},
		{"a currency without a sign prints its code", func(f *Format) string { return f.Money(100, "CHF") }, "1,00" + nbsp + "CHF", "CHF1.00"},
		{"a whole percentage", func(f *Format) string { return f.Percent(2000) }, "20" + nbsp + "%", "20%"},
		{"a fractional percentage", func(f *Format) string { return f.Percent(550) }, "5,5" + nbsp + "%", "5.5%"},
		{"a percentage with two decimals", func(f *Format) string { return f.Percent(1234) }, "12,34" + nbsp + "%", "12.34%"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for lang, want := range map[string]string{"fr": tc.fr, "en": tc.en} {
				if got := tc.write(b.Format(lang)); got != want {
					t.Errorf("%s: got %q, want %q", lang, got, want)
				}
			}
		})
	}
}

func TestFormatWritesDatesWithTheLanguagesMonthNames(t *testing.T) {
	b := loaded(t)
	dec := time.Date(2026, 12, 7, 9, 5, 0, 0, time.UTC)
	may := time.Date(2027, 5, 31, 23, 59, 0, 0, time.UTC)
	for _, tc := range []struct {
		name   string
		write  func(f *Format) string
		fr, en string
	}{
		{"a day for a table", func(f *Format) string { return f.Date(dec) }, "07/12/2026", "7 Dec 2026"},
		{"a day for a letter", func(f *Format) string { return f.DateLong(dec) }, "7 décembre 2026", "7 December 2026"},
		{"a day and time", func(f *Format) string { return f.DateTime(dec) }, "07/12/2026 09:05", "7 Dec 2026 09:05"},
		{"another month", func(f *Format) string { return f.DateLong(may) }, "31 mai 2027", "31 May 2027"},
		{"late in the day", func(f *Format) string { return f.DateTime(may) }, "31/05/2027 23:59", "31 May 2027 23:59"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for lang, want := range map[string]string{"fr": tc.fr, "en": tc.en} {
				if got := tc.write(b.Format(lang)); got != want {
					t.Errorf("%s: got %q, want %q", lang, got, want)
				}
			}
		})
	}
	if b.Format("de").Lang() != Fallback {
		t.Errorf("an unknown language should write like %s", Fallback)
	}
}

// A new language is data: its file's format.* keys, and no Go code.
func TestANewLanguageFormatsFromItsFileAlone(t *testing.T) {
	b, err := LoadFS(fstest.MapFS{
		"en.json": {Data: []byte(`{}`)},
		"de.json": {Data: []byte(`{"format.decimal": ",", "format.group": ".", "format.money": "# ¤", "format.percent": "# %",
			"format.currency.EUR": "€", "format.date": "dd.MM.yyyy", "format.date_long": "d. MMMM y", "format.datetime": "dd.MM.y, HH:mm 'Uhr'",
			"format.months": "Januar,Februar,März,April,Mai,Juni,Juli,August,September,Oktober,November,Dezember",
			"format.plural_one": "1", "n_one": "{count} Kontakt", "n_other": "{count} Kontakte"}`)},
	})
	if err != nil {
		t.Fatal(err)
	}
	f := b.Format("de")
	at := time.Date(2026, 3, 7, 14, 30, 0, 0, time.UTC)
	for _, c := range [][2]string{
		{f.Money(1234567, "EUR"), "12.345,67 €"},
		{f.Percent(1950), "19,5 %"},
		{f.Date(at), "07.03.2026"},
		{f.DateLong(at), "7. März 2026"},
		{f.DateTime(at), "07.03.2026, 14:30 Uhr"},
		{b.T("de", "n", map[string]any{"count": 0}), "0 Kontakte"},
		// No month names in this en.json: the month prints as a number.
		{b.Format("en").DateLong(at), "2026-03-07"},
	} {
		if c[0] != c[1] {
			t.Errorf("got %q, want %q", c[0], c[1])
		}
	}
}

func TestABrokenFormatInATranslationFileFailsTheLoad(t *testing.T) {
	for _, file := range []string{
		`{"format.date": "dd/MM/y hh:mm"}`, // h (12-hour clock) is not supported
		`{"format.date_long": "d 'de MMMM y"}`,
		`{"format.months": "janvier,février"}`,
		`{"format.plural_one": "one"}`,
	} {
		_, err := LoadFS(fstest.MapFS{"en.json": {Data: []byte(`{}`)}, "fr.json": {Data: []byte(file)}})
		if err == nil {
			t.Errorf("%s loaded", file)
		}
	}
}

// Issue 17: a language's conventions live in its translation file, never
// in a branch on the language's code. Tests may compare languages.
func TestNoCodeBranchesOnTheLanguage(t *testing.T) {
	branch := regexp.MustCompile(`(?i)lang(uage)?\)?\s*[!=]=\s*"[^"]|"[a-z]{2}"\s*[!=]=\s*\w*lang`)
	root := filepath.Join("..", "..", "backend")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for n := 1; sc.Scan(); n++ {
			if branch.MatchString(sc.Text()) {
				t.Errorf("%s:%d branches on the language: %s (put the convention in the locale files, see i18n.Format)", path, n, strings.TrimSpace(sc.Text()))
			}
		}
		return sc.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
}
