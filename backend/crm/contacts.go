package crm

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"

	"carnet/backend/txn"
)

// normalize trims and checks a contact before it is written.
func (c *Contact) normalize() error {
	_, err := c.clean(false)
	return err
}

// clean trims and checks a contact. A value the vault refuses (an e-mail
// that is not an address, a phone number without digits, a date that is
// not one, an unknown relationship) is an error, or, with drop, is taken
// out and returned, so that an import keeps the rest of the row. A contact
// left with no name and no e-mail is an error either way.
func (c *Contact) clean(drop bool) (dropped []FieldProblem, err error) {
	bad := func(field, value string, err error) error {
		if !drop {
			return err
		}
		dropped = append(dropped, FieldProblem{Field: field, Value: value, Err: err})
		return nil
	}
	for _, p := range []*string{&c.GivenName, &c.FamilyName, &c.NamePrefix, &c.NameSuffix, &c.JobTitle, &c.Website, &c.Birthday, &c.Language, &c.Owner, &c.Source, &c.LastInboundAt} {
		*p = strings.TrimSpace(*p)
	}
	c.Notes = strings.TrimRight(c.Notes, " \t\r\n")
	emails := c.Emails[:0:0]
	seen := map[string]bool{}
	for _, e := range c.Emails {
		e.Address, e.Label = strings.TrimSpace(e.Address), strings.TrimSpace(e.Label)
		if e.Address == "" {
			continue
		}
		a, perr := mail.ParseAddress(e.Address)
		if perr != nil || a.Name != "" || !strings.Contains(a.Address, "@") {
			if err := bad(FieldEmail, e.Address, fmt.Errorf("%w: %q", ErrInvalidEmail, e.Address)); err != nil {
				return nil, err
			}
			continue
		}
		if seen[strings.ToLower(a.Address)] {
			continue
		}
		seen[strings.ToLower(a.Address)] = true
		e.Address = a.Address
		emails = append(emails, e)
	}
	c.Emails = emails
	phones := c.Phones[:0:0]
	for _, p := range c.Phones {
		p.Number, p.Label = strings.TrimSpace(p.Number), strings.TrimSpace(p.Label)
		if p.Number == "" {
			continue
		}
		if NormalizePhone(p.Number) == "" {
			if err := bad(FieldPhone, p.Number, fmt.Errorf("%w: %q", ErrInvalidPhone, p.Number)); err != nil {
				return nil, err
			}
			continue
		}
		phones = append(phones, p)
	}
	c.Phones = phones
	addrs := c.Addresses[:0:0]
	for _, a := range c.Addresses {
		a = a.trimmed()
		if a != (Address{Label: a.Label}) {
			addrs = append(addrs, a)
		}
	}
	c.Addresses = addrs
	c.Tags = cleanTags(c.Tags)
	if c.GivenName == "" && c.FamilyName == "" && len(c.Emails) == 0 {
		return dropped, ErrEmptyContact
	}
	if c.Birthday != "" {
		if _, perr := time.Parse(time.DateOnly, c.Birthday); perr != nil {
			if err := bad(FieldBirthday, c.Birthday, fmt.Errorf("%w: birthday %q", ErrInvalidDate, c.Birthday)); err != nil {
				return nil, err
			}
			c.Birthday = ""
		}
	}
	if c.LastInboundAt != "" {
		t, perr := parseMoment(c.LastInboundAt)
		if perr != nil {
			if err := bad(FieldLastInbound, c.LastInboundAt, fmt.Errorf("%w: last inbound contact %q", ErrInvalidDate, c.LastInboundAt)); err != nil {
				return nil, err
			}
			c.LastInboundAt = ""
		} else {
			c.LastInboundAt = stamp(t)
		}
	}
	if _, perr := relationshipBits(c.Relationships); perr != nil {
		if !drop {
			return nil, perr
		}
		rels := c.Relationships[:0:0]
		for _, r := range c.Relationships {
			if r.bit() == 0 {
				bad(FieldRelationship, string(r), fmt.Errorf("%w: %q", ErrInvalidRelationship, r))
				continue
			}
			rels = append(rels, r)
		}
		c.Relationships = rels
	}
	return dropped, nil
}

