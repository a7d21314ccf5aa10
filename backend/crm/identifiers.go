package crm

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Errors for company identifiers.
var (
	ErrInvalidSIREN  = errors.New("crm: invalid SIREN")
	ErrInvalidSIRET  = errors.New("crm: invalid SIRET")
	ErrSIRETNotSIREN = errors.New("crm: SIRET does not start with the SIREN")
	ErrInvalidVAT    = errors.New("crm: invalid VAT number")
)

func digitsOnly(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '.' || r == '-' || r == '\u00a0' {
			return -1
		}
		return r
	}, s)
}

// luhn reports whether the digit string passes the Luhn check.
func luhn(s string) bool {
	sum := 0
	for i := range len(s) {
		d := int(s[len(s)-1-i] - '0')
		if d < 0 || d > 9 {
			return false
		}
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// NormalizeSIREN checks a SIREN (9 digits, Luhn) and returns it without
// spaces; "" stays "".
func NormalizeSIREN(s string) (string, error) {
	s = digitsOnly(s)
	if s == "" {
		return "", nil
	}
	if len(s) != 9 || !luhn(s) {
		return "", ErrInvalidSIREN
	}
	return s, nil
}

// laPoste's establishments share one SIREN and use another rule for SIRET.
const laPosteSIREN = "356000000"

// NormalizeSIRET checks a SIRET (14 digits, Luhn; La Poste's follow their
// own sum rule) and returns it without spaces.
func NormalizeSIRET(s string) (string, error) {
	s = digitsOnly(s)
	if s == "" {
		return "", nil
	}
	if len(s) != 14 {
		return "", ErrInvalidSIRET
	}
	if s[:9] == laPosteSIREN {
		sum := 0
		for _, c := range s {
			if c < '0' || c > '9' {
				return "", ErrInvalidSIRET
			}
			sum += int(c - '0')
		}
		if sum%5 != 0 {
			return "", ErrInvalidSIRET
		}
		return s, nil
	}
	if !luhn(s) || !luhn(s[:9]) {
		return "", ErrInvalidSIRET
	}
	return s, nil
}

// vatFormats are the EU VAT number shapes after the country prefix.
var vatFormats = map[string]*regexp.Regexp{
	"AT": regexp.MustCompile(`^U\d{8}$`),
	"BE": regexp.MustCompile(`^[01]\d{9}$`),
	"BG": regexp.MustCompile(`^\d{9,10}$`),
	"CY": regexp.MustCompile(`^\d{8}[A-Z]$`),
	"CZ": regexp.MustCompile(`^\d{8,10}$`),
	"DE": regexp.MustCompile(`^\d{9}$`),
	"DK": regexp.MustCompile(`^\d{8}$`),
	"EE": regexp.MustCompile(`^\d{9}$`),
	"EL": regexp.MustCompile(`^\d{9}$`),
	"ES": regexp.MustCompile(`^[A-Z0-9]\d{7}[A-Z0-9]$`),
	"FI": regexp.MustCompile(`^\d{8}$`),
	"FR": regexp.MustCompile(`^[A-HJ-NP-Z0-9]{2}\d{9}$`),
	"HR": regexp.MustCompile(`^\d{11}$`),
	"HU": regexp.MustCompile(`^\d{8}$`),
	"IE": regexp.MustCompile(`^(\d{7}[A-W][A-I]?|\d[A-Z+*]\d{5}[A-W])$`),
	"IT": regexp.MustCompile(`^\d{11}$`),
	"LT": regexp.MustCompile(`^(\d{9}|\d{12})$`),
	"LU": regexp.MustCompile(`^\d{8}$`),
	"LV": regexp.MustCompile(`^\d{11}$`),
	"MT": regexp.MustCompile(`^\d{8}$`),
	"NL": regexp.MustCompile(`^\d{9}B\d{2}$`),
	"PL": regexp.MustCompile(`^\d{10}$`),
	"PT": regexp.MustCompile(`^\d{9}$`),
	"RO": regexp.MustCompile(`^\d{2,10}$`),
	"SE": regexp.MustCompile(`^\d{10}01$`),
	"SI": regexp.MustCompile(`^\d{8}$`),
	"SK": regexp.MustCompile(`^\d{10}$`),
	"XI": regexp.MustCompile(`^(\d{9}|\d{12}|GD\d{3}|HA\d{3})$`),
}

// NormalizeVAT checks the format of an EU VAT number (country prefix and
// shape; for France also the key computed from the SIREN) and returns it
// upper-case without spaces. It cannot tell whether the number is
// registered: that needs the VIES service, and Carnet works offline.
func NormalizeVAT(s string) (string, error) {
	s = strings.ToUpper(digitsOnly(s))
	if s == "" {
		return "", nil
	}
	if len(s) < 4 {
		return "", ErrInvalidVAT
	}
	country, rest := s[:2], s[2:]
	if country == "GR" {
		country = "EL"
	}
	re, ok := vatFormats[country]
	if !ok || !re.MatchString(rest) {
		return "", ErrInvalidVAT
	}
	if country == "FR" {
		if _, err := NormalizeSIREN(rest[2:]); err != nil {
			return "", fmt.Errorf("%w: the last nine digits are not a SIREN", ErrInvalidVAT)
		}
		if key, err := strconv.Atoi(rest[:2]); err == nil {
			siren, _ := strconv.Atoi(rest[2:])
			if key != (12+3*(siren%97))%97 {
				return "", fmt.Errorf("%w: wrong key for this SIREN", ErrInvalidVAT)
			}
		}
	}
	return country + rest, nil
}

// FrenchVAT returns the intra-community VAT number of a French SIREN.
func FrenchVAT(siren string) string {
	n, _ := strconv.Atoi(siren)
	return fmt.Sprintf("FR%02d%s", (12+3*(n%97))%97, siren)
}
