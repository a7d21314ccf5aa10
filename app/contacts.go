package app

import (
	"context"
	"database/sql"
	"sync"

	"carnet/backend/core"
	"carnet/backend/crm"
	"carnet/backend/i18n"
)

// Dialogs asks the user where to save a file, which folder or file to use,
// and opens saved files. The desktop build uses the native dialogs and the
// system's viewer; the browser bridge answers with a folder chosen for
// tests. A cancelled dialog answers "".
type Dialogs interface {
	SaveFile(ctx context.Context, title, defaultName string) (string, error)
	ChooseFolder(ctx context.Context, title string) (string, error)
	OpenFile(ctx context.Context, title, extension string) (string, error)
	Open(ctx context.Context, path string) error
}

// Contacts is bound to the frontend: the people of the CRM, their custom
// fields, saved filters, duplicates and exports. Companies, Activities and
// ContactImport hold the rest. The use cases are in backend/core
// (contacts.go); the lists are read from crm.
type Contacts struct {
	vault   *Vault
	i18n    *i18n.Bundle
	dialogs Dialogs
	lang    func() string

	mu       sync.Mutex
	snapshot *crm.Snapshot // the contact list being scrolled
}

// List returns one page of the contact list. A query with WithTotal (a new
// filter or sort, or data changed) takes a new snapshot of the list's ids;
// the pages that follow read from it, as fast deep down as at the top.
func (c *Contacts) List(q crm.ListQuery) (_ crm.Page, err error) {
	defer guard(&err)
	return useDB(c.vault, func(ctx context.Context, db *sql.DB) (crm.Page, error) {
		s := crm.New(db, nil)
		c.mu.Lock()
		sn := c.snapshot
		c.mu.Unlock()
		if q.WithTotal || !sn.Matches(q) {
			var err error
			if sn, err = s.Snapshot(ctx, q); err != nil {
				return crm.Page{}, err
			}
			c.mu.Lock()
			c.snapshot = sn
			c.mu.Unlock()
		}
		return s.Page(ctx, sn, q.Offset, q.Limit)
	})
}

// forget drops the list snapshot: called when the vault locks.
func (c *Contacts) forget() {
	c.mu.Lock()
	c.snapshot = nil
	c.mu.Unlock()
}

// Get returns one contact, sensitive values hidden (RevealField shows
// one); the view is in the audit log.
func (c *Contacts) Get(id int64) (_ *crm.Contact, err error) {
	defer guard(&err)
	return useCore(c.vault, func(ctx context.Context, co *core.Core) (*crm.Contact, error) { return co.ViewContact(ctx, id) })
}

// RevealField shows a sensitive value; showing it is logged.
func (c *Contacts) RevealField(contactID, fieldID int64) (_ string, err error) {
	defer guard(&err)
	return useCore(c.vault, func(ctx context.Context, co *core.Core) (string, error) {
		return co.RevealField(ctx, contactID, fieldID)
	})
}

// CustomFields lists the fields added to contacts.
func (c *Contacts) CustomFields() (_ []crm.CustomField, err error) {
	defer guard(&err)
	return useDB(c.vault, func(ctx context.Context, db *sql.DB) ([]crm.CustomField, error) {
		return crm.New(db, nil).CustomFields(ctx)
	})
}

// SaveCustomField creates or updates a custom field.
func (c *Contacts) SaveCustomField(f crm.CustomField) (_ int64, err error) {
	defer guard(&err)
	return useCore(c.vault, func(ctx context.Context, co *core.Core) (int64, error) { return co.SaveCustomField(ctx, f) })
}

// DeleteCustomField removes a field and all its values.
func (c *Contacts) DeleteCustomField(id int64) (err error) {
	defer guard(&err)
	return doCore(c.vault, func(ctx context.Context, co *core.Core) error { return co.DeleteCustomField(ctx, id) })
}

// Save creates (ID 0) or updates a contact and returns its id. The audit
// log names the fields that changed.
func (c *Contacts) Save(contact crm.Contact) (_ int64, err error) {
	defer guard(&err)
	return useCore(c.vault, func(ctx context.Context, co *core.Core) (int64, error) { return co.SaveContact(ctx, contact) })
}

// Delete moves a contact to the trash.
func (c *Contacts) Delete(id int64) (err error) {
	defer guard(&err)
	return doCore(c.vault, func(ctx context.Context, co *core.Core) error { return co.DeleteContact(ctx, id) })
}

