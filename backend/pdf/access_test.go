package pdf

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"carnet/backend/crm"
	"carnet/backend/i18n"
	"carnet/backend/mail"
	"carnet/backend/privacy"
	"carnet/backend/privacy/rights"
	"carnet/backend/sales"
)

var (
	kerzhin = privacy.Party{Name: "Cave Kerzhin", Address: "2 quai de la Douane\n29200 Brest", ID: "443061841",
		Email: "contact@kerzhin.example", Phone: "02 98 00 00 00"}
	kerzhinDPO = privacy.Party{Name: "Maëlle Dpoquemarqueur", Email: "dpo@kerzhin.example", Phone: "02 98 11 11 11",
		Address: "Délégué à la protection des données\n2 quai de la Douane\n29200 Brest"}
)

// sampleAccess holds something in every section, each with a marker
// string the report must print.
func sampleAccess(lang string) *rights.Data {
	return &rights.Data{
		Format: rights.Format, GeneratedAt: "2026-11-28T09:00:00Z", Language: lang,
		Controller: kerzhin, DPO: kerzhinDPO,
		Person: &crm.Contact{
			ID: 7, GivenName: "Zéphyrine", FamilyName: "Quillebeuf-Ardèche", JobTitle: "Cartographe-des-marées",
			Website: "https://zephyrine.example", Birthday: "1984-02-29", Language: "fr", Notes: "Préfère être appelée après 18 h.\nMarqueurnotes",
			Owner: "Océane Lemarchand", Relationships: []crm.Relationship{crm.Customer},
			Emails:    []crm.Email{{Address: "zephyrine.q@marqueur.example", Label: "perso"}},
			Phones:    []crm.Phone{{Number: "+33 6 99 88 77 66", Label: "mobile"}},
			Addresses: []crm.Address{{Label: "domicile", Street: "17 impasse des Hérons", PostalCode: "29870", City: "Lannilis", Country: "FR"}},
			Companies: []crm.CompanyLink{{CompanyID: 3, CompanyName: "Brasserie Kerzhin", Role: "sommelière"}},
			Tags:      []string{"vigneronne", "salon2025"},
			Fields: []crm.FieldValue{{FieldID: 11, Name: "Allergies", Value: "Arachidemarqueur", Sensitive: true},
				{FieldID: 12, Name: "Pointure", Value: "38"}},
			Source: "Carte-de-visite-Vinexpo", LastInboundAt: "2026-10-01T09:30:00Z",
			CreatedAt: "2025-03-14T08:00:00Z", UpdatedAt: "2026-11-02T10:00:00Z",
			Restriction: &crm.Restriction{Reason: "Exactitudecontestée", Since: "2026-11-02T10:00:00Z", Until: "2026-12-15"},
		},
		Identifiers: crm.Identifiers{Emails: []string{"zephyrine.q@marqueur.example"}, Phones: []string{"+33699887766"},
			PastEmails: []string{"ancienne@vieuxfai.example"}, PastPhones: []string{"+33140000000"}},
		Activities: []crm.Activity{
			{Kind: "call", Title: "Appeldécouverte", Body: "Elle cherche un caviste.\nCorpsmarqueur", OccurredAt: "2026-10-01T09:30:00Z"},
			{Kind: "task", Title: "Envoyercatalogue", OccurredAt: "2026-10-02T09:30:00Z", DueOn: "2026-12-01"},
		},
		Consents: []privacy.Entry{
			{Purpose: "newsletter", Channel: "email", Action: "grant", Method: "form", Wording: "J’accepte de recevoir la lettre Libellémarqueur",
				WordingVersion: "v3", OccurredAt: "2025-03-14T08:00:00Z"},
			{Purpose: "newsletter", Channel: "email", Action: "withdraw", Method: "email", OccurredAt: "2026-09-01T08:00:00Z"},
			{Purpose: "gone_purpose", Channel: "sms", Action: "refuse", Method: "phone", Wording: "SMS ?", OccurredAt: "2025-04-01T08:00:00Z"},
		},
		ConsentNow: []privacy.State{{Purpose: "newsletter", Channel: "email", Status: "withdrawn", Since: "2026-09-01T08:00:00Z"}},
		Requests: []privacy.Request{{Kind: "access", Requester: "Zéphyrine", Channel: "email", ReceivedOn: "2026-11-20", Status: "open", DueOn: "2026-12-20"},
			{Kind: "rectification", ReceivedOn: "2026-01-05", Status: "done", ClosedOn: "2026-01-09"}},
		Messages: []rights.Message{{PersonMessage: mail.PersonMessage{ID: 1, Topic: "Devis cuvée Objetmarqueur 🍷", From: "Zéphyrine <zephyrine.q@marqueur.example>",
			Date: "2026-10-03T14:05:00Z", Attachments: []string{"tarifsmarqueur.pdf"}}, File: "emails/0001-devis.eml"}},
		Documents: []rights.Document{{PersonDocument: sales.PersonDocument{ID: 4, Kind: sales.KindInvoice, Number: "F-2026-0042", IssueDate: "2026-11-03", Gross: 123456},
			File: "documents/F-2026-0042.pdf"}},
		Audit: []privacy.AuditEntry{
			{At: "2026-11-02T10:00:00Z", Actor: "Océane Lemarchand", Action: "contact.view", SubjectKind: "contact", SubjectID: 7},
			{At: "2026-11-02T10:05:00Z", Actor: "Océane Lemarchand", Action: "contact.edit", SubjectKind: "contact", SubjectID: 7,
				Detail: map[string]any{"fields": []any{"jobTitle", "updatedAt"}}},
			{At: "2026-11-03T10:00:00Z", Actor: "Auditmarqueur", Action: "subject.strange", SubjectKind: "contact", SubjectID: 7},
		},
		Processing: rights.Processing{
			Purposes: []privacy.Purpose{
				{ID: 1, Key: "newsletter", Name: "Lettre Finalitémarqueur", Description: "Donner des nouvelles des cuvées Descmarqueur", LawfulBasis: "consent",
					DataCategories: []string{"Identité", "Catégoriemarqueur"}, Recipients: []privacy.Recipient{{Name: "Destmarqueur", Kind: "processor", Country: "FR"}},
					Transfers:       []privacy.Transfer{{Country: "US", Safeguard: "Garantiemarqueur"}},
					RetentionMonths: 36, RetentionFrom: "last_inbound", RetentionNote: "Recommandation Duréemarqueur"},
				{ID: 2, Key: "customers", Name: "Gestion clientèle", Description: "Suivre vos commandes", LawfulBasis: "legitimate_interests",
					BalancingNote: "Intérêtmarqueur", RetentionMonths: 18, RetentionFrom: "end_of_relationship"},
			},
			Source: "Collectées auprès de vous Sourcemarqueur",
		},
	}
}

