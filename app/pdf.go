package app

import (
	"bytes"
	"context"

	"carnet/backend/i18n"
	"carnet/backend/pdf"
	"carnet/backend/sales"
)

// DocumentPDF renders a quote, invoice or credit note as printed: issued
// documents as frozen (with the logo they were issued with), quotes and
// drafts with the current profile and customer.
func DocumentPDF(ctx context.Context, st *sales.Store, b *i18n.Bundle, lang string, id int64) ([]byte, error) {
	d, err := st.Printable(ctx, id)
	if err != nil {
		return nil, err
	}
	var logo *pdf.Logo
	if data, mime, err := st.Logo(ctx, d.Seller.Logo); err == nil && len(data) > 0 {
		logo = &pdf.Logo{Data: data, MIME: mime}
	}
	var buf bytes.Buffer
	if err := pdf.New(b, lang).Document(&buf, d, logo); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
