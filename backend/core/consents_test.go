package core_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"carnet/backend/core"
	"carnet/backend/privacy"
)

// grant records a newsletter consent by email for contact id.
func grant(t *testing.T, c *core.Core, id int64) privacy.Entry {
	t.Helper()
	e, err := c.RecordConsent(context.Background(), privacy.Entry{ContactID: id, Purpose: "newsletter", Channel: "email",
		Action: "grant", Wording: "J’accepte de recevoir la lettre.", WordingVersion: "v1", Method: "paper",
		EvidenceName: "../coupon.pdf", EvidenceFile: []byte("%PDF coupon")})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func history(t *testing.T, c *core.Core, id int64) []privacy.Entry {
	t.Helper()
	cc, err := c.ContactConsents(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return cc.History
}

func TestEachConsentActionAddsOneAuditEntryNamingTheActor(t *testing.T) {
	ctx := context.Background()
	c := newCore(t)
	id := addContact(t, c.DB(), "Hélène", "Martin")

	e := grant(t, c, id) // on a fresh vault: the catalogue of purposes is filled first
	if !strings.Contains(e.RecordedBy, "(cli") {
		t.Errorf("the ledger says %q recorded it, not the command line", e.RecordedBy)
	}
	if _, err := c.WithdrawConsent(ctx, id, "newsletter", "email", ""); err != nil {
		t.Fatal(err)
	}
	if err := c.SaveProfile(ctx, privacy.Profile{UserLabel: "Claire Martin, gérante", DPOName: "Ada"}); err != nil {
		t.Fatal(err)
	}
	pid, err := c.SavePurpose(ctx, privacy.Purpose{Name: "Salons professionnels", LawfulBasis: "consent", RetentionMonths: 12, RetentionFrom: "collection"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.SavePurpose(ctx, privacy.Purpose{ID: pid, Name: "Salons", LawfulBasis: "consent", RetentionMonths: 12, RetentionFrom: "collection"}); err != nil {
		t.Fatal(err)
	}
	if err := c.DeletePurpose(ctx, pid); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		action, kind string
		id           int64
	}{
		{"consent.grant", "contact", id},
		{"consent.withdraw", "contact", id},
		{"privacy.profile", "", 0},
		{"purpose.create", "purpose", pid},
		{"purpose.edit", "purpose", pid},
		{"purpose.delete", "purpose", pid},
	} {
		got := auditEntries(t, c.DB(), tc.action)
		if len(got) != 1 {
			t.Errorf("%s: %d entries, want one", tc.action, len(got))
			continue
		}
		if got[0].SubjectKind != tc.kind || got[0].SubjectID != tc.id {
			t.Errorf("%s names %s %d, want %s %d", tc.action, got[0].SubjectKind, got[0].SubjectID, tc.kind, tc.id)
		}
		if !strings.Contains(got[0].Actor, "(cli") {
			t.Errorf("%s: actor %q does not say the command line", tc.action, got[0].Actor)
		}
	}
	// The label saved in the profile names the actor from then on.
	if got := auditEntries(t, c.DB(), "purpose.delete"); len(got) == 1 && !strings.HasPrefix(got[0].Actor, "Claire Martin, gérante (cli") {
		t.Errorf("actor after the profile was saved: %q", got[0].Actor)
	}
	if ch, err := c.VerifyChains(ctx); err != nil || !ch.Ledger.OK || !ch.Audit.OK {
		t.Errorf("chains after the actions: %+v, %v", ch, err)
	}
}

func TestAConsentWhoseAuditEntryFailsIsNotInTheLedger(t *testing.T) {
	ctx := context.Background()
	c := newCore(t)
	id := addContact(t, c.DB(), "Paul", "Durand")
	grant(t, c, id)
	failAudit(t, c.DB())

	if _, err := c.RecordConsent(ctx, privacy.Entry{ContactID: id, Purpose: "newsletter", Channel: "sms", Action: "grant",
		Wording: "Oui", Method: "form"}); err == nil || !strings.Contains(err.Error(), "injected audit failure") {
		t.Fatalf("grant with a failing audit: %v", err)
	}
	if _, err := c.WithdrawConsent(ctx, id, "newsletter", "email", "email"); err == nil || !strings.Contains(err.Error(), "injected audit failure") {
		t.Fatalf("withdrawal with a failing audit: %v", err)
	}
	if h := history(t, c, id); len(h) != 1 || h[0].Action != "grant" || h[0].Channel != "email" {
		t.Fatalf("the ledger kept entries whose audit failed: %+v", h)
	}
	if err := c.SaveProfile(ctx, privacy.Profile{UserLabel: "Quelqu’un d’autre"}); err == nil {
		t.Fatal("profile saved with a failing audit")
	}
	if pr, _ := c.Profile(ctx); pr.UserLabel == "Quelqu’un d’autre" {
		t.Error("the profile changed although its audit entry failed")
	}
	if _, err := c.SavePurpose(ctx, privacy.Purpose{Name: "Salons", LawfulBasis: "consent", RetentionMonths: 12, RetentionFrom: "collection"}); err == nil {
		t.Error("purpose saved with a failing audit")
	}
	list, _ := c.Purposes(ctx)
	for _, p := range list {
		if p.Name == "Salons" {
			t.Error("the purpose stayed although its audit entry failed")
		}
	}
	if ch, err := c.VerifyChains(ctx); err != nil || !ch.Ledger.OK || !ch.Audit.OK {
		t.Errorf("chains after the failures: %+v, %v", ch, err)
	}
}

func TestAGrantMayNameAWordingAlreadyRecordedByItsVersion(t *testing.T) {
	ctx := context.Background()
	c := newCore(t)
	id := addContact(t, c.DB(), "Zoé", "Bernard")
	grant(t, c, id)
	e, err := c.RecordConsent(ctx, privacy.Entry{ContactID: id, Purpose: "newsletter", Channel: "post", Action: "grant", WordingVersion: "v1", Method: "form"})
	if err != nil || e.Wording != "J’accepte de recevoir la lettre." {
		t.Fatalf("by version: %+v, %v", e, err)
	}
	if _, err := c.RecordConsent(ctx, privacy.Entry{ContactID: id, Purpose: "newsletter", Channel: "sms", Action: "grant", WordingVersion: "v9", Method: "form"}); !errors.Is(err, privacy.ErrNoWording) {
		t.Fatalf("unknown version: %v", err)
	}
}

func TestExportingEvidenceWritesTheFileWithOneEntryOrNeither(t *testing.T) {
	ctx := context.Background()
	c := newCore(t)
	id := addContact(t, c.DB(), "Hélène", "Martin")
	e := grant(t, c, id)
	dir := t.TempDir()
	var offered string
	saveAs := func(name string) (string, error) { offered = name; return filepath.Join(dir, name), nil }

	path, err := c.ExportEvidence(ctx, e.ID, saveAs)
	if err != nil || offered != "coupon.pdf" {
		t.Fatalf("export: %q (offered %q), %v", path, offered, err)
	}
	if b, _ := os.ReadFile(path); string(b) != "%PDF coupon" {
		t.Fatalf("evidence file: %q", b)
	}
	if got := auditEntries(t, c.DB(), "export.evidence"); len(got) != 1 || got[0].SubjectKind != "consent" || got[0].SubjectID != e.ID {
		t.Fatalf("export.evidence entries: %+v", got)
	}
	if path, err := c.ExportEvidence(ctx, e.ID, func(string) (string, error) { return "", nil }); path != "" || err != nil {
		t.Errorf("cancelled: %q, %v", path, err)
	}

	failAudit(t, c.DB())
	other := filepath.Join(t.TempDir(), "coupon.pdf")
	if _, err := c.ExportEvidence(ctx, e.ID, func(string) (string, error) { return other, nil }); err == nil {
		t.Fatal("exported with a failing audit")
	}
	if _, err := os.Stat(other); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a file was left although its audit entry failed: %v", err)
	}
	if n := len(auditEntries(t, c.DB(), "export.evidence")); n != 1 {
		t.Errorf("%d export.evidence entries, want the first one only", n)
	}
}

func TestPurposesAreFilledWithTheDefaultsOnce(t *testing.T) {
	ctx := context.Background()
	c := newCore(t)
	first, err := c.Purposes(ctx)
	if err != nil || len(first) == 0 {
		t.Fatalf("defaults: %d, %v", len(first), err)
	}
	again, _ := c.Purposes(ctx)
	if len(again) != len(first) {
		t.Errorf("%d purposes the second time, %d the first", len(again), len(first))
	}
}
