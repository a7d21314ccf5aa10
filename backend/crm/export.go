package crm

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"strings"

	"carnet/backend/csvsafe"
)

// ExportContacts loads every live contact matching f, in list order.
// Restricted and archived contacts are never exported.
func (s *Store) ExportContacts(ctx context.Context, f Filter) ([]*Contact, error) {
	if f.Archived {
		return nil, ErrArchived
	}
	if f.Restricted {
		return nil, ErrRestricted
	}
	where, args, err := f.where()
	if err != nil {
		return nil, err
	}
	var out []*Contact
	err = s.read(ctx, func(tx *sql.Tx) error {
		var ids []int64
		err := each(ctx, tx, `SELECT c.id FROM contacts c WHERE `+where+` ORDER BY c.sort_name, c.id`, args, func(r *sql.Rows) error {
			var id int64
			err := r.Scan(&id)
			ids = append(ids, id)
			return err
		})
		if err != nil {
			return err
		}
		q := newStmtCache(tx)
		defer q.close()
		for _, id := range ids {
			c, err := loadContact(ctx, q, id)
			if err != nil {
				return err
			}
			out = append(out, c)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("crm: export: %w", err)
	}
	return out, nil
}

// CSVLabels are the column headers and relationship words of an export,
// in the user's language (the importer reads them back).
type CSVLabels struct {
	Headers       map[string]string       // field → header
	Relationships map[Relationship]string // relationship → word
}

// exportFields are the columns of a CSV export.
var exportFields = []string{
	FieldGivenName, FieldFamilyName, FieldEmail, FieldPhone, FieldCompany, FieldJobTitle, FieldStreet,
	FieldPostalCode, FieldCity, FieldCountry, FieldWebsite, FieldBirthday, FieldTags, FieldRelationship,
	FieldOwner, FieldSource, FieldLastInbound, FieldLanguage, FieldNotes,
}

// WriteCSV writes contacts as CSV with a UTF-8 byte-order mark, so that
// Excel reads the accents; comma is ';' for French Excel or ','.
// Several e-mails or phones share their column, separated by commas.
func WriteCSV(w io.Writer, contacts []*Contact, comma rune, labels CSVLabels, fields []CustomField) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return fmt.Errorf("crm: write CSV: %w", err)
	}
	cw := csvsafe.NewWriter(w) // every cell defused, headers too
	cw.Comma = comma
	cw.UseCRLF = true
	header := make([]string, len(exportFields))
	for i, f := range exportFields {
		header[i] = labels.Headers[f]
		if header[i] == "" {
			header[i] = f
		}
	}
	for _, f := range fields { // custom fields follow, by name
		header = append(header, f.Name)
	}
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("crm: write CSV: %w", err)
	}
	for _, c := range contacts {
		var emails, phones, rels []string
		for _, e := range c.Emails {
			emails = append(emails, e.Address)
		}
		for _, p := range c.Phones {
			phones = append(phones, p.Number)
		}
		for _, r := range c.Relationships {
			word := labels.Relationships[r]
			if word == "" {
				word = string(r)
			}
			rels = append(rels, word)
		}
		var a Address
		if len(c.Addresses) > 0 {
			a = c.Addresses[0]
		}
		company := ""
		if len(c.Companies) > 0 {
			company = c.Companies[0].CompanyName
		}
		last := c.LastInboundAt
		if len(last) >= 10 {
			last = last[:10]
		}
		rec := []string{
			c.GivenName, c.FamilyName, strings.Join(emails, ", "), strings.Join(phones, ", "), company, c.JobTitle,
			a.Street, a.PostalCode, a.City, a.Country, c.Website, c.Birthday, strings.Join(c.Tags, ", "),
			strings.Join(rels, ", "), c.Owner, c.Source, last, c.Language, c.Notes,
		}
		for _, f := range fields {
			v := ""
			for _, fv := range c.Fields {
				if fv.FieldID == f.ID {
					v = fv.Value
				}
			}
			rec = append(rec, v)
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("crm: write CSV: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("crm: write CSV: %w", err)
	}
	return nil
}
