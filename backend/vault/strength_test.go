package vault

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestEstimateRefusesGuessablePassphrases(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    string
		want Weakness
		hint Hint
	}{
		{"one character repeated", "aaaaaaaaaa", WeakRepeat, HintWords},
		{"one accented character repeated", "éééééééééé", WeakRepeat, HintWords},
		{"an English common password with digits", "password12", WeakCommon, HintWords},
		{"a French common password with digits", "motdepasse123", WeakCommonPlus, HintWords},
		{"the French keyboard's top row", "azertyuiop", WeakCommon, HintWords},
		{"an English keyboard walk", "zxcvbnm,./", WeakKeyboard, HintWords},
		{"a French word, a year and a symbol", "soleil2024!", WeakWordPlus, HintWords},
		{"a French compound first name and a year", "jean-pierre1975", WeakNamePlus, HintWords},
		{"the same without the hyphen", "jeanpierre1975", WeakNamePlus, HintWords},
		{"a French surname and a year", "Dupont2023", WeakNamePlus, HintWords},
		{"digits in a row", "123456789012", WeakCommon, HintWords},
		{"the alphabet", "abcdefghijkl", WeakSequence, HintWords},
		{"a date", "01/02/1985abc", WeakDate, HintDate},
		{"two French words", "lundi matin", WeakFewWords, HintWords},
		{"a French password only the French list has", "chouchou2000", WeakCommonPlus, HintWords},
		{"an English password in l33t", "P@ssw0rd2024", WeakCommonPlus, HintLeet},
		{"a French password in l33t", "m0td3p4ss3!!", WeakCommonPlus, HintLeet},
		{"an English password reversed", "drowssap1234", WeakCommonPlus, HintReversed},
		{"a French word reversed", "lielos2024", WeakWordPlus, HintReversed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := EstimatePassphrase(tc.p)
			if e.Acceptable() || e.Score != 1 || e.Guesses >= MinPassphraseGuesses {
				t.Fatalf("EstimatePassphrase(%q) = %+v, want refused with score 1", tc.p, e)
			}
			if e.Weakness != tc.want || e.Hint != tc.hint {
				t.Errorf("EstimatePassphrase(%q): weakness %q, hint %q; want %q, %q", tc.p, e.Weakness, e.Hint, tc.want, tc.hint)
			}
			var we *WeakPassphraseError
			if err := CheckPassphrase(tc.p); !errors.Is(err, ErrPassphraseWeak) || !errors.As(err, &we) || we.Weakness != tc.want {
				t.Errorf("CheckPassphrase(%q) = %v, want a WeakPassphraseError for %q", tc.p, err, tc.want)
			}
		})
	}
}

func TestEstimateAcceptsStrongPassphrases(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    string
	}{
		{"four random English words", "correct horse battery staple"},
		{"four random French words", "plume orage citron balcon"},
		{"four random French words with an accent", "violette bleue âne sage"},
		{"French words, punctuation and a year", "Ormeau vif, glacier pourpre 1987"},
		{"twelve random characters", "xK9#mQ2$vL7p"},
		{"a French sentence of one's own", "Amélie Poulain 2001"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := EstimatePassphrase(tc.p)
			if !e.Acceptable() || e.Guesses < MinPassphraseGuesses || e.Score < 2 {
				t.Fatalf("EstimatePassphrase(%q) = %+v, want acceptable", tc.p, e)
			}
			if err := CheckPassphrase(tc.p); err != nil {
				t.Errorf("CheckPassphrase(%q) = %v", tc.p, err)
			}
		})
	}
}

func TestEstimateKeepsTheLengthRule(t *testing.T) {
	// Nine random characters would pass the estimate; the length rule
	// still refuses them.
	for _, p := range []string{"", "short", "xK9#mQ2$v", "ψζξωθφχλμ"} {
		if e := EstimatePassphrase(p); e.Score != 0 || e.Weakness != WeakTooShort || e.Hint != HintLength {
			t.Errorf("EstimatePassphrase(%q) = %+v, want too short", p, e)
		}
		if err := CheckPassphrase(p); !errors.Is(err, ErrPassphraseTooShort) {
			t.Errorf("CheckPassphrase(%q) = %v, want ErrPassphraseTooShort", p, err)
		}
	}
}

func TestEstimateScoresRiseWithGuesses(t *testing.T) {
	for _, tc := range []struct {
		p    string
		want int
	}{
		{"motdepasse1", 1},
		{"ψζξωθφχλμπ", 2},                // ten random characters: 10^10
		{"xK9#mQ2$vL7p", 3},              // twelve: 10^12
		{"plume orage citron balcon", 4}, // four words
		{"Ormeau vif, glacier pourpre 1987", 4},
	} {
		if got := EstimatePassphrase(tc.p).Score; got != tc.want {
			t.Errorf("score of %q = %d, want %d", tc.p, got, tc.want)
		}
	}
}

