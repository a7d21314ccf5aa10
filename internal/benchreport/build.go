package benchreport

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"carnet/backend/crm"
	"carnet/backend/i18n"
	"carnet/backend/mail"
	"carnet/backend/mail/mailtest"
	"carnet/backend/pdf"
	"carnet/backend/privacy"
	"carnet/backend/sales"
	"carnet/backend/vault"
)

// Passphrase opens the benchmark vault.
const Passphrase = "benchmark passphrase"

// Vault is the realistic vault the figures run on: the CRM's sample data
// (contacts collected over six years, a fifth as many companies, two notes
// each), invoices issued over five years, a mailbox of stored e-mails, and
// one person with many e-mails, invoices and notes. The same data go into
// the encrypted vault and into the unencrypted baseline.
type Vault struct {
	Dir       string
	Encrypted bool
	V         *vault.Vault // nil for the unencrypted baseline
	DB        *sql.DB
	CRM       *crm.Store
	Mail      *mail.Store
	Sales     *sales.Store
	I18n      *i18n.Bundle
	Account   int64 // the mail account
	Person    int64 // the contact of the subject-rights figures
	Companies []int64
	Customers []int64         // contacts who are customers
	Built     []time.Duration // contacts, invoices, e-mails
}

// The person of the subject-rights figures.
var personFrom = []string{"Ondine Brumespoir <ondine@brumespoir.test>"}

// Build makes the vault in dir: encrypted (with the key derivation costs
// kdf; zero: the defaults, as the app creates it) or, for the baseline, a
// plain SQLite file with the same schema. Everything goes through the stores' own code, in bulk
// where they have a bulk path (the sample data, e-mail files).
func Build(ctx context.Context, dir string, sz Sizes, encrypted bool, kdf vault.KDFParams, tr *i18n.Bundle) (*Vault, error) {
	v := &Vault{Dir: dir, Encrypted: encrypted, I18n: tr}
	if encrypted {
		var err error
		if v.V, err = vault.Open(dir, vault.Options{KDF: kdf}); err != nil {
			return nil, err
		}
		if _, err := v.V.Create(ctx, Passphrase); err != nil {
			v.Close()
			return nil, err
		}
		if v.DB, err = v.V.DB(); err != nil {
			v.Close()
			return nil, err
		}
	} else {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, err
		}
		db, err := vault.OpenPlainForBenchmark(ctx, filepath.Join(dir, "plain.db"))
		if err != nil {
			return nil, err
		}
		v.DB = db
	}
	v.stores()
	for _, step := range []func(context.Context, Sizes) error{v.buildContacts, v.buildInvoices, v.buildMail} {
		start := time.Now()
		if err := step(ctx, sz); err != nil {
			v.Close()
			return nil, err
		}
		v.Built = append(v.Built, time.Since(start))
	}
	return v, nil
}

func (v *Vault) stores() {
	v.CRM = crm.New(v.DB, nil)
	v.Mail = mail.New(v.DB, nil)
	v.Sales = sales.New(v.DB, nil)
}

// Reopen takes the vault again after Close and unlocks it, timing the
// unlock (key derivation, opening, migrations).
func (v *Vault) Reopen(ctx context.Context) (span, error) {
	var err error
	if v.V, err = vault.Open(v.Dir, vault.Options{}); err != nil {
		return span{}, err
	}
	return v.unlock(ctx)
}

// Relock locks the open vault and unlocks it again, timing the unlock.
func (v *Vault) Relock(ctx context.Context) (span, error) {
	if err := v.V.Lock(); err != nil {
		return span{}, err
	}
	return v.unlock(ctx)
}

func (v *Vault) unlock(ctx context.Context) (span, error) {
	s, err := timed(func() error { return v.V.Unlock(ctx, Passphrase) })
	if err != nil {
		return s, err
	}
	if v.DB, err = v.V.DB(); err != nil {
		return s, err
	}
	v.stores()
	return s, nil
}

// Close closes the database and lets the vault folder go.
func (v *Vault) Close() error {
	db := v.DB
	v.DB = nil
	if v.V != nil {
		err := v.V.Close()
		v.V = nil
		return err
	}
	if db != nil {
		return db.Close()
	}
	return nil
}

// buildContacts makes the sample contacts and companies, then the person.
func (v *Vault) buildContacts(ctx context.Context, sz Sizes) error {
	if _, err := v.CRM.GenerateDemo(ctx, crm.DemoOptions{Contacts: sz.Contacts, Seed: 2026, Years: 6}); err != nil {
		return err
	}
	sn, err := v.CRM.Snapshot(ctx, crm.ListQuery{Filter: crm.Filter{Relationship: crm.Customer}})
	if err != nil {
		return err
	}
	v.Customers = sn.IDs() // the person apart: their e-mails and invoices are counted
	id, err := v.CRM.CreateContact(ctx, crm.Contact{GivenName: "Ondine", FamilyName: "Brumespoir", Language: "fr",
		Emails:        []crm.Email{{Address: "ondine@brumespoir.test"}, {Address: "o.brumespoir@atelier.test"}},
		Phones:        []crm.Phone{{Number: "06 11 22 33 44"}},
		Relationships: []crm.Relationship{crm.Customer}, Tags: []string{"vip"}})
	if err != nil {
		return err
	}
	v.Person = id
	for i := range sz.Person.Notes {
		if _, err := v.CRM.AddActivity(ctx, crm.Activity{ContactID: id, Kind: "note", Title: "Échange",
			Body: fmt.Sprintf("Note %d sur la commande", i)}); err != nil {
			return err
		}
	}
	for off := 0; ; off += 500 {
		p, err := v.CRM.ListCompanies(ctx, "", off, 500)
		if err != nil {
			return err
		}
		for _, c := range p.Rows {
			v.Companies = append(v.Companies, c.ID)
		}
		if len(p.Rows) < 500 {
			break
		}
	}
	// The purposes of processing, as the app creates them at first use.
	_, err = privacy.New(v.DB, nil).Purposes(ctx, v.words())
	return err
}

