package subject_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"carnet/backend/crm"
	"carnet/backend/i18n"
	"carnet/backend/mail"
	"carnet/backend/mail/mailtest"
	"carnet/backend/pdf"
	"carnet/backend/privacy"
	"carnet/backend/sales"
	"carnet/backend/subject"
	"carnet/backend/subject/bundle"
	"carnet/backend/vault"
	"carnet/backend/vault/vaulttest"
)

func benchSize(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// BenchmarkSubjectRights: in a vault of 100,000 contacts (with 20,000
// companies and 200,000 notes), one person with 5,000 e-mails, 200 issued
// invoices and 1,000 notes. Targets: the access export, PDF included,
// ≤ 3 s; the erasure ≤ 2 s. The index compaction that follows an erasure
// (in the background in the app) is reported apart. CARNET_BENCH_CONTACTS makes the vault smaller
// (the person is then scaled down by ten).
func BenchmarkSubjectRights(b *testing.B) {
	contacts := benchSize("CARNET_BENCH_CONTACTS", 100_000)
	msgs, invoices, notes := 5_000, 200, 1_000
	if contacts < 100_000 {
		msgs, invoices, notes = 500, 20, 100
	}
	dir := b.TempDir()
	v, err := vault.Open(dir, vault.Options{KDF: vaulttest.FastKDF})
	if err != nil {
		b.Fatal(err)
	}
	defer v.Close()
	if _, err := v.Create(ctx, "benchmark passphrase"); err != nil {
		b.Fatal(err)
	}
	db, _ := v.DB()
	start := time.Now()
	cs := crm.New(db, nil)
	if _, err := cs.GenerateDemo(ctx, crm.DemoOptions{Contacts: contacts, Seed: 2026}); err != nil {
		b.Fatal(err)
	}
	id, err := cs.CreateContact(ctx, crm.Contact{GivenName: "Ondine", FamilyName: "Brumespoir", Language: "fr",
		Emails: []crm.Email{{Address: "ondine@brumespoir.test"}, {Address: "o.brumespoir@atelier.test"}},
		Phones: []crm.Phone{{Number: "06 11 22 33 44"}}, Tags: []string{"vip"}})
	if err != nil {
		b.Fatal(err)
	}
	for i := range notes {
		if _, err := cs.AddActivity(ctx, crm.Activity{ContactID: id, Kind: "note", Title: "Échange", Body: fmt.Sprintf("Note %d sur la commande", i)}); err != nil {
			b.Fatal(err)
		}
	}
	ps := privacy.New(db, nil)
	words := func(k string) string { return k }
	ps.Purposes(ctx, words)
	ms := mail.New(db, nil)
	acct, err := ms.SaveAccount(ctx, mail.Account{Name: "Atelier", Address: "moi@atelier.test", IMAPHost: "127.0.0.1", IMAPPort: 143,
		IMAPSecurity: mail.None, SMTPHost: "127.0.0.1", SMTPPort: 25, SMTPSecurity: mail.None, Username: "u", Password: "p"})
	if err != nil {
		b.Fatal(err)
	}
	for _, raw := range mailtest.GenerateMessages(7, msgs, []string{"Ondine Brumespoir <ondine@brumespoir.test>"}) {
		if _, err := ms.ImportFile(ctx, acct, raw); err != nil {
			b.Fatal(err)
		}
	}
	ss := sales.New(db, nil)
	p, _ := ss.Profile(ctx)
	p.LegalName, p.LegalForm, p.Street, p.PostalCode, p.City, p.SIREN = "Atelier Carnet", "SARL", "1 place Bellecour", "69002", "Lyon", "443061841"
	if err := ss.SaveProfile(ctx, *p); err != nil {
		b.Fatal(err)
	}
	bundleI18n, err := i18n.Load()
	if err != nil {
		b.Fatal(err)
	}
	for i := range invoices {
		d, err := ss.SaveDraft(ctx, sales.Document{Kind: sales.KindInvoice, ContactID: id, B2C: true,
			Lines: []sales.Line{{Description: fmt.Sprintf("Vitrail %d", i), Quantity: 1000, UnitPrice: 90000, VATRate: sales.RateStandard}}})
		if err == nil {
			_, err = ss.Issue(ctx, d, "")
		}
		if err == nil { // as the app does: the original is kept when issued
			_, err = pdf.New(bundleI18n, "fr").Stored(ctx, ss, d)
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	fmt.Fprintf(os.Stderr, "subject benchmark vault: %d contacts; the person: %d e-mails, %d invoices, %d notes; built in %v\n",
		contacts, msgs, invoices, notes, time.Since(start).Round(time.Second))

	h := subject.New(db, nil, words)
	var exports []float64
	for i := range 3 {
		t0 := time.Now()
		d, err := h.Collect(ctx, id, "", "fr")
		if err != nil {
			b.Fatal(err)
		}
		man, err := bundle.WriteFile(ctx, filepath.Join(dir, fmt.Sprintf("acces-%d.zip", i)), db, d, bundleI18n)
		if err != nil {
			b.Fatal(err)
		}
		exports = append(exports, float64(time.Since(t0).Milliseconds()))
		if len(d.Messages) != msgs || len(d.Documents) != invoices || len(d.Activities) != notes || len(man.Files) < msgs+invoices {
			b.Fatalf("export holds %d messages, %d documents, %d notes", len(d.Messages), len(d.Documents), len(d.Activities))
		}
	}
	slices.Sort(exports)
	t0 := time.Now()
	e, err := h.Erase(ctx, id, subject.EraseOptions{Actor: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	erase := time.Since(t0)
	t0 = time.Now()
	if err := h.Compact(ctx); err != nil {
		b.Fatal(err)
	}
	compact := time.Since(t0)
	if len(e.Plan.Erase) == 0 {
		b.Fatal("nothing erased")
	}
	b.ReportMetric(exports[1], "export-ms")
	b.ReportMetric(float64(erase.Milliseconds()), "erase-ms")
	b.ReportMetric(float64(compact.Milliseconds()), "compact-ms")
	b.ReportMetric(0, "ns/op")
}
