package app

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"carnet/backend/core"
	"carnet/backend/crm"
	"carnet/backend/privacy/breach"
)

// A breach from discovery to the report, and the retention policy's
// validation, through the bound methods on a real vault.
func TestBreachAndRetentionThroughTheBoundMethods(t *testing.T) {
	s, _ := start(t)
	if _, err := s.Vault.Create("long enough passphrase"); err != nil {
		t.Fatal(err)
	}
	d := &saveDialogs{dir: t.TempDir()}
	s.SetDialogs(d)
	for _, n := range []string{"Hélène", "Paul"} {
		if _, err := s.Contacts.Save(crm.Contact{GivenName: n, Emails: []crm.Email{{Address: strings.ToLower(n[:1]) + "@example.fr"}}}); err != nil {
			t.Fatal(err)
		}
	}
	discovered := time.Now().Add(-2 * time.Hour).UTC().Format(time.RFC3339)
	b, err := s.Breaches.Save(breach.Breach{DiscoveredAt: discovered, Nature: []string{"confidentiality"},
		Description: "Ordinateur portable volé dans un train", Scope: breach.Scope{Kind: breach.ScopeAll}, Risk: "risk"})
	if err != nil {
		t.Fatal(err)
	}
	if b.Counts.People != 2 || b.Clock != "running" || b.HoursLeft < 69 || b.HoursLeft > 70 {
		t.Fatalf("breach: people %d clock %s hours left %d", b.Counts.People, b.Clock, b.HoursLeft)
	}
	pending, err := s.Breaches.Pending()
	if err != nil || len(pending) != 1 || pending[0].Reference != b.Reference {
		t.Fatalf("pending: %+v, %v", pending, err)
	}
	n, err := s.Breaches.Notification(b.ID)
	if err != nil || !strings.Contains(n.Text, "2") {
		t.Fatalf("notification: %+v, %v", n, err)
	}
	b.NotifiedAt = time.Now().UTC().Format(time.RFC3339)
	if b, err = s.Breaches.Save(b); err != nil || b.Clock != "notified" {
		t.Fatalf("notified: %+v, %v", b, err)
	}
	if pending, _ := s.Breaches.Pending(); len(pending) != 0 {
		t.Fatalf("still pending after notification: %+v", pending)
	}
	path, err := s.Breaches.SaveReport(b.ID)
	if err != nil || !strings.HasSuffix(path, b.Reference+".pdf") {
		t.Fatalf("report: %q, %v", path, err)
	}
	if data, _ := os.ReadFile(path); !strings.HasPrefix(string(data), "%PDF") {
		t.Fatal("the report is not a PDF")
	}
	var ue *core.UserError
	_, err = s.Breaches.Save(breach.Breach{DiscoveredAt: discovered, Nature: []string{"integrity"}, Scope: breach.Scope{Kind: breach.ScopeAll}})
	if !errors.As(err, &ue) || ue.Key != "breach.error.no_description" {
		t.Fatalf("a breach without description: %v", err)
	}

	pol, err := s.Retention.Policy()
	if err != nil || pol.ProspectMonths != 36 {
		t.Fatalf("policy: %+v, %v", pol, err)
	}
	pol.ProspectMonths = 0
	if err := s.Retention.SavePolicy(pol); !errors.As(err, &ue) || ue.Key != "retention.error.range" || ue.Params["min"] != 1 {
		t.Fatalf("a zero period: %v", err)
	}
	sw, err := s.Retention.Due()
	if err != nil || sw.DueNow != 0 {
		t.Fatalf("sweep: %+v, %v", sw, err)
	}
	if _, err := s.Retention.EraseDue([]int64{1}); !errors.As(err, &ue) || !strings.HasPrefix(ue.Key, "retention.error.not_due") {
		t.Fatalf("erasing a contact not due: %v", err)
	}
}