// words translates the default purposes' texts into French.
func (v *Vault) words() privacy.Words {
	return func(key string) string { return v.I18n.T("fr", key, nil) }
}

// buildInvoices issues the invoices in date order over the last five
// years: to companies, to customers (consumer invoices), and every so often
// to the person, whose originals are kept as the app keeps them when first
// printed.
func (v *Vault) buildInvoices(ctx context.Context, sz Sizes) error {
	p, err := v.Sales.Profile(ctx)
	if err != nil {
		return err
	}
	p.LegalName, p.LegalForm, p.ShareCapital = "Atelier Carnet", "SARL", 1000000
	p.Street, p.PostalCode, p.City, p.Country = "1 place Bellecour", "69002", "Lyon", "FR"
	p.SIREN, p.SIRET, p.VATNumber, p.Registry = "443061841", "44306184100047", "FR64443061841", "RCS Lyon"
	p.IBAN, p.BIC = "FR7630006000011234567890189", "AGRIFRPPXXX"
	if err := v.Sales.SaveProfile(ctx, *p); err != nil {
		return err
	}
	render := pdf.New(v.I18n, "fr")
	every := max(1, sz.Invoices/max(1, sz.Person.Invoices))
	today := time.Now()
	start := today.AddDate(-5, 0, 0)
	step := today.Sub(start) / time.Duration(max(1, sz.Invoices))
	person := 0
	for i := range sz.Invoices {
		d := sales.Document{Kind: sales.KindInvoice, Operation: "services", Lines: invoiceLines(i, 1+i%4)}
		switch {
		case i%every == 0 && person < sz.Person.Invoices:
			d.ContactID, d.B2C = v.Person, true
			person++
		case i%3 == 0 && len(v.Customers) > 0:
			d.ContactID, d.B2C = v.Customers[(i*7919)%len(v.Customers)], true
		default:
			d.CompanyID = v.Companies[(i*104729)%len(v.Companies)]
		}
		id, err := v.Sales.SaveDraft(ctx, d)
		if err != nil {
			return fmt.Errorf("benchreport: invoice %d: %w", i, err)
		}
		if _, err := v.Sales.Issue(ctx, id, start.Add(time.Duration(i)*step).Format(time.DateOnly)); err != nil {
			return fmt.Errorf("benchreport: issue invoice %d: %w", i, err)
		}
		if d.ContactID == v.Person {
			if _, err := render.Stored(ctx, v.Sales, id); err != nil {
				return err
			}
		}
	}
	return nil
}

// invoiceLines are n lines of services at the standard rate.
func invoiceLines(seed, n int) []sales.Line {
	lines := make([]sales.Line, n)
	for i := range lines {
		lines[i] = sales.Line{Description: fmt.Sprintf("Prestation %d — vitrail, pose et réglage", seed%97+i),
			Unit: "heure", Quantity: int64(1+(seed+i)%8) * 500, UnitPrice: int64(4500 + (seed*31+i)%20000), VATRate: sales.RateStandard}
	}
	return lines
}

// buildMail stores the mailbox, a thousand e-mails a transaction: the
// person's, then others from contacts of the vault and from strangers,
// half and half, sent over the last two and a half years.
func (v *Vault) buildMail(ctx context.Context, sz Sizes) error {
	id, err := v.Mail.SaveAccount(ctx, mail.Account{Name: "Bureau", Address: mailtest.Recipient,
		IMAPHost: "127.0.0.1", IMAPPort: 143, IMAPSecurity: mail.None, SMTPHost: "127.0.0.1", SMTPPort: 25,
		SMTPSecurity: mail.None, Username: "u", Password: "p"})
	if err != nil {
		return err
	}
	v.Account = id
	var known []string
	for i := 0; i < len(v.Customers) && len(known) < 400; i += max(1, len(v.Customers)/400) {
		c, err := v.CRM.Contact(ctx, v.Customers[i])
		if err != nil {
			return err
		}
		if len(c.Emails) > 0 {
			known = append(known, c.GivenName+" "+c.FamilyName+" <"+c.Emails[0].Address+">")
		}
	}
	// A thousand messages span some ten weeks: the chunks start at even
	// steps over the last two and a half years.
	first := time.Now().AddDate(0, -30, 0)
	span := time.Now().AddDate(0, -3, 0).Sub(first)
	store := func(seed int64, n int, from []string) error {
		for done := 0; done < n; done += 1000 {
			start := first.Add(span * time.Duration(done) / time.Duration(max(1, n)))
			msgs := mailtest.GenerateMessagesSince(start, seed+int64(done), min(1000, n-done), from)
			if _, err := v.Mail.ImportFiles(ctx, id, msgs); err != nil {
				return err
			}
		}
		return nil
	}
	if err := store(7, sz.Person.Messages, personFrom); err != nil {
		return err
	}
	rest := sz.Messages - sz.Person.Messages
	if err := store(1_000_000, rest/2, known); err != nil {
		return err
	}
	return store(2_000_000, rest-rest/2, nil)
}
