package crm

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"carnet/backend/txn"
)

func (co *Company) normalize() error {
	for _, p := range []*string{&co.Name, &co.Website, &co.Sector, &co.Owner} {
		*p = strings.TrimSpace(*p)
	}
	co.Notes = strings.TrimRight(co.Notes, " \t\r\n")
	if co.Name == "" {
		return ErrEmptyCompany
	}
	var err error
	if co.SIREN, err = NormalizeSIREN(co.SIREN); err != nil {
		return err
	}
	if co.SIRET, err = NormalizeSIRET(co.SIRET); err != nil {
		return err
	}
	if co.SIREN == "" && co.SIRET != "" {
		co.SIREN = co.SIRET[:9]
	}
	if co.SIRET != "" && co.SIRET[:9] != co.SIREN {
		return ErrSIRETNotSIREN
	}
	if co.VATNumber, err = NormalizeVAT(co.VATNumber); err != nil {
		return err
	}
	addrs := co.Addresses[:0:0]
	for _, a := range co.Addresses {
		a = a.trimmed()
		if a != (Address{Label: a.Label}) {
			addrs = append(addrs, a)
		}
	}
	co.Addresses = addrs
	co.Tags = cleanTags(co.Tags)
	return nil
}

// CreateCompany saves a new company and returns its id.
func (s *Store) CreateCompany(ctx context.Context, co Company) (int64, error) {
	co.ID = 0 // the vault chooses
	if err := co.normalize(); err != nil {
		return 0, err
	}
	var id int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = insertCompany(ctx, tx, &co, s.now())
		return err
	})
	return id, err
}

func insertCompany(ctx context.Context, tx queryer, co *Company, now time.Time) (int64, error) {
	const q = `
		INSERT INTO companies (id, name, siren, siret, vat_number, website, sector, notes, owner, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`
	ts := stamp(now)
	var id any // a company without an id gets the next free one
	if co.ID != 0 {
		id = co.ID
	}
	if err := tx.QueryRowContext(ctx, q, id, co.Name, co.SIREN, co.SIRET, co.VATNumber, co.Website, co.Sector, co.Notes, co.Owner, ts, ts).Scan(&co.ID); err != nil {
		return 0, fmt.Errorf("crm: insert company: %w", err)
	}
	if err := writeCompanyChildren(ctx, tx, co); err != nil {
		return 0, err
	}
	return co.ID, reindexCompany(ctx, tx, co.ID)
}

// UpdateCompany replaces a company's fields.
func (s *Store) UpdateCompany(ctx context.Context, co Company) error {
	if err := co.normalize(); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		const q = `
			UPDATE companies SET name = ?, siren = ?, siret = ?, vat_number = ?, website = ?, sector = ?,
				notes = ?, owner = ?, updated_at = ?
			WHERE id = ? AND deleted_at IS NULL`
		res, err := tx.ExecContext(ctx, q, co.Name, co.SIREN, co.SIRET, co.VATNumber, co.Website, co.Sector, co.Notes, co.Owner, stamp(s.now()), co.ID)
		if err != nil {
			return fmt.Errorf("crm: update company %d: %w", co.ID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		for _, q := range []string{`DELETE FROM addresses WHERE company_id = ?`, `DELETE FROM company_tags WHERE company_id = ?`} {
			if _, err := tx.ExecContext(ctx, q, co.ID); err != nil {
				return fmt.Errorf("crm: update company %d: %w", co.ID, err)
			}
		}
		if err := writeCompanyChildren(ctx, tx, &co); err != nil {
			return err
		}
		if err := reindexCompany(ctx, tx, co.ID); err != nil {
			return err
		}
		return reindexPeople(ctx, tx, co.ID)
	})
}

