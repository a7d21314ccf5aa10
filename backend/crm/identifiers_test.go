package crm

import (
	"errors"
	"testing"
)

func TestCompanyIdentifiers(t *testing.T) {
	for _, tc := range []struct {
		name string
		fn   func(string) (string, error)
		in   string
		want string
		err  error
	}{
		{"SIREN with spaces", NormalizeSIREN, "732 829 320", "732829320", nil},
		{"SIREN failing Luhn", NormalizeSIREN, "732829321", "", ErrInvalidSIREN},
		{"SIREN too short", NormalizeSIREN, "73282932", "", ErrInvalidSIREN},
		{"empty SIREN is allowed", NormalizeSIREN, "", "", nil},
		{"SIRET", NormalizeSIRET, "732 829 320 00074", "73282932000074", nil},
		{"SIRET failing Luhn", NormalizeSIRET, "73282932000075", "", ErrInvalidSIRET},
		{"La Poste SIRET follows its own rule", NormalizeSIRET, "35600000000051", "35600000000051", nil},
		{"French VAT with the right key", NormalizeVAT, "fr 44 732829320", "FR44732829320", nil},
		{"French VAT with a wrong key", NormalizeVAT, "FR45732829320", "", ErrInvalidVAT},
		{"German VAT", NormalizeVAT, "DE 123456789", "DE123456789", nil},
		{"Dutch VAT", NormalizeVAT, "NL123456789B01", "NL123456789B01", nil},
		{"Greek VAT written GR", NormalizeVAT, "GR123456789", "EL123456789", nil},
		{"Belgian VAT too short", NormalizeVAT, "BE12345", "", ErrInvalidVAT},
		{"unknown country", NormalizeVAT, "US123456789", "", ErrInvalidVAT},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.fn(tc.in)
			if got != tc.want || !errors.Is(err, tc.err) {
				t.Fatalf("(%q) = %q, %v; want %q, %v", tc.in, got, err, tc.want, tc.err)
			}
		})
	}
	if v := FrenchVAT("732829320"); v != "FR44732829320" {
		t.Fatalf("FrenchVAT = %s", v)
	}
}

func TestPhoneNormalization(t *testing.T) {
	for in, want := range map[string]string{
		"06 12 34 56 78":       "33612345678",
		"06.12.34.56.78":       "33612345678",
		"+33 6 12 34 56 78":    "33612345678",
		"+33 (0)6 12 34 56 78": "33612345678",
		"0033612345678":        "33612345678",
		"+49 30 1234567":       "49301234567",
		"12":                   "",
		"":                     "",
	} {
		if got := NormalizePhone(in); got != want {
			t.Errorf("NormalizePhone(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Fold("  Hélène   FRANÇOIS-Noël "); got != "helene francois-noel" {
		t.Errorf("Fold = %q", got)
	}
}
