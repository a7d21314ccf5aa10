package breach

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"carnet/backend/crm"
	"carnet/backend/mail"
	"carnet/backend/txn"
)

// people are those a scope concerns.
type people struct {
	contacts []int64
	// strangers are correspondents known only by their address (a mail
	// account's scope): they are concerned, and told, too.
	strangers []correspondent
}

type correspondent struct{ address, name string }

func (p people) count() int { return len(p.contacts) + len(p.strangers) }

// pinScope copies into the scope what it names (a segment's filter, an
// account's name), so the breach keeps its people when those change.
func (s *Store) pinScope(ctx context.Context, sc Scope) (Scope, error) {
	switch sc.Kind {
	case ScopeSegment:
		segs, err := crm.New(s.db, s.now).Segments(ctx)
		if err != nil {
			return sc, err
		}
		i := slices.IndexFunc(segs, func(g crm.Segment) bool { return g.ID == sc.SegmentID })
		switch {
		case i >= 0:
			f := segs[i].Filter
			sc.Filter, sc.SegmentName = &f, segs[i].Name
		case sc.Filter == nil:
			return sc, fmt.Errorf("%w: the segment no longer exists", ErrScope)
		}
	case ScopeMailAccount:
		a, err := mail.New(s.db, s.now).Account(ctx, sc.AccountID)
		if errors.Is(err, mail.ErrNotFound) {
			return sc, fmt.Errorf("%w: the mail account no longer exists", ErrScope)
		}
		if err != nil {
			return sc, err
		}
		sc.AccountName = a.Name
	}
	return sc, nil
}

// resolve lists the people a scope concerns now.
func (s *Store) resolve(ctx context.Context, sc Scope) (people, error) {
	var p people
	switch sc.Kind {
	case ScopeAll:
		// Everyone whose data are still held (crm.Held): in the trash,
		// restricted and archived included; not the erased. Art. 33(3)(a)
		// counts, and Art. 34 tells, every person concerned.
		var err error
		p.contacts, err = crm.ContactIDs(ctx, txn.On(ctx, s.db), crm.Held)
		return p, err
	case ScopeSegment, ScopeFilter, ScopeTag:
		f := crm.Filter{Tag: sc.Tag}
		if sc.Kind != ScopeTag {
			if sc.Filter == nil {
				return p, ErrScope
			}
			f = *sc.Filter
		}
		// The list leaves out restricted and archived contacts; a breach
		// concerns them as well.
		cs := crm.New(s.db, s.now)
		seen := map[int64]bool{}
		for _, v := range []struct{ restricted, archived bool }{{false, false}, {true, false}, {false, true}} {
			f.Restricted, f.Archived = v.restricted, v.archived
			sn, err := cs.Snapshot(ctx, crm.ListQuery{Filter: f})
			if err != nil {
				return p, err
			}
			for _, id := range sn.IDs() {
				if !seen[id] {
					seen[id] = true
					p.contacts = append(p.contacts, id)
				}
			}
		}
		slices.Sort(p.contacts)
		return p, nil
	case ScopeMailAccount:
		return s.correspondents(ctx, sc.AccountID)
	}
	return p, ErrScope
}

