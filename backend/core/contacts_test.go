package core_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"carnet/backend/core"
	"carnet/backend/crm"
)

func TestEachAuditedContactActionAddsOneEntryNamingItsSubject(t *testing.T) {
	ctx := context.Background()
	c := newCore(t)
	helene := addContact(t, c.DB(), "Hélène", "Martin")
	paul := addContact(t, c.DB(), "Paul", "Durand")
	var field, created int64
	for _, tc := range []struct {
		action string
		do     func() error
		kind   string
		id     func() int64
		check  func(t *testing.T, detail map[string]any)
	}{
		{"field.save", func() (err error) {
			field, err = c.SaveCustomField(ctx, crm.CustomField{Name: "Allergies", Sensitive: true, Category: "health", Condition: "a"})
			return err
		}, "field", func() int64 { return field }, func(t *testing.T, d map[string]any) {
			if d["sensitive"] != true {
				t.Errorf("detail %v does not say the field is sensitive", d)
			}
		}},
		{"contact.create", func() (err error) {
			created, err = c.SaveContact(ctx, crm.Contact{GivenName: "Zoé", FamilyName: "Lambert",
				Fields: []crm.FieldValue{{FieldID: field, Value: "arachides"}}})
			return err
		}, "contact", func() int64 { return created }, nil},
		{"contact.reveal", func() error {
			v, err := c.RevealField(ctx, created, field)
			if err == nil && v != "arachides" {
				t.Errorf("revealed %q", v)
			}
			return err
		}, "contact", func() int64 { return created }, func(t *testing.T, d map[string]any) {
			if d["field"] != float64(field) {
				t.Errorf("detail %v does not name field %d", d, field)
			}
		}},
		{"contact.edit", func() error {
			ct, err := c.ViewContact(ctx, helene)
			if err != nil {
				return err
			}
			ct.JobTitle = "Gérante"
			_, err = c.SaveContact(ctx, *ct)
			return err
		}, "contact", func() int64 { return helene }, func(t *testing.T, d map[string]any) {
			fields, _ := d["fields"].([]any)
			if !slices.Contains(fields, any("jobTitle")) || slices.Contains(fields, any("givenName")) {
				t.Errorf("edit names %v, want jobTitle and not the unchanged givenName", d["fields"])
			}
			for _, f := range fields {
				if strings.Contains(f.(string), "Gérante") {
					t.Errorf("a value in the log: %v", d)
				}
			}
		}},
		{"contact.delete", func() error { return c.DeleteContact(ctx, created) }, "contact", func() int64 { return created }, nil},
		{"contact.restore", func() error { return c.RestoreContact(ctx, created) }, "contact", func() int64 { return created }, nil},
		{"contact.merge", func() error {
			_, err := c.MergeContacts(ctx, helene, paul, crm.Contact{GivenName: "Hélène", FamilyName: "Martin"})
			return err
		}, "contact", func() int64 { return helene }, func(t *testing.T, d map[string]any) {
			if d["merged"] != float64(paul) {
				t.Errorf("merge detail %v does not name contact %d", d, paul)
			}
		}},
		{"export.contacts", func() error {
			_, err := c.ExportContacts(ctx, core.ContactExport{Format: core.FormatCSV, Delimiter: ";"}, filepath.Join(t.TempDir(), "out.csv"))
			return err
		}, "", func() int64 { return 0 }, func(t *testing.T, d map[string]any) {
			if d["format"] != "csv" || d["count"] != float64(2) || d["sensitive"] != false {
				t.Errorf("export detail %v, want csv, 2 contacts, no sensitive values", d)
			}
		}},
		{"field.delete", func() error { return c.DeleteCustomField(ctx, field) }, "field", func() int64 { return field }, nil},
	} {
		t.Run(tc.action, func(t *testing.T) {
			before := len(auditEntries(t, c.DB(), tc.action))
			if err := tc.do(); err != nil {
				t.Fatal(err)
			}
			got := auditEntries(t, c.DB(), tc.action)
			if len(got) != before+1 {
				t.Fatalf("%d %s entries, want %d", len(got), tc.action, before+1)
			}
			e := got[len(got)-1]
			if e.SubjectKind != tc.kind || e.SubjectID != tc.id() {
				t.Errorf("entry names %q %d, want %q %d", e.SubjectKind, e.SubjectID, tc.kind, tc.id())
			}
			if !strings.Contains(e.Actor, "(cli") {
				t.Errorf("actor %q does not say the command line", e.Actor)
			}
			if tc.check != nil {
				tc.check(t, e.Detail)
			}
		})
	}
}

