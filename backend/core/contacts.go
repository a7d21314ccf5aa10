package core

import (
	"bytes"
	"context"
	"errors"

	"carnet/backend/crm"
	"carnet/backend/i18n"
	"carnet/backend/privacy"
)

// The contacts use cases: what a person does with the people, companies,
// timelines and saved filters of the CRM. The reads that are no use case
// (lists, search, trash, choices) stay with the callers, on crm directly.
//
// Audited (GDPR Art. 5(2) and 30: who read, changed, disclosed whose
// record): viewing a contact, showing a sensitive value, creating,
// editing, trashing, restoring, merging and exporting contacts, and
// defining or deleting a custom field (it decides what is kept about
// everyone, Art. 9 for sensitive ones). Companies, timeline entries,
// tasks, reminders and saved filters are written through change without
// an entry, as the window always did: companies are legal persons, filters
// hold no one's data, and a note is the user's own working record of a
// contact whose reads and exports are what the log follows.

func (c *Core) crm() *crm.Store { return crm.New(c.db, c.now) }

// ViewContact returns one contact, sensitive values hidden (RevealField
// shows one), and records the view (GDPR Art. 5(2) and 32: who read whose
// record).
func (c *Core) ViewContact(ctx context.Context, id int64) (*crm.Contact, error) {
	var ct *crm.Contact
	err := c.change(ctx, func(ctx context.Context) (err error) {
		if ct, err = c.crm().Contact(ctx, id); err != nil {
			return err
		}
		ct.HideSensitive()
		return c.audit(ctx, "contact.view", "contact", id, nil)
	})
	return ct, err
}

// RevealField returns one sensitive value of a contact and records that it
// was shown (Art. 9 and 32: special categories are read on purpose, and
// the log says by whom).
func (c *Core) RevealField(ctx context.Context, contactID, fieldID int64) (string, error) {
	var v string
	err := c.change(ctx, func(ctx context.Context) (err error) {
		if v, err = c.crm().FieldValueOf(ctx, contactID, fieldID); err != nil {
			return err
		}
		return c.audit(ctx, "contact.reveal", "contact", contactID, map[string]any{"field": fieldID})
	})
	return v, err
}

// SaveCustomField creates (ID 0) or updates a field added to contacts and
// returns its id. The register of processing (Art. 30) follows these
// fields, so defining one is recorded, with whether it is sensitive.
func (c *Core) SaveCustomField(ctx context.Context, f crm.CustomField) (int64, error) {
	var id int64
	err := c.change(ctx, func(ctx context.Context) (err error) {
		if id, err = c.crm().SaveCustomField(ctx, f); err != nil {
			return err
		}
		return c.audit(ctx, "field.save", "field", id, map[string]any{"sensitive": f.Sensitive})
	})
	return id, err
}

// DeleteCustomField removes a field and every value of it.
func (c *Core) DeleteCustomField(ctx context.Context, id int64) error {
	return c.change(ctx, func(ctx context.Context) error {
		if err := c.crm().DeleteCustomField(ctx, id); err != nil {
			return err
		}
		return c.audit(ctx, "field.delete", "field", id, nil)
	})
}

// SaveContact creates (ID 0) or updates a contact and returns its id. An
// edit's entry names the fields that changed, never their values.
func (c *Core) SaveContact(ctx context.Context, ct crm.Contact) (int64, error) {
	id := ct.ID
	err := c.change(ctx, func(ctx context.Context) (err error) {
		s := c.crm()
		if ct.ID == 0 {
			if id, err = s.CreateContact(ctx, ct); err != nil {
				return err
			}
			return c.audit(ctx, "contact.create", "contact", id, nil)
		}
		before, err := s.Contact(ctx, ct.ID)
		if err != nil {
			return err
		}
		if err := s.UpdateContact(ctx, ct); err != nil {
			return err
		}
		after, err := s.Contact(ctx, ct.ID)
		if err != nil {
			return err
		}
		return c.audit(ctx, "contact.edit", "contact", id, map[string]any{"fields": privacy.ChangedFields(before, after)})
	})
	return id, err
}

// DeleteContact moves a contact to the trash (purged after 30 days).
func (c *Core) DeleteContact(ctx context.Context, id int64) error {
	return c.change(ctx, func(ctx context.Context) error {
		if err := c.crm().DeleteContact(ctx, id); err != nil {
			return err
		}
		return c.audit(ctx, "contact.delete", "contact", id, nil)
	})
}

// RestoreContact takes a contact back from the trash.
func (c *Core) RestoreContact(ctx context.Context, id int64) error {
	return c.change(ctx, func(ctx context.Context) error {
		if err := c.crm().RestoreContact(ctx, id); err != nil {
			return err
		}
		return c.audit(ctx, "contact.restore", "contact", id, nil)
	})
}

// MergeContacts makes one contact of keep and drop with the values chosen;
// the entry is on the contact kept and names the one merged into it.
func (c *Core) MergeContacts(ctx context.Context, keep, drop int64, chosen crm.Contact) (*crm.Contact, error) {
	var ct *crm.Contact
	err := c.change(ctx, func(ctx context.Context) (err error) {
		if ct, err = c.crm().Merge(ctx, keep, drop, chosen); err != nil {
			return err
		}
		return c.audit(ctx, "contact.merge", "contact", keep, map[string]any{"merged": drop})
	})
	return ct, err
}

// Export formats.
const (
	FormatCSV   = "csv"
	FormatVCard = "vcard"
)

