package core_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"carnet/backend/core"
	"carnet/backend/crm"
	"carnet/backend/vault/vaulttest"
)

// A backup older than an erasure brings the person back when restored:
// every unlock's housekeeping, from the window or the command line alike,
// applies again the erasures recorded outside the vault (Art. 17), as
// Carnet's own work.
func TestHousekeepingAppliesAgainTheErasuresRecordedOutsideTheVault(t *testing.T) {
	ctx := context.Background()
	c := newCore(t)
	id := addContact(t, c.DB(), "Ysolde", "Quenouillard")
	if _, err := c.Housekeep(ctx); err != nil { // makes the record's key
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "before.carnetbackup")
	if _, err := c.BackUpFile(ctx, path); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Erase(ctx, id, 0); err != nil {
		t.Fatal(err)
	}
	o := core.Options{Vault: c.Vault(), I18n: c.I18n(), Via: core.ViaCLI}
	_, r, err := core.Restore(ctx, o, path, "test passphrase", false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r == nil { // the test passphrase is too weak to be kept
		if err := c.Vault().SetNewPassphrase(ctx, vaulttest.StrongPassphrase); err != nil {
			t.Fatal(err)
		}
		if r, err = core.New(o); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := crm.New(r.DB(), nil).Contact(ctx, id); err != nil {
		t.Fatalf("the backup does not hold the person again (%v): the test proves nothing", err)
	}
	h, err := r.Housekeep(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Reapplied.Erasures) != 1 || h.Reapplied.Erasures[0].ContactID != id {
		t.Fatalf("reapplied %+v, want contact %d erased again", h.Reapplied, id)
	}
	if _, err := crm.New(r.DB(), nil).Contact(ctx, id); err == nil {
		t.Fatal("the restored backup still holds the erased person")
	}
	var again bool
	for _, e := range auditEntries(t, r.DB(), "contact.erase") {
		if e.Detail["reapplies"] != nil {
			again = true
			if !strings.Contains(e.Actor, "(app") {
				t.Errorf("erasure applied again by %q, want Carnet itself (app)", e.Actor)
			}
		}
	}
	if !again {
		t.Error("no contact.erase entry for the erasure applied again")
	}
}
