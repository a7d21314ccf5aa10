package crm

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Fold lowers s and strips its accents ("Hélène" → "helene"), the way the
// search tokenizer does, for sorting and for comparing names.
func Fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if !ascii {
		s = strings.Map(func(r rune) rune {
			if unicode.Is(unicode.Mn, r) {
				return -1
			}
			return r
		}, norm.NFD.String(s))
	}
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// NormalizePhone returns a phone number as international digits without
// "+" ("06 12 34 56 78" → "33612345678"), assuming France for numbers
// written nationally with a leading 0. It returns "" when s holds fewer than
// three digits.
func NormalizePhone(s string) string {
	var b strings.Builder
	plus := false
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && b.Len() == 0 && !plus:
			plus = true
		case r == '(' && strings.HasPrefix(s[i:], "(0)") && (plus || b.Len() > 0):
			// "+33 (0)6 …": the trunk zero in brackets is not dialled.
			return NormalizePhone(s[:i] + s[i+3:])
		}
	}
	d := b.String()
	if len(d) < 3 {
		return ""
	}
	switch {
	case plus:
		return d
	case strings.HasPrefix(d, "00"):
		return d[2:]
	case len(d) == 10 && d[0] == '0':
		return "33" + d[1:]
	}
	return d
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
