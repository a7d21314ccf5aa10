package rights_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"carnet/backend/crm"
	"carnet/backend/i18n"
	"carnet/backend/mail"
	"carnet/backend/privacy"
	"carnet/backend/privacy/rights"
	"carnet/backend/privacy/suppress"
	"carnet/backend/sales"
	"carnet/backend/vault"
	"carnet/backend/vault/vaulttest"
)

var ctx = context.Background()

func words(key string) string { return key }

// person is a seeded contact with data in every table, each piece marked
// with a string found nowhere else.
type person struct {
	v         *vault.Vault
	db        *sql.DB
	id        int64
	other     int64 // a bystander whose data must survive
	company   int64
	account   int64
	invoice   int64
	request   int64
	messages  int // stored messages naming the person
	bystander int64
}

// Markers that must disappear everywhere.
var gone = []string{
	"zq.ancienne@exemple.test", "33698765431", "0698765431", "33172345678", "allergieauxmarqueurs", "tagquartzwald",
	"notaquartz", "tachequartz", "preuvequartz", "sujetquartz", "corpsquartz", "acheteusequartz", "devisquartz",
	"Prefixquartz", "Suffixquartz",
}

// Markers the issued invoice's sealed copy of the buyer keeps.
var sealed = []string{"Quartzwald", "zephyrine.quartzwald@exemple.test", "Marqueurville"}