// shots writes a PDF and its pages as PNG when CARNET_SHOTS names
// a folder, to look at the layout.
func shots(t *testing.T, name string, pdf []byte) {
	dir := os.Getenv("CARNET_SHOTS")
	if dir == "" {
		return
	}
	f := filepath.Join(dir, name+".pdf")
	os.WriteFile(f, pdf, 0o644)
	if err := exec.Command("pdftoppm", "-png", "-r", "60", f, filepath.Join(dir, name)).Run(); err != nil {
		t.Log(err)
	}
}

// pageNumber reports whether a page's text ends with "n / N" (pdftotext
// may drop the spaces).
func pageNumber(page string, n, of int) bool {
	return regexp.MustCompile(fmt.Sprintf(`(?m)^.*\b%d ?/ ?%d\s*$`, n, of)).MatchString(page)
}

// flat joins a PDF's words with single spaces, so that sentences wrapped
// over lines read back whole.
func flat(s string) string {
	s = strings.NewReplacer("\u202f", " ", "\u00a0", " ").Replace(s)
	return strings.Join(strings.Fields(s), " ")
}

func TestAccessReportHoldsEverySectionInPlainWords(t *testing.T) {
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	markers := []string{"Zéphyrine", "Quillebeuf-Ardèche", "Cartographe-des-marées", "https://zephyrine.example", "zephyrine.q@marqueur.example",
		"+33 6 99 88 77 66", "17 impasse des Hérons", "Lannilis", "Brasserie Kerzhin", "sommelière", "vigneronne", "salon2025",
		"Océane Lemarchand", "Carte-de-visite-Vinexpo", "Marqueurnotes", "Allergies", "Arachidemarqueur", "Pointure",
		"Exactitudecontestée", "ancienne@vieuxfai.example", "+33140000000",
		"Appeldécouverte", "Corpsmarqueur", "Envoyercatalogue", "Libellémarqueur", "v3", "gone_purpose",
		"Objetmarqueur", "tarifsmarqueur.pdf", "emails/0001-devis.eml", "F-2026-0042", "documents/F-2026-0042.pdf",
		"Auditmarqueur", "subject.strange", "Lettre Finalitémarqueur", "Descmarqueur", "Catégoriemarqueur", "Destmarqueur", "Garantiemarqueur",
		"Duréemarqueur", "Intérêtmarqueur", "Sourcemarqueur", "Maëlle Dpoquemarqueur", "dpo@kerzhin.example", "02 98 11 11 11"}
	for _, tc := range []struct {
		lang string
		want []string
	}{
		{"fr", []string{"Vos données personnelles détenues par Cave Kerzhin", "Établi pour Zéphyrine Quillebeuf-Ardèche le 28/11/2026",
			"data.json", "portabilité", ".eml", "Identité et coordonnées", "29/02/1984", "Français", "Client", "(donnée sensible)",
			"Le traitement de vos données est limité depuis le 02/11/2026", "Jusqu’au 15/12/2026", "Anciennes adresses et numéros",
			"Appel", "Tâche", "À faire pour le 01/12/2026", "Pas encore faite", "Vos consentements", "Accordé", "Retiré", "Par e-mail",
			"Vos choix aujourd’hui", "Retiré le 01/09/2026", "Vos demandes concernant vos données", "Accès", "Réponse due au plus tard le 20/12/2026",
			"Clôturée le 09/01/2026", "1 e-mail, du plus ancien au plus récent", "Facture", "1 234,56 €", "A consulté la fiche du contact",
			"A modifié le contact : Fonction", "Comment vos données sont utilisées", "Consentement (art. 6.1.a du RGPD)", "Notre intérêt légitime : Intérêtmarqueur",
			"sous-traitant, FR", "US : Garantiemarqueur", "3 ans à compter du dernier contact de la personne", "18 mois à compter de la fin de la relation commerciale",
			"Aucune décision automatisée, y compris le profilage, n’est prise à votre sujet",
			"Vos droits", "droit d’accès", "droit de rectification", "droit à l’effacement", "droit à la limitation", "droit d’opposition",
			"droit à la portabilité", "retirer votre consentement à tout moment",
			"Commission nationale de l’informatique et des libertés", "3 place de Fontenoy, TSA 80715, 75334 Paris Cedex 07, www.cnil.fr",
			"autorité de contrôle du pays de l’Union européenne", "saisir la justice"}},
		{"en", []string{"Your personal data held by Cave Kerzhin", "Prepared for Zéphyrine Quillebeuf-Ardèche on 28 Nov 2026",
			"29 Feb 1984", "Customer", "(sensitive data)", "restricted since 2 Nov 2026", "Your choices today", "Granted", "Withdrawn on 1 Sep 2026",
			"1 e-mail, oldest first", "Invoice", "€1,234.56", "Viewed the contact’s record", "Consent (Art. 6(1)(a) GDPR)",
			"No automated decision-making, including profiling, is carried out", "right to erasure", "right to object",
			"right to data portability", "withdraw a consent at any time", "lodge a complaint with the CNIL",
			"3 place de Fontenoy, TSA 80715, 75334 Paris Cedex 07, www.cnil.fr", "supervisory authority of the EU country", "take the matter to court"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			var buf bytes.Buffer
			if err := New(b, tc.lang).AccessReport(&buf, sampleAccess(tc.lang)); err != nil {
				t.Fatal(err)
			}
			shots(t, "access-"+tc.lang, buf.Bytes())
			raw := pdftotext(t, buf.Bytes())
			text := flat(raw)
			for _, want := range append(markers, tc.want...) {
				if !strings.Contains(text, flat(want)) {
					t.Errorf("the report lacks %q", want)
				}
			}
			if keys := regexp.MustCompile(`\b(access|erasure|privacy|register)\.[a-z_.]+[a-z]\b`).FindAllString(text, -1); len(keys) > 0 {
				t.Errorf("untranslated keys: %v", keys)
			}
			pages := strings.Split(strings.TrimSuffix(raw, "\f"), "\f")
			for i, p := range pages {
				if !pageNumber(p, i+1, len(pages)) {
					t.Errorf("page %d lacks its number", i+1)
				}
			}
			if t.Failed() {
				t.Log(raw)
			}
		})
	}
}