// parseMoment accepts RFC 3339 or a bare date (taken as midnight UTC).
func parseMoment(s string) (time.Time, error) {
	if len(s) == len(time.DateOnly) {
		return time.Parse(time.DateOnly, s)
	}
	return time.Parse(time.RFC3339, s)
}

func (a Address) trimmed() Address {
	for _, p := range []*string{&a.Label, &a.Street, &a.PostalCode, &a.City, &a.Region, &a.Country} {
		*p = strings.TrimSpace(*p)
	}
	return a
}

func cleanTags(tags []string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, t := range tags {
		t = strings.Join(strings.Fields(t), " ")
		if t == "" || seen[strings.ToLower(t)] {
			continue
		}
		seen[strings.ToLower(t)] = true
		out = append(out, t)
	}
	return out
}

func sortName(c *Contact) string {
	if n := Fold(c.FamilyName + " " + c.GivenName); n != "" {
		return n
	}
	if len(c.Emails) > 0 {
		return Fold(c.Emails[0].Address)
	}
	return ""
}

// CreateContact saves a new contact and returns its id. A contact without a
// source gets "entered by hand".
func (s *Store) CreateContact(ctx context.Context, c Contact) (int64, error) {
	c.ID = 0 // the vault chooses
	if err := c.normalize(); err != nil {
		return 0, err
	}
	if err := s.checkSuppressed(ctx, &c); err != nil {
		return 0, err
	}
	var id int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = insertContact(ctx, tx, &c, s.now())
		return err
	})
	return id, err
}

// SourceManual is the source of contacts typed in by the user.
const SourceManual = "manual"

// insertContact writes a contact already normalized by the caller.
func insertContact(ctx context.Context, tx queryer, c *Contact, now time.Time) (int64, error) {
	err := insertContacts(ctx, tx, []*Contact{c}, now)
	return c.ID, err
}

// insertContacts writes contacts already normalized by the caller, with
// their e-mails, phones, addresses, companies, tags, fields and search
// documents, several rows per statement. A contact without an id gets the
// next free one; ids given by the caller must be free.
func insertContacts(ctx context.Context, tx queryer, cs []*Contact, now time.Time) error {
	var next int64
	for _, c := range cs {
		if c.ID == 0 {
			if next == 0 {
				var err error
				if next, err = nextID(ctx, tx, "contacts"); err != nil {
					return err
				}
			}
			c.ID, next = next, next+1
		}
		if err := resolveCompanies(ctx, tx, c, now); err != nil {
			return err
		}
		if err := companyNames(ctx, tx, c.Companies); err != nil {
			return err
		}
	}
	return newContactRows(cs, now).insert(ctx, tx)
}

// companyNames fills in the names of linked companies given by id only.
func companyNames(ctx context.Context, tx queryer, links []CompanyLink) error {
	for i := range links {
		if links[i].CompanyName != "" {
			continue
		}
		err := tx.QueryRowContext(ctx, `SELECT name FROM companies WHERE id = ?`, links[i].CompanyID).Scan(&links[i].CompanyName)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%w: %d", ErrUnknownCompany, links[i].CompanyID)
		}
		if err != nil {
			return fmt.Errorf("crm: company %d: %w", links[i].CompanyID, err)
		}
	}
	return nil
}

// UpdateContact replaces a contact's fields. Source and created date are
// kept as recorded; an empty LastInboundAt does not erase a recorded one.
func (s *Store) UpdateContact(ctx context.Context, c Contact) error {
	if err := c.normalize(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		return updateContact(ctx, tx, &c, s.now())
	})
}

