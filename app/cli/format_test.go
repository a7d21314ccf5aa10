package cli

import (
	"regexp"
	"strings"
	"testing"
)

// Amounts printed for people follow the user's language (issue 17), as
// the window and the PDFs do; --json keeps cents for scripts.
func TestSalesListWritesAmountsInTheUsersLanguage(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"CARNET_PASSPHRASE": "first passphrase", "LANG": "fr_FR.UTF-8"}
	if r := run(t, env, "--data-dir", dir, "init"); r.code != ExitOK {
		t.Fatalf("init: %+v", r)
	}
	if r := run(t, env, "--data-dir", dir, "--json", "demo", "--contacts", "20", "--seed", "3"); r.code != ExitOK {
		t.Fatalf("demo: %+v", r)
	}
	for _, tc := range []struct {
		lang string
		want *regexp.Regexp
	}{
		{"fr_FR.UTF-8", regexp.MustCompile(`\d,\d\d\x{a0}€$`)},
		{"C", regexp.MustCompile(`€[\d,]+\.\d\d$`)},
	} {
		env["LANG"] = tc.lang
		r := run(t, env, "--data-dir", dir, "sales", "list", "--kind", "invoice")
		lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
		if r.code != ExitOK || len(lines) < 2 {
			t.Fatalf("%s: sales list: %+v", tc.lang, r)
		}
		for _, l := range lines {
			if l = strings.TrimSpace(l); !tc.want.MatchString(l) {
				t.Errorf("%s: %q does not end with an amount like %s", tc.lang, l, tc.want)
			}
		}
	}
}
