package core_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"carnet/backend/core"
	"carnet/backend/crm"
	"carnet/backend/i18n"
	"carnet/backend/privacy/retention"
	"carnet/backend/vault/vaulttest"
)

// coreAt is newCore with a clock days ahead of today.
func coreAt(t *testing.T, later time.Duration) *core.Core {
	t.Helper()
	v, _ := vaulttest.Vault(t)
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	c, err := core.New(core.Options{Vault: v, I18n: b, Via: core.ViaCLI, Now: func() time.Time { return time.Now().Add(later) }})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSavingTheRetentionPolicyIsAuditedInTheSameTransaction(t *testing.T) {
	ctx := context.Background()
	c := newCore(t)
	p := retention.DefaultPolicy()
	p.ProspectMonths = 24
	if err := c.SaveRetentionPolicy(ctx, p); err != nil {
		t.Fatal(err)
	}
	got := auditEntries(t, c.DB(), "retention.policy")
	if len(got) != 1 || !strings.Contains(got[0].Actor, "(cli") {
		t.Fatalf("want one retention.policy entry by the command line, got %+v", got)
	}

	failAudit(t, c.DB())
	p.ProspectMonths = 12
	if err := c.SaveRetentionPolicy(ctx, p); err == nil {
		t.Fatal("saved with a failing audit")
	}
	now, err := retention.New(c.DB(), nil, c.I18n()).Policy(ctx)
	if err != nil || now.ProspectMonths != 24 {
		t.Fatalf("the policy after a failed audit: %d months, %v", now.ProspectMonths, err)
	}
}

func TestErasingWhatIsDueIsOneTransactionWithItsAudit(t *testing.T) {
	for _, broken := range []bool{false, true} {
		t.Run(map[bool]string{false: "erased and audited", true: "a failed audit erases nobody"}[broken], func(t *testing.T) {
			ctx := context.Background()
			c := coreAt(t, 4*365*24*time.Hour) // every prospect of today is due
			s := crm.New(c.DB(), nil)
			var ids []int64
			for _, n := range []string{"Hélène", "Paul"} {
				id, err := s.CreateContact(ctx, crm.Contact{GivenName: n, Relationships: []crm.Relationship{crm.Prospect},
					Emails: []crm.Email{{Address: strings.ToLower(n[:1]) + "@example.fr"}}})
				if err != nil {
					t.Fatal(err)
				}
				ids = append(ids, id)
			}
			if broken {
				failAudit(t, c.DB())
			}
			out, err := c.EraseDue(ctx, ids)
			var erased int
			c.DB().QueryRow(`SELECT count(*) FROM contacts WHERE erased_at IS NOT NULL`).Scan(&erased)
			if broken {
				if err == nil || erased != 0 {
					t.Fatalf("with a failing audit: %d erased, %v", erased, err)
				}
				return
			}
			if err != nil || len(out) != 2 || erased != 2 {
				t.Fatalf("erase due: %+v (%d erased), %v", out, erased, err)
			}
			if a, b := len(auditEntries(t, c.DB(), "retention.erase")), len(auditEntries(t, c.DB(), "contact.erase")); a != 2 || b != 2 {
				t.Fatalf("%d retention.erase and %d contact.erase entries, want 2 each", a, b)
			}
		})
	}
}