// Restore takes a contact back from the trash.
func (c *Contacts) Restore(id int64) (err error) {
	defer guard(&err)
	return doCore(c.vault, func(ctx context.Context, co *core.Core) error { return co.RestoreContact(ctx, id) })
}

// Trash lists deleted contacts.
func (c *Contacts) Trash() (_ []crm.TrashItem, err error) {
	defer guard(&err)
	return useDB(c.vault, func(ctx context.Context, db *sql.DB) ([]crm.TrashItem, error) { return crm.New(db, nil).Trash(ctx) })
}

// Search finds contacts, companies and notes.
func (c *Contacts) Search(query string, limit int) (_ []crm.Hit, err error) {
	defer guard(&err)
	return useDB(c.vault, func(ctx context.Context, db *sql.DB) ([]crm.Hit, error) {
		return crm.New(db, nil).Search(ctx, query, limit)
	})
}

// Choices are the values the list filters offer.
type Choices struct {
	Tags     []string           `json:"tags"`
	Owners   []string           `json:"owners"`
	Segments []crm.Segment      `json:"segments"`
	Fields   []string           `json:"fields"` // import mapping targets
	Kinds    []string           `json:"kinds"`  // activity kinds
	Rels     []crm.Relationship `json:"relationships"`
}

// Choices returns tags, owners and saved segments.
func (c *Contacts) Choices() (_ Choices, err error) {
	defer guard(&err)
	return useDB(c.vault, func(ctx context.Context, db *sql.DB) (Choices, error) {
		s := crm.New(db, nil)
		var ch Choices
		var err error
		if ch.Tags, err = s.Tags(ctx); err != nil {
			return ch, err
		}
		if ch.Owners, err = s.Owners(ctx); err != nil {
			return ch, err
		}
		ch.Segments, err = s.Segments(ctx)
		ch.Fields, ch.Kinds, ch.Rels = crm.ImportFields, crm.ActivityKinds, crm.Relationships
		return ch, err
	})
}

// SaveSegment saves a named filter.
func (c *Contacts) SaveSegment(seg crm.Segment) (_ int64, err error) {
	defer guard(&err)
	return useCore(c.vault, func(ctx context.Context, co *core.Core) (int64, error) { return co.SaveSegment(ctx, seg) })
}

// DeleteSegment removes a saved filter.
func (c *Contacts) DeleteSegment(id int64) (err error) {
	defer guard(&err)
	return doCore(c.vault, func(ctx context.Context, co *core.Core) error { return co.DeleteSegment(ctx, id) })
}

// Duplicates lists likely duplicate pairs.
func (c *Contacts) Duplicates() (_ []crm.DuplicatePair, err error) {
	defer guard(&err)
	return useDB(c.vault, func(ctx context.Context, db *sql.DB) ([]crm.DuplicatePair, error) {
		return crm.New(db, nil).Duplicates(ctx, 200)
	})
}

// Merge makes one contact of keep and drop with the fields chosen.
func (c *Contacts) Merge(keep, drop int64, chosen crm.Contact) (_ *crm.Contact, err error) {
	defer guard(&err)
	return useCore(c.vault, func(ctx context.Context, co *core.Core) (*crm.Contact, error) {
		return co.MergeContacts(ctx, keep, drop, chosen)
	})
}

// Export writes every contact matching filter to a file the user picks,
// as CSV (delimiter ";" or ",") or vCard. It returns the file written, or
// "" when the user cancelled the dialog.
func (c *Contacts) Export(filter crm.Filter, format, delimiter string, includeSensitive bool) (_ string, err error) {
	defer guard(&err)
	name := "carnet-contacts.csv"
	if format == core.FormatVCard {
		name = "carnet-contacts.vcf"
	}
	path, err := c.dialogs.SaveFile(c.vault.ctx, c.i18n.T(c.lang(), "export.dialog_title", nil), name)
	if err != nil || path == "" {
		return "", core.ForUser(err)
	}
	e := core.ContactExport{Filter: filter, Format: format, Delimiter: delimiter, Sensitive: includeSensitive}
	return useCore(c.vault, func(ctx context.Context, co *core.Core) (string, error) {
		_, err := co.ExportContacts(ctx, e, path)
		return path, err
	})
}