func TestEstimateLooksAtTheFirst64Characters(t *testing.T) {
	weak := strings.Repeat("a", 500)
	if e := EstimatePassphrase(weak); e.Acceptable() {
		t.Fatalf("500 times the same letter accepted: %+v", e)
	}
	strong := "Ormeau vif, glacier pourpre 1987 " + strings.Repeat("a", 500)
	if e := EstimatePassphrase(strong); !e.Acceptable() {
		t.Fatalf("a strong start followed by padding refused: %+v", e)
	}
}

func TestSettingAPassphraseRefusesWeakOnes(t *testing.T) {
	ctx := context.Background()
	v := openTest(t, t.TempDir())
	if _, err := v.Create(ctx, "motdepasse123"); !errors.Is(err, ErrPassphraseWeak) {
		t.Fatalf("Create with a common password: %v, want ErrPassphraseWeak", err)
	}
	if st := v.Status(); st.State != StateAbsent {
		t.Fatalf("a refused Create left state %s", st.State)
	}
	code, err := v.Create(ctx, pass)
	if err != nil {
		t.Fatal(err)
	}
	if err := v.ChangePassphrase(ctx, pass, "soleil2024!"); !errors.Is(err, ErrPassphraseWeak) {
		t.Fatalf("ChangePassphrase to a weak one: %v, want ErrPassphraseWeak", err)
	}
	v.Lock()
	if err := v.Unlock(ctx, "soleil2024!"); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("the refused passphrase opens the vault: %v", err)
	}
	if err := v.UnlockWithRecovery(ctx, code); err != nil {
		t.Fatal(err)
	}
	if err := v.SetNewPassphrase(ctx, "jean-pierre1975"); !errors.Is(err, ErrPassphraseWeak) {
		t.Fatalf("SetNewPassphrase to a weak one: %v, want ErrPassphraseWeak", err)
	}
	if !v.Status().MustChangePassphrase {
		t.Fatal("a refused new passphrase ended the recovery")
	}
	if err := v.SetNewPassphrase(ctx, "Ormeau vif, glacier pourpre 1987"); err != nil {
		t.Fatal(err)
	}
}

func TestFoldAccents(t *testing.T) {
	for in, want := range map[string]string{
		"Été à l’œil": "Ete a l'oeil",
		"plain ascii": "plain ascii",
		"ÇA DÉBORDE":  "CA DEBORDE",
		"ψζξ":         "ψζξ",
	} {
		if got := foldAccents(in); got != want {
			t.Errorf("foldAccents(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzEstimatePassphrase: any input, however malformed, gets an estimate
// without a panic, and the estimate agrees with CheckPassphrase.
func FuzzEstimatePassphrase(f *testing.F) {
	for _, s := range []string{"aaaaaaaaaa", "P@ssw0rd2024", "jean-pierre1975", "Été 2019 ÉTÉ", "ψζξωθφχλμπ", "\xff\xfe1234567890", "1|7|1|7|1|7|!@$"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		e := EstimatePassphrase(p)
		err := CheckPassphrase(p)
		if e.Acceptable() != (err == nil) {
			t.Fatalf("%q: estimate %+v but CheckPassphrase %v", p, e, err)
		}
		if utf8.RuneCountInString(p) >= MinPassphraseLen && e.Score == 0 {
			t.Fatalf("%q: long enough but score 0", p)
		}
	})
}

// BenchmarkEstimatePassphrase: the strength meter calls the estimator on
// each key press, so it must stay well under a frame (16 ms).
func BenchmarkEstimatePassphrase(b *testing.B) {
	EstimatePassphrase("warm up the word lists")
	for _, p := range []string{
		"motdepasse123",
		"Ormeau vif, glacier pourpre 1987",
		strings.Repeat("Ormeau vif, glacier pourpre 1987 ", 2)[:64],
		strings.Repeat("Ormeau vif, glacier pourpre 1987 ", 4)[:100],
		// The worst case: every look-alike character zxcvbn knows.
		strings.Repeat("4@({[<31!|0$5+7%2 ", 4)[:64],
	} {
		b.Run(strings.Fields(p)[0]+"-"+strconv.Itoa(len(p)), func(b *testing.B) {
			for b.Loop() {
				EstimatePassphrase(p)
			}
		})
	}
}

// The app's name is the first word an attacker tries against a Carnet key
// file: zxcvbn gets it (and its meaning) as user inputs, ranked first.
func TestEstimateKnowsTheAppsName(t *testing.T) {
	for _, p := range []string{"Carnet Carnet Carnet", "CarnetCarnetCarnet", "Carnet 2024!", "notebook notebook"} {
		if err := CheckPassphrase(p); !errors.Is(err, ErrPassphraseWeak) {
			t.Errorf("%q accepted (%v)", p, err)
		}
	}
	// A passphrase that merely contains it can still be strong.
	if err := CheckPassphrase("Mon carnet d’ormeau vif, 1987"); err != nil {
		t.Errorf("a strong passphrase with the app's name refused: %v", err)
	}
}