func updateContact(ctx context.Context, tx queryer, c *Contact, now time.Time) error {
	if err := checkNotRestricted(ctx, tx, c.ID); err != nil {
		return err
	}
	bits, _ := relationshipBits(c.Relationships)
	const q = `
		UPDATE contacts SET given_name = ?, family_name = ?, name_prefix = ?, name_suffix = ?, sort_name = ?, job_title = ?, website = ?,
			birthday = ?, language = ?, notes = ?, owner = ?, relationships = ?,
			source = CASE WHEN ? = '' THEN source ELSE ? END,
			last_inbound_at = max(last_inbound_at, ?), updated_at = ?
		WHERE id = ? AND deleted_at IS NULL`
	res, err := tx.ExecContext(ctx, q, c.GivenName, c.FamilyName, c.NamePrefix, c.NameSuffix, sortName(c), c.JobTitle, c.Website,
		c.Birthday, c.Language, c.Notes, c.Owner, bits, c.Source, c.Source, c.LastInboundAt, stamp(now), c.ID)
	if err != nil {
		return fmt.Errorf("crm: update contact %d: %w", c.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	for _, q := range []string{
		`DELETE FROM contact_emails WHERE contact_id = ?`,
		`DELETE FROM contact_phones WHERE contact_id = ?`,
		`DELETE FROM addresses WHERE contact_id = ?`,
		`DELETE FROM contact_companies WHERE contact_id = ?`,
		`DELETE FROM contact_tags WHERE contact_id = ?`,
	} {
		if _, err := tx.ExecContext(ctx, q, c.ID); err != nil {
			return fmt.Errorf("crm: update contact %d: %w", c.ID, err)
		}
	}
	if err := writeContactChildren(ctx, tx, []*Contact{c}, now); err != nil {
		return err
	}
	if err := writeFields(ctx, tx, c); err != nil {
		return err
	}
	// An update keeps the contact live (it is refused otherwise), so the
	// documents of its timeline stay as they are: only its own changes.
	return indexContact(ctx, tx, c)
}

// writeContactChildren writes the e-mails, phones, addresses, company
// links and tags of contacts that have none stored.
func writeContactChildren(ctx context.Context, tx queryer, cs []*Contact, now time.Time) error {
	for _, c := range cs {
		if err := resolveCompanies(ctx, tx, c, now); err != nil {
			return err
		}
	}
	return childRows(cs).write(ctx, tx)
}

// resolveCompanies gives an id to each company typed by name: the
// existing company of that name, or a new one.
func resolveCompanies(ctx context.Context, tx queryer, c *Contact, now time.Time) error {
	for i := range c.Companies {
		l := &c.Companies[i]
		name := strings.TrimSpace(l.CompanyName)
		if l.CompanyID != 0 || name == "" {
			continue
		}
		id, err := companyByName(ctx, tx, name)
		if err != nil {
			return fmt.Errorf("crm: contact %d company: %w", c.ID, err)
		}
		if id == 0 {
			co := Company{Name: name}
			if id, err = insertCompany(ctx, tx, &co, now); err != nil {
				return err
			}
		}
		l.CompanyID, l.CompanyName = id, name
	}
	return nil
}

// Contact returns one contact (also when in the trash), or ErrNotFound.
func (s *Store) Contact(ctx context.Context, id int64) (*Contact, error) {
	var c *Contact
	err := s.read(ctx, func(tx *sql.Tx) error {
		var err error
		c, err = loadContact(ctx, tx, id)
		return err
	})
	return c, err
}

// LoadContact is Contact in the caller's transaction.
func LoadContact(ctx context.Context, q Queryer, id int64) (*Contact, error) {
	return loadContact(ctx, q, id)
}

func loadContact(ctx context.Context, tx queryer, id int64) (*Contact, error) {
	const q = `
		SELECT id, given_name, family_name, name_prefix, name_suffix, job_title, website, birthday, language, notes, owner,
			relationships, source, last_inbound_at, created_at, updated_at, coalesce(deleted_at, ''),
			coalesce(restricted_at, ''), restriction_reason, restricted_until, erased_at IS NOT NULL,
			coalesce(archived_at, ''), archive_reason
		FROM contacts WHERE id = ?`
	c := &Contact{}
	var bits int64
	var r Restriction
	var a Archive
	var erased bool
	err := tx.QueryRowContext(ctx, q, id).Scan(&c.ID, &c.GivenName, &c.FamilyName, &c.NamePrefix, &c.NameSuffix, &c.JobTitle, &c.Website,
		&c.Birthday, &c.Language, &c.Notes, &c.Owner, &bits, &c.Source, &c.LastInboundAt, &c.CreatedAt, &c.UpdatedAt, &c.DeletedAt,
		&r.Since, &r.Reason, &r.Until, &erased, &a.Since, &a.Reason)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("crm: contact %d: %w", id, err)
	}
	if erased {
		return nil, ErrErased
	}
	if r.Since != "" {
		c.Restriction = &r
	}
	if a.Since != "" {
		c.Archive = &a
	}
	c.Relationships = relationshipsOf(bits)
	c.Emails, c.Phones, c.Addresses, c.Companies, c.Tags = []Email{}, []Phone{}, []Address{}, []CompanyLink{}, []string{}
	err = each(ctx, tx, `SELECT address, label FROM contact_emails WHERE contact_id = ? ORDER BY position`, []any{id}, func(r *sql.Rows) error {
		var e Email
		err := r.Scan(&e.Address, &e.Label)
		c.Emails = append(c.Emails, e)
		return err
	})
	if err == nil {
		err = each(ctx, tx, `SELECT number, label FROM contact_phones WHERE contact_id = ? ORDER BY position`, []any{id}, func(r *sql.Rows) error {
			var p Phone
			err := r.Scan(&p.Number, &p.Label)
			c.Phones = append(c.Phones, p)
			return err
		})
	}
	if err == nil {
		c.Addresses, err = loadAddresses(ctx, tx, "contact_id", id)
	}
	if err == nil {
		const q = `
			SELECT cc.company_id, co.name, cc.role FROM contact_companies cc
			JOIN companies co ON co.id = cc.company_id
			WHERE cc.contact_id = ? ORDER BY co.name COLLATE NOCASE`
		err = each(ctx, tx, q, []any{id}, func(r *sql.Rows) error {
			var l CompanyLink
			err := r.Scan(&l.CompanyID, &l.CompanyName, &l.Role)
			c.Companies = append(c.Companies, l)
			return err
		})
	}
	if err == nil {
		const q = `SELECT t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.contact_id = ? ORDER BY t.name COLLATE NOCASE`
		err = each(ctx, tx, q, []any{id}, func(r *sql.Rows) error {
			var t string
			err := r.Scan(&t)
			c.Tags = append(c.Tags, t)
			return err
		})
	}
	if err == nil {
		c.Fields, err = loadFields(ctx, tx, id)
	}
	if err != nil {
		return nil, fmt.Errorf("crm: contact %d: %w", id, err)
	}
	return c, nil
}

func loadAddresses(ctx context.Context, tx queryer, owner string, id int64) ([]Address, error) {
	out := []Address{}
	q := `SELECT label, street, postal_code, city, region, country FROM addresses WHERE ` + owner + ` = ? ORDER BY position`
	err := each(ctx, tx, q, []any{id}, func(r *sql.Rows) error {
		var a Address
		err := r.Scan(&a.Label, &a.Street, &a.PostalCode, &a.City, &a.Region, &a.Country)
		out = append(out, a)
		return err
	})
	return out, err
}

// each runs fn for every row of a query.
func each(ctx context.Context, tx Reader, q string, args []any, fn func(*sql.Rows) error) error {
	rows, err := tx.QueryContext(ctx, q, args...)
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

// TrashDays is how long a deleted contact can be restored.
const TrashDays = 30

// DeleteContact moves a contact to the trash, out of lists and search.
func (s *Store) DeleteContact(ctx context.Context, id int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE contacts SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL`, stamp(s.now()), id)
		if err != nil {
			return fmt.Errorf("crm: delete contact %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return reindexContact(ctx, tx, id)
	})
}

// RestoreContact takes a contact back from the trash; an erased one stays
// there (it is not in the trash list either): see Scope.
func (s *Store) RestoreContact(ctx context.Context, id int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE contacts SET deleted_at = NULL WHERE id = ? AND deleted_at IS NOT NULL AND erased_at IS NULL`, id)
		if err != nil {
			return fmt.Errorf("crm: restore contact %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return reindexContact(ctx, tx, id)
	})
}

// TrashItem is a contact in the trash.
type TrashItem struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	DeletedAt string `json:"deletedAt"`
	PurgeOn   string `json:"purgeOn"` // YYYY-MM-DD, when it is removed for good
}

