package core_test

import (
	"context"
	"strings"
	"testing"

	"carnet/backend/core"
	"carnet/backend/crm"
)

const clientsCSV = "Prénom;Nom;Adresse e-mail\nHélène;Dupont;helene@example.fr\nZoé;Lambert;zoe@example.fr\n"

// A vCard as phones share it: under a .txt name, with a BOM and lower case.
const cardsTXT = "\xef\xbb\xbfbegin:vcard\r\nVERSION:3.0\r\nN:Quenouille;Ysaline;;;\r\nFN:Ysaline Quenouille\r\nEMAIL:ysaline@example.fr\r\nEND:VCARD\r\n"

func contactCount(t *testing.T, c *core.Core) int {
	t.Helper()
	var n int
	if err := c.DB().QueryRow(`SELECT count(*) FROM contacts`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestAnImportAddsOneEntryInItsOwnTransaction(t *testing.T) {
	ctx := context.Background()
	c := newCore(t)
	f, err := core.ReadImportFile("clients.csv", []byte(clientsCSV))
	if err != nil {
		t.Fatal(err)
	}
	if f.Kind() != core.FormatCSV {
		t.Fatalf("kind %q", f.Kind())
	}
	sum, err := c.ImportContacts(ctx, f, nil, core.ImportOptions{DryRun: true})
	if err != nil || sum.New != 2 {
		t.Fatalf("dry run: %+v, %v", sum, err)
	}
	if n := len(auditEntries(t, c.DB(), "import.contacts")); n != 0 || contactCount(t, c) != 0 {
		t.Fatalf("a dry run left %d entries and %d contacts", n, contactCount(t, c))
	}
	if sum, err = c.ImportContacts(ctx, f, nil, core.ImportOptions{}); err != nil || sum.New != 2 {
		t.Fatalf("import: %+v, %v", sum, err)
	}
	got := auditEntries(t, c.DB(), "import.contacts")
	if len(got) != 1 {
		t.Fatalf("%d import.contacts entries, want 1", len(got))
	}
	d := got[0].Detail
	if d["format"] != "csv" || d["count"] != float64(2) || d["new"] != float64(2) || !strings.Contains(got[0].Actor, "(cli") {
		t.Errorf("entry %+v", got[0])
	}
	if strings.Contains(strings.ToLower(got[0].Actor+" "+strings.Join(keys(d), " ")), "clients") {
		t.Errorf("the file's name is in the entry: %+v", got[0])
	}
	// The same file again changes nothing and says so.
	if sum, err = c.ImportContacts(ctx, f, nil, core.ImportOptions{}); err != nil || sum.Unchanged != 2 {
		t.Fatalf("import again: %+v, %v", sum, err)
	}
	if got := auditEntries(t, c.DB(), "import.contacts"); len(got) != 2 || got[1].Detail["count"] != float64(0) {
		t.Errorf("second import's entries: %+v", got)
	}
}

func keys(m map[string]any) []string {
	var out []string
	for k, v := range m {
		if s, ok := v.(string); ok {
			out = append(out, k, s)
		}
	}
	return out
}

func TestAnImportWhoseAuditFailsLeavesNoContact(t *testing.T) {
	ctx := context.Background()
	c := newCore(t)
	f, err := core.ReadImportFile("clients.csv", []byte(clientsCSV))
	if err != nil {
		t.Fatal(err)
	}
	failAudit(t, c.DB())
	if _, err := c.ImportContacts(ctx, f, nil, core.ImportOptions{}); err == nil || !strings.Contains(err.Error(), "injected audit failure") {
		t.Fatalf("import with a failing audit: %v", err)
	}
	if n := contactCount(t, c); n != 0 {
		t.Fatalf("%d contacts after an import whose audit failed", n)
	}
	if hits, err := crm.New(c.DB(), nil).Search(ctx, "Lambert", 5); err != nil || len(hits) != 0 {
		t.Fatalf("search after an import whose audit failed: %+v, %v", hits, err)
	}
}

func TestAVCardNamedTxtImportsAsAVCard(t *testing.T) {
	ctx := context.Background()
	c := newCore(t)
	f, err := core.ReadImportFile("/home/marie/contacts.txt", []byte(cardsTXT))
	if err != nil {
		t.Fatal(err)
	}
	if f.Kind() != core.FormatVCard || f.Name != "contacts.txt" {
		t.Fatalf("read as %q named %q", f.Kind(), f.Name)
	}
	sum, err := c.ImportContacts(ctx, f, nil, core.ImportOptions{})
	if err != nil || sum.New != 1 || sum.Refused != 0 {
		t.Fatalf("import: %+v, %v", sum, err)
	}
	hits, err := crm.New(c.DB(), nil).Search(ctx, "ysaline@example.fr", 5)
	if err != nil || len(hits) != 1 {
		t.Fatalf("search: %+v, %v", hits, err)
	}
	ct, err := crm.New(c.DB(), nil).Contact(ctx, hits[0].ID)
	if err != nil || ct.FamilyName != "Quenouille" || !strings.Contains(ct.Source, "contacts.txt") {
		t.Fatalf("imported %+v, %v", ct, err)
	}
	if e := auditEntries(t, c.DB(), "import.contacts"); len(e) != 1 || e[0].Detail["format"] != "vcard" {
		t.Fatalf("entries %+v", e)
	}
}

func TestAMappingChoosesTheColumnsOfACSV(t *testing.T) {
	ctx := context.Background()
	c := newCore(t)
	f, err := core.ReadImportFile("clients.csv", []byte(clientsCSV))
	if err != nil {
		t.Fatal(err)
	}
	// The family name column ignored, the given name read as the family name.
	sum, err := c.ImportContacts(ctx, f, []string{crm.FieldFamilyName, "", crm.FieldEmail}, core.ImportOptions{})
	if err != nil || sum.New != 2 {
		t.Fatalf("import: %+v, %v", sum, err)
	}
	hits, _ := crm.New(c.DB(), nil).Search(ctx, "zoe@example.fr", 5)
	if len(hits) != 1 {
		t.Fatalf("hits %+v", hits)
	}
	if ct, err := crm.New(c.DB(), nil).Contact(ctx, hits[0].ID); err != nil || ct.FamilyName != "Zoé" || ct.GivenName != "" {
		t.Fatalf("imported with the mapping: %+v, %v", ct, err)
	}
}

func TestGeneratingDemoDataFillsContactsAndSales(t *testing.T) {
	ctx := context.Background()
	c := newCore(t)
	sum, err := c.GenerateDemo(ctx, 20, 3)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Contacts != 20 || sum.Companies == 0 || sum.Sales.Invoices == 0 {
		t.Fatalf("demo summary %+v", sum)
	}
	if n := contactCount(t, c); n != 20 {
		t.Fatalf("%d contacts", n)
	}
}
