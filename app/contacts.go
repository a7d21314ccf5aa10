package app

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"log/slog"
	"path/filepath"
	"sync"
	"time"

	"carnet/backend/core"
	"carnet/backend/crm"
	"carnet/backend/fsutil"
	"carnet/backend/i18n"
	"carnet/backend/privacy"
	"carnet/backend/sales"
)

// Events sent while an import runs.
const EventImportProgress = "progress:import" // data: Progress

// Progress reports long work.
type Progress struct {
	Done  int `json:"done"`
	Total int `json:"total"`
}

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

// Contacts is bound to the frontend: the CRM core.
type Contacts struct {
	vault   *Vault
	i18n    *i18n.Bundle
	dialogs Dialogs
	lang    func() string

	mu       sync.Mutex
	pending  map[string]*pendingImport // parsed files awaiting the user's mapping, in memory only
	cancel   context.CancelFunc        // of the import running, if any
	snapshot *crm.Snapshot             // the contact list being scrolled

	running sync.WaitGroup // the import and the checkpoint after it, waited for at lock
}

type pendingImport struct {
	name  string
	csv   *crm.CSVFile    // nil for vCard
	cards []crm.Candidate // vCard candidates
}

func (c *Contacts) store() (*crm.Store, error) {
	db, err := c.vault.db()
	if err != nil {
		return nil, err
	}
	return crm.New(db, nil), nil
}

// with runs fn on the unlocked store and maps its error for the user.
func with[T any](c *Contacts, fn func(ctx context.Context, s *crm.Store) (T, error)) (T, error) {
	var zero T
	s, err := c.store()
	if err != nil {
		return zero, userError(err)
	}
	v, err := fn(c.vault.ctx, s)
	if err != nil {
		return zero, userError(err)
	}
	return v, nil
}

