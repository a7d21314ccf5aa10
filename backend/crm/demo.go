package crm

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// DemoOptions size the sample data.
type DemoOptions struct {
	Contacts  int    // people; companies are a fifth of that
	Companies int    // 0: Contacts/5
	Notes     int    // timeline entries per contact (notes, calls, tasks); 0: 2
	Years     int    // contacts collected over the last Years years; 0: all today
	Seed      uint64 // the same seed gives the same data
	Progress  func(done, total int)
}

// DemoSummary says what was generated.
type DemoSummary struct {
	Contacts   int `json:"contacts"`
	Companies  int `json:"companies"`
	Activities int `json:"activities"`
}

// GenerateDemo fills the vault with realistic, fictitious French and
// European contacts, companies, notes and tasks, in one transaction. It is
// deterministic for a seed: for benchmarks, tests and "try with sample data".
func (s *Store) GenerateDemo(ctx context.Context, o DemoOptions) (sum DemoSummary, err error) {
	err = s.write(ctx, func(tx *sql.Tx) error {
		sum, err = s.generateDemo(ctx, tx, o)
		return err
	})
	if err != nil {
		return DemoSummary{}, err
	}
	return sum, nil
}

func (s *Store) generateDemo(ctx context.Context, tx *sql.Tx, o DemoOptions) (DemoSummary, error) {
	if o.Contacts <= 0 {
		o.Contacts = 200
	}
	if o.Companies <= 0 {
		o.Companies = max(1, o.Contacts/5)
	}
	if o.Notes <= 0 {
		o.Notes = 2
	}
	rng := rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15))
	pick := func(list []string) string { return list[rng.IntN(len(list))] }
	now := s.now()
	var sum DemoSummary

	q := newStmtCache(tx)
	defer q.close()

	companyIDs := make([]int64, 0, o.Companies)
	for i := range o.Companies {
		trade := demoTrades[rng.IntN(len(demoTrades))]
		city := demoCities[rng.IntN(len(demoCities))]
		name := strings.TrimSpace(fmt.Sprintf("%s %s %s", trade.prefix, pick(demoFamilyNames), pick(demoForms)))
		co := Company{Name: name, Sector: trade.sector, Owner: pick(demoOwners),
			Addresses: []Address{{Street: fmt.Sprintf("%d %s", 1+rng.IntN(120), pick(demoStreets)), PostalCode: city.postal, City: city.name, Country: city.country}}}
		if city.country == "FR" {
			siren := luhnComplete(fmt.Sprintf("%08d", rng.IntN(1e8)))
			co.SIREN = siren
			co.SIRET = luhnComplete(siren + fmt.Sprintf("%04d", 1+rng.IntN(99)))
			co.VATNumber = FrenchVAT(siren)
			if siren == laPosteSIREN || !luhn(co.SIRET) {
				co.SIRET = ""
			}
		}
		if err := co.normalize(); err != nil {
			return sum, fmt.Errorf("crm: demo company %d: %w", i, err)
		}
		id, err := insertCompany(ctx, q, &co, now)
		if err != nil {
			return sum, err
		}
		companyIDs = append(companyIDs, id)
	}
	sum.Companies = len(companyIDs)

	for i := range o.Contacts {
		if i%500 == 0 {
			if ctx.Err() != nil {
				return DemoSummary{}, ErrCancelled
			}
			if o.Progress != nil {
				o.Progress(i, o.Contacts)
			}
		}
		given, family := pick(demoGivenNames), pick(demoFamilyNames)
		city := demoCities[rng.IntN(len(demoCities))]
		domain := []string{"orange.fr", "free.fr", "gmail.com", "laposte.net", "sfr.fr", "outlook.fr", "example.fr"}[rng.IntN(7)]
		c := Contact{
			GivenName: given, FamilyName: family, JobTitle: pick(demoJobs), Owner: pick(demoOwners),
			Source: pick(demoSources), Language: map[string]string{"FR": "fr", "BE": "fr", "CH": "fr", "LU": "fr"}[city.country],
			Emails: []Email{{Address: fmt.Sprintf("%s.%s%d@%s", asciiSlug(given), asciiSlug(family), i, domain)}},
			Phones: []Phone{{Number: demoPhone(rng, city), Label: "work"}},
			Addresses: []Address{{Street: fmt.Sprintf("%d %s", 1+rng.IntN(150), pick(demoStreets)),
				PostalCode: city.postal, City: city.name, Country: city.country}},
		}
		if c.Language == "" {
			c.Language = "en"
		}
		if rng.IntN(3) == 0 {
			c.Phones = append(c.Phones, Phone{Number: fmt.Sprintf("0%d %02d %02d %02d %02d", 6+rng.IntN(2), rng.IntN(100), rng.IntN(100), rng.IntN(100), rng.IntN(100)), Label: "cell"})
		}
		rel := []Relationship{Prospect, Customer, Customer, Supplier, Partner, Other}[rng.IntN(6)]
		c.Relationships = []Relationship{rel}
		if rng.IntN(8) == 0 {
			c.Relationships = append(c.Relationships, Customer)
		}
		for range rng.IntN(3) {
			c.Tags = append(c.Tags, pick(demoTags))
		}
		if rng.IntN(4) != 0 {
			c.Companies = []CompanyLink{{CompanyID: companyIDs[rng.IntN(len(companyIDs))], Role: c.JobTitle}}
		}
		if rng.IntN(2) == 0 {
			c.LastInboundAt = stamp(now.Add(-time.Duration(rng.IntN(3*365*24)) * time.Hour))
		}
		if err := c.normalize(); err != nil {
			return sum, fmt.Errorf("crm: demo contact %d: %w", i, err)
		}
		collected := now
		if o.Years > 0 {
			collected = now.Add(-time.Duration(rng.Int64N(int64(o.Years) * 365 * 24 * int64(time.Hour))))
		}
		id, err := insertContact(ctx, q, &c, collected)
		if err != nil {
			return sum, err
		}
		sum.Contacts++
		for n := range o.Notes {
			a := Activity{ContactID: id, Kind: []string{"note", "note", "call", "meeting", "task"}[rng.IntN(5)],
				Body: pick(demoNotes), OccurredAt: stamp(now.Add(-time.Duration(rng.IntN(500*24)) * time.Hour))}
			if a.Kind == "task" {
				a.Title = pick(demoTasks)
				a.DueOn = now.AddDate(0, 0, rng.IntN(30)-10).Format(time.DateOnly)
				if n%2 == 0 && rng.IntN(2) == 0 {
					a.DoneAt = stamp(now)
				}
			}
			if _, err := insertActivity(ctx, q, &a, now); err != nil {
				return sum, err
			}
			sum.Activities++
		}
	}
	if o.Progress != nil {
		o.Progress(o.Contacts, o.Contacts)
	}
	if err := q.flushDocs(ctx); err != nil {
		return DemoSummary{}, err
	}
	return sum, nil
}

