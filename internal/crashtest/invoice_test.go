package crashtest

import (
	"database/sql"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"carnet/backend/crm"
	"carnet/backend/privacy"
	"carnet/backend/sales"
)

// invoiceLoad issues invoices one after another (a draft, then its number
// and freeze), with now and then a credit note (a second numbering
// series), and between them records consents (the hash-chained ledger
// and, in the same transaction, the hash-chained audit log) and plain
// audit entries.
type invoiceLoad struct {
	company, contact int64
	steps            int
}

func (w *invoiceLoad) name() string { return "invoice" }

func (w *invoiceLoad) setup(t *testing.T, db *sql.DB, seed uint64) {
	w.steps = 40
	c := crm.New(db, nil)
	var err error
	w.company, err = c.CreateCompany(ctx, crm.Company{Name: "Boulangerie Lemaire", SIRET: "73282932000074",
		Addresses: []crm.Address{{Street: "3 rue des Lilas", PostalCode: "69003", City: "Lyon", Country: "FR"}}})
	if err != nil {
		t.Fatal(err)
	}
	w.contact, err = c.CreateContact(ctx, crm.Contact{GivenName: "Hélène", FamilyName: "Dupont", Emails: []crm.Email{{Address: "helene@example.fr"}}})
	if err != nil {
		t.Fatal(err)
	}
	s := sales.New(db, nil)
	p, err := s.Profile(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p.LegalName, p.LegalForm, p.Street, p.PostalCode, p.City, p.SIREN = "Atelier Carnet", "SARL", "1 place Bellecour", "69002", "Lyon", "443061841"
	if err := s.SaveProfile(ctx, *p); err != nil {
		t.Fatal(err)
	}
	if _, err := privacy.New(db, nil).Purposes(ctx, func(k string) string { return k }); err != nil {
		t.Fatal(err)
	}
}

func (w *invoiceLoad) args() url.Values {
	return url.Values{"company": {fmt.Sprint(w.company)}, "contact": {fmt.Sprint(w.contact)}, "steps": {fmt.Sprint(w.steps)}}
}

func (w *invoiceLoad) load(a url.Values) (err error) {
	if w.company, err = strconv.ParseInt(a.Get("company"), 10, 64); err != nil {
		return err
	}
	if w.contact, err = strconv.ParseInt(a.Get("contact"), 10, 64); err != nil {
		return err
	}
	w.steps, err = strconv.Atoi(a.Get("steps"))
	return err
}

func (w *invoiceLoad) before(t *testing.T, run int) {}

func (w *invoiceLoad) work(db *sql.DB, run int, rep *reporter) error {
	s, p := sales.New(db, nil), privacy.New(db, nil)
	issue := func(id int64) error {
		d, err := s.Issue(ctx, id, "")
		if err != nil {
			return err
		}
		rep.commit("issued", d.ID, d.Kind, d.Number, d.Totals.Gross, d.IssuedAt)
		return nil
	}
	for i := range w.steps {
		id, err := s.SaveDraft(ctx, sales.Document{Kind: sales.KindInvoice, CompanyID: w.company, ContactID: w.contact,
			Lines: []sales.Line{{Description: fmt.Sprintf("Conseil, run %d étape %d", run, i), Quantity: 1000 + int64(i), UnitPrice: 45000, VATRate: sales.RateStandard}}})
		if err != nil {
			return err
		}
		rep.commit("draft", id)
		if err := issue(id); err != nil {
			return err
		}
		if i%6 == 5 {
			credit, err := s.CreditNote(ctx, id, nil)
			if err != nil {
				return err
			}
			rep.commit("draft", credit)
			if err := issue(credit); err != nil {
				return err
			}
		}
		action := []string{"grant", "refuse"}[i%2]
		e, err := p.Record(ctx, privacy.Entry{ContactID: w.contact, Purpose: "newsletter", Channel: "email", Action: action,
			Wording: "J’accepte de recevoir la lettre d’information par e-mail.", WordingVersion: "v1", Method: "form",
			Evidence: fmt.Sprintf("formulaire, run %d étape %d", run, i), RecordedBy: "crashtest"})
		if err != nil {
			return err
		}
		rep.commit("consent", e.ID, e.Hash)
		if i%4 == 0 {
			if err := p.Log(ctx, "crashtest", "crash.step", "", 0, map[string]any{"run": run, "step": i}); err != nil {
				return err
			}
			rep.commit("audit", run, i)
		}
		rep.progress(i+1, w.steps)
	}
	return nil
}

// issued is an issued document as the vault holds it.
type issued struct{ kind, number, gross, at string }

// check: every reported document, consent and audit entry is there as
// reported; each numbering series runs 1…n with no gap and its counter is
// n; both hash chains verify; every consent has its audit entry.
func (w *invoiceLoad) check(t *testing.T, db *sql.DB, run int, commits map[int][][]string) checked {
	t.Helper()
	docs := map[string]issued{}
	rows, err := db.QueryContext(ctx, `SELECT id, kind, coalesce(number, ''), total_gross, issued_at FROM documents WHERE issued_at <> ''`)
	if err != nil {
		t.Fatal(err)
	}
	series := map[string][]int{} // "F-2026" → counters
	for rows.Next() {
		var id string
		var d issued
		if err := rows.Scan(&id, &d.kind, &d.number, &d.gross, &d.at); err != nil {
			t.Fatal(err)
		}
		docs[id] = d
		i := strings.LastIndexByte(d.number, '-')
		n, err := strconv.Atoi(d.number[i+1:])
		if i < 0 || err != nil {
			t.Errorf("run %d: issued document %s has number %q", run, id, d.number)
			continue
		}
		series[d.number[:i]] = append(series[d.number[:i]], n)
	}
	rows.Close()
	counters := countBy(t, db, `SELECT CASE kind WHEN 'invoice' THEN 'F-' ELSE 'A-' END || period, last FROM sequences WHERE kind <> 'quote'`)
	for name, ns := range series {
		slices.Sort(ns)
		for i, n := range ns {
			if n != i+1 {
				t.Errorf("run %d: series %s has %d documents numbered up to %d: after %d comes %d", run, name, len(ns), ns[len(ns)-1], i, n)
				break
			}
		}
		if counters[name] != len(ns) {
			t.Errorf("run %d: series %s has %d documents but its counter is at %d", run, name, len(ns), counters[name])
		}
		delete(counters, name)
	}
	for name, n := range counters {
		t.Errorf("run %d: series %s's counter is at %d with no document", run, name, n)
	}
	var bad int
	db.QueryRowContext(ctx, `SELECT count(*) FROM documents d WHERE (d.issued_at = '' AND d.number IS NOT NULL AND d.kind <> 'quote')
		OR (d.issued_at <> '' AND NOT EXISTS (SELECT 1 FROM document_lines l WHERE l.document_id = d.id))`).Scan(&bad)
	if bad > 0 {
		t.Errorf("run %d: %d documents half issued (a draft with a number, or an issued one without lines)", run, bad)
	}

	ps := privacy.New(db, nil)
	for _, verify := range []func() (privacy.ChainStatus, error){
		func() (privacy.ChainStatus, error) { return ps.VerifyAudit(ctx) },
		func() (privacy.ChainStatus, error) { return ps.VerifyLedger(ctx) },
	} {
		st, err := verify()
		if err != nil || !st.OK {
			t.Errorf("run %d: hash chain broken: %+v, %v", run, st, err)
		}
	}
	audited := countBy(t, db, `SELECT json_extract(detail, '$.entry') || ' ' || action, count(*) FROM audit_log WHERE action LIKE 'consent.%' GROUP BY 1`)
	hashes := map[string]string{}
	lrows, err := db.QueryContext(ctx, `SELECT id, hash, action FROM consent_ledger`)
	if err != nil {
		t.Fatal(err)
	}
	for lrows.Next() {
		var id, h, action string
		if err := lrows.Scan(&id, &h, &action); err != nil {
			t.Fatal(err)
		}
		hashes[id] = h
		if audited[id+" consent."+action] != 1 {
			t.Errorf("run %d: consent %s has %d audit entries, want 1", run, id, audited[id+" consent."+action])
		}
	}
	lrows.Close()
	if len(audited) != len(hashes) {
		t.Errorf("run %d: %d consent audit entries for %d consents", run, len(audited), len(hashes))
	}
	steps := countBy(t, db, `SELECT json_extract(detail, '$.run') || ' ' || json_extract(detail, '$.step'), count(*) FROM audit_log WHERE action = 'crash.step' GROUP BY 1`)
	drafts := countBy(t, db, `SELECT id, 0 FROM documents`)

	var c checked
	for r, cs := range commits {
		for _, cm := range cs {
			c.items++
			ok := true
			switch cm[0] {
			case "draft":
				_, ok = drafts[cm[1]]
			case "issued":
				d, found := docs[cm[1]]
				ok = found && d == issued{kind: cm[2], number: cm[3], gross: cm[4], at: cm[5]}
			case "consent":
				h, found := hashes[cm[1]]
				ok = found && h == cm[2]
			case "audit":
				ok = steps[cm[1]+" "+cm[2]] == 1
			}
			if !ok {
				t.Errorf("run %d: run %d reported %v committed; the vault does not have it as reported", run, r, cm)
				c.lost++
			}
		}
	}
	return c
}

// finish checks that issued documents are still frozen after all the kills.
func (w *invoiceLoad) finish(t *testing.T, db *sql.DB) {
	var id int64
	if err := db.QueryRowContext(ctx, `SELECT id FROM documents WHERE issued_at <> '' ORDER BY id DESC LIMIT 1`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `UPDATE documents SET total_gross = total_gross + 1 WHERE id = ?`, id); err == nil {
		t.Errorf("issued document %d can be changed", id)
	}
}

func (w *invoiceLoad) full(t *testing.T, db *sql.DB) bool { return false }
