package core_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"carnet/backend/core"
	"carnet/backend/crm"
	"carnet/backend/i18n"
	"carnet/backend/privacy"
	"carnet/backend/vault/vaulttest"
)

// newCore opens a real encrypted vault in a temporary folder and returns
// its use cases as the command line would run them.
func newCore(t *testing.T) *core.Core {
	t.Helper()
	v, _ := vaulttest.Vault(t)
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	c, err := core.New(core.Options{Vault: v, I18n: b, Via: core.ViaCLI})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// failAudit makes every insert into the audit log fail, as a full disk or
// a crash at that moment would: a real trigger in the real database.
func failAudit(t *testing.T, db *sql.DB) {
	t.Helper()
	if _, err := db.Exec(`CREATE TRIGGER fail_audit BEFORE INSERT ON audit_log
		BEGIN SELECT RAISE(ABORT, 'injected audit failure'); END`); err != nil {
		t.Fatal(err)
	}
}

// auditEntries returns the log's entries for action, oldest first.
func auditEntries(t *testing.T, db *sql.DB, action string) []privacy.AuditEntry {
	t.Helper()
	all, err := privacy.New(db, nil).Audit(context.Background(), privacy.AuditQuery{Action: action, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var out []privacy.AuditEntry
	for i := len(all) - 1; i >= 0; i-- {
		if all[i].Action == action {
			out = append(out, all[i])
		}
	}
	return out
}

func addContact(t *testing.T, db *sql.DB, first, last string) int64 {
	t.Helper()
	id, err := crm.New(db, nil).CreateContact(context.Background(), crm.Contact{GivenName: first, FamilyName: last})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestViewingAContactAddsOneAuditEntryNamingActorAndSubject(t *testing.T) {
	ctx := context.Background()
	c := newCore(t)
	id := addContact(t, c.DB(), "Hélène", "Martin")
	ct, err := c.ViewContact(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if ct.GivenName != "Hélène" {
		t.Fatalf("viewed %+v", ct)
	}
	got := auditEntries(t, c.DB(), "contact.view")
	if len(got) != 1 {
		t.Fatalf("want one contact.view entry, got %d", len(got))
	}
	e := got[0]
	if e.SubjectKind != "contact" || e.SubjectID != id {
		t.Errorf("entry names %s %d, want contact %d", e.SubjectKind, e.SubjectID, id)
	}
	if !strings.Contains(e.Actor, "(cli") {
		t.Errorf("actor %q does not say the command line", e.Actor)
	}
}

func TestAFailedAuditEntryRollsBackTheActionItRecords(t *testing.T) {
	ctx := context.Background()
	c := newCore(t)
	id := addContact(t, c.DB(), "Paul", "Durand")
	failAudit(t, c.DB())
	if _, err := c.ViewContact(ctx, id); err == nil || !strings.Contains(err.Error(), "injected audit failure") {
		t.Fatalf("view with a failing audit: %v", err)
	}
	if n := len(auditEntries(t, c.DB(), "contact.view")); n != 0 {
		t.Fatalf("%d entries after a failed audit", n)
	}
}

func TestAnActorSaysWhoAndFromWhere(t *testing.T) {
	for _, tc := range []struct {
		a    core.Actor
		want string
	}{
		{core.Actor{Name: "Marie Dupont", OSUser: "marie", Via: core.ViaWindow}, "Marie Dupont (window, OS user marie)"},
		{core.Actor{Name: "marie", OSUser: "marie", Via: core.ViaCLI}, "marie (cli)"},
	} {
		if got := tc.a.String(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.a, got, tc.want)
		}
	}
}
