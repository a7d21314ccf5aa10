package crm

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// The search table's rowid is ref*4 + kind.
const (
	kindContact = 1
	kindCompany = 2
	kindNote    = 3
)

func searchRowID(kind int, ref int64) int64 { return ref*4 + int64(kind) }

// setDocument replaces a document (none when title and body are empty).
// In a bulk transaction both halves wait for stmtCache.flushDocs.
func setDocument(ctx context.Context, tx queryer, rowid int64, title, body string) error {
	if c, ok := tx.(*stmtCache); ok {
		delete(c.docs, rowid)
		c.stale[rowid] = true
		return addDocument(ctx, tx, rowid, title, body)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM search WHERE rowid = ?`, rowid); err != nil {
		return fmt.Errorf("crm: search index: %w", err)
	}
	return addDocument(ctx, tx, rowid, title, body)
}

// addDocument indexes a row that has no document yet. In a bulk
// transaction the document waits for stmtCache.flushDocs.
func addDocument(ctx context.Context, tx queryer, rowid int64, title, body string) error {
	if title == "" && body == "" {
		return nil
	}
	if c, ok := tx.(*stmtCache); ok {
		c.docs[rowid] = [2]string{title, body}
		return nil
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO search (rowid, title, body) VALUES (?, ?, ?)`, rowid, title, body); err != nil {
		return fmt.Errorf("crm: search index: %w", err)
	}
	return nil
}

// reindexContact rebuilds a contact's search document (or removes it when
// the contact is in the trash, restricted or archived), and those of its
// timeline.
func reindexContact(ctx context.Context, tx queryer, id int64) error {
	c, err := loadContact(ctx, tx, id)
	if err != nil {
		return fmt.Errorf("crm: index contact %d: %w", id, err)
	}
	live := c.DeletedAt == "" && c.Restriction == nil && c.Archive == nil
	title, body := "", ""
	if live {
		title, body = contactDocument(c)
	}
	if err := setDocument(ctx, tx, searchRowID(kindContact, id), title, body); err != nil {
		return err
	}
	return indexTimeline(ctx, tx, "contact_id", id, live)
}

// indexContact rebuilds the search document of a live contact just
// written from c, with its companies' names and its fields as stored.
func indexContact(ctx context.Context, tx queryer, c *Contact) error {
	// Only links with an id were written; their names are read again, as
	// a company may have been renamed.
	c.Companies = slices.DeleteFunc(c.Companies, func(l CompanyLink) bool { return l.CompanyID == 0 })
	for i := range c.Companies {
		c.Companies[i].CompanyName = ""
	}
	if err := companyNames(ctx, tx, c.Companies); err != nil {
		return err
	}
	var err error
	if c.Fields, err = loadFields(ctx, tx, c.ID); err != nil {
		return fmt.Errorf("crm: index contact %d: %w", c.ID, err)
	}
	title, body := contactDocument(c)
	return setDocument(ctx, tx, searchRowID(kindContact, c.ID), title, body)
}

// contactDocument is what search finds a contact by: names as the title;
// e-mails, phone numbers in their usual forms, companies, tags, job, city,
// owner and notes as the body. c.Companies must carry the company names.
func contactDocument(c *Contact) (title, body string) {
	parts := []string{c.JobTitle, c.Owner}
	for _, e := range c.Emails {
		parts = append(parts, e.Address)
	}
	for _, p := range c.Phones {
		parts = append(parts, phoneForms(NormalizePhone(p.Number))...)
	}
	for _, l := range c.Companies {
		parts = append(parts, l.CompanyName)
	}
	parts = append(parts, c.Tags...)
	for _, a := range c.Addresses {
		parts = append(parts, a.City)
	}
	for _, f := range c.Fields {
		if !f.Sensitive { // special categories of data are never indexed
			parts = append(parts, f.Value)
		}
	}
	parts = append(parts, c.Notes)
	return strings.TrimSpace(c.GivenName + " " + c.FamilyName), strings.Join(parts, " ")
}

