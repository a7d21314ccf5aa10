package crm

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"carnet/backend/privacy/suppress"
)

// checkNotRestricted returns ErrRestricted when the contact's processing is
// restricted, ErrArchived when it is archived: its fields are read-only.
func checkNotRestricted(ctx context.Context, tx queryer, id int64) error {
	var restricted, archived bool
	err := tx.QueryRowContext(ctx, `SELECT restricted_at IS NOT NULL, archived_at IS NOT NULL FROM contacts WHERE id = ?`, id).Scan(&restricted, &archived)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("crm: contact %d: %w", id, err)
	}
	if archived {
		return ErrArchived
	}
	if restricted {
		return ErrRestricted
	}
	return nil
}

// Restrict puts a contact "en sommeil" (Art. 18): kept, but out of lists,
// search, mail, exports and new quotes, and read-only, until lifted by hand
// or until the end date (YYYY-MM-DD, optional).
func (s *Store) Restrict(ctx context.Context, id int64, reason, until string) error {
	reason, until = strings.TrimSpace(reason), strings.TrimSpace(until)
	if reason == "" {
		return ErrNoReason
	}
	if until != "" {
		d, err := time.Parse(time.DateOnly, until)
		if err != nil || !d.After(s.now()) {
			return fmt.Errorf("%w: end of restriction %q must be a later date", ErrInvalidDate, until)
		}
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		const q = `UPDATE contacts SET restricted_at = coalesce(restricted_at, ?), restriction_reason = ?, restricted_until = ?
			WHERE id = ? AND deleted_at IS NULL`
		res, err := tx.ExecContext(ctx, q, stamp(s.now()), reason, until, id)
		if err != nil {
			return fmt.Errorf("crm: restrict %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return reindexContact(ctx, tx, id)
	})
}

// Unrestrict lifts a restriction.
func (s *Store) Unrestrict(ctx context.Context, id int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		return unrestrict(ctx, tx, id)
	})
}

func unrestrict(ctx context.Context, tx queryer, id int64) error {
	const q = `UPDATE contacts SET restricted_at = NULL, restriction_reason = '', restricted_until = ''
		WHERE id = ? AND restricted_at IS NOT NULL`
	res, err := tx.ExecContext(ctx, q, id)
	if err != nil {
		return fmt.Errorf("crm: lift restriction %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return reindexContact(ctx, tx, id)
}

// LiftEndedRestrictions lifts the restrictions whose end date has come and
// returns the contacts concerned.
func (s *Store) LiftEndedRestrictions(ctx context.Context) ([]int64, error) {
	var ids []int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		const q = `SELECT id FROM contacts WHERE restricted_at IS NOT NULL AND restricted_until <> '' AND restricted_until <= ?`
		err := each(ctx, tx, q, []any{s.now().Format(time.DateOnly)}, func(r *sql.Rows) error {
			var id int64
			err := r.Scan(&id)
			ids = append(ids, id)
			return err
		})
		if err != nil {
			return fmt.Errorf("crm: ended restrictions: %w", err)
		}
		for _, id := range ids {
			if err := unrestrict(ctx, tx, id); err != nil {
				return err
			}
		}
		return nil
	})
	return ids, err
}

// Queryer is what both *sql.DB and *sql.Tx offer, for functions other
// packages call inside their own transactions.
type Queryer = queryer

// RestrictedAddresses returns those of the e-mail addresses that belong to
// a restricted or archived contact (among the Current ones: a trashed
// contact's address blocks nothing): no mail may go to them.
func RestrictedAddresses(ctx context.Context, q Queryer, addrs []string) ([]string, error) {
	var out []string
	for _, a := range addrs {
		var n int
		sel := `SELECT count(*) FROM contact_emails e JOIN contacts c ON c.id = e.contact_id
			WHERE e.address = ? COLLATE NOCASE AND (c.restricted_at IS NOT NULL OR c.archived_at IS NOT NULL) AND ` + Current.Where("c")
		if err := q.QueryRowContext(ctx, sel, a).Scan(&n); err != nil {
			return nil, fmt.Errorf("crm: restricted addresses: %w", err)
		}
		if n > 0 {
			out = append(out, a)
		}
	}
	return out, nil
}

