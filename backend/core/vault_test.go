package core_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"carnet/backend/core"
	"carnet/backend/crm"
	"carnet/backend/vault"
)

// later is the Core of c's vault on a clock days ahead.
func later(t *testing.T, c *core.Core, days int) *core.Core {
	t.Helper()
	at := time.Now().AddDate(0, 0, days)
	l, err := core.New(core.Options{Vault: c.Vault(), I18n: c.I18n(), Via: core.ViaCLI, Now: func() time.Time { return at }})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// trashAndRestrict puts one contact in the trash and restricts another
// until tomorrow; it returns their ids.
func trashAndRestrict(t *testing.T, c *core.Core) (trashed, restricted int64) {
	t.Helper()
	ctx := context.Background()
	people := crm.New(c.DB(), nil)
	trashed = addContact(t, c.DB(), "Anatole", "Vidal")
	if err := people.DeleteContact(ctx, trashed); err != nil {
		t.Fatal(err)
	}
	restricted = addContact(t, c.DB(), "Berthe", "Morin")
	if err := people.Restrict(ctx, restricted, "contestation", time.Now().AddDate(0, 0, 1).Format(time.DateOnly)); err != nil {
		t.Fatal(err)
	}
	return trashed, restricted
}

func TestHousekeepingPurgesOldTrashAndLiftsEndedRestrictionsWithTheirEntries(t *testing.T) {
	ctx := context.Background()
	c := newCore(t)
	trashed, restricted := trashAndRestrict(t, c)

	// The next day: the restriction has ended, the trash is still young.
	h, err := later(t, c, 2).Housekeep(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if h.Purged != 0 || len(h.Lifted) != 1 || h.Lifted[0] != restricted {
		t.Fatalf("after 2 days: %+v, want only contact %d lifted", h, restricted)
	}
	if ct, err := crm.New(c.DB(), nil).Contact(ctx, restricted); err != nil || ct.Restriction != nil {
		t.Fatalf("restriction still on: %+v, %v", ct, err)
	}
	un := auditEntries(t, c.DB(), "contact.unrestrict")
	if len(un) != 1 || un[0].SubjectID != restricted || un[0].Detail["reason"] != "end_date" || !strings.Contains(un[0].Actor, "(app") {
		t.Fatalf("contact.unrestrict entries: %+v", un)
	}
	if n := len(auditEntries(t, c.DB(), "contact.purge")); n != 0 {
		t.Fatalf("%d contact.purge entries with nothing purged", n)
	}

	// 31 days on, the trashed contact goes for good, recorded once.
	if h, err = later(t, c, 31).Housekeep(ctx); err != nil || h.Purged != 1 || len(h.Lifted) != 0 {
		t.Fatalf("after 31 days: %+v, %v", h, err)
	}
	var erased string
	if err := c.DB().QueryRow(`SELECT coalesce(erased_at, '') FROM contacts WHERE id = ?`, trashed).Scan(&erased); err == nil && erased == "" {
		t.Fatalf("the trashed contact is still there")
	}
	purge := auditEntries(t, c.DB(), "contact.purge")
	if len(purge) != 1 || purge[0].Detail["count"] != float64(1) {
		t.Fatalf("contact.purge entries: %+v", purge)
	}
	unlocks := auditEntries(t, c.DB(), "vault.unlock")
	if len(unlocks) != 2 {
		t.Fatalf("%d vault.unlock entries after two housekeepings, want 2", len(unlocks))
	}
	// The person unlocked; the rest was Carnet's own work.
	if !strings.Contains(unlocks[0].Actor, "(cli") || !strings.Contains(purge[0].Actor, "(app") {
		t.Fatalf("unlock by %q, purge by %q", unlocks[0].Actor, purge[0].Actor)
	}
}

func TestAFailedAuditLeavesTheTrashAndTheRestrictionAsTheyWere(t *testing.T) {
	ctx := context.Background()
	c := newCore(t)
	trashed, restricted := trashAndRestrict(t, c)
	failAudit(t, c.DB())
	h, err := later(t, c, 31).Housekeep(ctx)
	if err == nil || !strings.Contains(err.Error(), "injected audit failure") {
		t.Fatalf("housekeeping with a failing audit: %v", err)
	}
	if h.Purged != 0 || len(h.Lifted) != 0 {
		t.Fatalf("reported as done: %+v", h)
	}
	var deleted, until string
	if err := c.DB().QueryRow(`SELECT coalesce(deleted_at, ''), (SELECT restricted_until FROM contacts WHERE id = ?) FROM contacts WHERE id = ?`,
		restricted, trashed).Scan(&deleted, &until); err != nil {
		t.Fatal(err)
	}
	if deleted == "" || until == "" {
		t.Fatalf("purge or lift committed without its entry: deleted_at %q, restricted_until %q", deleted, until)
	}
}

func TestRekeyIsRecordedOnceInTheNewDatabase(t *testing.T) {
	ctx := context.Background()
	c := newCore(t)
	old := c.DB()
	// vaulttest's passphrase is too weak to be kept by a re-key: change it.
	code, err := c.Rekey(ctx, "test passphrase", vault.RekeyOptions{NewPassphrase: "Ormeau vif, glacier pourpre 1987"})
	if err != nil || len(code) != 29 {
		t.Fatalf("rekey: %q, %v", code, err)
	}
	if c.DB() == old {
		t.Fatal("the Core still works on the old database")
	}
	got := auditEntries(t, c.DB(), "vault.rekey")
	if len(got) != 1 || got[0].Detail["passphrase_changed"] != true {
		t.Fatalf("vault.rekey entries: %+v", got)
	}
}

func TestAcceptingWithoutARollbackDoesNothing(t *testing.T) {
	c := newCore(t)
	if accepted, err := c.AcceptRollback(context.Background()); accepted || err != nil {
		t.Fatalf("accepted %v, %v", accepted, err)
	}
	if n := len(auditEntries(t, c.DB(), "vault.rollback_accepted")); n != 0 {
		t.Fatalf("%d entries", n)
	}
}