// DemoImportFiles returns n fictitious people as the files people bring to
// an import: a French Excel CSV (semicolons, CRLF; name, e-mail, phone,
// company, city, two tags, source, last contact) and vCard 3.0 cards (name,
// e-mail, mobile, organisation). The same n gives the same files.
func DemoImportFiles(n int) (csv, vcf []byte) {
	var c, v bytes.Buffer
	c.WriteString("Prénom;Nom;Adresse e-mail;Téléphone;Société;Ville;Étiquettes;Source;Dernier contact\r\n")
	for i := range n {
		g, f := demoGivenNames[i%len(demoGivenNames)], demoFamilyNames[(i/7)%len(demoFamilyNames)]
		fmt.Fprintf(&c, "%s;%s;%s.%s%d@example.fr;06 %02d %02d %02d %02d;Société %d;Lyon;client,salon;import test;2026-0%d-15\r\n",
			g, f, asciiSlug(g), asciiSlug(f), i, i%100, (i/100)%100, i%97, i%89, i%500, 1+i%9)
		fmt.Fprintf(&v, "BEGIN:VCARD\r\nVERSION:3.0\r\nN:%s;%s;;;\r\nFN:%s %s\r\nEMAIL;TYPE=WORK:%s%d@example.org\r\nTEL;TYPE=CELL:+33 7 %02d %02d %02d %02d\r\nORG:Maison %d\r\nEND:VCARD\r\n",
			f, g, g, f, asciiSlug(f), i, i%100, (i/100)%100, i%97, i%89, i%400)
	}
	return c.Bytes(), v.Bytes()
}

// luhnComplete appends the digit that makes s pass the Luhn check.
func luhnComplete(s string) string {
	for d := '0'; d <= '9'; d++ {
		if luhn(s + string(d)) {
			return s + string(d)
		}
	}
	return s + "0"
}

func demoPhone(rng *rand.Rand, c demoCity) string {
	if strings.HasPrefix(c.phonePrefix, "+") {
		return fmt.Sprintf("%s %03d %04d", c.phonePrefix, rng.IntN(1000), rng.IntN(10000))
	}
	return fmt.Sprintf("%s %02d %02d %02d %02d", c.phonePrefix, rng.IntN(100), rng.IntN(100), rng.IntN(100), rng.IntN(100))
}

// asciiSlug makes a name usable in an e-mail address.
func asciiSlug(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z':
			return r
		case r == ' ' || r == '\'':
			return '-'
		}
		return -1
	}, Fold(s))
}