// reindexCompany rebuilds a company's document and those of its people,
// whose documents carry the company's name.
func reindexCompany(ctx context.Context, tx queryer, id int64) error {
	var name, sector, notes, siren, siret, vat, owner string
	var deleted bool
	const q = `SELECT name, sector, notes, siren, siret, vat_number, owner, deleted_at IS NOT NULL FROM companies WHERE id = ?`
	if err := tx.QueryRowContext(ctx, q, id).Scan(&name, &sector, &notes, &siren, &siret, &vat, &owner, &deleted); err != nil {
		return fmt.Errorf("crm: index company %d: %w", id, err)
	}
	body := []string{sector, siren, siret, vat, owner, notes}
	if deleted {
		name, body = "", nil
	} else {
		err := each(ctx, tx, `SELECT t.name FROM company_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.company_id = ?`, []any{id}, func(r *sql.Rows) error {
			var t string
			err := r.Scan(&t)
			body = append(body, t)
			return err
		})
		if err != nil {
			return fmt.Errorf("crm: index company %d: %w", id, err)
		}
	}
	if err := setDocument(ctx, tx, searchRowID(kindCompany, id), name, strings.Join(body, " ")); err != nil {
		return err
	}
	return indexTimeline(ctx, tx, "company_id", id, !deleted)
}

// indexTimeline adds (or removes) the notes, calls and meetings of one
// contact or company to the search index.
func indexTimeline(ctx context.Context, tx queryer, owner string, id int64, live bool) error {
	type doc struct {
		id          int64
		title, body string
	}
	var docs []doc
	q := `SELECT id, title, body FROM activities WHERE ` + owner + ` = ?`
	err := each(ctx, tx, q, []any{id}, func(r *sql.Rows) error {
		var d doc
		err := r.Scan(&d.id, &d.title, &d.body)
		docs = append(docs, d)
		return err
	})
	if err != nil {
		return fmt.Errorf("crm: index timeline: %w", err)
	}
	for _, d := range docs {
		if !live {
			d.title, d.body = "", ""
		}
		if err := setDocument(ctx, tx, searchRowID(kindNote, d.id), d.title, d.body); err != nil {
			return err
		}
	}
	return nil
}

func unindexTimeline(ctx context.Context, tx queryer, owner string, id int64) error {
	return indexTimeline(ctx, tx, owner, id, false)
}

// Hit is one search result.
type Hit struct {
	Kind      string `json:"kind"` // "contact", "company" or "note"
	ID        int64  `json:"id"`   // of the contact, company or note
	Title     string `json:"title"`
	Detail    string `json:"detail"`
	ContactID int64  `json:"contactId,omitempty"` // for a note: whose
	CompanyID int64  `json:"companyId,omitempty"`
}

// MatchQuery turns what the user typed into an FTS5 query: every word must
// match as a prefix; a phone number matches in any of its usual forms.
// It returns "" when nothing searchable was typed. Mail search uses it too.
func MatchQuery(q string) string {
	if looksLikePhone(q) {
		digits := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, q)
		forms := []string{digits}
		switch {
		case strings.HasPrefix(digits, "00"):
			forms = []string{digits[2:]}
		case strings.HasPrefix(digits, "0") && len(digits) > 1:
			forms = append(forms, "33"+digits[1:])
		case strings.HasPrefix(digits, "33") && len(digits) > 3:
			forms = append(forms, "0"+digits[2:])
		}
		for i, f := range forms {
			forms[i] = `"` + f + `"*`
		}
		return strings.Join(forms, " OR ")
	}
	words := strings.FieldsFunc(q, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	for i, w := range words {
		words[i] = `"` + w + `"*`
	}
	return strings.Join(words, " ")
}

