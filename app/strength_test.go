package app

import (
	"slices"
	"strings"
	"testing"

	"carnet/backend/core"
	"carnet/backend/i18n"
	"carnet/backend/vault"
)

// message renders a core.UserError as the frontend's describe() and the command
// line do: each message, then the ones that follow it.
func message(b *i18n.Bundle, lang string, ue *core.UserError) string {
	var parts []string
	for u := ue; u != nil; u = u.Then {
		parts = append(parts, b.T(lang, u.Key, u.Params))
	}
	return strings.Join(parts, " ")
}

func TestAWeakPassphraseIsRefusedWithTheReasonInBothLanguages(t *testing.T) {
	s, _ := start(t)
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	ue := userErr(t, func() error { _, err := s.Vault.Create("motdepasse123"); return err }())
	if ue.Key != "error.passphrase_weak" || ue.Then == nil || ue.Then.Key != "passphrase.weak.common_plus" ||
		ue.Then.Then == nil || ue.Then.Then.Key != "passphrase.suggest.words" {
		t.Fatalf("Create with a common password: %+v", ue)
	}
	for lang, want := range map[string][]string{
		"en": {"This passphrase is too easy to guess.", "common password", "unrelated words"},
		"fr": {"Cette phrase de passe est trop facile à deviner.", "mot de passe courant", "mots sans rapport"},
	} {
		msg := message(b, lang, &ue)
		for _, w := range want {
			if !strings.Contains(msg, w) {
				t.Errorf("%s message %q lacks %q", lang, msg, w)
			}
		}
	}
	if st := s.Vault.status(); st.State != "absent" {
		t.Fatalf("a refused Create left the vault %s", st.State)
	}

	// The same rule for a passphrase change and after a recovery.
	code, err := s.Vault.Create("Ormeau vif, glacier pourpre 1987")
	if err != nil {
		t.Fatal(err)
	}
	ue = userErr(t, s.Vault.ChangePassphrase("Ormeau vif, glacier pourpre 1987", "soleil2024!"))
	if ue.Key != "error.passphrase_weak" || ue.Then.Key != "passphrase.weak.word_plus" {
		t.Fatalf("ChangePassphrase to a weak one: %+v", ue)
	}
	s.Vault.Lock()
	if err := s.Vault.UnlockWithRecovery(code); err != nil {
		t.Fatal(err)
	}
	ue = userErr(t, s.Vault.SetNewPassphrase("jean-pierre1975"))
	if ue.Key != "error.passphrase_weak" || ue.Then.Key != "passphrase.weak.name_plus" {
		t.Fatalf("SetNewPassphrase to a weak one: %+v", ue)
	}
	if en := message(b, "en", &ue); !strings.Contains(en, "A name with a year") {
		t.Errorf("English message %q", en)
	}
	if fr := message(b, "fr", &ue); !strings.Contains(fr, "Un nom suivi d’une année") {
		t.Errorf("French message %q", fr)
	}
}

func TestTheStrengthMeterShowsTheEstimateThatIsEnforced(t *testing.T) {
	s, _ := start(t)
	for _, tc := range []struct {
		p          string
		acceptable bool
		score      int
		warning    string
	}{
		{"short", false, 0, "passphrase.weak.too_short"},
		{"azertyuiop", false, 1, "passphrase.weak.common"},
		{"01/02/1985abc", false, 1, "passphrase.weak.date"},
		{"Ormeau vif, glacier pourpre 1987", true, 4, ""},
	} {
		got, err := s.Vault.PassphraseStrength(tc.p)
		if err != nil {
			t.Fatal(err)
		}
		if got.Acceptable != tc.acceptable || got.Score != tc.score || got.Warning != tc.warning || (got.Suggestion == "") == !tc.acceptable {
			t.Errorf("PassphraseStrength(%q) = %+v", tc.p, got)
		}
		if err := vault.CheckPassphrase(tc.p); (err == nil) != got.Acceptable {
			t.Errorf("%q: meter says acceptable=%v, CheckPassphrase says %v", tc.p, got.Acceptable, err)
		}
	}
}

func TestEveryWeaknessAndHintIsTranslated(t *testing.T) {
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"en", "fr"} {
		keys := b.Keys(lang)
		for _, w := range vault.Weaknesses {
			for _, h := range vault.Hints {
				warning, suggestion := core.WeaknessKeys(w, h)
				for _, k := range []string{warning, suggestion} {
					if !slices.Contains(keys, k) {
						t.Errorf("%s: no message %s", lang, k)
					}
				}
			}
		}
	}
}
