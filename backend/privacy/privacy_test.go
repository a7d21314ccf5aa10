package privacy

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"carnet/backend/crm"
	"carnet/backend/vault/vaulttest"
)

var ctx = context.Background()

// words stands in for the translations: the key itself.
func words(k string) string { return k }

func setup(t *testing.T) (*Store, *crm.Store, *time.Time) {
	t.Helper()
	db := vaulttest.DB(t)
	now := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	s := New(db, func() time.Time { return now })
	if _, err := s.Purposes(ctx, words); err != nil {
		t.Fatal(err)
	}
	return s, crm.New(db, nil), &now
}

func contact(t *testing.T, c *crm.Store, name string) int64 {
	t.Helper()
	id, err := c.CreateContact(ctx, crm.Contact{GivenName: name, Emails: []crm.Email{{Address: strings.ToLower(name) + "@example.fr"}}})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func grant(t *testing.T, s *Store, id int64, purpose, channel, action string) Entry {
	t.Helper()
	e, err := s.Record(ctx, Entry{ContactID: id, Purpose: purpose, Channel: channel, Action: action,
		Wording: "J’accepte de recevoir la lettre d’information par e-mail.", WordingVersion: "v2", Method: "form",
		Evidence: "formulaire du site, case cochée par la personne", RecordedBy: "Claire"})
	if err != nil {
		t.Fatalf("%s %s: %v", action, purpose, err)
	}
	return e
}

func TestDefaultCatalogue(t *testing.T) {
	s, _, _ := setup(t)
	list, err := s.Purposes(ctx, words)
	if err != nil || len(list) != 5 {
		t.Fatalf("catalogue: %d, %v", len(list), err)
	}
	bases := map[string]string{}
	for _, p := range list {
		bases[p.Key] = p.LawfulBasis
	}
	if bases["newsletter"] != "consent" || bases["invoicing"] != "legal_obligation" || bases["customers"] != "contract" {
		t.Fatalf("bases: %v", bases)
	}
	// Legitimate interests need their balancing note.
	p := list[0]
	p.LawfulBasis = "legitimate_interests"
	if _, err := s.SavePurpose(ctx, "Claire", p); !errors.Is(err, ErrBalancingMissing) {
		t.Fatalf("legitimate interests without a note: %v", err)
	}
	p.BalancingNote = "Clients existants, produits analogues, opposition possible à chaque envoi."
	if _, err := s.SavePurpose(ctx, "Claire", p); err != nil {
		t.Fatal(err)
	}
}

func TestLedgerDerivesStateAndWithdrawal(t *testing.T) {
	s, c, now := setup(t)
	helene, paul, zoe := contact(t, c, "Helene"), contact(t, c, "Paul"), contact(t, c, "Zoe")

	// No entry, no consent: there is no default.
	if st, _ := s.Current(ctx, helene); len(st) != 0 {
		t.Fatalf("consent by default: %+v", st)
	}
	grant(t, s, helene, "newsletter", "email", "grant")
	grant(t, s, paul, "newsletter", "email", "refuse")
	grant(t, s, zoe, "newsletter", "email", "grant")
	grant(t, s, zoe, "newsletter", "sms", "grant")
	*now = now.Add(time.Hour)
	if _, err := s.Record(ctx, Entry{ContactID: zoe, Purpose: "newsletter", Channel: "email", Action: "withdraw", Method: "email", RecordedBy: "Claire"}); err != nil {
		t.Fatalf("withdraw: %v", err)
	}
	if _, err := s.Record(ctx, Entry{ContactID: paul, Purpose: "newsletter", Channel: "email", Action: "withdraw", Method: "email", RecordedBy: "Claire"}); !errors.Is(err, ErrNothingToWithdraw) {
		t.Fatalf("withdrawing a refusal: %v", err)
	}
	st, _ := s.Current(ctx, zoe)
	if len(st) != 2 || st[0].Channel != "email" || st[0].Status != "withdrawn" || st[1].Status != "granted" {
		t.Fatalf("zoe: %+v", st)
	}
	hist, _ := s.History(ctx, zoe)
	if len(hist) != 3 || hist[2].Action != "withdraw" || hist[0].Wording == "" || hist[0].RecordedBy != "Claire" {
		t.Fatalf("history: %+v", hist)
	}

	// The exclusion API: only current grants for that purpose and channel.
	got, err := s.Consented(ctx, "newsletter", "email", []int64{helene, paul, zoe})
	if err != nil || len(got) != 1 || got[0] != helene {
		t.Fatalf("consented to the newsletter by e-mail: %v, %v", got, err)
	}
	if _, err := s.Consented(ctx, "no_such_purpose", "email", []int64{helene}); !errors.Is(err, ErrUnknownPurpose) {
		t.Fatalf("unknown purpose: %v", err)
	}

	// Consents expire (36 months for the newsletter) and show up for renewal before.
	*now = now.AddDate(2, 11, 10)
	ren, _ := s.ToRenew(ctx, 30)
	if len(ren) != 2 || ren[0].Expired {
		t.Fatalf("to renew: %+v", ren)
	}
	*now = now.AddDate(0, 1, 0)
	if got, _ := s.Consented(ctx, "newsletter", "email", []int64{helene}); len(got) != 0 {
		t.Fatal("an expired consent still counts")
	}
	if st, _ := s.Current(ctx, helene); st[0].Status != "expired" {
		t.Fatalf("expired state: %+v", st)
	}

	// Every consent change is in the audit log, without personal data.
	log, _ := s.Audit(ctx, AuditQuery{SubjectKind: "contact", SubjectID: zoe})
	if len(log) != 3 || log[0].Action != "consent.withdraw" || log[0].Actor != "Claire" {
		t.Fatalf("audit: %+v", log)
	}
	for _, e := range log {
		for _, v := range e.Detail {
			if s, ok := v.(string); ok && strings.Contains(s, "@") {
				t.Fatalf("personal data in the audit log: %+v", e)
			}
		}
	}
}

func TestChainsFindTampering(t *testing.T) {
	s, c, _ := setup(t)
	id := contact(t, c, "Helene")
	for range 3 {
		grant(t, s, id, "newsletter", "email", "grant")
	}
	s.Log(ctx, "Claire", "contact.view", "contact", id, nil)
	for _, v := range []func(context.Context) (ChainStatus, error){s.VerifyLedger, s.VerifyAudit} {
		if st, err := v(ctx); err != nil || !st.OK || st.Entries == 0 {
			t.Fatalf("sound chain: %+v, %v", st, err)
		}
	}
	// The triggers refuse changes made with plain SQL…
	if _, err := s.db.Exec(`UPDATE consent_ledger SET action = 'refuse' WHERE id = 2`); err == nil {
		t.Fatal("the ledger accepted an update")
	}
	if _, err := s.db.Exec(`DELETE FROM audit_log WHERE id = 1`); err == nil {
		t.Fatal("the audit log accepted a delete")
	}
	// …and whoever removes them to edit a row is found out.
	for _, q := range []string{
		`DROP TRIGGER consent_ledger_no_update`,
		`UPDATE consent_ledger SET action = 'refuse' WHERE id = 2`,
		`DROP TRIGGER audit_log_no_update`,
		`UPDATE audit_log SET actor = 'Quelqu''un' WHERE id = 2`,
	} {
		if _, err := s.db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	st, err := s.VerifyLedger(ctx)
	if err != nil || st.OK || st.BrokenAt != 2 || st.Reason != "hash" {
		t.Fatalf("edited ledger: %+v, %v", st, err)
	}
	st, err = s.VerifyAudit(ctx)
	if err != nil || st.OK || st.BrokenAt != 2 {
		t.Fatalf("edited audit log: %+v, %v", st, err)
	}
	// Changing evidence is found too, erasing it (the erasure path) is not a break.
	s.db.Exec(`UPDATE consent_ledger SET action = 'grant' WHERE id = 2`)
	s.db.Exec(`UPDATE consent_ledger SET evidence = 'autre chose' WHERE id = 3`)
	if st, _ := s.VerifyLedger(ctx); st.OK || st.BrokenAt != 3 {
		t.Fatalf("edited evidence: %+v", st)
	}
	s.db.Exec(`UPDATE consent_ledger SET evidence = '' WHERE id = 3`)
	if st, _ := s.VerifyLedger(ctx); !st.OK {
		t.Fatalf("erased evidence breaks the chain: %+v", st)
	}
}

func TestRecordValidation(t *testing.T) {
	s, c, _ := setup(t)
	id := contact(t, c, "Helene")
	base := Entry{ContactID: id, Purpose: "newsletter", Channel: "email", Action: "grant", Wording: "Oui", Method: "form", RecordedBy: "Claire"}
	for _, tc := range []struct {
		edit func(*Entry)
		want error
	}{
		{func(e *Entry) { e.Channel = "pigeon" }, ErrBadChannel},
		{func(e *Entry) { e.Method = "guess" }, ErrBadMethod},
		{func(e *Entry) { e.Wording = " " }, ErrNoWording},
		{func(e *Entry) { e.Purpose = "nope" }, ErrUnknownPurpose},
		{func(e *Entry) { e.ContactID = 999 }, ErrNoContact},
		{func(e *Entry) { e.OccurredAt = "2030-01-01" }, ErrFutureConsent},
	} {
		e := base
		tc.edit(&e)
		if _, err := s.Record(ctx, e); !errors.Is(err, tc.want) {
			t.Errorf("%+v: %v, want %v", e, err, tc.want)
		}
	}
}
