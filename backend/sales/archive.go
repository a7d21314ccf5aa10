package sales

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"carnet/backend/txn"
)

// ArchivedPDF returns the PDF an issued document was first printed as, if
// it was kept.
func (s *Store) ArchivedPDF(ctx context.Context, id int64) ([]byte, bool, error) {
	var data []byte
	err := txn.On(ctx, s.db).QueryRowContext(ctx, `SELECT pdf FROM document_pdfs WHERE document_id = ?`, id).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("sales: archived PDF of %d: %w", id, err)
	}
	return data, true, nil
}

// ArchivePDF keeps the first printing of an issued invoice or credit note;
// later ones change nothing. Quotes and drafts are not kept.
func (s *Store) ArchivePDF(ctx context.Context, id int64, lang string, data []byte) error {
	const q = `INSERT INTO document_pdfs (document_id, lang, pdf, created_at)
		SELECT id, ?, ?, ? FROM documents WHERE id = ? AND issued_at <> '' AND kind IN ('invoice', 'credit_note')
		ON CONFLICT DO NOTHING`
	if _, err := txn.On(ctx, s.db).ExecContext(ctx, q, lang, data, stamp(s.now()), id); err != nil {
		return fmt.Errorf("sales: archive PDF of %d: %w", id, err)
	}
	return nil
}
