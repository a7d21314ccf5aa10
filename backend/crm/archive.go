package crm

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// ErrArchived: the contact is in the intermediate archive. It is a kind of
// ErrRestricted (access to an archive is restricted, as the CNIL describes
// "archivage intermédiaire"), so everything that refuses a restricted
// contact (edits, mail, quotes, merges, exports) refuses an archived one.
var ErrArchived = fmt.Errorf("%w: the contact is archived", ErrRestricted)

// Archive is why and since when a contact is in the intermediate archive.
type Archive struct {
	Reason string `json:"reason"`
	Since  string `json:"since"` // RFC 3339
}

// ArchiveContactTx moves a contact to the intermediate archive in the
// caller's transaction: its active retention period is over but a legal
// need (evidence, a limitation period) requires keeping it a while. It is
// sealed: read-only, out of every list but the archive's, out of search,
// mail and exports. Archiving an archived contact updates the reason and
// keeps the first date.
func ArchiveContactTx(ctx context.Context, tx *sql.Tx, id int64, reason string, now time.Time) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return ErrNoReason
	}
	const q = `UPDATE contacts SET archived_at = coalesce(archived_at, ?), archive_reason = ?
		WHERE id = ? AND deleted_at IS NULL`
	res, err := tx.ExecContext(ctx, q, stamp(now), reason, id)
	if err != nil {
		return fmt.Errorf("crm: archive %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return reindexContact(ctx, tx, id)
}

// UnarchiveContactTx brings an archived contact back among the active ones.
func UnarchiveContactTx(ctx context.Context, tx *sql.Tx, id int64) error {
	const q = `UPDATE contacts SET archived_at = NULL, archive_reason = '' WHERE id = ? AND archived_at IS NOT NULL`
	res, err := tx.ExecContext(ctx, q, id)
	if err != nil {
		return fmt.Errorf("crm: unarchive %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return reindexContact(ctx, tx, id)
}

// Archive moves a contact to the intermediate archive (see ArchiveContactTx).
func (s *Store) Archive(ctx context.Context, id int64, reason string) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		return ArchiveContactTx(ctx, tx, id, reason, s.now())
	})
}

// Unarchive brings an archived contact back.
func (s *Store) Unarchive(ctx context.Context, id int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		return UnarchiveContactTx(ctx, tx, id)
	})
}
