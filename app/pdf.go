package app

import (
	"bytes"
	"context"

	"carnet/backend/i18n"
	"carnet/backend/pdf"
	"carnet/backend/sales"
)

// DocumentPDF renders a quote, invoice or credit note with the logo it was
// issued with (or the current one, for a draft).
func DocumentPDF(ctx context.Context, st *sales.Store, b *i18n.Bundle, lang string, d *sales.Document) ([]byte, error) {
	hash := d.Seller.Logo
	if d.IssuedAt == "" && d.Number == "" {
		if p, err := st.Profile(ctx); err == nil {
			hash = p.Logo
			d.Seller = *p
		}
	}
	var logo *pdf.Logo
	if data, mime, err := st.Logo(ctx, hash); err == nil && len(data) > 0 {
		logo = &pdf.Logo{Data: data, MIME: mime}
	}
	var buf bytes.Buffer
	if err := pdf.New(b, lang).Document(&buf, d, logo); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
