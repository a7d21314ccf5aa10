package i18n

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// The way a language writes numbers, money and dates is data, read from
// its translation file like any message, so adding a language adds keys,
// not branches in Go:
//
//	format.decimal        decimal separator            ","       "."
//	format.group          thousands separator          "\u202f"  ","
//	format.money          "#" the amount, "¤" the sign "#\u00a0¤" "¤#"
//	format.percent        "#" the number               "#\u00a0%" "#%"
//	format.currency.EUR   the currency's sign          "€"       "€"
//	format.date           day, numeric or abbreviated  "dd/MM/y" "d MMM y"
//	format.date_long      day in words, for letters    "d MMMM y"
//	format.datetime       day and time of day          "dd/MM/y HH:mm"
//	format.months         month names, comma-separated "janvier,février,…"
//	format.months_short   abbreviated month names      "janv.,févr.,…"
//	format.plural_one     counts taking the _one form  "0 1"     "1"
//
// Date patterns follow Unicode LDML (the patterns of CLDR and of the
// frontend's Intl): d dd day, M MM MMM MMMM month, y yyyy year, H HH hour,
// mm minute, ss second; text between single quotes is printed as is.
// The separators follow CLDR too, so a PDF and the window agree: French
// groups thousands with a narrow no-break space (U+202F) and puts a
// no-break space (U+00A0) before "€" and "%".

// Format writes numbers, money, percentages and dates for one language.
// Get one with Bundle.Format.
type Format struct {
	lang            string
	decimal, group  string
	money, percent  string
	symbols         map[string]string
	date, dateLong  []token
	dateTime        []token
	months, monthsS []string
	pluralOne       map[int64]bool
}

// Format returns how lang writes numbers and dates; an unknown language
// writes like Fallback.
func (b *Bundle) Format(lang string) *Format {
	if f, ok := b.formats[lang]; ok {
		return f
	}
	return b.formats[Fallback]
}

// Lang is the language the format writes in.
func (f *Format) Lang() string { return f.lang }

// buildFormat reads lang's format.* keys, falling back to Fallback's, and
// to neutral ISO forms when neither file has them (a bare test bundle).
func (b *Bundle) buildFormat(lang string) (*Format, error) {
	get := func(key, def string) string {
		if s, ok := b.lookup(lang, key); ok {
			return s
		}
		return def
	}
	f := &Format{
		lang:      lang,
		decimal:   get("format.decimal", "."),
		group:     get("format.group", ""),
		money:     get("format.money", "# ¤"),
		percent:   get("format.percent", "#%"),
		symbols:   map[string]string{},
		pluralOne: map[int64]bool{},
	}
	for _, m := range []map[string]string{b.msgs[Fallback], b.msgs[lang]} {
		for k, v := range m {
			if code, ok := strings.CutPrefix(k, "format.currency."); ok {
				f.symbols[code] = v
			}
		}
	}
	for _, p := range []struct {
		dst      *[]token
		key, def string
	}{
		{&f.date, "format.date", "y-MM-dd"},
		{&f.dateLong, "format.date_long", "y-MM-dd"},
		{&f.dateTime, "format.datetime", "y-MM-dd HH:mm"},
	} {
		toks, err := parsePattern(get(p.key, p.def))
		if err != nil {
			return nil, fmt.Errorf("i18n: %s %s: %w", lang, p.key, err)
		}
		*p.dst = toks
	}
	for _, p := range []struct {
		dst *[]string
		key string
	}{{&f.months, "format.months"}, {&f.monthsS, "format.months_short"}} {
		if s := get(p.key, ""); s != "" {
			names := strings.Split(s, ",")
			if len(names) != 12 {
				return nil, fmt.Errorf("i18n: %s %s: %d month names, want 12", lang, p.key, len(names))
			}
			*p.dst = names
		}
	}
	for _, n := range strings.Fields(get("format.plural_one", "1")) {
		v, err := strconv.ParseInt(n, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("i18n: %s format.plural_one: %w", lang, err)
		}
		f.pluralOne[v] = true
	}
	return f, nil
}

