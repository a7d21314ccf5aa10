package crm

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
)

// DuplicatePair is two contacts that are probably the same person.
type DuplicatePair struct {
	A      Row    `json:"a"`
	B      Row    `json:"b"`
	Reason string `json:"reason"` // "email", "phone" or "name_company"
	Value  string `json:"value"`  // the shared e-mail, number or name
}

// Duplicates finds likely duplicates: contacts sharing an e-mail address, a
// phone number (whatever its formatting), or the same name at the same
// company.
func (s *Store) Duplicates(ctx context.Context, limit int) ([]DuplicatePair, error) {
	if limit <= 0 {
		limit = 200
	}
	const q = `
		SELECT a, b, reason, value FROM (
			SELECT min(e1.contact_id) AS a, e2.contact_id AS b, 'email' AS reason, lower(e1.address) AS value
			FROM contact_emails e1 JOIN contact_emails e2
			  ON e2.address = e1.address COLLATE NOCASE AND e2.contact_id > e1.contact_id
			GROUP BY e2.contact_id, lower(e1.address)
			UNION
			SELECT min(p1.contact_id), p2.contact_id, 'phone', p1.normalized
			FROM contact_phones p1 JOIN contact_phones p2
			  ON p2.normalized = p1.normalized AND p2.contact_id > p1.contact_id
			GROUP BY p2.contact_id, p1.normalized
			UNION
			SELECT min(c1.id), c2.id, 'name_company', c1.sort_name
			FROM contacts c1
			JOIN contacts c2 ON c2.sort_name = c1.sort_name AND c2.id > c1.id AND c1.sort_name <> ''
			JOIN contact_companies k1 ON k1.contact_id = c1.id
			JOIN contact_companies k2 ON k2.contact_id = c2.id AND k2.company_id = k1.company_id
			GROUP BY c2.id, c1.sort_name
		) d
		WHERE (SELECT deleted_at IS NULL AND restricted_at IS NULL AND archived_at IS NULL FROM contacts WHERE id = d.a)
		  AND (SELECT deleted_at IS NULL AND restricted_at IS NULL AND archived_at IS NULL FROM contacts WHERE id = d.b)
		GROUP BY a, b
		ORDER BY a, b
		LIMIT ?`
	var pairs []DuplicatePair
	err := s.read(ctx, func(tx *sql.Tx) error {
		return each(ctx, tx, q, []any{limit}, func(r *sql.Rows) error {
			var p DuplicatePair
			err := r.Scan(&p.A.ID, &p.B.ID, &p.Reason, &p.Value)
			pairs = append(pairs, p)
			return err
		})
	})
	if err != nil {
		return nil, fmt.Errorf("crm: duplicates: %w", err)
	}
	out := []DuplicatePair{}
	for _, p := range pairs {
		a, err1 := s.Contact(ctx, p.A.ID)
		b, err2 := s.Contact(ctx, p.B.ID)
		if err1 != nil || err2 != nil {
			continue
		}
		p.A, p.B = rowOf(a), rowOf(b)
		out = append(out, p)
	}
	return out, nil
}

func rowOf(c *Contact) Row {
	r := Row{ID: c.ID, Name: c.DisplayName(), Relationships: c.Relationships, Owner: c.Owner, LastInboundAt: c.LastInboundAt}
	if len(c.Emails) > 0 {
		r.Email = c.Emails[0].Address
	}
	if len(c.Phones) > 0 {
		r.Phone = c.Phones[0].Number
	}
	if len(c.Companies) > 0 {
		r.Company = c.Companies[0].CompanyName
	}
	return r
}