// Search finds contacts, companies and notes matching q: those whose name
// matches first (sorted by name), then those matching elsewhere (e-mail,
// phone, company, tags, notes). Ranking every match with bm25 would cost
// tens of milliseconds for a short prefix on a large vault; this order is
// what a person typing a name expects, and each step stops at the limit.
func (s *Store) Search(ctx context.Context, q string, limit int) ([]Hit, error) {
	m := MatchQuery(q)
	hits := []Hit{}
	if m == "" {
		return hits, nil
	}
	if limit <= 0 || limit > 200 {
		limit = 20
	}
	seen := map[int64]bool{}
	err := s.read(ctx, func(tx *sql.Tx) error {
		// collect describes up to n new matches of match.
		collect := func(match string, n int) ([]Hit, error) {
			var rowids []int64
			err := each(ctx, tx, `SELECT rowid FROM search WHERE search MATCH ? LIMIT ?`, []any{match, n}, func(r *sql.Rows) error {
				var id int64
				if err := r.Scan(&id); err != nil {
					return err
				}
				if !seen[id] {
					seen[id] = true
					rowids = append(rowids, id)
				}
				return nil
			})
			var out []Hit
			for _, id := range rowids {
				if err != nil {
					break
				}
				var h Hit
				h, err = describeHit(ctx, tx, id)
				out = append(out, h)
			}
			return out, err
		}
		if !looksLikePhone(q) {
			named, err := collect("title : ("+m+")", limit)
			if err != nil {
				return err
			}
			slices.SortStableFunc(named, func(a, b Hit) int { return strings.Compare(Fold(a.Title), Fold(b.Title)) })
			hits = append(hits, named...)
		}
		if len(hits) < limit {
			more, err := collect(m, limit)
			if err != nil {
				return err
			}
			hits = append(hits, more[:min(len(more), limit-len(hits))]...)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("crm: search: %w", err)
	}
	return hits, nil
}

// describeHit reads what a result line shows from the row's own table.
func describeHit(ctx context.Context, tx queryer, rowid int64) (Hit, error) {
	ref := rowid / 4
	switch rowid % 4 {
	case kindContact:
		h := Hit{Kind: "contact", ID: ref}
		const q = `
			SELECT trim(given_name || ' ' || family_name),
			       coalesce((SELECT address FROM contact_emails WHERE contact_id = ?1 ORDER BY position LIMIT 1), ''),
			       coalesce((SELECT co.name FROM contact_companies cc JOIN companies co ON co.id = cc.company_id
			                 WHERE cc.contact_id = ?1 ORDER BY co.name LIMIT 1), '')
			FROM contacts WHERE id = ?1`
		var email, company string
		if err := tx.QueryRowContext(ctx, q, ref).Scan(&h.Title, &email, &company); err != nil {
			return h, err
		}
		if h.Title == "" {
			h.Title = email
		}
		h.Detail = strings.Trim(company+" · "+email, " ·")
		return h, nil
	case kindCompany:
		h := Hit{Kind: "company", ID: ref}
		var n int
		const q = `SELECT name, (SELECT count(*) FROM contact_companies WHERE company_id = ?1) FROM companies WHERE id = ?1`
		err := tx.QueryRowContext(ctx, q, ref).Scan(&h.Title, &n)
		h.Detail = fmt.Sprint(n)
		return h, err
	default:
		h := Hit{Kind: "note", ID: ref}
		const q = `
			SELECT a.title, a.body, coalesce(a.contact_id, 0), coalesce(a.company_id, 0),
				coalesce(trim(c.given_name || ' ' || c.family_name), co.name, '')
			FROM activities a
			LEFT JOIN contacts c ON c.id = a.contact_id
			LEFT JOIN companies co ON co.id = a.company_id
			WHERE a.id = ?`
		var body, who string
		err := tx.QueryRowContext(ctx, q, ref).Scan(&h.Title, &body, &h.ContactID, &h.CompanyID, &who)
		if h.Title == "" {
			h.Title = firstLine(body, 80)
		}
		h.Detail = who
		return h, err
	}
}

func firstLine(s string, max int) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	if r := []rune(s); len(r) > max {
		return string(r[:max-1]) + "…"
	}
	return s
}
