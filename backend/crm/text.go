package crm

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Fold lowers s and strips its accents ("Hélène" → "helene"), the way the
// search tokenizer does, for sorting and for comparing names.
func Fold(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			s = norm.NFD.String(s) // "é" becomes "e" and a combining accent
			break
		}
	}
	// One pass: accents dropped, runs of spaces made one, letters lowered.
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = b.Len() > 0
		case r >= utf8.RuneSelf && unicode.Is(unicode.Mn, r):
		default:
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// NormalizePhone returns a phone number as international digits without
// "+" ("06 12 34 56 78" → "33612345678"), assuming France for numbers
// written nationally with a leading 0. It returns "" when s holds fewer than
// three digits.
func NormalizePhone(s string) string {
	// Digits, "+" and brackets are ASCII: no byte of a multi-byte rune
	// can be taken for one. An import calls this a few times per row.
	var buf [24]byte
	d := buf[:0]
	plus := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			d = append(d, c)
		case c == '+' && len(d) == 0 && !plus:
			plus = true
		case c == '(' && strings.HasPrefix(s[i:], "(0)") && (plus || len(d) > 0):
			// "+33 (0)6 …": the trunk zero in brackets is not dialled.
			return NormalizePhone(s[:i] + s[i+3:])
		}
	}
	switch {
	case len(d) < 3:
		return ""
	case plus:
		return string(d)
	case d[0] == '0' && d[1] == '0':
		return string(d[2:])
	case len(d) == 10 && d[0] == '0':
		d[0] = '3' // 0612345678 → 33612345678
		return "3" + string(d)
	}
	return string(d)
}

// phoneForms are the digit strings a person may type to find a number:
// international (33612345678) and national (0612345678).
func phoneForms(normalized string) []string {
	forms := []string{normalized}
	if strings.HasPrefix(normalized, "33") && len(normalized) == 11 {
		forms = append(forms, "0"+normalized[2:])
	}
	return forms
}

// looksLikePhone reports whether a search query is a phone number being
// typed: digits with the usual separators, at least three digits.
func looksLikePhone(q string) bool {
	digits := 0
	for _, r := range q {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune(" +.-()/", r):
		default:
			return false
		}
	}
	return digits >= 3
}
