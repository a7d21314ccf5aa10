package i18n

import (
	"regexp"
	"slices"
	"testing"
	"testing/fstest"
)

func TestEveryLanguageHasTheSameKeysAndPlaceholders(t *testing.T) {
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(b.Languages(), []string{"en", "fr"}) {
		t.Fatalf("languages %v, want en and fr", b.Languages())
	}
	ph := regexp.MustCompile(`\{[a-z_]+\}`)
	en := b.Keys("en")
	for _, lang := range b.Languages() {
		if !slices.Equal(b.Keys(lang), en) {
			t.Errorf("%s.json keys differ from en.json", lang)
		}
		for _, k := range en {
			a := ph.FindAllString(b.msgs["en"][k], -1)
			c := ph.FindAllString(b.msgs[lang][k], -1)
			slices.Sort(a)
			slices.Sort(c)
			if !slices.Equal(a, c) {
				t.Errorf("%s %q: placeholders %v, en has %v", lang, k, c, a)
			}
			if b.msgs[lang][k] == "" {
				t.Errorf("%s %q is empty", lang, k)
			}
		}
	}
}

func TestTranslateFillsPlaceholdersAndPlurals(t *testing.T) {
	b, err := LoadFS(fstest.MapFS{
		"en.json": {Data: []byte(`{"tries_one": "{count} try left", "tries_other": "{count} tries left", "hi": "Hello {name}", "rows": "{n} rows, invoice {number}, contact {id}", "format.group": ","}`)},
		"fr.json": {Data: []byte(`{"tries_one": "{count} essai restant", "tries_other": "{count} essais restants", "format.plural_one": "0 1", "format.group": "\u202f"}`)},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		lang, key string
		params    map[string]any
		want      string
	}{
		{"en", "hi", map[string]any{"name": "Hélène"}, "Hello Hélène"},
		{"fr", "hi", map[string]any{"name": "Hélène"}, "Hello Hélène"}, // falls back to English
		{"en", "tries", map[string]any{"count": 1}, "1 try left"},
		{"en", "tries", map[string]any{"count": 0}, "0 tries left"},
		{"fr", "tries", map[string]any{"count": 0}, "0 essai restant"},
		{"fr", "tries", map[string]any{"count": 3}, "3 essais restants"},
		// Counts are grouped as the language groups thousands; other
		// numbers (ids, invoice numbers) are not.
		{"en", "tries", map[string]any{"count": 12345}, "12,345 tries left"},
		{"fr", "tries", map[string]any{"count": int64(12345)}, "12\u202f345 essais restants"},
		{"en", "rows", map[string]any{"n": 1234, "number": 20261234, "id": 12345}, "1,234 rows, invoice 20261234, contact 12345"},
		{"en", "rows", map[string]any{"n": "1.5", "number": "F-2026-1234", "id": int64(7)}, "1.5 rows, invoice F-2026-1234, contact 7"},
		{"en", "missing.key", nil, "missing.key"},
		{"en", "hi", map[string]any{}, "Hello {name}"},
	} {
		if got := b.T(tc.lang, tc.key, tc.params); got != tc.want {
			t.Errorf("T(%s, %s, %v) = %q, want %q", tc.lang, tc.key, tc.params, got, tc.want)
		}
	}
	if got := b.Pick("fr_FR.UTF-8"); got != "fr" {
		t.Errorf("Pick(fr_FR.UTF-8) = %s", got)
	}
	if got := b.Pick("de_DE"); got != Fallback {
		t.Errorf("Pick(de_DE) = %s", got)
	}
}