// Trash lists deleted contacts, most recent first.
func (s *Store) Trash(ctx context.Context) ([]TrashItem, error) {
	const q = `
		SELECT c.id, trim(c.given_name || ' ' || c.family_name),
			coalesce((SELECT address FROM contact_emails WHERE contact_id = c.id ORDER BY position LIMIT 1), ''),
			c.deleted_at
		FROM contacts c WHERE c.deleted_at IS NOT NULL AND c.erased_at IS NULL ORDER BY c.deleted_at DESC, c.id DESC`
	out := []TrashItem{}
	err := each(ctx, txn.On(ctx, s.db), q, nil, func(r *sql.Rows) error {
		var it TrashItem
		var email string
		if err := r.Scan(&it.ID, &it.Name, &email, &it.DeletedAt); err != nil {
			return err
		}
		if it.Name == "" {
			it.Name = email
		}
		if t, err := time.Parse(time.RFC3339, it.DeletedAt); err == nil {
			it.PurgeOn = t.AddDate(0, 0, TrashDays).Format(time.DateOnly)
		}
		out = append(out, it)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("crm: trash: %w", err)
	}
	return out, nil
}

// PurgeTrash removes for good the contacts deleted more than TrashDays ago,
// with their timeline: each is erased (only its id is kept, so no ledger or
// audit entry ever points at a later contact). It returns how many.
func (s *Store) PurgeTrash(ctx context.Context) (int, error) {
	limit := stamp(s.now().AddDate(0, 0, -TrashDays))
	var n int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		var ids []int64
		err := each(ctx, tx, `SELECT id FROM contacts WHERE deleted_at IS NOT NULL AND deleted_at <= ? AND erased_at IS NULL`, []any{limit}, func(r *sql.Rows) error {
			var id int64
			err := r.Scan(&id)
			ids = append(ids, id)
			return err
		})
		if err != nil {
			return fmt.Errorf("crm: purge trash: %w", err)
		}
		for _, id := range ids {
			if _, err := EraseContactTx(ctx, tx, id, s.now()); err != nil {
				return fmt.Errorf("crm: purge: %w", err)
			}
		}
		n = int64(len(ids))
		return nil
	})
	return int(n), err
}