// CheckNotRestricted returns ErrRestricted when contact id is restricted
// (nothing new, such as a quote, may be made for it), ErrArchived (an
// ErrRestricted) when it is archived, ErrNotFound when it
// does not exist or was erased.
func CheckNotRestricted(ctx context.Context, q Queryer, id int64) error {
	var erased bool
	err := q.QueryRowContext(ctx, `SELECT erased_at IS NOT NULL FROM contacts WHERE id = ?`, id).Scan(&erased)
	if errors.Is(err, sql.ErrNoRows) || erased {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("crm: contact %d: %w", id, err)
	}
	return checkNotRestricted(ctx, q, id)
}

// checkSuppressed refuses a contact with an address on the suppression
// list for every purpose: the person had their data erased.
func (s *Store) checkSuppressed(ctx context.Context, c *Contact) error {
	if len(c.Emails) == 0 {
		return nil
	}
	l, err := suppress.Open(ctx, s.db)
	if err != nil {
		return err
	}
	addrs := make([]string, len(c.Emails))
	for i, e := range c.Emails {
		addrs[i] = e.Address
	}
	blocked, err := l.Blocked(ctx, nil, addrs, suppress.AllPurposes)
	if err != nil {
		return err
	}
	for a, e := range blocked {
		return fmt.Errorf("%w: %s (%s, %s)", suppress.ErrSuppressed, a, e.Reason, e.AddedAt[:min(10, len(e.AddedAt))])
	}
	return nil
}

// Identifiers are the e-mail addresses (lower-cased) and phone numbers
// (normalized) a contact has now and had before.
type Identifiers struct {
	Emails     []string `json:"emails"`
	Phones     []string `json:"phones"`
	PastEmails []string `json:"pastEmails"`
	PastPhones []string `json:"pastPhones"`
}

// All returns every address and number, current and past.
func (ids Identifiers) All() []string {
	var out []string
	for _, l := range [][]string{ids.Emails, ids.PastEmails, ids.Phones, ids.PastPhones} {
		out = append(out, l...)
	}
	return out
}

// AllEmails returns current and past addresses.
func (ids Identifiers) AllEmails() []string {
	return append(append([]string{}, ids.Emails...), ids.PastEmails...)
}

// IdentifiersOf reads a contact's current and past addresses and numbers.
func IdentifiersOf(ctx context.Context, q Queryer, id int64) (Identifiers, error) {
	var ids Identifiers
	cur := map[string]bool{}
	err := each(ctx, q, `SELECT lower(address) FROM contact_emails WHERE contact_id = ? ORDER BY position`, []any{id}, func(r *sql.Rows) error {
		var a string
		err := r.Scan(&a)
		if !cur["e"+a] {
			cur["e"+a] = true
			ids.Emails = append(ids.Emails, a)
		}
		return err
	})
	if err == nil {
		err = each(ctx, q, `SELECT normalized FROM contact_phones WHERE contact_id = ? ORDER BY position`, []any{id}, func(r *sql.Rows) error {
			var p string
			err := r.Scan(&p)
			if !cur["p"+p] {
				cur["p"+p] = true
				ids.Phones = append(ids.Phones, p)
			}
			return err
		})
	}
	if err == nil {
		err = each(ctx, q, `SELECT kind, value FROM contact_past_identifiers WHERE contact_id = ? ORDER BY kind, value`, []any{id}, func(r *sql.Rows) error {
			var kind, v string
			if err := r.Scan(&kind, &v); err != nil {
				return err
			}
			switch {
			case kind == "email" && !cur["e"+v]:
				ids.PastEmails = append(ids.PastEmails, v)
			case kind == "phone" && !cur["p"+v]:
				ids.PastPhones = append(ids.PastPhones, v)
			}
			return nil
		})
	}
	if err != nil {
		return ids, fmt.Errorf("crm: identifiers of %d: %w", id, err)
	}
	return ids, nil
}

// Erased counts what an erasure removed from the CRM tables.
type Erased struct {
	Emails      int `json:"emails"`
	Phones      int `json:"phones"`
	Addresses   int `json:"addresses"`
	Companies   int `json:"companies"` // links to companies (the companies stay)
	Tags        int `json:"tags"`
	Fields      int `json:"fields"`
	Notes       int `json:"notes"` // notes, calls and meetings
	Tasks       int `json:"tasks"`
	Identifiers int `json:"identifiers"` // past addresses and numbers
}

