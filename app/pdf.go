package app

import (
	"context"

	"carnet/backend/i18n"
	"carnet/backend/pdf"
	"carnet/backend/sales"
)

// DocumentPDF renders a quote, invoice or credit note as printed.
func DocumentPDF(ctx context.Context, st *sales.Store, b *i18n.Bundle, lang string, id int64) ([]byte, error) {
	return pdf.New(b, lang).Stored(ctx, st, id)
}