// contactIDsByEmail returns the Current contacts having one of the
// addresses.
func contactIDsByEmail(ctx context.Context, tx queryer, addrs []string) ([]int64, error) {
	var ids []int64
	for _, a := range addrs {
		q := `
			SELECT DISTINCT e.contact_id FROM contact_emails e JOIN contacts c ON c.id = e.contact_id
			WHERE e.address = ? COLLATE NOCASE AND ` + Current.Where("c")
		err := each(ctx, tx, q, []any{a}, func(r *sql.Rows) error {
			var id int64
			if err := r.Scan(&id); err != nil {
				return err
			}
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// NoteInbound moves forward the last inbound contact of the live contacts
// who have this e-mail address: the person wrote at the given moment. It
// runs in the caller's transaction (mail sync stores the message with it).
func NoteInbound(ctx context.Context, tx *sql.Tx, address, at string) error {
	const q = `UPDATE contacts SET last_inbound_at = ?
		WHERE last_inbound_at < ? AND deleted_at IS NULL
		AND id IN (SELECT contact_id FROM contact_emails WHERE address = ? COLLATE NOCASE)`
	if _, err := tx.ExecContext(ctx, q, at, at, address); err != nil {
		return fmt.Errorf("crm: last inbound contact: %w", err)
	}
	return nil
}