// Merge makes one contact of keep and drop. chosen holds the single-valued
// fields as the user picked them, field by field; lists (e-mails, phones,
// addresses, companies, tags, relationships) are united; every note, call,
// meeting and task of drop moves to keep; the earliest source and creation
// date and the latest inbound contact are kept. drop is then removed.
func (s *Store) Merge(ctx context.Context, keep, drop int64, chosen Contact) (*Contact, error) {
	if keep == drop {
		return nil, fmt.Errorf("crm: merge a contact with itself")
	}
	var merged *Contact
	err := s.write(ctx, func(tx *sql.Tx) error {
		k, err := loadContact(ctx, tx, keep)
		if err != nil {
			return err
		}
		d, err := loadContact(ctx, tx, drop)
		if err != nil {
			return err
		}
		if k.Archive != nil || d.Archive != nil {
			return ErrArchived
		}
		if k.Restriction != nil || d.Restriction != nil {
			return ErrRestricted
		}
		if k.DeletedAt != "" || d.DeletedAt != "" {
			return ErrNotFound
		}
		// The earlier record's source is the true origin of the data.
		first, second := k, d
		if d.CreatedAt < k.CreatedAt {
			first, second = d, k
		}
		if chosen.GivenName == "" && chosen.FamilyName == "" && len(chosen.Emails) == 0 {
			// No choice made: keep's values, completed by drop's.
			chosen = *k
			mergeInto(&chosen, d)
		}
		m := *k
		m.GivenName, m.FamilyName, m.JobTitle, m.Website = chosen.GivenName, chosen.FamilyName, chosen.JobTitle, chosen.Website
		m.NamePrefix, m.NameSuffix = chosen.NamePrefix, chosen.NameSuffix
		m.Birthday, m.Language, m.Owner, m.Notes = chosen.Birthday, chosen.Language, chosen.Owner, chosen.Notes
		m.Source = first.Source
		if second.Source != "" && second.Source != first.Source && first.Source == "" {
			m.Source = second.Source
		}
		m.Emails = slices.Clone(k.Emails)
		m.Phones = slices.Clone(k.Phones)
		m.Addresses = slices.Clone(k.Addresses)
		m.Companies = slices.Clone(k.Companies)
		m.Relationships = slices.Clone(k.Relationships)
		m.Tags = slices.Clone(k.Tags)
		mergeLists(&m, d)
		if d.LastInboundAt > m.LastInboundAt {
			m.LastInboundAt = d.LastInboundAt
		}
		if err := m.normalize(); err != nil {
			return err
		}
		// Move the timeline before the dropped contact goes.
		if _, err := tx.ExecContext(ctx, `UPDATE activities SET contact_id = ? WHERE contact_id = ?`, keep, drop); err != nil {
			return fmt.Errorf("crm: merge timeline: %w", err)
		}
		// Custom values the kept contact lacks come from the dropped one.
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO contact_field_values (contact_id, field_id, value)
			SELECT ?, field_id, value FROM contact_field_values WHERE contact_id = ?`, keep, drop); err != nil {
			return fmt.Errorf("crm: merge fields: %w", err)
		}
		if err := setDocument(ctx, tx, searchRowID(kindContact, drop), "", ""); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM contacts WHERE id = ?`, drop); err != nil {
			return fmt.Errorf("crm: merge: %w", err)
		}
		if err := updateContact(ctx, tx, &m, s.now()); err != nil {
			return err
		}
		const q = `UPDATE contacts SET source = ?, created_at = min(created_at, ?), last_inbound_at = ? WHERE id = ?`
		if _, err := tx.ExecContext(ctx, q, m.Source, first.CreatedAt, m.LastInboundAt, keep); err != nil {
			return fmt.Errorf("crm: merge: %w", err)
		}
		merged, err = loadContact(ctx, tx, keep)
		return err
	})
	if err != nil {
		return nil, err
	}
	return merged, nil
}

// mergeLists unites other's multi-valued fields into c.
func mergeLists(c *Contact, other *Contact) {
	saved := *other
	saved.GivenName, saved.FamilyName, saved.JobTitle, saved.Website = "", "", "", ""
	saved.NamePrefix, saved.NameSuffix = "", ""
	saved.Birthday, saved.Language, saved.Owner, saved.Source, saved.Notes = "", "", "", "", ""
	saved.LastInboundAt = ""
	mergeInto(c, &saved)
}