// ErrExportFormat is an export format or CSV delimiter Carnet does not write.
var ErrExportFormat = errors.New("core: unknown export format")

// ContactExport is what to export and how.
type ContactExport struct {
	Filter    crm.Filter
	Format    string // FormatCSV or FormatVCard
	Delimiter string // ";" or ",", for CSV
	// Sensitive adds the special categories of data (Art. 9) to a CSV;
	// without it they stay out.
	Sensitive bool
}

// ExportContacts writes the contacts matching e.Filter to path and records
// who exported how many, in which format, sensitive values or not (Art.
// 5(2)). The file is written last in the transaction: a failed audit entry
// leaves no file, and a file that cannot be written leaves no entry.
func (c *Core) ExportContacts(ctx context.Context, e ContactExport, path string) (int, error) {
	if e.Format != FormatCSV && e.Format != FormatVCard || e.Format == FormatCSV && e.Delimiter != ";" && e.Delimiter != "," {
		return 0, ErrExportFormat
	}
	var n int
	err := c.exportFile(ctx, path, func(ctx context.Context) ([]byte, entry, error) {
		s := c.crm()
		all, err := s.ExportContacts(ctx, e.Filter)
		if err != nil {
			return nil, entry{}, err
		}
		var b bytes.Buffer
		if e.Format == FormatVCard {
			err = crm.WriteVCards(&b, all)
		} else {
			var fields []crm.CustomField
			if fields, err = ExportedFields(ctx, s, e.Sensitive); err == nil {
				err = crm.WriteCSV(&b, all, rune(e.Delimiter[0]), CSVLabels(c.i18n, c.lang()), fields)
			}
		}
		if err != nil {
			return nil, entry{}, err
		}
		n = len(all)
		// A vCard never carries custom fields, whatever was asked.
		detail := map[string]any{"format": e.Format, "count": n, "sensitive": e.Sensitive && e.Format == FormatCSV}
		return b.Bytes(), entry{"export.contacts", "", 0, detail}, nil
	})
	return n, err
}

// ExportedFields are the custom columns of a CSV export: sensitive ones
// only when the user chose to include them.
func ExportedFields(ctx context.Context, s *crm.Store, includeSensitive bool) ([]crm.CustomField, error) {
	all, err := s.CustomFields(ctx)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, f := range all {
		if !f.Sensitive || includeSensitive {
			out = append(out, f)
		}
	}
	return out, nil
}

// CSVLabels are the export's column headers and relationship words in lang,
// taken from the shared translations (the importer reads them back).
func CSVLabels(b *i18n.Bundle, lang string) crm.CSVLabels {
	l := crm.CSVLabels{Headers: map[string]string{}, Relationships: map[crm.Relationship]string{}}
	for _, f := range crm.ImportFields {
		l.Headers[f] = b.T(lang, "field."+f, nil)
	}
	for _, r := range crm.Relationships {
		l.Relationships[r] = b.T(lang, "relationship."+string(r), nil)
	}
	return l
}

// Companies.

// SaveCompany creates (ID 0) or updates a company and returns its id.
func (c *Core) SaveCompany(ctx context.Context, co crm.Company) (int64, error) {
	id := co.ID
	err := c.change(ctx, func(ctx context.Context) (err error) {
		if co.ID == 0 {
			id, err = c.crm().CreateCompany(ctx, co)
			return err
		}
		return c.crm().UpdateCompany(ctx, co)
	})
	return id, err
}

// DeleteCompany removes a company; its people stay.
func (c *Core) DeleteCompany(ctx context.Context, id int64) error {
	return c.change(ctx, func(ctx context.Context) error { return c.crm().DeleteCompany(ctx, id) })
}

// Timelines and tasks.

// SaveActivity adds (ID 0) or updates a note, call, meeting or task.
func (c *Core) SaveActivity(ctx context.Context, a crm.Activity) (int64, error) {
	id := a.ID
	err := c.change(ctx, func(ctx context.Context) (err error) {
		if a.ID == 0 {
			id, err = c.crm().AddActivity(ctx, a)
			return err
		}
		return c.crm().UpdateActivity(ctx, a)
	})
	return id, err
}

// SetTaskDone ticks or unticks a task.
func (c *Core) SetTaskDone(ctx context.Context, id int64, done bool) error {
	return c.change(ctx, func(ctx context.Context) error { return c.crm().SetTaskDone(ctx, id, done) })
}

// DeleteActivity removes a timeline entry.
func (c *Core) DeleteActivity(ctx context.Context, id int64) error {
	return c.change(ctx, func(ctx context.Context) error { return c.crm().DeleteActivity(ctx, id) })
}

// DismissReminder clears a task's reminder.
func (c *Core) DismissReminder(ctx context.Context, id int64) error {
	return c.change(ctx, func(ctx context.Context) error { return c.crm().DismissReminder(ctx, id) })
}

// Saved filters.

// SaveSegment saves a named filter of the contact list and returns its id.
func (c *Core) SaveSegment(ctx context.Context, seg crm.Segment) (int64, error) {
	var id int64
	err := c.change(ctx, func(ctx context.Context) (err error) {
		id, err = c.crm().SaveSegment(ctx, seg)
		return err
	})
	return id, err
}

// DeleteSegment removes a saved filter.
func (c *Core) DeleteSegment(ctx context.Context, id int64) error {
	return c.change(ctx, func(ctx context.Context) error { return c.crm().DeleteSegment(ctx, id) })
}
