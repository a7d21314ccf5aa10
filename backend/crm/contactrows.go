package crm

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// contactRows are the rows of contacts and of what they hold, built in
// memory, then written a table at a time, several rows per statement.
// Building needs no database: an import builds the next batch while the
// previous one is being written.
type contactRows struct {
	list                                   []*Contact
	contacts, emails, phones, addrs, links rowSet
	docs                                   [][2]string // title, body; with contacts only
}

// newContactRows builds the rows of new contacts, whose ids are given and
// whose companies have ids and names.
func newContactRows(cs []*Contact, now time.Time) *contactRows {
	r := childRows(cs)
	r.contacts = newRowSet(17, len(cs))
	r.docs = make([][2]string, len(cs))
	ts := stamp(now)
	for i, c := range cs {
		if c.Source == "" {
			c.Source = SourceManual
		}
		bits, _ := relationshipBits(c.Relationships)
		r.contacts.add(c.ID, c.GivenName, c.FamilyName, c.NamePrefix, c.NameSuffix, sortName(c), c.JobTitle, c.Website, c.Birthday,
			c.Language, c.Notes, c.Owner, bits, c.Source, c.LastInboundAt, ts, ts)
		r.docs[i][0], r.docs[i][1] = contactDocument(c)
	}
	return r
}

// childRows builds the e-mails, phones, addresses and company links of
// contacts whose companies have ids.
func childRows(cs []*Contact) *contactRows {
	var ne, np, na, nl int
	for _, c := range cs {
		ne, np, na, nl = ne+len(c.Emails), np+len(c.Phones), na+len(c.Addresses), nl+len(c.Companies)
	}
	r := &contactRows{list: cs, emails: newRowSet(4, ne), phones: newRowSet(5, np),
		addrs: newRowSet(8, na), links: newRowSet(3, nl)}
	for _, c := range cs {
		for i, e := range c.Emails {
			r.emails.add(c.ID, i, e.Address, e.Label)
		}
		for i, p := range c.Phones {
			r.phones.add(c.ID, i, p.Number, NormalizePhone(p.Number), p.Label)
		}
		addressRows(&r.addrs, c.ID, c.Addresses)
		for _, l := range c.Companies {
			if l.CompanyID != 0 {
				r.links.add(c.ID, l.CompanyID, strings.TrimSpace(l.Role))
			}
		}
	}
	return r
}

// insert writes new contacts: their rows, tags, custom fields and search
// documents.
func (r *contactRows) insert(ctx context.Context, tx queryer) error {
	if err := r.write(ctx, tx); err != nil {
		return err
	}
	for i, c := range r.list {
		if len(c.Fields) > 0 {
			if err := writeFields(ctx, tx, c); err != nil {
				return err
			}
			// The document needs each field's name and sensitivity as
			// stored, not as the caller said.
			var err error
			if c.Fields, err = loadFields(ctx, tx, c.ID); err != nil {
				return err
			}
			r.docs[i][0], r.docs[i][1] = contactDocument(c)
		}
		if err := addDocument(ctx, tx, searchRowID(kindContact, c.ID), r.docs[i][0], r.docs[i][1]); err != nil {
			return err
		}
	}
	return nil
}

// write writes the rows and the contacts' tags.
func (r *contactRows) write(ctx context.Context, tx queryer) error {
	const contacts = `
		INSERT OR FAIL INTO contacts (id, given_name, family_name, name_prefix, name_suffix, sort_name, job_title, website, birthday,
			language, notes, owner, relationships, source, last_inbound_at, created_at, updated_at)`
	if err := insertRows(ctx, tx, contacts, "", &r.contacts); err != nil {
		return fmt.Errorf("crm: insert contact: %w", err)
	}
	if err := insertRows(ctx, tx, `INSERT OR FAIL INTO contact_emails (contact_id, position, address, label)`, "", &r.emails); err != nil {
		return fmt.Errorf("crm: contact e-mails: %w", err)
	}
	if err := insertRows(ctx, tx, `INSERT OR FAIL INTO contact_phones (contact_id, position, number, normalized, label)`, "", &r.phones); err != nil {
		return fmt.Errorf("crm: contact phones: %w", err)
	}
	if err := insertRows(ctx, tx, addressHead("contact_id"), "", &r.addrs); err != nil {
		return fmt.Errorf("crm: contact addresses: %w", err)
	}
	err := insertRows(ctx, tx, `INSERT OR FAIL INTO contact_companies (contact_id, company_id, role)`,
		` ON CONFLICT DO UPDATE SET role = excluded.role`, &r.links)
	if err != nil {
		if strings.Contains(err.Error(), "FOREIGN KEY") {
			return r.unknownCompany(ctx, tx)
		}
		return fmt.Errorf("crm: contact companies: %w", err)
	}
	tags := newRowSet(2, 0)
	for _, c := range r.list {
		ids, err := tagIDs(ctx, tx, c.Tags)
		if err != nil {
			return err
		}
		for _, id := range ids {
			tags.add(c.ID, id)
		}
	}
	if err := insertRows(ctx, tx, `INSERT OR IGNORE INTO contact_tags (contact_id, tag_id)`, "", &tags); err != nil {
		return fmt.Errorf("crm: contact tags: %w", err)
	}
	return nil
}

// unknownCompany names the first linked company that does not exist, after
// a link was refused by its foreign key.
func (r *contactRows) unknownCompany(ctx context.Context, tx queryer) error {
	for _, c := range r.list {
		for _, l := range c.Companies {
			if l.CompanyID == 0 {
				continue // not written
			}
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM companies WHERE id = ?`, l.CompanyID).Scan(&n); err != nil {
				return fmt.Errorf("crm: contact %d company: %w", c.ID, err)
			}
			if n == 0 {
				return fmt.Errorf("%w: %d", ErrUnknownCompany, l.CompanyID)
			}
		}
	}
	return ErrUnknownCompany
}

// Addresses belong to a contact or to a company (owner is the column).
func addressHead(owner string) string {
	return `INSERT OR FAIL INTO addresses (` + owner + `, position, label, street, postal_code, city, region, country)`
}

func addressRows(r *rowSet, id int64, addrs []Address) {
	for i, a := range addrs {
		r.add(id, i, a.Label, a.Street, a.PostalCode, a.City, a.Region, a.Country)
	}
}

func writeAddresses(ctx context.Context, tx queryer, owner string, id int64, addrs []Address) error {
	rows := newRowSet(8, len(addrs))
	addressRows(&rows, id, addrs)
	if err := insertRows(ctx, tx, addressHead(owner), "", &rows); err != nil {
		return fmt.Errorf("crm: address: %w", err)
	}
	return nil
}
