package breach_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"carnet/backend/crm"
	"carnet/backend/i18n"
	"carnet/backend/mail"
	"carnet/backend/privacy"
	"carnet/backend/privacy/breach"
	"carnet/backend/sales"
	"carnet/backend/settings"
	"carnet/backend/vault/vaulttest"
)

var ctx = context.Background()

var start = time.Date(2026, 11, 27, 9, 30, 0, 0, time.UTC)

// vault is a seeded vault with a clock the test moves.
type vault struct {
	db      *sql.DB
	now     time.Time
	store   *breach.Store
	alpha   int64 // tagged "salon", a customer with data in every table, English
	beta    int64 // tagged "salon", restricted, French by default
	gamma   int64 // archived
	delta   int64 // in the trash
	account int64
	segment int64 // customers
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func seed(t *testing.T) *vault {
	t.Helper()
	v := &vault{db: vaulttest.DB(t), now: start}
	clock := func() time.Time { return v.now }
	tr, err := i18n.Load()
	must(t, err)
	v.store = breach.New(v.db, clock, tr)

	cs := crm.New(v.db, clock)
	health, err := cs.SaveCustomField(ctx, crm.CustomField{Name: "Allergies", Sensitive: true, Category: "health", Condition: "a"})
	must(t, err)
	size, err := cs.SaveCustomField(ctx, crm.CustomField{Name: "Pointure"})
	must(t, err)
	v.alpha, err = cs.CreateContact(ctx, crm.Contact{GivenName: "Zoé", FamilyName: "Alpha", Language: "en",
		Relationships: []crm.Relationship{crm.Customer}, Tags: []string{"salon"},
		Emails:    []crm.Email{{Address: "zoe@alpha.test"}, {Address: "zoe.perso@alpha.test"}},
		Phones:    []crm.Phone{{Number: "06 12 34 56 78"}},
		Addresses: []crm.Address{{Street: "3 rue des Lilas", PostalCode: "69003", City: "Lyon", Country: "FR"}},
		Fields:    []crm.FieldValue{{FieldID: health, Value: "arachides"}, {FieldID: size, Value: "38"}}})
	must(t, err)
	v.beta, err = cs.CreateContact(ctx, crm.Contact{GivenName: "Bruno", FamilyName: "Beta", Tags: []string{"salon"},
		Emails: []crm.Email{{Address: "bruno@beta.test"}}})
	must(t, err)
	must(t, cs.Restrict(ctx, v.beta, "exactitude contestée", ""))
	v.gamma, err = cs.CreateContact(ctx, crm.Contact{GivenName: "Chloé", FamilyName: "Gamma", Emails: []crm.Email{{Address: "chloe@gamma.test"}}})
	must(t, err)
	must(t, cs.Archive(ctx, v.gamma, "litige"))
	v.delta, err = cs.CreateContact(ctx, crm.Contact{GivenName: "Denis", FamilyName: "Delta"})
	must(t, err)
	must(t, cs.DeleteContact(ctx, v.delta))
	for _, a := range []crm.Activity{
		{ContactID: v.alpha, Kind: "note", Body: "Rencontrée au salon"},
		{ContactID: v.alpha, Kind: "call", Body: "Rappel"},
		{ContactID: v.alpha, Kind: "task", Title: "Envoyer le devis"},
		{ContactID: v.gamma, Kind: "note", Body: "Archivée"},
	} {
		_, err := cs.AddActivity(ctx, a)
		must(t, err)
	}
	v.segment, err = cs.SaveSegment(ctx, crm.Segment{Name: "Clients", Filter: crm.Filter{Relationship: crm.Customer}})
	must(t, err)

	ps := privacy.New(v.db, clock)
	_, err = ps.Purposes(ctx, func(k string) string { return k })
	must(t, err)
	_, err = ps.Record(ctx, privacy.Entry{ContactID: v.alpha, Purpose: "newsletter", Channel: "email", Action: "grant",
		Wording: "J’accepte", WordingVersion: "v1", Method: "form", RecordedBy: "Claire"})
	must(t, err)
	must(t, privacy.SaveProfile(ctx, settings.New(v.db), privacy.Profile{DPOName: "Maëlle Dupont", DPOEmail: "dpo@atelier.test",
		DPOPhone: "04 00 00 00 00"}))

	ms := mail.New(v.db, clock)
	v.account, err = ms.SaveAccount(ctx, mail.Account{Name: "Bureau", Address: "moi@atelier.test", IMAPHost: "127.0.0.1", IMAPPort: 143,
		IMAPSecurity: mail.None, SMTPHost: "127.0.0.1", SMTPPort: 25, SMTPSecurity: mail.None, Username: "u", Password: "p"})
	must(t, err)
	for _, raw := range [][]byte{
		withAttachment("Zoé Alpha <ZOE@alpha.test>", "moi@atelier.test", "Devis signé"),
		plain("Inconnu Passant <inconnu@ailleurs.test>", "moi@atelier.test", "Une question"),
		plain("moi@atelier.test", "bruno@beta.test", "Réponse"),
	} {
		_, err := ms.ImportFile(ctx, v.account, raw)
		must(t, err)
	}

	ss := sales.New(v.db, clock)
	p, err := ss.Profile(ctx)
	must(t, err)
	p.LegalName, p.LegalForm, p.Street, p.PostalCode, p.City, p.SIREN, p.Email = "Atelier Lumière", "SARL", "1 place Bellecour", "69002", "Lyon", "443061841", "contact@atelier.test"
	must(t, ss.SaveProfile(ctx, *p))
	inv, err := ss.SaveDraft(ctx, sales.Document{Kind: sales.KindInvoice, ContactID: v.alpha, B2C: true,
		Lines: []sales.Line{{Description: "Conseil", Quantity: 1000, UnitPrice: 10000, VATRate: sales.RateStandard}}})
	must(t, err)
	_, err = ss.Issue(ctx, inv, "")
	must(t, err)
	return v
}

func plain(from, to, subject string) []byte {
	return []byte("From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject + "\r\nDate: Mon, 2 Nov 2026 10:00:00 +0100\r\n" +
		"Message-ID: <" + strings.ReplaceAll(subject, " ", ".") + "@exemple.test>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nBonjour\r\n")
}

func withAttachment(from, to, subject string) []byte {
	return []byte("From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject + "\r\nDate: Mon, 2 Nov 2026 11:00:00 +0100\r\n" +
		"Message-ID: <piece@exemple.test>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n" +
		"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nCi-joint.\r\n" +
		"--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"devis.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n--b--\r\n")
}

func incident(scope breach.Scope) breach.Breach {
	return breach.Breach{
		OccurredAt: "2026-11-24T22:00:00Z", DiscoveredAt: "2026-11-25T10:00:00Z",
		Nature: []string{"confidentiality"}, Description: "Ordinateur portable volé dans la voiture.\nLe disque n’était pas chiffré.",
		Scope: scope, Consequences: "Hameçonnage possible.", MeasuresTaken: "Mots de passe changés.", MeasuresPlanned: "Chiffrer les disques.",
	}
}

func TestTheClockRunsFromDiscoveryNotFromTheBreach(t *testing.T) {
	v := seed(t)
	b, err := v.store.Save(ctx, "Claire", incident(breach.Scope{Kind: breach.ScopeAll}))
	must(t, err)
	// Discovered 23.5 hours ago: 48.5 hours left, whatever happened before.
	if b.Deadline != "2026-11-28T10:00:00Z" || b.Clock != breach.ClockRunning || b.HoursLeft != 24 || b.Late {
		t.Fatalf("clock %s, %s, %d hours left, late %v", b.Deadline, b.Clock, b.HoursLeft, b.Late)
	}
	if b.Reference != fmt.Sprintf("V-2026-%04d", b.ID) {
		t.Fatalf("reference %q", b.Reference)
	}
	pending, err := v.store.Pending(ctx, v.now)
	must(t, err)
	if len(pending) != 1 || pending[0].HoursLeft != 24 || pending[0].Summary != "Ordinateur portable volé dans la voiture." {
		t.Fatalf("pending %+v", pending)
	}
	// Half an hour late: -1, late.
	late := time.Date(2026, 11, 28, 10, 30, 0, 0, time.UTC)
	pending, _ = v.store.Pending(ctx, late)
	if pending[0].HoursLeft != -1 || !pending[0].Late {
		t.Fatalf("late: %+v", pending[0])
	}

	for _, tc := range []struct {
		name string
		edit func(*breach.Breach)
		want error
	}{
		{"occurred after its discovery", func(b *breach.Breach) { b.OccurredAt = "2026-11-26T00:00:00Z" }, breach.ErrOccurredLater},
		{"discovered tomorrow", func(b *breach.Breach) { b.DiscoveredAt = "2026-11-28T10:00:00Z" }, breach.ErrFuture},
		{"without a discovery date", func(b *breach.Breach) { b.DiscoveredAt = "" }, breach.ErrNoDiscovery},
		{"of no nature", func(b *breach.Breach) { b.Nature = nil }, breach.ErrNature},
		{"of an unknown nature", func(b *breach.Breach) { b.Nature = []string{"theft"} }, breach.ErrNature},
		{"notified before it was discovered", func(b *breach.Breach) { b.NotifiedAt = "2026-11-25T09:00:00Z" }, breach.ErrBeforeDiscovery},
		{"not notified while a risk is assessed", func(b *breach.Breach) { b.Risk, b.NoNoticeReason = breach.RiskSome, "Rien de grave" }, breach.ErrNoticeRequired},
		{"with an unknown scope", func(b *breach.Breach) { b.Scope = breach.Scope{Kind: "everyone"} }, breach.ErrScope},
		{"with an unknown category", func(b *breach.Breach) { b.Scope.Categories = []string{"dreams"} }, breach.ErrCategory},
	} {
		t.Run("refused when "+tc.name, func(t *testing.T) {
			x := b
			tc.edit(&x)
			if _, err := v.store.Save(ctx, "Claire", x); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}

	// Notified after 72 hours: the reasons for the delay are required.
	v.now = time.Date(2026, 11, 28, 11, 0, 0, 0, time.UTC)
	b.Risk, b.NotifiedAt = breach.RiskSome, "2026-11-28T11:00:00Z"
	if _, err := v.store.Save(ctx, "Claire", b); !errors.Is(err, breach.ErrLateReason) {
		t.Fatalf("late notification without a reason: %v", err)
	}
	b.LateReason = "Constat fait par un salarié en congé."
	b, err = v.store.Save(ctx, "Claire", b)
	must(t, err)
	if b.Clock != breach.ClockNotified || !b.Late || b.HoursLeft != 0 {
		t.Fatalf("after notifying: %s, late %v, %d", b.Clock, b.Late, b.HoursLeft)
	}
	if pending, _ := v.store.Pending(ctx, v.now); len(pending) != 0 {
		t.Fatalf("a notified breach still counts down: %+v", pending)
	}

	// No risk: documented with the reason, and the clock stops.
	minor := incident(breach.Scope{Kind: breach.ScopeTag, Tag: "salon"})
	minor.DiscoveredAt, minor.OccurredAt = "2026-11-28T08:00:00Z", ""
	minor.Risk, minor.NoNoticeReason = breach.RiskNone, "Fichier chiffré, clé non compromise."
	m, err := v.store.Save(ctx, "Claire", minor)
	must(t, err)
	if m.Clock != breach.ClockNotRequired || m.Late {
		t.Fatalf("no risk: %+v", m)
	}
	if pending, _ := v.store.Pending(ctx, v.now); len(pending) != 0 {
		t.Fatalf("a breach with no risk counts down: %+v", pending)
	}
}

func TestPeopleAndRecordsAreCountedForEveryScope(t *testing.T) {
	v := seed(t)
	customers := crm.Filter{Relationship: crm.Customer}
	for _, tc := range []struct {
		name     string
		scope    breach.Scope
		people   int
		contacts int
		want     map[string][2]int // category: people, records
	}{
		{"everyone, the trash and hidden contacts included", breach.Scope{Kind: breach.ScopeAll}, 4, 4, map[string][2]int{
			"identity": {4, 4}, "emails": {3, 4}, "phones": {1, 1}, "addresses": {1, 1}, "notes": {2, 3}, "tasks": {1, 1},
			"fields": {1, 1}, "sensitive": {1, 1}, "messages": {2, 2}, "attachments": {1, 1}, "documents": {1, 1}, "consents": {1, 1},
		}},
		{"a tag, the restricted contact included", breach.Scope{Kind: breach.ScopeTag, Tag: "salon"}, 2, 2, map[string][2]int{
			"identity": {2, 2}, "emails": {2, 3}, "phones": {1, 1}, "notes": {1, 2}, "messages": {2, 2}, "sensitive": {1, 1},
		}},
		{"a saved segment", breach.Scope{Kind: breach.ScopeSegment, SegmentID: v.segment}, 1, 1, map[string][2]int{
			"emails": {1, 2}, "documents": {1, 1}, "consents": {1, 1},
		}},
		{"a filter", breach.Scope{Kind: breach.ScopeFilter, Filter: &customers, Categories: []string{"emails", "phones"}}, 1, 1, map[string][2]int{
			"emails": {1, 2}, "phones": {1, 1},
		}},
		{"a mail account: its correspondents, known or not", breach.Scope{Kind: breach.ScopeMailAccount, AccountID: v.account}, 3, 2, map[string][2]int{
			"identity": {3, 3}, "emails": {3, 3}, "messages": {3, 3}, "attachments": {1, 1},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := v.store.Save(ctx, "Claire", incident(tc.scope))
			must(t, err)
			c := b.Counts
			if c.People != tc.people || c.Contacts != tc.contacts || c.CountedAt == "" {
				t.Fatalf("%d people, %d contacts; want %d and %d", c.People, c.Contacts, tc.people, tc.contacts)
			}
			got := map[string][2]int{}
			for _, n := range c.Categories {
				got[n.Category] = [2]int{n.People, n.Records}
			}
			for cat, want := range tc.want {
				if got[cat] != want {
					t.Errorf("%s: %d people, %d records; want %d, %d", cat, got[cat][0], got[cat][1], want[0], want[1])
				}
			}
			if tc.scope.Kind == breach.ScopeMailAccount && len(c.Categories) != 4 {
				t.Errorf("a mailbox concerns identity, addresses, messages and attachments by default: %+v", c.Categories)
			}
			for _, n := range c.Categories {
				if n.Category == "sensitive" && n.Records > 0 && !slices.Equal(n.Kinds, []string{"health"}) {
					t.Errorf("sensitive kinds %v, want [health]", n.Kinds)
				}
			}
		})
	}

	// The segment is copied into the breach: deleting it keeps the people.
	b, err := v.store.Save(ctx, "Claire", incident(breach.Scope{Kind: breach.ScopeSegment, SegmentID: v.segment}))
	must(t, err)
	if b.Scope.SegmentName != "Clients" || b.Scope.Filter == nil || b.Scope.Filter.Relationship != crm.Customer {
		t.Fatalf("segment not kept with the breach: %+v", b.Scope)
	}
	must(t, crm.New(v.db, nil).DeleteSegment(ctx, v.segment))
	b, err = v.store.Recount(ctx, "Claire", b.ID)
	if err != nil || b.Counts.People != 1 {
		t.Fatalf("recount after the segment went: %+v, %v", b.Counts, err)
	}
}

func auditActions(t *testing.T, db *sql.DB, id int64) []string {
	t.Helper()
	entries, err := privacy.New(db, nil).Audit(ctx, privacy.AuditQuery{SubjectKind: "breach", SubjectID: id})
	must(t, err)
	var out []string
	for i := len(entries) - 1; i >= 0; i-- {
		out = append(out, entries[i].Action)
	}
	return out
}

func TestNotificationIsStagedAndEveryStepDocumented(t *testing.T) {
	v := seed(t)
	b, err := v.store.Save(ctx, "Claire", incident(breach.Scope{Kind: breach.ScopeTag, Tag: "salon"}))
	must(t, err)
	if _, err := v.store.AddComplement(ctx, "Claire", b.ID, breach.Complement{Summary: "Liste complète"}); !errors.Is(err, breach.ErrNotNotified) {
		t.Fatalf("a complement before the notification: %v", err)
	}
	b.Risk, b.RiskNote, b.NotifiedAt, b.NoticeReference = breach.RiskHigh, "Données de santé exposées.", "2026-11-27T09:00:00Z", "CNIL-2026-123"
	b, err = v.store.Save(ctx, "Claire", b)
	must(t, err)
	if b.Late {
		t.Fatal("notified within 72 hours, but late")
	}
	v.now = start.Add(48 * time.Hour)
	if _, err := v.store.AddComplement(ctx, "Claire", b.ID, breach.Complement{Summary: "  "}); !errors.Is(err, breach.ErrNoSummary) {
		t.Fatalf("an empty complement: %v", err)
	}
	if _, err := v.store.AddComplement(ctx, "Claire", b.ID, breach.Complement{SentAt: "2026-11-26T00:00:00Z", Summary: "Avant"}); err == nil {
		t.Fatal("a complement sent before the notification was accepted")
	}
	b, err = v.store.AddComplement(ctx, "Claire", b.ID, breach.Complement{Summary: "Liste des 2 personnes et mesures complémentaires."})
	must(t, err)
	b, err = v.store.AddComplement(ctx, "Claire", b.ID, breach.Complement{Summary: "Clôture de l’enquête interne."})
	must(t, err)
	if len(b.Complements) != 2 || b.Complements[0].SentAt != "2026-11-29T09:30:00Z" {
		t.Fatalf("complements %+v", b.Complements)
	}
	b.PeopleToldAt = "2026-11-29T10:00:00Z"
	v.now = start.Add(50 * time.Hour)
	b, err = v.store.Save(ctx, "Claire", b)
	must(t, err)

	want := []string{"breach.create", "breach.edit", "breach.notify", "breach.complement", "breach.complement", "breach.edit", "breach.people_told"}
	if got := auditActions(t, v.db, b.ID); !slices.Equal(got, want) {
		t.Fatalf("audit %v, want %v", got, want)
	}
	entries, _ := privacy.New(v.db, nil).Audit(ctx, privacy.AuditQuery{SubjectKind: "breach", Action: "breach.edit"})
	if got := fmt.Sprint(entries[len(entries)-1].Detail["fields"]); got != "[noticeReference notifiedAt risk riskNote]" {
		t.Fatalf("the first edit logged the fields %s", got)
	}
	// A breach stays documented: no delete, complements unchanged.
	if _, err := v.db.Exec(`DELETE FROM breaches WHERE id = ?`, b.ID); err == nil {
		t.Fatal("a breach was deleted")
	}
	if _, err := v.db.Exec(`UPDATE breach_complements SET summary = 'x'`); err == nil {
		t.Fatal("a complement was changed")
	}
	list, err := v.store.Breaches(ctx)
	if err != nil || len(list) != 1 || list[0].ID != b.ID {
		t.Fatalf("register %+v, %v", list, err)
	}

	for _, lang := range []string{"fr", "en"} {
		n, err := v.store.Notification(ctx, b.ID, lang)
		must(t, err)
		var keys []string
		for _, s := range n.Sections {
			keys = append(keys, s.Key)
		}
		if !slices.Equal(keys, []string{"controller", "timing", "nature", "people", "dpo", "consequences", "measures", "risk"}) {
			t.Fatalf("%s sections %v", lang, keys)
		}
		for _, s := range []string{"Atelier Lumière", "443061841", "Maëlle Dupont", "dpo@atelier.test", "Ordinateur portable volé",
			"Hameçonnage possible.", "Mots de passe changés.", "Chiffrer les disques.", "CNIL-2026-123", "Clôture de l’enquête interne."} {
			if !strings.Contains(n.Text, s) {
				t.Errorf("%s notification lacks %q:\n%s", lang, s, n.Text)
			}
		}
		if n.Language != lang || strings.Contains(n.Text, "breach.") {
			t.Errorf("%s notification has untranslated keys:\n%s", lang, n.Text)
		}
	}
	n, _ := v.store.Notification(ctx, b.ID, "fr")
	for _, s := range []string{"Violation de : confidentialité", "Environ 2 personnes concernées", "Adresses e-mail : 3 enregistrements, 2 personnes", "Santé"} {
		if !strings.Contains(n.Text, s) {
			t.Errorf("French notification lacks %q:\n%s", s, n.Text)
		}
	}
}

func TestLettersAreInEachPersonsLanguageWithTheirName(t *testing.T) {
	v := seed(t)
	b := incident(breach.Scope{Kind: breach.ScopeMailAccount, AccountID: v.account})
	b.Risk = breach.RiskHigh
	saved, err := v.store.Save(ctx, "Claire", b)
	must(t, err)
	letters, err := v.store.Letters(ctx, saved.ID)
	must(t, err)
	by := map[string]breach.Letter{}
	for _, l := range letters {
		by[l.To] = l
	}
	if len(letters) != 3 {
		t.Fatalf("%d letters, want 3: %+v", len(letters), letters)
	}
	en := by["zoe@alpha.test"]
	if en.ContactID != v.alpha || en.Language != "en" || !strings.HasPrefix(en.Body, "Hello Zoé Alpha,") ||
		!strings.Contains(en.Topic, "Atelier Lumière") || !strings.Contains(en.Body, "25 November 2026") ||
		!strings.Contains(en.Body, "Ordinateur portable volé") || !strings.Contains(en.Body, "dpo@atelier.test") ||
		!strings.Contains(en.Address, "3 rue des Lilas\n69003 Lyon") {
		t.Fatalf("English letter: %+v", en)
	}
	fr := by["bruno@beta.test"]
	if fr.ContactID != v.beta || fr.Language != "fr" || !strings.HasPrefix(fr.Body, "Bonjour Bruno Beta,") || !strings.Contains(fr.Body, "25 novembre 2026") {
		t.Fatalf("French letter to a contact without a language: %+v", fr)
	}
	// Each letter names the data the person has, not the whole breach's.
	if !strings.Contains(en.Body, "The data concerned: e-mail addresses; e-mails; e-mail attachments.") {
		t.Errorf("Zoé's letter does not list the mailbox's data she has:\n%s", en.Body)
	}
	if !strings.Contains(fr.Body, "Les données concernées : adresses e-mail ; e-mails.") || strings.Contains(fr.Body, "sensibles") {
		t.Errorf("Bruno's letter lists data he does not have:\n%s", fr.Body)
	}
	stranger := by["inconnu@ailleurs.test"]
	if stranger.ContactID != 0 || stranger.Language != "fr" || !strings.HasPrefix(stranger.Body, "Bonjour Inconnu Passant,") {
		t.Fatalf("letter to a correspondent who is not a contact: %+v", stranger)
	}
	for _, l := range letters {
		if strings.Contains(l.Body, "breach.") || strings.Contains(l.Topic, "breach.") {
			t.Fatalf("untranslated key in %+v", l)
		}
	}

	// Every category of the scope: Zoé is told her health data are concerned.
	b.Scope = breach.Scope{Kind: breach.ScopeTag, Tag: "salon"}
	saved, err = v.store.Save(ctx, "Claire", b)
	must(t, err)
	letters, err = v.store.Letters(ctx, saved.ID)
	must(t, err)
	if len(letters) != 2 || !strings.Contains(letters[0].Body, "special categories of data (Art. 9): health;") {
		t.Fatalf("letters to the tagged contacts: %+v", letters)
	}
}