// One reports whether a count of n takes the singular ("_one") form:
// only 1 in English, 0 and 1 in French.
func (f *Format) One(n int64) bool { return f.pluralOne[n] }

// Int writes a whole number with the thousands separator: "12 345"
// (narrow no-break space) in French, "12,345" in English.
func (f *Format) Int(n int64) string {
	s := strconv.FormatInt(n, 10)
	if neg, ok := strings.CutPrefix(s, "-"); ok {
		return "-" + f.group3(neg)
	}
	return f.group3(s)
}

// Number writes x rounded to decimals places, half away from zero as the
// window's Intl.NumberFormat does (not strconv's half to even): Number(1234.5,
// 1) is "1 234,5" in French, "1,234.5" in English; Number(2.5, 0) is "3".
func (f *Format) Number(x float64, decimals int) string {
	decimals = max(decimals, 0)
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return strconv.FormatFloat(x, 'f', decimals, 64)
	}
	neg := math.Signbit(x)
	whole, frac := roundHalfAway(math.Abs(x), decimals)
	out := f.group3(whole)
	if frac != "" {
		out += f.decimal + frac
	}
	if neg && strings.Trim(whole+frac, "0") != "" { // no "-0,0"
		out = "-" + out
	}
	return out
}

// roundHalfAway rounds x (not negative) to decimals places, half away from
// zero, and returns its whole and fractional digits. Like ICU it rounds the
// shortest decimal that reads back as x ("1.005", not the binary value just
// below it), so 1.005 to 2 places is 1.01 in Go as in the window.
func roundHalfAway(x float64, decimals int) (whole, frac string) {
	s := strconv.FormatFloat(x, 'f', -1, 64)
	w, fr, _ := strings.Cut(s, ".")
	up := len(fr) > decimals && fr[decimals] >= '5'
	fr += strings.Repeat("0", max(decimals-len(fr), 0))
	digits := []byte(w + fr[:decimals])
	if up {
		i := len(digits) - 1
		for ; i >= 0 && digits[i] == '9'; i-- {
			digits[i] = '0'
		}
		if i < 0 {
			digits = append([]byte{'1'}, digits...)
		} else {
			digits[i]++
		}
	}
	cut := len(digits) - decimals
	return string(digits[:cut]), string(digits[cut:])
}

// Decimal writes a fixed-point quantity held as an integer of scale
// decimal places, without trailing zeros: Decimal(1500, 3) is "1,5" in
// French, "1.5" in English; Decimal(2000, 3) is "2".
func (f *Format) Decimal(n int64, scale int) string {
	neg := n < 0
	if neg {
		n = -n
	}
	unit := int64(1)
	for range scale {
		unit *= 10
	}
	out := f.group3(strconv.FormatInt(n/unit, 10))
	if r := n % unit; r != 0 {
		out += f.decimal + strings.TrimRight(fmt.Sprintf("%0*d", scale, r), "0")
	}
	if neg {
		out = "-" + out
	}
	return out
}

// Money writes an amount in cents of currency (an ISO 4217 code):
// 1234567 EUR is "12 345,67 €" in French, "€12,345.67" in English. A
// currency without a sign in the translation files prints its code.
func (f *Format) Money(cents int64, currency string) string {
	sign := ""
	if cents < 0 {
		sign, cents = "-", -cents
	}
	amount := f.group3(strconv.FormatInt(cents/100, 10)) + f.decimal + fmt.Sprintf("%02d", cents%100)
	symbol, ok := f.symbols[currency]
	if !ok {
		symbol = currency
	}
	return sign + strings.NewReplacer("#", amount, "¤", symbol).Replace(f.money)
}

