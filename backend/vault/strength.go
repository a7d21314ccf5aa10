package vault

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Strength rates a passphrase from 0 (refused: too short) to 4 (strong) for
// the hint shown while typing. It is a rough entropy estimate that punishes
// the usual weaknesses (one repeated character, runs like "abcd" or "1234",
// a single character class); it is advice, not a rule beyond the length.
func Strength(p string) int {
	if CheckPassphrase(p) != nil {
		return 0
	}
	var lower, upper, digit, other bool
	distinct := map[rune]bool{}
	runs := 0
	prev := rune(-1)
	for _, r := range p {
		switch {
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsDigit(r):
			digit = true
		default:
			other = true
		}
		if d := r - prev; d == 0 || d == 1 || d == -1 {
			runs++
		}
		distinct[r] = true
		prev = r
	}
	pool := 0
	for _, c := range []struct {
		has  bool
		size int
	}{{lower, 26}, {upper, 26}, {digit, 10}, {other, 33}} {
		if c.has {
			pool += c.size
		}
	}
	n := utf8.RuneCountInString(p)
	// Characters that continue a run or repeat add little.
	effective := float64(n-runs) + 0.25*float64(runs)
	if len(distinct) < n/3 {
		effective = float64(len(distinct)) * 1.5
	}
	bits := effective * math.Log2(float64(max(pool, 2)))
	if common(p) {
		bits = min(bits, 30)
	}
	switch {
	case bits < 45:
		return 1
	case bits < 70:
		return 2
	case bits < 95:
		return 3
	default:
		return 4
	}
}

// common catches the passphrases every attacker tries first.
func common(p string) bool {
	l := strings.ToLower(p)
	for _, w := range []string{"password", "motdepasse", "azerty", "qwerty", "123456", "carnet", "soleil", "bonjour", "letmein", "admin"} {
		if strings.Contains(l, w) && len(l) < len(w)+8 {
			return true
		}
	}
	return false
}