// List returns one page of the contact list. A query with WithTotal (a new
// filter or sort, or data changed) takes a new snapshot of the list's ids;
// the pages that follow read from it, as fast deep down as at the top.
func (c *Contacts) List(q crm.ListQuery) (_ crm.Page, err error) {
	defer guard(&err)
	return with(c, func(ctx context.Context, s *crm.Store) (crm.Page, error) {
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

// Get returns one contact, sensitive values hidden (RevealField shows
// one); the view is in the audit log.
func (c *Contacts) Get(id int64) (_ *crm.Contact, err error) {
	defer guard(&err)
	ct, err := with(c, func(ctx context.Context, s *crm.Store) (*crm.Contact, error) { return s.Contact(ctx, id) })
	if err == nil {
		ct.HideSensitive()
		c.vault.audit("contact.view", "contact", id, nil)
	}
	return ct, err
}

// RevealField shows a sensitive value; showing it is logged.
func (c *Contacts) RevealField(contactID, fieldID int64) (_ string, err error) {
	defer guard(&err)
	v, err := with(c, func(ctx context.Context, s *crm.Store) (string, error) {
		return s.FieldValueOf(ctx, contactID, fieldID)
	})
	if err == nil {
		c.vault.audit("contact.reveal", "contact", contactID, map[string]any{"field": fieldID})
	}
	return v, err
}

// CustomFields lists the fields added to contacts.
func (c *Contacts) CustomFields() (_ []crm.CustomField, err error) {
	defer guard(&err)
	return with(c, func(ctx context.Context, s *crm.Store) ([]crm.CustomField, error) { return s.CustomFields(ctx) })
}

// SaveCustomField creates or updates a custom field.
func (c *Contacts) SaveCustomField(f crm.CustomField) (_ int64, err error) {
	defer guard(&err)
	id, err := with(c, func(ctx context.Context, s *crm.Store) (int64, error) { return s.SaveCustomField(ctx, f) })
	if err == nil {
		c.vault.audit("field.save", "field", id, map[string]any{"sensitive": f.Sensitive})
	}
	return id, err
}

// DeleteCustomField removes a field and all its values.
func (c *Contacts) DeleteCustomField(id int64) (err error) {
	defer guard(&err)
	_, err = with(c, func(ctx context.Context, s *crm.Store) (any, error) { return nil, s.DeleteCustomField(ctx, id) })
	if err == nil {
		c.vault.audit("field.delete", "field", id, nil)
	}
	return err
}

// Save creates (ID 0) or updates a contact and returns its id. The audit
// log names the fields that changed.
func (c *Contacts) Save(contact crm.Contact) (_ int64, err error) {
	defer guard(&err)
	var fields []string
	id, err := with(c, func(ctx context.Context, s *crm.Store) (int64, error) {
		if contact.ID == 0 {
			return s.CreateContact(ctx, contact)
		}
		before, err := s.Contact(ctx, contact.ID)
		if err != nil {
			return 0, err
		}
		if err := s.UpdateContact(ctx, contact); err != nil {
			return 0, err
		}
		after, err := s.Contact(ctx, contact.ID)
		if err != nil {
			return 0, err
		}
		fields = privacy.ChangedFields(before, after)
		return contact.ID, nil
	})
	switch {
	case err != nil:
	case contact.ID == 0:
		c.vault.audit("contact.create", "contact", id, nil)
	default:
		c.vault.audit("contact.edit", "contact", id, map[string]any{"fields": fields})
	}
	return id, err
}

// Delete moves a contact to the trash.
func (c *Contacts) Delete(id int64) (err error) {
	defer guard(&err)
	_, err = with(c, func(ctx context.Context, s *crm.Store) (any, error) { return nil, s.DeleteContact(ctx, id) })
	if err == nil {
		c.vault.audit("contact.delete", "contact", id, nil)
	}
	return err
}

// Restore takes a contact back from the trash.
func (c *Contacts) Restore(id int64) (err error) {
	defer guard(&err)
	_, err = with(c, func(ctx context.Context, s *crm.Store) (any, error) { return nil, s.RestoreContact(ctx, id) })
	if err == nil {
		c.vault.audit("contact.restore", "contact", id, nil)
	}
	return err
}

// Trash lists deleted contacts.
func (c *Contacts) Trash() (_ []crm.TrashItem, err error) {
	defer guard(&err)
	return with(c, func(ctx context.Context, s *crm.Store) ([]crm.TrashItem, error) { return s.Trash(ctx) })
}

// Companies returns one page of companies whose name starts with prefix.
func (c *Contacts) Companies(prefix string, offset, limit int) (_ crm.CompanyPage, err error) {
	defer guard(&err)
	return with(c, func(ctx context.Context, s *crm.Store) (crm.CompanyPage, error) {
		return s.ListCompanies(ctx, prefix, offset, limit)
	})
}

// GetCompany returns one company with its people.
func (c *Contacts) GetCompany(id int64) (_ *crm.Company, err error) {
	defer guard(&err)
	return with(c, func(ctx context.Context, s *crm.Store) (*crm.Company, error) { return s.Company(ctx, id) })
}

// SaveCompany creates (ID 0) or updates a company and returns its id.
func (c *Contacts) SaveCompany(co crm.Company) (_ int64, err error) {
	defer guard(&err)
	return with(c, func(ctx context.Context, s *crm.Store) (int64, error) {
		if co.ID == 0 {
			return s.CreateCompany(ctx, co)
		}
		return co.ID, s.UpdateCompany(ctx, co)
	})
}

// DeleteCompany removes a company; its people stay.
func (c *Contacts) DeleteCompany(id int64) (err error) {
	defer guard(&err)
	_, err = with(c, func(ctx context.Context, s *crm.Store) (any, error) { return nil, s.DeleteCompany(ctx, id) })
	return err
}

// Timeline returns the activities of a contact or a company.
func (c *Contacts) Timeline(contactID, companyID int64) (_ []crm.Activity, err error) {
	defer guard(&err)
	return with(c, func(ctx context.Context, s *crm.Store) ([]crm.Activity, error) {
		return s.Timeline(ctx, contactID, companyID)
	})
}

// SaveActivity adds (ID 0) or updates a note, call, meeting or task.
func (c *Contacts) SaveActivity(a crm.Activity) (_ int64, err error) {
	defer guard(&err)
	return with(c, func(ctx context.Context, s *crm.Store) (int64, error) {
		if a.ID == 0 {
			return s.AddActivity(ctx, a)
		}
		return a.ID, s.UpdateActivity(ctx, a)
	})
}

// SetTaskDone ticks or unticks a task.
func (c *Contacts) SetTaskDone(id int64, done bool) (err error) {
	defer guard(&err)
	_, err = with(c, func(ctx context.Context, s *crm.Store) (any, error) { return nil, s.SetTaskDone(ctx, id, done) })
	return err
}

// DeleteActivity removes a timeline entry.
func (c *Contacts) DeleteActivity(id int64) (err error) {
	defer guard(&err)
	_, err = with(c, func(ctx context.Context, s *crm.Store) (any, error) { return nil, s.DeleteActivity(ctx, id) })
	return err
}

// Tasks returns the open tasks due today or overdue (all: every open task).
func (c *Contacts) Tasks(all bool) (_ []crm.Activity, err error) {
	defer guard(&err)
	return with(c, func(ctx context.Context, s *crm.Store) ([]crm.Activity, error) {
		return s.Tasks(ctx, time.Now().Format(time.DateOnly), all)
	})
}

// DueReminders returns the task reminders whose time has come.
func (c *Contacts) DueReminders() (_ []crm.Activity, err error) {
	defer guard(&err)
	return with(c, func(ctx context.Context, s *crm.Store) ([]crm.Activity, error) { return s.DueReminders(ctx) })
}

// DismissReminder clears a task's reminder.
func (c *Contacts) DismissReminder(id int64) (err error) {
	defer guard(&err)
	_, err = with(c, func(ctx context.Context, s *crm.Store) (any, error) { return nil, s.DismissReminder(ctx, id) })
	return err
}

// Search finds contacts, companies and notes.
func (c *Contacts) Search(query string, limit int) (_ []crm.Hit, err error) {
	defer guard(&err)
	return with(c, func(ctx context.Context, s *crm.Store) ([]crm.Hit, error) { return s.Search(ctx, query, limit) })
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
	return with(c, func(ctx context.Context, s *crm.Store) (Choices, error) {
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
	return with(c, func(ctx context.Context, s *crm.Store) (int64, error) { return s.SaveSegment(ctx, seg) })
}

// DeleteSegment removes a saved filter.
func (c *Contacts) DeleteSegment(id int64) (err error) {
	defer guard(&err)
	_, err = with(c, func(ctx context.Context, s *crm.Store) (any, error) { return nil, s.DeleteSegment(ctx, id) })
	return err
}

// Duplicates lists likely duplicate pairs.
func (c *Contacts) Duplicates() (_ []crm.DuplicatePair, err error) {
	defer guard(&err)
	return with(c, func(ctx context.Context, s *crm.Store) ([]crm.DuplicatePair, error) { return s.Duplicates(ctx, 200) })
}

// Merge makes one contact of keep and drop with the fields chosen.
func (c *Contacts) Merge(keep, drop int64, chosen crm.Contact) (_ *crm.Contact, err error) {
	defer guard(&err)
	ct, err := with(c, func(ctx context.Context, s *crm.Store) (*crm.Contact, error) { return s.Merge(ctx, keep, drop, chosen) })
	if err == nil {
		c.vault.audit("contact.merge", "contact", keep, map[string]any{"merged": drop})
	}
	return ct, err
}

// GenerateDemo adds sample data ("try Carnet with sample data"): contacts,
// companies, notes and tasks, then a catalogue, quotes, invoices and
// credit notes.
func (c *Contacts) GenerateDemo(contacts int) (_ crm.DemoSummary, err error) {
	defer guard(&err)
	db, err := c.vault.db()
	if err != nil {
		return crm.DemoSummary{}, userError(err)
	}
	s := crm.New(db, nil)
	sum, err := s.GenerateDemo(c.vault.ctx, crm.DemoOptions{Contacts: min(max(contacts, 1), 5000), Seed: 2026})
	if err != nil {
		return sum, userError(err)
	}
	if _, err := DemoSales(c.vault.ctx, s, sales.New(db, nil), 2026); err != nil {
		return sum, userError(err)
	}
	return sum, nil
}

// ImportPreview is a file read for import, awaiting the user's mapping.
type ImportPreview struct {
	Token     string     `json:"token"`
	Name      string     `json:"name"`
	Kind      string     `json:"kind"` // "csv" or "vcard"
	Encoding  string     `json:"encoding"`
	Delimiter string     `json:"delimiter"`
	Headers   []string   `json:"headers"`
	Mapping   []string   `json:"mapping"`
	Preview   [][]string `json:"preview"`
	Rows      int        `json:"rows"`
}

// PreviewImport reads a CSV or vCard file sent by the page (base64) and
// returns its columns with a suggested mapping. The content stays in
// memory: nothing is written until the import runs, and then only to the
// vault.
func (c *Contacts) PreviewImport(name, contentBase64 string) (_ ImportPreview, err error) {
	defer guard(&err)
	data, err := base64.StdEncoding.DecodeString(contentBase64)
	if err != nil {
		return ImportPreview{}, userError(crm.ErrBinaryFile)
	}
	p := &pendingImport{name: filepath.Base(name)}
	out := ImportPreview{Name: p.name}
	if crm.IsVCard(name, data) {
		p.cards, err = crm.ParseVCards(bytes.NewReader(data))
		if err != nil {
			return out, userError(err)
		}
		out.Kind, out.Rows = "vcard", len(p.cards)
	} else {
		p.csv, err = crm.ParseCSV(p.name, bytes.NewReader(data))
		if err != nil {
			return out, userError(err)
		}
		out.Kind, out.Encoding, out.Delimiter = "csv", p.csv.Encoding, p.csv.Delimiter
		out.Headers, out.Mapping, out.Preview, out.Rows = p.csv.Headers, p.csv.Mapping, p.csv.Preview, p.csv.RowCount
	}
	tok := make([]byte, 8)
	rand.Read(tok)
	out.Token = hex.EncodeToString(tok)
	c.mu.Lock()
	if c.pending == nil {
		c.pending = map[string]*pendingImport{}
	}
	clear(c.pending) // one import at a time; forget files left half-way
	c.pending[out.Token] = p
	c.mu.Unlock()
	return out, nil
}

// RunImport imports the previewed file with the user's mapping. With
// dryRun nothing is written and the summary says what would happen.
// Progress is sent as "progress:import" events; CancelImport stops it
// with nothing written.
func (c *Contacts) RunImport(token string, mapping []string, dryRun bool) (_ crm.ImportSummary, err error) {
	defer guard(&err)
	c.mu.Lock()
	p := c.pending[token]
	if c.cancel != nil {
		c.mu.Unlock()
		return crm.ImportSummary{}, &core.UserError{Key: "error.import_running"}
	}
	ctx, cancel := context.WithCancel(c.vault.ctx)
	c.cancel = cancel
	c.running.Add(1) // a lock waits for the import and the checkpoint after it
	c.mu.Unlock()
	checkpointing := false
	defer func() {
		cancel()
		c.mu.Lock()
		c.cancel = nil
		c.mu.Unlock()
		if !checkpointing {
			c.running.Done()
		}
	}()
	if p == nil {
		return crm.ImportSummary{}, &core.UserError{Key: "error.import_expired"}
	}
	cands := p.cards
	if p.csv != nil {
		var err error
		if cands, err = p.csv.Candidates(mapping); err != nil {
			return crm.ImportSummary{}, userError(err)
		}
	}
	s, err := c.store()
	if err != nil {
		return crm.ImportSummary{}, userError(err)
	}
	last := time.Time{}
	sum, err := s.Import(ctx, cands, crm.ImportOptions{
		DryRun: dryRun,
		Source: c.i18n.T(c.lang(), "import.source", map[string]any{"file": p.name}),
		Progress: func(done, total int) {
			if now := time.Now(); done == total || now.Sub(last) > 100*time.Millisecond {
				last = now
				c.vault.emitEvent(EventImportProgress, Progress{Done: done, Total: total})
			}
		},
	})
	if err != nil {
		return sum, userError(err)
	}
	if !dryRun {
		c.mu.Lock()
		delete(c.pending, token)
		c.mu.Unlock()
		// The user need not wait for the log to be folded into the file.
		checkpointing = true
		go func() {
			defer c.running.Done()
			recovered("checkpoint after an import", func() {
				if err := s.Checkpoint(c.vault.ctx); err != nil {
					slog.Error("checkpoint after an import", "err", err)
				}
			})
		}()
	}
	return sum, nil
}

// forget drops the files waiting to be imported and the list snapshot,
// stops a running import and waits for it and for the checkpoint after
// it, before the database closes: called when the vault locks.
func (c *Contacts) forget() {
	c.mu.Lock()
	clear(c.pending)
	c.snapshot = nil
	if c.cancel != nil {
		c.cancel()
	}
	c.mu.Unlock()
	c.running.Wait() // the cancelled import, then the checkpoint: a fraction of a second
}

// CancelImport stops the running import; nothing of it is kept.
func (c *Contacts) CancelImport() (err error) {
	defer guard(&err)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cancel != nil {
		c.cancel()
	}
	return nil
}

// Export writes every contact matching filter to a file the user picks,
// as CSV (delimiter ";" or ",") or vCard. It returns the file written, or
// "" when the user cancelled the dialog.
func (c *Contacts) Export(filter crm.Filter, format, delimiter string, includeSensitive bool) (_ string, err error) {
	defer guard(&err)
	name := "carnet-contacts.csv"
	if format == "vcard" {
		name = "carnet-contacts.vcf"
	}
	path, err := c.dialogs.SaveFile(c.vault.ctx, c.i18n.T(c.lang(), "export.dialog_title", nil), name)
	if err != nil || path == "" {
		return "", userError(err)
	}
	return with(c, func(ctx context.Context, s *crm.Store) (string, error) {
		all, err := s.ExportContacts(ctx, filter)
		if err != nil {
			return "", err
		}
		var b bytes.Buffer
		switch {
		case format == "vcard":
			err = crm.WriteVCards(&b, all)
		case delimiter == "," || delimiter == ";":
			var fields []crm.CustomField
			if fields, err = ExportedFields(ctx, s, includeSensitive); err == nil {
				err = crm.WriteCSV(&b, all, rune(delimiter[0]), CSVLabels(c.i18n, c.lang()), fields)
			}
		default:
			err = errors.New("unknown export format")
		}
		if err != nil {
			return "", err
		}
		if err := fsutil.WriteFileAtomic(path, b.Bytes(), 0o600); err != nil {
			return "", err
		}
		c.vault.audit("export.contacts", "", 0, map[string]any{"format": format, "count": len(all), "sensitive": includeSensitive})
		return path, nil
	})
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