// correspondents are everyone in the e-mails of an account but the
// account's own address: the contacts who have one of their addresses,
// and the others by address.
func (s *Store) correspondents(ctx context.Context, account int64) (people, error) {
	var p people
	err := txn.Read(ctx, s.db, func(tx *sql.Tx) error {
		const q = `
			SELECT lower(a.address), max(a.name) FROM mail_addresses a
			JOIN mail_messages m ON m.id = a.message_id
			JOIN mail_folders f ON f.id = m.folder_id
			JOIN mail_accounts ac ON ac.id = f.account_id
			WHERE f.account_id = ? AND lower(a.address) <> lower(ac.address)
			GROUP BY lower(a.address) ORDER BY 1`
		rows, err := tx.QueryContext(ctx, q, account)
		if err != nil {
			return err
		}
		var all []correspondent
		var addrs []string
		for rows.Next() {
			var c correspondent
			if err := rows.Scan(&c.address, &c.name); err != nil {
				rows.Close()
				return err
			}
			all = append(all, c)
			addrs = append(addrs, c.address)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		// Contacts whose data are held (crm.Held), as for the whole vault.
		known, err := crm.ContactIDsByEmail(ctx, tx, addrs, crm.Held)
		if err != nil {
			return err
		}
		for _, ids := range known {
			p.contacts = append(p.contacts, ids...)
		}
		slices.Sort(p.contacts)
		p.contacts = slices.Compact(p.contacts)
		for _, c := range all {
			if known[c.address] == nil {
				p.strangers = append(p.strangers, c)
			}
		}
		return nil
	})
	return p, err
}

// categorySQL says where each category's records are, for contacts
// (?1: a JSON array of ids): from (the tables and condition), who (the
// contact's id), record (what one record is) and kind (the Art. 9
// category, for sensitive fields). The contacts were chosen by crm
// (resolve); these count their records across the CRM, mail, sales and
// ledger tables, one statement per category, which is why the CRM's child
// tables are named here rather than read through crm one contact at a
// time.
var categorySQL = map[string]struct{ from, who, record, kind string }{
	"emails":    {from: `contact_emails WHERE contact_id IN ` + idList, who: "contact_id", record: "*"},
	"phones":    {from: `contact_phones WHERE contact_id IN ` + idList, who: "contact_id", record: "*"},
	"addresses": {from: `addresses WHERE contact_id IN ` + idList, who: "contact_id", record: "*"},
	"notes":     {from: `activities WHERE kind <> 'task' AND contact_id IN ` + idList, who: "contact_id", record: "*"},
	"tasks":     {from: `activities WHERE kind = 'task' AND contact_id IN ` + idList, who: "contact_id", record: "*"},
	"fields": {from: `contact_field_values v JOIN custom_fields f ON f.id = v.field_id
		WHERE f.sensitive = 0 AND v.contact_id IN ` + idList, who: "v.contact_id", record: "*"},
	"sensitive": {from: `contact_field_values v JOIN custom_fields f ON f.id = v.field_id
		WHERE f.sensitive = 1 AND v.contact_id IN ` + idList, who: "v.contact_id", record: "*", kind: "f.category"},
	"messages": {from: `contact_emails e JOIN mail_addresses a ON a.address = e.address COLLATE NOCASE
		WHERE e.contact_id IN ` + idList, who: "e.contact_id", record: "DISTINCT a.message_id"},
	"attachments": {from: `contact_emails e JOIN mail_addresses a ON a.address = e.address COLLATE NOCASE
		JOIN mail_attachments x ON x.message_id = a.message_id
		WHERE e.contact_id IN ` + idList, who: "e.contact_id", record: "DISTINCT x.message_id || '/' || x.position"},
	"documents": {from: `documents WHERE contact_id IN ` + idList, who: "contact_id", record: "*"},
	"consents":  {from: `consent_ledger WHERE contact_id IN ` + idList, who: "contact_id", record: "*"},
}

const idList = `(SELECT value FROM json_each(?1))`

// accountCounts count a category over one mail account (?1): everyone in
// its e-mails is concerned.
var accountCounts = map[string]string{
	"emails": `SELECT count(DISTINCT lower(a.address)), count(DISTINCT lower(a.address))
		FROM mail_addresses a JOIN mail_messages m ON m.id = a.message_id JOIN mail_folders f ON f.id = m.folder_id
		JOIN mail_accounts ac ON ac.id = f.account_id
		WHERE f.account_id = ?1 AND lower(a.address) <> lower(ac.address)`,
	"messages": `SELECT 0, count(*) FROM mail_messages m JOIN mail_folders f ON f.id = m.folder_id WHERE f.account_id = ?1`,
	"attachments": `SELECT
		(SELECT count(DISTINCT lower(a.address)) FROM mail_addresses a JOIN mail_messages m ON m.id = a.message_id
		   JOIN mail_folders f ON f.id = m.folder_id JOIN mail_accounts ac ON ac.id = f.account_id
		   WHERE f.account_id = ?1 AND m.has_attachments = 1 AND lower(a.address) <> lower(ac.address)),
		(SELECT count(*) FROM mail_attachments x JOIN mail_messages m ON m.id = x.message_id
		   JOIN mail_folders f ON f.id = m.folder_id WHERE f.account_id = ?1)`,
}

// count resolves a scope and counts, for each of its categories, the
// people with data of it and the records.
func (s *Store) count(ctx context.Context, sc Scope) (Counts, error) {
	p, err := s.resolve(ctx, sc)
	if err != nil {
		return Counts{}, fmt.Errorf("breach: people concerned: %w", err)
	}
	counts := Counts{People: p.count(), Contacts: len(p.contacts), Categories: []Count{}, CountedAt: stamp(s.now())}
	ids, _ := json.Marshal(append([]int64{}, p.contacts...))
	err = txn.Read(ctx, s.db, func(tx *sql.Tx) error {
		for _, cat := range sc.Categories {
			n := Count{Category: cat}
			c := categorySQL[cat]
			switch {
			case cat == "identity":
				n.People, n.Records = counts.People, counts.People
			case sc.Kind == ScopeMailAccount && accountCounts[cat] != "":
				if err := tx.QueryRowContext(ctx, accountCounts[cat], sc.AccountID).Scan(&n.People, &n.Records); err != nil {
					return fmt.Errorf("%s: %w", cat, err)
				}
			default:
				q := `SELECT count(DISTINCT ` + c.who + `), count(` + c.record + `) FROM ` + c.from
				if err := tx.QueryRowContext(ctx, q, string(ids)).Scan(&n.People, &n.Records); err != nil {
					return fmt.Errorf("%s: %w", cat, err)
				}
			}
			if sc.Kind == ScopeMailAccount && cat == "messages" {
				n.People = counts.People // everyone in the account's e-mails
			}
			if cat == "sensitive" && n.Records > 0 {
				kinds, err := sensitiveKinds(ctx, tx, string(ids))
				if err != nil {
					return err
				}
				n.Kinds = kinds
			}
			counts.Categories = append(counts.Categories, n)
		}
		return nil
	})
	if err != nil {
		return Counts{}, fmt.Errorf("breach: count: %w", err)
	}
	return counts, nil
}

// sensitiveKinds are the Art. 9(1) categories of the sensitive fields the
// contacts have values for.
func sensitiveKinds(ctx context.Context, tx *sql.Tx, ids string) ([]string, error) {
	var out []string
	err := each(ctx, tx, `SELECT DISTINCT f.category FROM `+categorySQL["sensitive"].from+` ORDER BY 1`, ids, func(r *sql.Rows) error {
		var k string
		if err := r.Scan(&k); err != nil {
			return err
		}
		if k = strings.TrimSpace(k); k != "" {
			out = append(out, k)
		}
		return nil
	})
	return out, err
}

// holding lists, for each contact, the categories they have records of
// (and the Art. 9 categories of their sensitive fields): what a letter
// tells them was concerned.
func (s *Store) holding(ctx context.Context, contacts []int64, cats []string) (map[int64][]string, map[int64][]string, error) {
	held, kinds := map[int64][]string{}, map[int64][]string{}
	ids, _ := json.Marshal(append([]int64{}, contacts...))
	err := txn.Read(ctx, s.db, func(tx *sql.Tx) error {
		for _, cat := range cats {
			c, ok := categorySQL[cat]
			if !ok {
				continue
			}
			kind := "''"
			if c.kind != "" {
				kind = c.kind
			}
			q := `SELECT DISTINCT ` + c.who + `, ` + kind + ` FROM ` + c.from + ` ORDER BY 1, 2`
			err := each(ctx, tx, q, string(ids), func(r *sql.Rows) error {
				var id int64
				var k string
				if err := r.Scan(&id, &k); err != nil {
					return err
				}
				if l := held[id]; len(l) == 0 || l[len(l)-1] != cat {
					held[id] = append(l, cat)
				}
				if k != "" {
					kinds[id] = append(kinds[id], k)
				}
				return nil
			})
			if err != nil {
				return fmt.Errorf("%s: %w", cat, err)
			}
		}
		return nil
	})
	return held, kinds, err
}

// each runs fn for every row of a query.
func each(ctx context.Context, tx *sql.Tx, q string, arg any, fn func(*sql.Rows) error) error {
	rows, err := tx.QueryContext(ctx, q, arg)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