// EraseContactTx erases a contact in the caller's transaction: every field
// is blanked and every row about it deleted, with its search documents;
// only the id remains (marked erased) so that ledger and audit entries never
// come to point at another person.
func EraseContactTx(ctx context.Context, tx *sql.Tx, id int64, now time.Time) (Erased, error) {
	var e Erased
	var erased bool
	if err := tx.QueryRowContext(ctx, `SELECT erased_at IS NOT NULL FROM contacts WHERE id = ?`, id).Scan(&erased); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return e, ErrNotFound
		}
		return e, fmt.Errorf("crm: erase %d: %w", id, err)
	}
	if erased {
		return e, ErrErased
	}
	// Out of the search index first: the timeline's documents are found
	// through the rows about to go.
	// No merging while the rows go (the erasure is followed by a full
	// merge, subject.Holder.Compact); FTS5's default is back at the end.
	if _, err := tx.ExecContext(ctx, `INSERT INTO search (search, rank) VALUES ('automerge', 0)`); err != nil {
		return e, fmt.Errorf("crm: erase %d: search index: %w", id, err)
	}
	// The timeline in one statement: the index is written once, not once
	// per note.
	if _, err := tx.ExecContext(ctx, `DELETE FROM search WHERE rowid = ?`, searchRowID(kindContact, id)); err != nil {
		return e, fmt.Errorf("crm: erase %d: search index: %w", id, err)
	}
	const timeline = `DELETE FROM search WHERE rowid IN (SELECT id * 4 + ? FROM activities WHERE contact_id = ?)`
	if _, err := tx.ExecContext(ctx, timeline, kindNote, id); err != nil {
		return e, fmt.Errorf("crm: erase %d: search index: %w", id, err)
	}
	// Tags only this contact used go too: a tag may be a name.
	const orphanTags = `
		DELETE FROM tags WHERE id IN (SELECT tag_id FROM contact_tags WHERE contact_id = ?1)
		  AND NOT EXISTS (SELECT 1 FROM contact_tags WHERE tag_id = tags.id AND contact_id <> ?1)
		  AND NOT EXISTS (SELECT 1 FROM company_tags WHERE tag_id = tags.id)`
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM contact_tags WHERE contact_id = ?`, id).Scan(&e.Tags); err != nil {
		return e, fmt.Errorf("crm: erase %d: %w", id, err)
	}
	if _, err := tx.ExecContext(ctx, orphanTags, id); err != nil {
		return e, fmt.Errorf("crm: erase %d tags: %w", id, err)
	}
	ts := stamp(now)
	const blank = `
		UPDATE contacts SET given_name = '', family_name = '', name_prefix = '', name_suffix = '', sort_name = '', job_title = '', website = '',
			birthday = '', language = '', notes = '', owner = '', relationships = 0, source = '', last_inbound_at = '',
			restricted_at = NULL, restriction_reason = '', restricted_until = '',
			updated_at = ?, deleted_at = coalesce(deleted_at, ?), erased_at = ?
		WHERE id = ?`
	if _, err := tx.ExecContext(ctx, blank, ts, ts, ts, id); err != nil {
		return e, fmt.Errorf("crm: erase %d: %w", id, err)
	}
	for _, d := range []struct {
		n *int
		q string
	}{
		{&e.Emails, `DELETE FROM contact_emails WHERE contact_id = ?`},
		{&e.Phones, `DELETE FROM contact_phones WHERE contact_id = ?`},
		{&e.Addresses, `DELETE FROM addresses WHERE contact_id = ?`},
		{&e.Companies, `DELETE FROM contact_companies WHERE contact_id = ?`},
		{nil, `DELETE FROM contact_tags WHERE contact_id = ?`}, // counted above; orphan tags' links went with them
		{&e.Fields, `DELETE FROM contact_field_values WHERE contact_id = ?`},
		{&e.Tasks, `DELETE FROM activities WHERE contact_id = ? AND kind = 'task'`},
		{&e.Notes, `DELETE FROM activities WHERE contact_id = ?`},
		{&e.Identifiers, `DELETE FROM contact_past_identifiers WHERE contact_id = ?`},
	} {
		res, err := tx.ExecContext(ctx, d.q, id)
		if err != nil {
			return e, fmt.Errorf("crm: erase %d: %w", id, err)
		}
		if d.n != nil {
			n, _ := res.RowsAffected()
			*d.n = int(n)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO search (search, rank) VALUES ('automerge', 4)`); err != nil {
		return e, fmt.Errorf("crm: erase %d: search index: %w", id, err)
	}
	return e, nil
}
