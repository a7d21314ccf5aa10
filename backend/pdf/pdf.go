// Package pdf renders quotes, invoices and credit notes (and later the
// privacy reports) as PDF, in French or English, from the shared
// translation files. Fonts are embedded TrueType (Liberation Sans, SIL
// Open Font License, fonts/LICENSE) so every EU name, Greek and the € sign
// print. It is about half the size of DejaVu Sans, which halves the time
// spent parsing and subsetting it for each document.
package pdf

import (
	"embed"
	"fmt"
	"strings"

	"carnet/backend/i18n"
)

//go:embed fonts/LiberationSans-Regular.ttf fonts/LiberationSans-Bold.ttf
var fonts embed.FS

var regular, bold = mustRead("fonts/LiberationSans-Regular.ttf"), mustRead("fonts/LiberationSans-Bold.ttf")

func mustRead(name string) []byte {
	b, err := fonts.ReadFile(name)
	if err != nil {
		panic(err) // embedded at build time: cannot happen
	}
	return b
}

// Renderer turns documents into PDF in a language.
type Renderer struct {
	i18n *i18n.Bundle
	lang string
}

// New returns a renderer writing in lang ("fr" or "en").
func New(b *i18n.Bundle, lang string) *Renderer {
	if !b.Has(lang) {
		lang = "fr"
	}
	return &Renderer{i18n: b, lang: lang}
}

func (r *Renderer) t(key string, params map[string]any) string { return r.i18n.T(r.lang, key, params) }

// money writes cents the way the language does: "1 234,56 €" or "€1,234.56".
func (r *Renderer) money(cents int64) string {
	neg := cents < 0
	if neg {
		cents = -cents
	}
	whole, frac := cents/100, cents%100
	digits := fmt.Sprint(whole)
	sep, dec := "\u202f", ","
	if r.lang == "en" {
		sep, dec = ",", "."
	}
	var b strings.Builder
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	s := fmt.Sprintf("%s%s%02d", b.String(), dec, frac)
	if r.lang == "en" {
		s = "€" + s
	} else {
		s += "\u00a0€"
	}
	if neg {
		s = "-" + s
	}
	return s
}

// rate writes basis points as a percentage: 2000 → "20 %", 550 → "5,5 %".
func (r *Renderer) rate(bp int64) string {
	s := fmt.Sprintf("%d", bp/100)
	if bp%100 != 0 {
		frac := strings.TrimRight(fmt.Sprintf("%02d", bp%100), "0")
		if r.lang == "en" {
			s += "." + frac
		} else {
			s += "," + frac
		}
	}
	if r.lang == "en" {
		return s + "%"
	}
	return s + "\u00a0%"
}

// qty writes thousandths: 1500 → "1,5".
func (r *Renderer) qty(th int64) string {
	s := fmt.Sprint(th / 1000)
	if th%1000 != 0 {
		frac := strings.TrimRight(fmt.Sprintf("%03d", th%1000), "0")
		if r.lang == "en" {
			s += "." + frac
		} else {
			s += "," + frac
		}
	}
	return s
}

// date writes YYYY-MM-DD as 28/11/2026 (fr) or 28 Nov 2026 (en).
func (r *Renderer) date(iso string) string {
	if len(iso) != 10 {
		return iso
	}
	if r.lang == "en" {
		months := []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
		m := int(iso[5]-'0')*10 + int(iso[6]-'0')
		if m >= 1 && m <= 12 {
			return fmt.Sprintf("%s %s %s", strings.TrimPrefix(iso[8:], "0"), months[m-1], iso[:4])
		}
	}
	return iso[8:] + "/" + iso[5:7] + "/" + iso[:4]
}
