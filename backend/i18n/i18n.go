// Package i18n reads the translation files shared with the frontend
// (frontend/src/locales/*.json) for text that Go renders itself.
//
// Keys are flat ("vault.unlock.title"). A message may hold {name}
// placeholders. For counts, a key may have "_one" and "_other" forms,
// chosen by the language's plural rule. Numbers, money and dates are
// written by Format, from the format.* keys of the same files.
package i18n

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strings"

	"carnet/frontend/src/locales"
)

// Fallback is the language used when a key or a language is missing.
const Fallback = "en"

// Bundle holds every language's messages.
type Bundle struct {
	msgs    map[string]map[string]string
	formats map[string]*Format
}

// Load reads the embedded translation files.
func Load() (*Bundle, error) {
	return LoadFS(locales.FS)
}

// LoadFS reads <lang>.json files from fsys.
func LoadFS(fsys fs.FS) (*Bundle, error) {
	names, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return nil, fmt.Errorf("i18n: %w", err)
	}
	b := &Bundle{msgs: map[string]map[string]string{}}
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("i18n: read %s: %w", name, err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, fmt.Errorf("i18n: parse %s: %w", name, err)
		}
		b.msgs[strings.TrimSuffix(name, ".json")] = m
	}
	if _, ok := b.msgs[Fallback]; !ok {
		return nil, fmt.Errorf("i18n: no %s.json", Fallback)
	}
	b.formats = map[string]*Format{}
	for lang := range b.msgs {
		if b.formats[lang], err = b.buildFormat(lang); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// Languages lists the available languages, sorted.
func (b *Bundle) Languages() []string {
	var ls []string
	for l := range b.msgs {
		ls = append(ls, l)
	}
	sort.Strings(ls)
	return ls
}

// Has reports whether lang is available.
func (b *Bundle) Has(lang string) bool {
	_, ok := b.msgs[lang]
	return ok
}

// Keys returns the sorted keys of lang.
func (b *Bundle) Keys(lang string) []string {
	var ks []string
	for k := range b.msgs[lang] {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// T translates key into lang, filling {name} placeholders from params.
// A missing key yields the key itself, so a gap shows rather than hides.
func (b *Bundle) T(lang, key string, params map[string]any) string {
	if n, ok := params["count"]; ok {
		form := "_other"
		if b.pluralOne(lang, n) {
			form = "_one"
		}
		if msg, ok := b.lookup(lang, key+form); ok {
			return fill(msg, params, b.Format(lang))
		}
	}
	msg, ok := b.lookup(lang, key)
	if !ok {
		return key
	}
	return fill(msg, params, b.Format(lang))
}

func (b *Bundle) lookup(lang, key string) (string, bool) {
	if msg, ok := b.msgs[lang][key]; ok {
		return msg, true
	}
	msg, ok := b.msgs[Fallback][key]
	return msg, ok
}

// pluralOne reports whether the count n takes the "_one" form in lang.
func (b *Bundle) pluralOne(lang string, n any) bool {
	var v int64
	switch x := n.(type) {
	case int:
		v = int64(x)
	case int64:
		v = x
	case float64:
		v = int64(x)
	default:
		return false
	}
	return b.Format(lang).One(v)
}

// counted are the parameters that hold a quantity, written with the
// language's thousands separator ("12 345 entrées"). Only these: other
// numbers (ids, years, invoice numbers) must print as they are.
var counted = map[string]bool{"count": true, "n": true}

// fill replaces the {name} placeholders of msg; f writes the counts.
func fill(msg string, params map[string]any, f *Format) string {
	if len(params) == 0 || !strings.Contains(msg, "{") {
		return msg
	}
	var sb strings.Builder
	for {
		i := strings.IndexByte(msg, '{')
		if i < 0 {
			break
		}
		j := strings.IndexByte(msg[i:], '}')
		if j < 0 {
			break
		}
		name := msg[i+1 : i+j]
		sb.WriteString(msg[:i])
		if v, ok := params[name]; ok {
			if n, isInt := integer(v); isInt && counted[name] {
				sb.WriteString(f.Int(n))
			} else {
				fmt.Fprint(&sb, v)
			}
		} else {
			sb.WriteString(msg[i : i+j+1])
		}
		msg = msg[i+j+1:]
	}
	sb.WriteString(msg)
	return sb.String()
}

// integer returns v as an int64 when it is a Go integer.
func integer(v any) (int64, bool) {
	switch x := v.(type) {
	case int:
		return int64(x), true
	case int32:
		return int64(x), true
	case int64:
		return x, true
	case uint32:
		return int64(x), true
	}
	return 0, false
}

// Pick returns the best available language for a POSIX locale string such
// as "fr_FR.UTF-8", or Fallback.
func (b *Bundle) Pick(locale string) string {
	l := strings.ToLower(locale)
	if i := strings.IndexAny(l, "_.-@"); i >= 0 {
		l = l[:i]
	}
	if b.Has(l) {
		return l
	}
	return Fallback
}

// FromEnv picks the language from the environment: CARNET_LANG, else the
// POSIX locale variables in their order of precedence.
func (b *Bundle) FromEnv(getenv func(string) string) string {
	for _, v := range []string{"CARNET_LANG", "LC_ALL", "LC_MESSAGES", "LANG"} {
		if l := getenv(v); l != "" {
			return b.Pick(l)
		}
	}
	return Fallback
}