func TestAccessReportSaysWhenASectionIsEmpty(t *testing.T) {
	b, _ := i18n.Load()
	d := &rights.Data{GeneratedAt: "2026-11-28T09:00:00Z", Controller: kerzhin, Person: &crm.Contact{GivenName: "Yann"}}
	var buf bytes.Buffer
	if err := New(b, "fr").AccessReport(&buf, d); err != nil {
		t.Fatal(err)
	}
	shots(t, "access-empty", buf.Bytes())
	text := flat(pdftotext(t, buf.Bytes()))
	for _, want := range []string{"Non renseigné", "Nous n’avons enregistré aucune note", "Aucun consentement, refus ou retrait n’a été enregistré",
		"Aucune demande n’a été enregistrée", "Nous ne conservons aucun e-mail échangé avec vous", "Aucun devis ni aucune facture", "Rien n’a été enregistré",
		"Aucune finalité n’a été enregistrée", "Non précisé",
		// No DPO: the controller is the contact.
		"contactez-nous", "contact@kerzhin.example", "www.cnil.fr"} {
		if !strings.Contains(text, want) {
			t.Errorf("the empty report lacks %q", want)
		}
	}
}

func sampleCertificate() *rights.Certificate {
	c := &rights.Certificate{Number: "E-2026-0007", ErasedAt: "2026-11-28T10:00:00Z", ReceivedOn: "2026-11-20",
		AddressedTo: "Zéphyrine Quillebeuf-Ardèche", Controller: kerzhin, DPO: kerzhinDPO,
		Keep: []rights.Hold{{What: "invoices", Count: 3, Reason: "accounting", Until: "2036-12-31"}, {What: "consentProof", Count: 2, Reason: "proof"},
			{What: "suppression", Count: 1, Reason: "neverAgain"}, {What: "requests", Count: 2, Reason: "accountability"}, {What: "audit", Count: 14, Reason: "accountability"}},
		Recipients: []rights.Recipient{{Name: "Brevo", Kind: "processor", Country: "FR", Informed: "2026-11-28"},
			{Name: "Transporteur Ouest", Kind: "third_party", Country: "FR"}},
	}
	for i, w := range erasureItems {
		c.Erase = append(c.Erase, rights.Item{What: w, Count: 1 + i%3})
	}
	return c
}

