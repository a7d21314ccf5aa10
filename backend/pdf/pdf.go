// Package pdf renders quotes, invoices and credit notes (and later the
// privacy reports) as PDF, in French or English, from the shared
// translation files. Fonts are embedded TrueType (Liberation Sans, SIL
// Open Font License, fonts/LICENSE) so every EU name, Greek and the € sign
// print. It is about half the size of DejaVu Sans, which halves the time
// spent parsing and subsetting it for each document.
package pdf

import (
	"embed"
	"time"

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
	i18n   *i18n.Bundle
	lang   string
	format *i18n.Format
}

// New returns a renderer writing in lang ("fr" or "en").
func New(b *i18n.Bundle, lang string) *Renderer {
	if !b.Has(lang) {
		lang = "fr"
	}
	return &Renderer{i18n: b, lang: lang, format: b.Format(lang)}
}

func (r *Renderer) t(key string, params map[string]any) string { return r.i18n.T(r.lang, key, params) }

// currency is the currency of every amount Carnet stores.
const currency = "EUR"

// money writes cents the way the language does: "1 234,56 €" or "€1,234.56".
func (r *Renderer) money(cents int64) string { return r.format.Money(cents, currency) }

// rate writes basis points as a percentage: 2000 → "20 %", 550 → "5,5 %".
func (r *Renderer) rate(bp int64) string { return r.format.Percent(bp) }

// qty writes thousandths: 1500 → "1,5".
func (r *Renderer) qty(th int64) string { return r.format.Decimal(th, 3) }

// date writes a YYYY-MM-DD day as 28/11/2026 (fr) or 28 Nov 2026 (en);
// anything else prints as stored.
func (r *Renderer) date(iso string) string {
	d, err := time.Parse(time.DateOnly, iso)
	if err != nil {
		return iso
	}
	return r.format.Date(d)
}