// reindexPeople refreshes the documents of a company's contacts, which
// carry its name.
func reindexPeople(ctx context.Context, tx queryer, companyID int64) error {
	var ids []int64
	err := each(ctx, tx, `SELECT contact_id FROM contact_companies WHERE company_id = ?`, []any{companyID}, func(r *sql.Rows) error {
		var id int64
		err := r.Scan(&id)
		ids = append(ids, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("crm: company %d people: %w", companyID, err)
	}
	for _, id := range ids {
		if err := reindexContact(ctx, tx, id); err != nil {
			return err
		}
	}
	return nil
}

func writeCompanyChildren(ctx context.Context, tx queryer, co *Company) error {
	if err := writeAddresses(ctx, tx, "company_id", co.ID, co.Addresses); err != nil {
		return err
	}
	ids, err := tagIDs(ctx, tx, co.Tags)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO company_tags (company_id, tag_id) VALUES (?, ?)`, co.ID, id); err != nil {
			return fmt.Errorf("crm: company %d tag: %w", co.ID, err)
		}
	}
	return nil
}

// Company returns one company with its people, or ErrNotFound.
func (s *Store) Company(ctx context.Context, id int64) (*Company, error) {
	co := &Company{}
	err := s.read(ctx, func(tx *sql.Tx) error {
		const q = `
			SELECT id, name, siren, siret, vat_number, website, sector, notes, owner, created_at, updated_at
			FROM companies WHERE id = ? AND deleted_at IS NULL`
		err := tx.QueryRowContext(ctx, q, id).Scan(&co.ID, &co.Name, &co.SIREN, &co.SIRET, &co.VATNumber, &co.Website, &co.Sector, &co.Notes, &co.Owner, &co.CreatedAt, &co.UpdatedAt)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if co.Addresses, err = loadAddresses(ctx, tx, "company_id", id); err != nil {
			return err
		}
		co.Tags, co.People = []string{}, []Person{}
		err = each(ctx, tx, `SELECT t.name FROM company_tags ct JOIN tags t ON t.id = ct.tag_id WHERE ct.company_id = ? ORDER BY t.name COLLATE NOCASE`, []any{id}, func(r *sql.Rows) error {
			var t string
			err := r.Scan(&t)
			co.Tags = append(co.Tags, t)
			return err
		})
		if err != nil {
			return err
		}
		const people = `
			SELECT c.id, trim(c.given_name || ' ' || c.family_name), cc.role
			FROM contact_companies cc JOIN contacts c ON c.id = cc.contact_id
			WHERE cc.company_id = ? AND c.deleted_at IS NULL ORDER BY c.sort_name`
		return each(ctx, tx, people, []any{id}, func(r *sql.Rows) error {
			var p Person
			err := r.Scan(&p.ContactID, &p.Name, &p.Role)
			co.People = append(co.People, p)
			return err
		})
	})
	if errors.Is(err, ErrNotFound) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("crm: company %d: %w", id, err)
	}
	return co, nil
}

// DeleteCompany removes a company; its people stay, without the link.
// Companies are not trashed: they hold no personal data of their own.
func (s *Store) DeleteCompany(ctx context.Context, id int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		var people []int64
		err := each(ctx, tx, `SELECT contact_id FROM contact_companies WHERE company_id = ?`, []any{id}, func(r *sql.Rows) error {
			var c int64
			err := r.Scan(&c)
			people = append(people, c)
			return err
		})
		if err != nil {
			return fmt.Errorf("crm: delete company %d: %w", id, err)
		}
		if err := unindexTimeline(ctx, tx, "company_id", id); err != nil {
			return err
		}
		if err := setDocument(ctx, tx, searchRowID(kindCompany, id), "", ""); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM companies WHERE id = ?`, id)
		if err != nil {
			return fmt.Errorf("crm: delete company %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		for _, c := range people {
			if err := reindexContact(ctx, tx, c); err != nil {
				return err
			}
		}
		return nil
	})
}

// CompanyByName finds a live company by exact name, ignoring case.
func companyByName(ctx context.Context, tx queryer, name string) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM companies WHERE name = ? COLLATE NOCASE AND deleted_at IS NULL ORDER BY id LIMIT 1`, name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// CompanyEmail is the first e-mail address of the company's people, for
// writing to a company: "" when none has one.
func (s *Store) CompanyEmail(ctx context.Context, id int64) (string, error) {
	var addr string
	err := txn.On(ctx, s.db).QueryRowContext(ctx, `SELECT e.address FROM contact_companies cc
		JOIN contacts c ON c.id = cc.contact_id AND c.deleted_at IS NULL
		JOIN contact_emails e ON e.contact_id = c.id
		WHERE cc.company_id = ? ORDER BY c.id, e.position LIMIT 1`, id).Scan(&addr)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return addr, err
}