func seed(t *testing.T) *person {
	t.Helper()
	v, db := vaulttest.Vault(t)
	p := &person{v: v, db: db}
	cs := crm.New(db, nil)
	var err error
	p.company, err = cs.CreateCompany(ctx, crm.Company{Name: "Boulangerie Lemaire"})
	must(t, err)
	field, err := cs.SaveCustomField(ctx, crm.CustomField{Name: "Allergies", Sensitive: true, Category: "health", Condition: "a"})
	must(t, err)
	p.id, err = cs.CreateContact(ctx, crm.Contact{
		GivenName: "Zéphyrine", FamilyName: "Quartzwald", Language: "fr", Source: "salon Marqueurs 2026",
		NamePrefix: "Prefixquartz", NameSuffix: "Suffixquartz",
		Emails:    []crm.Email{{Address: "zq.ancienne@exemple.test"}},
		Phones:    []crm.Phone{{Number: "01 72 34 56 78"}},
		Addresses: []crm.Address{{Street: "17 rue Marqueurville", PostalCode: "69001", City: "Lyon", Country: "FR"}},
		Companies: []crm.CompanyLink{{CompanyID: p.company, Role: "Acheteusequartz"}},
		Tags:      []string{"tagquartzwald", "clients"},
		Fields:    []crm.FieldValue{{FieldID: field, Value: "allergieauxmarqueurs"}},
	})
	must(t, err)
	// She changed address and number: the old ones must still be found.
	c, err := cs.Contact(ctx, p.id)
	must(t, err)
	c.Emails = []crm.Email{{Address: "zephyrine.quartzwald@exemple.test"}}
	c.Phones = []crm.Phone{{Number: "+33 6 98 76 54 31"}}
	must(t, cs.UpdateContact(ctx, *c))
	p.other, err = cs.CreateContact(ctx, crm.Contact{GivenName: "Paul", FamilyName: "Témoin", Emails: []crm.Email{{Address: "paul@exemple.test"}},
		Tags: []string{"clients"}})
	must(t, err)
	_, err = cs.AddActivity(ctx, crm.Activity{ContactID: p.id, Kind: "note", Title: "Rendez-vous", Body: "Rendez-vous notaquartz au salon"})
	must(t, err)
	_, err = cs.AddActivity(ctx, crm.Activity{ContactID: p.id, Kind: "task", Title: "Rappeler tachequartz", DueOn: "2026-12-01"})
	must(t, err)
	_, err = cs.AddActivity(ctx, crm.Activity{ContactID: p.other, Kind: "note", Body: "Note de Paul"})
	must(t, err)

	ps := privacy.New(db, nil)
	_, err = ps.Purposes(ctx, words) // the defaults, at first use
	must(t, err)
	_, err = ps.Record(ctx, privacy.Entry{ContactID: p.id, Purpose: "newsletter", Channel: "email", Action: "grant",
		Wording: "J’accepte la lettre d’information.", WordingVersion: "v1", Method: "paper", Evidence: "bulletin preuvequartz",
		EvidenceName: "bulletin.png", EvidenceFile: []byte("PNG preuvequartz"), RecordedBy: "Claire"})
	must(t, err)
	req, err := ps.SaveRequest(ctx, "Claire", privacy.Request{Kind: "erasure", ContactID: p.id, Requester: "Zéphyrine Quartzwald (courrier)",
		Channel: "letter", ReceivedOn: time.Now().Format(time.DateOnly)})
	must(t, err)
	p.request = req.ID
	must(t, ps.Log(ctx, "Claire", "contact.view", "contact", p.id, nil))

	ms := mail.New(db, nil)
	p.account, err = ms.SaveAccount(ctx, mail.Account{Name: "Bureau", Address: "moi@atelier.test", IMAPHost: "127.0.0.1", IMAPPort: 143,
		IMAPSecurity: mail.None, SMTPHost: "127.0.0.1", SMTPPort: 25, SMTPSecurity: mail.None, Username: "u", Password: "p"})
	must(t, err)
	for i, m := range []struct{ from, to, cc string }{
		{"Zéphyrine Quartzwald <zephyrine.quartzwald@exemple.test>", "moi@atelier.test", ""},
		{"moi@atelier.test", "zq.ancienne@exemple.test", ""},
		{"paul@exemple.test", "moi@atelier.test", "zephyrine.quartzwald@exemple.test"},
	} {
		_, err := ms.ImportFile(ctx, p.account, eml(m.from, m.to, m.cc, fmt.Sprintf("Sujetquartz %d", i), "corpsquartz"))
		must(t, err)
	}
	p.messages = 3
	p.bystander, err = ms.ImportFile(ctx, p.account, eml("paul@exemple.test", "moi@atelier.test", "", "Commande", "Bonjour"))
	must(t, err)
	_, err = ms.Queue(ctx, mail.Draft{AccountID: p.account, To: []string{"zephyrine.quartzwald@exemple.test"}, Topic: "Réponse", Body: "corpsquartz"})
	must(t, err)

	ss := sales.New(db, nil)
	pr, err := ss.Profile(ctx)
	must(t, err)
	pr.LegalName, pr.LegalForm, pr.Street, pr.PostalCode, pr.City = "Atelier Carnet", "SARL", "1 place Bellecour", "69002", "Lyon"
	pr.SIREN, pr.VATNumber, pr.Registry = "443061841", "FR64443061841", "RCS Lyon"
	must(t, ss.SaveProfile(ctx, *pr))
	line := []sales.Line{{Description: "Conseil", Quantity: 1000, UnitPrice: 10000, VATRate: sales.RateStandard}}
	p.invoice, err = ss.SaveDraft(ctx, sales.Document{Kind: sales.KindInvoice, ContactID: p.id, B2C: true, Lines: line})
	must(t, err)
	_, err = ss.Issue(ctx, p.invoice, "")
	must(t, err)
	_, err = ss.SaveDraft(ctx, sales.Document{Kind: sales.KindQuote, ContactID: p.id, B2C: true, Notes: "devisquartz", Lines: line})
	must(t, err)
	_, err = ss.SaveDraft(ctx, sales.Document{Kind: sales.KindQuote, ContactID: p.id, CompanyID: p.company, Lines: line})
	must(t, err)
	return p
}

