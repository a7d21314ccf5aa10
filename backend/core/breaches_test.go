package core_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"carnet/backend/privacy/breach"
)

func stolenLaptop() breach.Breach {
	return breach.Breach{DiscoveredAt: time.Now().Add(-2 * time.Hour).UTC().Format(time.RFC3339), Nature: []string{"confidentiality"},
		Description: "Ordinateur portable volé dans un train", Scope: breach.Scope{Kind: breach.ScopeAll}, Risk: "risk"}
}

func TestABreachIsRecordedWithItsAuditEntryOrNotAtAll(t *testing.T) {
	ctx := context.Background()
	c := newCore(t)
	addContact(t, c.DB(), "Hélène", "Dupont")
	b, err := c.SaveBreach(ctx, stolenLaptop())
	if err != nil || b.Counts.People != 1 {
		t.Fatalf("breach: %+v, %v", b, err)
	}
	got := auditEntries(t, c.DB(), "breach.create")
	if len(got) != 1 || got[0].SubjectID != b.ID || !strings.Contains(got[0].Actor, "(cli") {
		t.Fatalf("want one breach.create entry for %d by the command line, got %+v", b.ID, got)
	}

	failAudit(t, c.DB())
	if _, err := c.SaveBreach(ctx, stolenLaptop()); err == nil {
		t.Fatal("recorded with a failing audit")
	}
	list, err := breach.New(c.DB(), nil, c.I18n()).Breaches(ctx)
	if err != nil || len(list) != 1 {
		t.Fatalf("%d breaches after a failed audit, %v", len(list), err)
	}
}

func TestABreachReportIsWrittenWithItsAuditEntryOnly(t *testing.T) {
	ctx := context.Background()
	c := newCore(t)
	b, err := c.SaveBreach(ctx, stolenLaptop())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, b.Reference+".pdf")
	if err := c.SaveBreachReport(ctx, b.ID, path); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(path); !strings.HasPrefix(string(data), "%PDF") {
		t.Fatal("the report is not a PDF")
	}
	if got := auditEntries(t, c.DB(), "export.breach_report"); len(got) != 1 || got[0].SubjectID != b.ID {
		t.Fatalf("want one export.breach_report entry for %d, got %+v", b.ID, got)
	}

	failAudit(t, c.DB())
	again := filepath.Join(dir, "again.pdf")
	if err := c.SaveBreachReport(ctx, b.ID, again); err == nil {
		t.Fatal("written with a failing audit")
	}
	if left, _ := os.ReadDir(dir); len(left) != 1 {
		t.Fatalf("%d files after a failed audit, want the first report alone", len(left))
	}
}