// Percent writes basis points (hundredths of a percent) as a percentage:
// 2000 is "20 %" in French, "20%" in English; 550 is "5,5 %" or "5.5%".
func (f *Format) Percent(bp int64) string {
	sign := ""
	if bp < 0 {
		sign, bp = "-", -bp
	}
	return sign + strings.Replace(f.percent, "#", f.Decimal(bp, 2), 1)
}

// Date writes a day, numeric or abbreviated, for tables and documents:
// "07/12/2026" in French, "7 Dec 2026" in English.
func (f *Format) Date(t time.Time) string { return f.render(f.date, t) }

// DateLong writes a day in words, for letters: "7 décembre 2026",
// "7 December 2026".
func (f *Format) DateLong(t time.Time) string { return f.render(f.dateLong, t) }

// DateTime writes a day and a time of day: "07/12/2026 09:05",
// "7 Dec 2026 09:05". The caller chooses the time zone (t.Local(), t.UTC()).
func (f *Format) DateTime(t time.Time) string { return f.render(f.dateTime, t) }

// group3 puts the thousands separator into a string of digits.
func (f *Format) group3(digits string) string {
	if len(digits) <= 3 || f.group == "" {
		return digits
	}
	var b strings.Builder
	for i := range len(digits) {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(f.group)
		}
		b.WriteByte(digits[i])
	}
	return b.String()
}

// token is a run of a pattern: a field letter repeated n times, or
// literal text (letter 0).
type token struct {
	letter byte
	n      int
	text   string
}

// parsePattern splits an LDML date pattern into tokens, refusing field
// letters it cannot print so that a mistake in a translation file shows
// when the bundle loads, not in a letter.
func parsePattern(p string) ([]token, error) {
	var toks []token
	for i := 0; i < len(p); {
		c := p[i]
		switch {
		case c == '\'':
			if i+1 < len(p) && p[i+1] == '\'' {
				toks = append(toks, token{text: "'"})
				i += 2
				continue
			}
			j := strings.IndexByte(p[i+1:], '\'')
			if j < 0 {
				return nil, fmt.Errorf("unclosed quote in %q", p)
			}
			toks = append(toks, token{text: p[i+1 : i+1+j]})
			i += j + 2
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			n := 1
			for i+n < len(p) && p[i+n] == c {
				n++
			}
			if !strings.ContainsRune("dMyHms", rune(c)) || n > 4 || (c != 'M' && c != 'y' && n > 2) {
				return nil, fmt.Errorf("unknown field %q in %q", p[i:i+n], p)
			}
			toks = append(toks, token{letter: c, n: n})
			i += n
		default:
			j := i + 1
			for j < len(p) && p[j] != '\'' && !(p[j] >= 'a' && p[j] <= 'z' || p[j] >= 'A' && p[j] <= 'Z') {
				j++
			}
			toks = append(toks, token{text: p[i:j]})
			i = j
		}
	}
	return toks, nil
}

func (f *Format) render(toks []token, t time.Time) string {
	var b strings.Builder
	num := func(v, n int) {
		if n >= 2 {
			fmt.Fprintf(&b, "%0*d", n, v)
		} else {
			b.WriteString(strconv.Itoa(v))
		}
	}
	for _, tk := range toks {
		switch tk.letter {
		case 0:
			b.WriteString(tk.text)
		case 'd':
			num(t.Day(), tk.n)
		case 'M':
			m := int(t.Month())
			switch {
			case tk.n == 4 && f.months != nil:
				b.WriteString(f.months[m-1])
			case tk.n == 3 && f.monthsS != nil:
				b.WriteString(f.monthsS[m-1])
			default: // no names in the files: the number
				num(m, min(tk.n, 2))
			}
		case 'y':
			if tk.n == 2 {
				num(t.Year()%100, 2)
			} else {
				num(t.Year(), tk.n)
			}
		case 'H':
			num(t.Hour(), tk.n)
		case 'm':
			num(t.Minute(), tk.n)
		case 's':
			num(t.Second(), tk.n)
		}
	}
	return b.String()
}