var (
	erasureItems = []string{"contact", "emails", "phones", "addresses", "companies", "tags", "fields", "notes", "tasks", "identifiers",
		"messages", "attachments", "outbox", "documentsDeleted", "documentsDetached", "consentEvidence", "requests"}
	erasureHolds   = []string{"invoices", "consentProof", "suppression", "requests", "audit"}
	erasureReasons = []string{"accounting", "proof", "neverAgain", "accountability"}
)

// The preview screen uses the same words: every item and hold has both
// plural forms, every reason its sentence, in every language.
func TestErasureWordsExistForEveryKind(t *testing.T) {
	b, _ := i18n.Load()
	for _, lang := range b.Languages() {
		keys := map[string]bool{}
		for _, k := range b.Keys(lang) {
			keys[k] = true
		}
		for _, group := range []struct {
			prefix string
			whats  []string
			forms  []string
		}{{"erasure.item.", erasureItems, []string{"_one", "_other"}}, {"erasure.hold.", erasureHolds, []string{"_one", "_other"}}, {"erasure.reason.", erasureReasons, []string{""}}} {
			for _, w := range group.whats {
				for _, form := range group.forms {
					if !keys[group.prefix+w+form] {
						t.Errorf("%s lacks %s", lang, group.prefix+w+form)
					}
				}
			}
		}
	}
}

func TestErasureCertificateStatesWhatWasErasedAndKeptWithoutPersonalData(t *testing.T) {
	b, _ := i18n.Load()
	for _, tc := range []struct {
		lang string
		want []string
	}{
		{"fr", []string{"ATTESTATION D’EFFACEMENT", "N° E-2026-0007", "Cave Kerzhin", "SIREN 443061841", "2 quai de la Douane", "Destinataire",
			"Zéphyrine Quillebeuf-Ardèche", "Demande reçue le", "20/11/2026", "Effacement réalisé le", "28/11/2026",
			"Ce que nous avons effacé", "1 fiche contact", "2 adresses e-mail", "3 numéros de téléphone", "2 devis et brouillons", "3 documents d’entreprise qui ne vous sont plus rattachés", "1 preuve jointe à un consentement", "2 demandes : votre nom et vos coordonnées",
			"Ce que nous conservons, et pourquoi", "3 factures et avoirs — jusqu’au 31/12/2036", "Code de commerce, art. L123-22", "scellés",
			"2 entrées du registre des consentements", "aucune donnée personnelle", "1 empreinte d’adresse e-mail", "ne plus jamais vous importer ni vous contacter",
			"sans votre nom", "article 5.2", "14 entrées du journal d’audit",
			"Destinataires informés (article 19)", "Brevo (sous-traitant, FR) — informé le 28/11/2026", "Transporteur Ouest (tiers, FR) — à informer",
			"sauvegardes", "Pour Cave Kerzhin", "Maëlle Dpoquemarqueur", "Délégué à la protection des données"}},
		{"en", []string{"CERTIFICATE OF ERASURE", "No. E-2026-0007", "Addressed to", "Request received on", "20 Nov 2026", "What we erased",
			"2 e-mail addresses", "3 phone numbers", "What we keep, and why", "3 invoices and credit notes — until 31 Dec 2036",
			"Recipients informed (Article 19)", "to be informed", "For Cave Kerzhin", "Data protection officer"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			var buf bytes.Buffer
			if err := New(b, tc.lang).ErasureCertificate(&buf, sampleCertificate()); err != nil {
				t.Fatal(err)
			}
			shots(t, "certificate-"+tc.lang, buf.Bytes())
			raw := pdftotext(t, buf.Bytes())
			text := flat(raw)
			for _, want := range tc.want {
				if !strings.Contains(text, want) {
					t.Errorf("the certificate lacks %q", want)
				}
			}
			// Nothing that could reach the person again: no e-mail address,
			// no phone number, not even the controller's.
			if regexp.MustCompile(`@|\+33|\d\d \d\d \d\d \d\d`).MatchString(text) {
				t.Errorf("the certificate holds an address or a number:\n%s", raw)
			}
			if strings.Contains(text, "Zéphyrine") && strings.Count(text, "Zéphyrine") != 1 {
				t.Errorf("the requester is named %d times, want once", strings.Count(text, "Zéphyrine"))
			}
			if strings.Contains(text, "erasure.") {
				t.Errorf("untranslated keys:\n%s", raw)
			}
			if pages := strings.Count(strings.TrimSuffix(raw, "\f"), "\f") + 1; pages != 1 {
				t.Errorf("%d pages, want one", pages)
			}
			if t.Failed() {
				t.Log(raw)
			}
		})
	}
}

