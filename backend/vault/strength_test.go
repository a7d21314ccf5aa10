package vault

import "testing"

func TestStrength(t *testing.T) {
	for _, tc := range []struct {
		p    string
		want int
	}{
		{"short", 0},
		{"aaaaaaaaaaaa", 1},
		{"1234567890", 1},
		{"motdepasse1", 1},
		{"tulipe-rouge", 2},
		{"Tulipe rouge", 3},
		{"cheval agrafe correct batterie", 4},
	} {
		if got := Strength(tc.p); got != tc.want {
			t.Errorf("Strength(%q) = %d, want %d", tc.p, got, tc.want)
		}
	}
}