func TestAContactActionWhoseAuditFailsIsUndone(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		// do acts on keep (and drop), then check says what must be as
		// before.
		do    func(c *core.Core, keep, drop int64) error
		check func(t *testing.T, c *core.Core, keep, drop int64)
	}{
		{"an edit leaves the contact unchanged", func(c *core.Core, keep, _ int64) error {
			ct, err := crm.New(c.DB(), nil).Contact(ctx, keep)
			if err != nil {
				return err
			}
			ct.FamilyName = "Changed"
			_, err = c.SaveContact(ctx, *ct)
			return err
		}, func(t *testing.T, c *core.Core, keep, _ int64) {
			if ct, err := crm.New(c.DB(), nil).Contact(ctx, keep); err != nil || ct.FamilyName != "Martin" {
				t.Errorf("after a failed edit: %+v, %v", ct, err)
			}
		}},
		{"a merge leaves both contacts", func(c *core.Core, keep, drop int64) error {
			_, err := c.MergeContacts(ctx, keep, drop, crm.Contact{GivenName: "Hélène", FamilyName: "Martin"})
			return err
		}, func(t *testing.T, c *core.Core, keep, drop int64) {
			for _, id := range []int64{keep, drop} {
				if _, err := crm.New(c.DB(), nil).Contact(ctx, id); err != nil {
					t.Errorf("contact %d after a failed merge: %v", id, err)
				}
			}
		}},
		{"a delete leaves the contact out of the trash", func(c *core.Core, keep, _ int64) error {
			return c.DeleteContact(ctx, keep)
		}, func(t *testing.T, c *core.Core, keep, _ int64) {
			trash, err := crm.New(c.DB(), nil).Trash(ctx)
			if err != nil || len(trash) != 0 {
				t.Errorf("trash after a failed delete: %+v, %v", trash, err)
			}
			if ct, err := crm.New(c.DB(), nil).Contact(ctx, keep); err != nil || ct.DeletedAt != "" {
				t.Errorf("contact after a failed delete: %+v, %v", ct, err)
			}
		}},
		{"a creation leaves no contact", func(c *core.Core, _, _ int64) error {
			_, err := c.SaveContact(ctx, crm.Contact{GivenName: "Zoé", FamilyName: "Lambert"})
			return err
		}, func(t *testing.T, c *core.Core, _, _ int64) {
			if hits, err := crm.New(c.DB(), nil).Search(ctx, "Lambert", 5); err != nil || len(hits) != 0 {
				t.Errorf("search after a failed creation: %+v, %v", hits, err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCore(t)
			keep := addContact(t, c.DB(), "Hélène", "Martin")
			drop := addContact(t, c.DB(), "Hélène", "Martin-Durand")
			failAudit(t, c.DB())
			if err := tc.do(c, keep, drop); err == nil || !strings.Contains(err.Error(), "injected audit failure") {
				t.Fatalf("with a failing audit: %v", err)
			}
			tc.check(t, c, keep, drop)
		})
	}
}

func TestAnExportWhoseAuditFailsWritesNoFile(t *testing.T) {
	ctx := context.Background()
	c := newCore(t)
	addContact(t, c.DB(), "Hélène", "Martin")
	failAudit(t, c.DB())
	for _, format := range []string{core.FormatCSV, core.FormatVCard} {
		path := filepath.Join(t.TempDir(), "contacts."+format)
		if _, err := c.ExportContacts(ctx, core.ContactExport{Format: format, Delimiter: ";"}, path); err == nil {
			t.Fatalf("%s export with a failing audit succeeded", format)
		}
		if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s export with a failing audit left a file: %v", format, err)
		}
	}
}

func TestAnExportLeavesSensitiveValuesOutUnlessChosen(t *testing.T) {
	ctx := context.Background()
	c := newCore(t)
	allergy, err := c.SaveCustomField(ctx, crm.CustomField{Name: "Allergies", Sensitive: true, Category: "health", Condition: "a"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.SaveContact(ctx, crm.Contact{GivenName: "Hélène", FamilyName: "Martin",
		Fields: []crm.FieldValue{{FieldID: allergy, Value: "arachides"}}}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		e    core.ContactExport
		want bool // the value is in the file
		// sensitive is what the entry says: a vCard never has custom fields.
		sensitive bool
	}{
		{core.ContactExport{Format: core.FormatCSV, Delimiter: ";"}, false, false},
		{core.ContactExport{Format: core.FormatCSV, Delimiter: ",", Sensitive: true}, true, true},
		{core.ContactExport{Format: core.FormatVCard, Sensitive: true}, false, false},
	} {
		path := filepath.Join(t.TempDir(), "out")
		n, err := c.ExportContacts(ctx, tc.e, path)
		if err != nil || n != 1 {
			t.Fatalf("%+v: %d, %v", tc.e, n, err)
		}
		b, _ := os.ReadFile(path)
		if got := strings.Contains(string(b), "arachides"); got != tc.want {
			t.Errorf("%+v: value in the file %v, want %v:\n%s", tc.e, got, tc.want, b)
		}
		all := auditEntries(t, c.DB(), "export.contacts")
		if d := all[len(all)-1].Detail; d["sensitive"] != tc.sensitive || d["format"] != tc.e.Format {
			t.Errorf("%+v: entry %v", tc.e, d)
		}
	}
	if _, err := c.ExportContacts(ctx, core.ContactExport{Format: "xlsx"}, filepath.Join(t.TempDir(), "x")); !errors.Is(err, core.ErrExportFormat) {
		t.Errorf("unknown format: %v", err)
	}
}

func TestUnauditedContactWritesGoThroughCoreWithoutAnEntry(t *testing.T) {
	ctx := context.Background()
	c := newCore(t)
	id := addContact(t, c.DB(), "Hélène", "Martin")
	co, err := c.SaveCompany(ctx, crm.Company{Name: "Lemaire SA"})
	if err != nil {
		t.Fatal(err)
	}
	task, err := c.SaveActivity(ctx, crm.Activity{ContactID: id, Kind: "task", Title: "Rappeler", DueOn: "2026-01-01"})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.SetTaskDone(ctx, task, true); err != nil {
		t.Fatal(err)
	}
	seg, err := c.SaveSegment(ctx, crm.Segment{Name: "Lyon", Filter: crm.Filter{Tag: "Lyon"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, err := range []error{c.DeleteSegment(ctx, seg), c.DeleteActivity(ctx, task), c.DeleteCompany(ctx, co)} {
		if err != nil {
			t.Fatal(err)
		}
	}
	if tl, err := crm.New(c.DB(), nil).Timeline(ctx, id, 0); err != nil || len(tl) != 0 {
		t.Fatalf("timeline after the task was deleted: %+v, %v", tl, err)
	}
	if _, err := crm.New(c.DB(), nil).Company(ctx, co); !errors.Is(err, crm.ErrNotFound) {
		t.Fatalf("company after its deletion: %v", err)
	}
}