func eml(from, to, cc, subject, body string) []byte {
	h := "From: " + from + "\r\nTo: " + to + "\r\n"
	if cc != "" {
		h += "Cc: " + cc + "\r\n"
	}
	return []byte(h + "Subject: " + subject + "\r\nDate: Mon, 2 Nov 2026 10:00:00 +0100\r\nMessage-ID: <" +
		strings.ReplaceAll(subject, " ", ".") + "@exemple.test>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n")
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestCollectFindsEverythingAboutThePerson(t *testing.T) {
	p := seed(t)
	h := rights.New(p.db, nil, words)
	b, err := i18n.Load()
	must(t, err)
	h.Speaks = b.Has // the export in her own language, French
	d, err := h.Collect(ctx, p.id, "", "en")
	must(t, err)
	if d.Language != "fr" || d.Person.FamilyName != "Quartzwald" {
		t.Fatalf("person %+v in %s", d.Person, d.Language)
	}
	if len(d.Identifiers.PastEmails) != 1 || d.Identifiers.PastEmails[0] != "zq.ancienne@exemple.test" ||
		len(d.Identifiers.PastPhones) != 1 || d.Identifiers.PastPhones[0] != "33172345678" {
		t.Fatalf("past identifiers %+v", d.Identifiers)
	}
	if len(d.Person.Fields) != 1 || d.Person.Fields[0].Value != "allergieauxmarqueurs" {
		t.Fatalf("the sensitive field is the person's own data: %+v", d.Person.Fields)
	}
	if len(d.Person.Companies) != 1 || d.Person.Companies[0].Role != "Acheteusequartz" {
		t.Fatalf("companies %+v", d.Person.Companies)
	}
	if len(d.Activities) != 2 || len(d.Consents) != 1 || len(d.Requests) != 1 || len(d.Audit) == 0 {
		t.Fatalf("activities %d consents %d requests %d audit %d", len(d.Activities), len(d.Consents), len(d.Requests), len(d.Audit))
	}
	// From, To (an old address) and Cc; not the bystander's message.
	if len(d.Messages) != p.messages {
		t.Fatalf("messages: %d, want %d", len(d.Messages), p.messages)
	}
	for _, m := range d.Messages {
		if m.ID == p.bystander {
			t.Fatal("a message not naming the person was collected")
		}
	}
	if len(d.Documents) != 3 {
		t.Fatalf("documents %d, want 3", len(d.Documents))
	}
	if len(d.Processing.Purposes) == 0 || d.Processing.Source != "salon Marqueurs 2026" {
		t.Fatalf("processing %+v", d.Processing)
	}
	// By an address she used before.
	id, err := h.ContactByEmail(ctx, "ZQ.Ancienne@exemple.test")
	if err != nil || id != p.id {
		t.Fatalf("by old address: %d, %v", id, err)
	}
	if _, err := h.ContactByEmail(ctx, "personne@nulle.part"); err != rights.ErrNoPerson {
		t.Fatalf("unknown address: %v", err)
	}
}

func TestPreviewChangesNothingAndMatchesTheErasure(t *testing.T) {
	p := seed(t)
	h := rights.New(p.db, nil, words)
	plan, err := h.Preview(ctx, p.id)
	must(t, err)
	if plan.Name != "Zéphyrine Quartzwald" {
		t.Fatalf("plan name %q", plan.Name)
	}
	if _, err := crm.New(p.db, nil).Contact(ctx, p.id); err != nil {
		t.Fatalf("the preview erased: %v", err)
	}
	count := func(items []rights.Item, what string) int {
		for _, it := range items {
			if it.What == what {
				return it.Count
			}
		}
		return 0
	}
	for what, want := range map[string]int{"messages": 3, "outbox": 1, "notes": 1, "tasks": 1, "emails": 1, "phones": 1,
		"identifiers": 2, "documentsDeleted": 1, "documentsDetached": 1, "consentEvidence": 1, "fields": 1, "tags": 2} {
		if got := count(plan.Erase, what); got != want {
			t.Errorf("preview %s: %d, want %d", what, got, want)
		}
	}
	holds := map[string]rights.Hold{}
	for _, k := range plan.Keep {
		holds[k.What] = k
	}
	year := time.Now().Year() + 10
	if h := holds["invoices"]; h.Count != 1 || h.Reason != "accounting" || h.Until != fmt.Sprintf("%d-12-31", year) {
		t.Errorf("invoice hold %+v", h)
	}
	if holds["consentProof"].Count != 1 || holds["suppression"].Count != 2 || holds["requests"].Count != 1 {
		t.Errorf("holds %+v", plan.Keep)
	}
	e, err := h.Erase(ctx, p.id, rights.EraseOptions{Actor: "Claire", RequestID: p.request})
	must(t, err)
	if fmt.Sprint(e.Plan.Erase) != fmt.Sprint(plan.Erase) || fmt.Sprint(e.Plan.Keep) != fmt.Sprint(plan.Keep) {
		t.Fatalf("preview %v / %v, erasure %v / %v", plan.Erase, plan.Keep, e.Plan.Erase, e.Plan.Keep)
	}
	if !strings.HasPrefix(e.Certificate, fmt.Sprintf("E-%d-", time.Now().Year())) {
		t.Fatalf("certificate %q", e.Certificate)
	}
}

func TestErasureLeavesNothingOutsideTheSealedArchive(t *testing.T) {
	p := seed(t)
	// The scan finds the markers before: it would see them after.
	hits, err := p.v.ScanDecrypted(ctx, append(append([]string{}, gone...), sealed...))
	must(t, err)
	found := map[string]bool{}
	for _, h := range hits {
		found[h.Needle] = true
	}
	for _, n := range []string{"allergieauxmarqueurs", "notaquartz", "corpsquartz", "preuvequartz", "Quartzwald"} {
		if !found[n] {
			t.Fatalf("the raw scan does not see %q before the erasure", n)
		}
	}

	h := rights.New(p.db, nil, words)
	_, err = h.Erase(ctx, p.id, rights.EraseOptions{Actor: "Claire", RequestID: p.request})
	must(t, err)
	must(t, h.Compact(ctx))

	// Full-text search: nothing, in contacts, notes and mail.
	cs, ms := crm.New(p.db, nil), mail.New(p.db, nil)
	for _, q := range []string{"zephyrine", "quartzwald", "Zéphyrine", "0698765431", "+33698765431", "0172345678", "notaquartz",
		"tachequartz", "zq.ancienne", "tagquartzwald", "sujetquartz", "corpsquartz", "acheteusequartz"} {
		if hits, err := cs.Search(ctx, q, 20); err != nil || len(hits) > 0 {
			t.Errorf("contact search %q: %+v %v", q, hits, err)
		}
		if hits, err := ms.Search(ctx, q, 20); err != nil || len(hits) > 0 {
			t.Errorf("mail search %q: %d hits %v", q, len(hits), err)
		}
	}
	// Every column of every table: the names only in the sealed invoice.
	for _, n := range append(append([]string{}, gone...), sealed...) {
		for _, where := range tablesHolding(t, p.db, n) {
			if where != "documents" && where != "document_pdfs" || slicesIndex(sealed, n) < 0 {
				t.Errorf("%q still in table %s", n, where)
			}
		}
	}
	// Decrypted pages, free ones included: the markers are gone.
	hits, err = p.v.ScanDecrypted(ctx, gone)
	must(t, err)
	for _, h := range hits {
		t.Errorf("%q still in %s at byte %d", h.Needle, h.File, h.Offset)
	}

	// What is kept: the sealed invoice, the ledger proof, the nameless request.
	inv, err := sales.New(p.db, nil).Document(ctx, p.invoice)
	must(t, err)
	if !inv.Sealed || inv.Buyer.Name != "Zéphyrine Quartzwald" {
		t.Fatalf("invoice sealed %v buyer %q", inv.Sealed, inv.Buyer.Name)
	}
	list, err := sales.New(p.db, nil).Find(ctx, sales.ListFilter{Kind: sales.KindInvoice})
	must(t, err)
	if len(list) != 1 || !list[0].Sealed || list[0].Customer != "" {
		t.Fatalf("the list shows the sealed invoice as %+v", list)
	}
	ps := privacy.New(p.db, nil)
	hist, err := ps.History(ctx, p.id)
	must(t, err)
	if len(hist) != 1 || hist[0].Evidence != "" || hist[0].HasFile || hist[0].Action != "grant" {
		t.Fatalf("ledger after erasure %+v", hist)
	}
	if st, err := ps.VerifyLedger(ctx); err != nil || !st.OK {
		t.Fatalf("ledger chain after erasure: %+v %v", st, err)
	}
	if st, err := ps.VerifyAudit(ctx); err != nil || !st.OK {
		t.Fatalf("audit chain after erasure: %+v %v", st, err)
	}
	reqs, err := ps.Requests(ctx, privacy.RequestQuery{ContactID: p.id})
	must(t, err)
	if len(reqs) != 1 || reqs[0].Requester != "" || !reqs[0].Erased {
		t.Fatalf("request after erasure %+v", reqs)
	}
	// The bystander is untouched.
	if c, err := cs.Contact(ctx, p.other); err != nil || c.FamilyName != "Témoin" || len(c.Tags) != 1 {
		t.Fatalf("bystander %+v %v", c, err)
	}
	if _, err := ms.Raw(ctx, p.bystander); err != nil {
		t.Fatalf("bystander's message: %v", err)
	}
	// The erased contact is gone from every path, and cannot come back.
	if _, err := cs.Contact(ctx, p.id); err != crm.ErrErased {
		t.Fatalf("erased contact: %v", err)
	}
	if trash, _ := cs.Trash(ctx); len(trash) != 0 {
		t.Fatalf("trash %+v", trash)
	}
	if _, err := cs.CreateContact(ctx, crm.Contact{GivenName: "Z", Emails: []crm.Email{{Address: "ZQ.ancienne@exemple.test"}}}); !errorsIs(err, suppress.ErrSuppressed) {
		t.Fatalf("re-creating an erased address: %v", err)
	}
	f, err := crm.ParseCSV("retour.csv", strings.NewReader("Prénom;Nom;E-mail\nZéphyrine;Quartzwald;zephyrine.quartzwald@exemple.test\nJeanne;Neuve;jeanne@exemple.test\n"))
	must(t, err)
	cands, err := f.Candidates(f.Mapping)
	must(t, err)
	sum, err := cs.Import(ctx, cands, crm.ImportOptions{})
	must(t, err)
	if sum.New != 1 || len(sum.Problems) != 1 || sum.Problems[0].Reason != "import.problem.suppressed" {
		t.Fatalf("import after erasure: %+v", sum)
	}
	if _, err := ms.Queue(ctx, mail.Draft{AccountID: p.account, To: []string{"zephyrine.quartzwald@exemple.test"}, Topic: "x", Body: "x"}); !errorsIs(err, suppress.ErrSuppressed) {
		t.Fatalf("mail to an erased address: %v", err)
	}
	// Erasing twice says so.
	if _, err := h.Erase(ctx, p.id, rights.EraseOptions{Actor: "Claire"}); err != crm.ErrErased {
		t.Fatalf("second erasure: %v", err)
	}
	// The certificate states what was done, without the person's data.
	c, err := h.Certificate(ctx, 1)
	must(t, err)
	if c.ReceivedOn == "" || len(c.Erase) == 0 || len(c.Keep) == 0 || c.Controller.Name != "Atelier Carnet" {
		t.Fatalf("certificate %+v", c)
	}
}

// tablesHolding lists the tables with a text or blob value containing s
// (ignoring case).
func tablesHolding(t *testing.T, db *sql.DB, s string) []string {
	t.Helper()
	rows, err := db.Query(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
	must(t, err)
	var tables []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	var out []string
	needle := strings.ToLower(s)
	for _, tb := range tables {
		rows, err := db.Query(`SELECT * FROM "` + tb + `"`)
		if err != nil {
			continue // virtual tables without content
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		hit := false
		for rows.Next() && !hit {
			rows.Scan(ptrs...)
			for _, v := range vals {
				var text string
				switch x := v.(type) {
				case string:
					text = x
				case []byte:
					text = string(x)
				}
				if strings.Contains(strings.ToLower(text), needle) {
					hit = true
				}
			}
		}
		rows.Close()
		if hit {
			out = append(out, tb)
		}
	}
	return out
}

func slicesIndex(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

func errorsIs(err, target error) bool {
	return err != nil && strings.Contains(err.Error(), target.Error())
}

func TestRestrictionKeepsTheContactOutOfEveryProcessing(t *testing.T) {
	p := seed(t)
	cs, ms, ss, ps := crm.New(p.db, nil), mail.New(p.db, nil), sales.New(p.db, nil), privacy.New(p.db, nil)
	must(t, cs.Restrict(ctx, p.id, "exactitude contestée", "2099-01-31"))
	if err := cs.Restrict(ctx, p.other, " ", ""); err != crm.ErrNoReason {
		t.Fatalf("restriction without a reason: %v", err)
	}
	c, err := cs.Contact(ctx, p.id)
	must(t, err)
	if c.Restriction == nil || c.Restriction.Reason != "exactitude contestée" || c.Restriction.Until != "2099-01-31" {
		t.Fatalf("restriction %+v", c.Restriction)
	}
	// Read-only.
	c.JobTitle = "Nouvelle"
	if err := cs.UpdateContact(ctx, *c); err != crm.ErrRestricted {
		t.Fatalf("editing a restricted contact: %v", err)
	}
	// Out of the default list and search, in the "restricted" filter.
	page, err := cs.ListContacts(ctx, crm.ListQuery{WithTotal: true})
	must(t, err)
	for _, r := range page.Rows {
		if r.ID == p.id {
			t.Fatal("a restricted contact in the default list")
		}
	}
	sn, err := cs.Snapshot(ctx, crm.ListQuery{Filter: crm.Filter{Restricted: true}})
	must(t, err)
	if sn.Len() != 1 {
		t.Fatalf("restricted filter: %d", sn.Len())
	}
	if hits, _ := cs.Search(ctx, "quartzwald", 10); len(hits) != 0 {
		t.Fatalf("search finds a restricted contact: %+v", hits)
	}
	// Out of exports, merges, new quotes, mail and consent-based bulk work.
	all, err := cs.ExportContacts(ctx, crm.Filter{})
	must(t, err)
	for _, x := range all {
		if x.ID == p.id {
			t.Fatal("a restricted contact exported")
		}
	}
	if _, err := cs.ExportContacts(ctx, crm.Filter{Restricted: true}); err != crm.ErrRestricted {
		t.Fatalf("exporting the restricted: %v", err)
	}
	if _, err := cs.Merge(ctx, p.other, p.id, crm.Contact{}); err != crm.ErrRestricted {
		t.Fatalf("merging a restricted contact: %v", err)
	}
	line := []sales.Line{{Description: "Conseil", Quantity: 1000, UnitPrice: 100, VATRate: sales.RateStandard}}
	if _, err := ss.SaveDraft(ctx, sales.Document{Kind: sales.KindQuote, ContactID: p.id, Lines: line}); err != crm.ErrRestricted {
		t.Fatalf("a new quote for a restricted contact: %v", err)
	}
	if _, err := ms.Queue(ctx, mail.Draft{AccountID: p.account, To: []string{"Z <zephyrine.quartzwald@exemple.test>"}, Topic: "Promo", Body: "x"}); !errorsIs(err, crm.ErrRestricted) {
		t.Fatalf("mail to a restricted contact: %v", err)
	}
	if _, err := ms.Queue(ctx, mail.Draft{AccountID: p.account, To: []string{"zephyrine.quartzwald@exemple.test"}, Topic: "Votre demande", Body: "x", AnswersRequest: true}); err != nil {
		t.Fatalf("answering the person's own request: %v", err)
	}
	if ok, err := ps.Consented(ctx, "newsletter", "email", []int64{p.id}); err != nil || len(ok) != 0 {
		t.Fatalf("consented while restricted: %v %v", ok, err)
	}
	f, err := crm.ParseCSV("maj.csv", strings.NewReader("Nom;E-mail;Fonction\nQuartzwald;zephyrine.quartzwald@exemple.test;Directrice\n"))
	must(t, err)
	cands, err := f.Candidates(f.Mapping)
	must(t, err)
	sum, err := cs.Import(ctx, cands, crm.ImportOptions{})
	must(t, err)
	if sum.Updated != 0 || len(sum.Problems) != 1 || sum.Problems[0].Reason != "import.problem.restricted" {
		t.Fatalf("import onto a restricted contact: %+v", sum)
	}
	// Lifted by hand, back everywhere.
	must(t, cs.Unrestrict(ctx, p.id))
	if hits, _ := cs.Search(ctx, "quartzwald", 10); len(hits) == 0 {
		t.Fatal("not found again once lifted")
	}
	if ok, _ := ps.Consented(ctx, "newsletter", "email", []int64{p.id}); len(ok) != 1 {
		t.Fatal("consent not usable once lifted")
	}
}

func TestRestrictionEndsOnItsDate(t *testing.T) {
	p := seed(t)
	now := time.Now()
	cs := crm.New(p.db, func() time.Time { return now })
	must(t, cs.Restrict(ctx, p.id, "vérification", now.AddDate(0, 0, 3).Format(time.DateOnly)))
	if err := cs.Restrict(ctx, p.other, "hier", now.AddDate(0, 0, -1).Format(time.DateOnly)); !errorsIs(err, crm.ErrInvalidDate) {
		t.Fatalf("an end date in the past: %v", err)
	}
	lifted, err := cs.LiftEndedRestrictions(ctx)
	if err != nil || len(lifted) != 0 {
		t.Fatalf("lifted early: %v %v", lifted, err)
	}
	now = now.AddDate(0, 0, 3)
	lifted, err = cs.LiftEndedRestrictions(ctx)
	if err != nil || len(lifted) != 1 || lifted[0] != p.id {
		t.Fatalf("lifted on the day: %v %v", lifted, err)
	}
}

func TestObjectionSuppressesOnePurpose(t *testing.T) {
	p := seed(t)
	h := rights.New(p.db, nil, words)
	ps := privacy.New(p.db, nil)
	if ok, _ := ps.Consented(ctx, "newsletter", "email", []int64{p.id}); len(ok) != 1 {
		t.Fatal("the seeded grant")
	}
	must(t, h.Object(ctx, p.id, "newsletter", rights.EraseOptions{Actor: "Claire", RequestID: p.request}))
	if ok, err := ps.Consented(ctx, "newsletter", "email", []int64{p.id}); err != nil || len(ok) != 0 {
		t.Fatalf("consented after an objection: %v %v", ok, err)
	}
	// Only that purpose: the person may still be written to and imported.
	if _, err := mail.New(p.db, nil).Queue(ctx, mail.Draft{AccountID: p.account, To: []string{"zephyrine.quartzwald@exemple.test"}, Topic: "Facture", Body: "x"}); err != nil {
		t.Fatalf("mail after an objection to the newsletter: %v", err)
	}
	if err := h.Object(ctx, p.id, "nope", rights.EraseOptions{}); !errorsIs(err, privacy.ErrUnknownPurpose) {
		t.Fatalf("objection to an unknown purpose: %v", err)
	}
	entries, err := ps.Audit(ctx, privacy.AuditQuery{Action: "contact.object"})
	if err != nil || len(entries) != 1 || entries[0].SubjectID != p.id {
		t.Fatalf("objection logged: %+v %v", entries, err)
	}
}
