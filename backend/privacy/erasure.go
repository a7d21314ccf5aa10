package privacy

import (
	"context"
	"database/sql"
	"fmt"
)

// ErasedRecords counts what an erasure changed in the privacy tables.
type ErasedRecords struct {
	Evidence int `json:"evidence"` // ledger entries whose evidence was blanked
	Ledger   int `json:"ledger"`   // ledger entries kept as proof, without personal data
	Requests int `json:"requests"` // requests kept without the requester's name
	Audit    int `json:"audit"`    // log entries about the contact (ids only)
}

// EraseContactTx removes, in the caller's transaction, the personal data
// the privacy tables hold about a contact: consent evidence (the ledger
// entries stay: their chain covers the evidence's fingerprint, not the
// evidence) and the requester's name on their requests. The audit log
// holds no personal data and stays as it is.
func EraseContactTx(ctx context.Context, tx *sql.Tx, contactID int64) (ErasedRecords, error) {
	var e ErasedRecords
	const blank = `UPDATE consent_ledger SET evidence = '', evidence_name = '', evidence_file = NULL, evidence_message = NULL
		WHERE contact_id = ? AND (evidence <> '' OR evidence_name <> '' OR evidence_file IS NOT NULL OR evidence_message IS NOT NULL)`
	res, err := tx.ExecContext(ctx, blank, contactID)
	if err != nil {
		return e, fmt.Errorf("privacy: erase evidence of %d: %w", contactID, err)
	}
	n, _ := res.RowsAffected()
	e.Evidence = int(n)
	res, err = tx.ExecContext(ctx, `UPDATE privacy_requests SET requester = '' WHERE contact_id = ?`, contactID)
	if err != nil {
		return e, fmt.Errorf("privacy: erase requests of %d: %w", contactID, err)
	}
	n, _ = res.RowsAffected()
	e.Requests = int(n)
	for _, c := range []struct {
		n *int
		q string
	}{
		{&e.Ledger, `SELECT count(*) FROM consent_ledger WHERE contact_id = ?`},
		{&e.Audit, `SELECT count(*) FROM audit_log WHERE subject_kind = 'contact' AND subject_id = ?`},
	} {
		if err := tx.QueryRowContext(ctx, c.q, contactID).Scan(c.n); err != nil {
			return e, fmt.Errorf("privacy: erase %d: %w", contactID, err)
		}
	}
	return e, nil
}