// largeAccess is a long-standing customer: 5,000 e-mails, 200 documents,
// 1,000 activities.
func largeAccess() *rights.Data {
	d := sampleAccess("fr")
	d.Messages = make([]rights.Message, 5000)
	for i := range d.Messages {
		d.Messages[i] = rights.Message{PersonMessage: mail.PersonMessage{ID: int64(i), Topic: fmt.Sprintf("Re: commande n° %d de la cuvée Brut nature, livraison et facture", i),
			From: "Zéphyrine Quillebeuf-Ardèche <zephyrine.q@marqueur.example>", Date: "2026-10-03T14:05:00Z"},
			File: fmt.Sprintf("emails/%05d.eml", i)}
		if i%10 == 0 {
			d.Messages[i].Attachments = []string{"bon-de-commande.pdf"}
		}
	}
	d.Documents = make([]rights.Document, 200)
	for i := range d.Documents {
		n := fmt.Sprintf("F-2026-%04d", i)
		d.Documents[i] = rights.Document{PersonDocument: sales.PersonDocument{Kind: sales.KindInvoice, Number: n, IssueDate: "2026-11-03", Gross: int64(1000 * i)},
			File: "documents/" + n + ".pdf"}
	}
	d.Activities = make([]crm.Activity, 1000)
	for i := range d.Activities {
		d.Activities[i] = crm.Activity{Kind: crm.ActivityKinds[i%4], Title: fmt.Sprintf("Suivi %d", i),
			Body: "Rappeler pour la commande de Noël et confirmer l’adresse de livraison.", OccurredAt: "2026-10-01T09:30:00Z", DueOn: "2026-12-01"}
	}
	return d
}

func TestLargeAccessReportNumbersEveryPage(t *testing.T) {
	b, _ := i18n.Load()
	var buf bytes.Buffer
	if err := New(b, "fr").AccessReport(&buf, largeAccess()); err != nil {
		t.Fatal(err)
	}
	raw := pdftotext(t, buf.Bytes())
	pages := strings.Split(strings.TrimSuffix(raw, "\f"), "\f")
	if len(pages) < 50 {
		t.Fatalf("5,000 e-mails on %d pages", len(pages))
	}
	for i, p := range pages {
		if !pageNumber(p, i+1, len(pages)) {
			t.Errorf("page %d lacks its number", i+1)
		}
	}
	// The count is grouped as French groups thousands (flat turns the
	// narrow no-break space into a space).
	for _, want := range []string{"emails/04999.eml", "F-2026-0199", "Suivi 999", "5 000 e-mails", "E-mails (suite)"} {
		if !strings.Contains(flat(raw), want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	shots(t, "access-large", buf.Bytes())
}

// BenchmarkAccessReport: 5,000 e-mails, 200 documents and 1,000
// activities. Target well under 1 s.
func BenchmarkAccessReport(b *testing.B) {
	bundle, _ := i18n.Load()
	r := New(bundle, "fr")
	d := largeAccess()
	for b.Loop() {
		if err := r.AccessReport(io.Discard, d); err != nil {
			b.Fatal(err)
		}
	}
}
