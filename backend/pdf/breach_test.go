package pdf

import (
	"bytes"
	"strings"
	"testing"

	"carnet/backend/crm"
	"carnet/backend/i18n"
	"carnet/backend/privacy/breach"
)

// sampleBreach is a breach handled late, with every part filled in.
func sampleBreach() *breach.Report {
	return &breach.Report{
		Controller: kerzhin, DPO: kerzhinDPO, GeneratedAt: "2026-11-30T15:00:00Z",
		Breach: breach.Breach{
			ID: 3, Reference: "V-2026-0003",
			OccurredAt: "2026-11-24T22:00:00Z", DiscoveredAt: "2026-11-25T10:00:00Z", Deadline: "2026-11-28T10:00:00Z",
			Nature:      []string{"confidentiality", "availability"},
			Description: "Ordinateur portable Volémarqueur dérobé dans le véhicule d’un commercial.\nLe disque n’était pas chiffré ; la sauvegarde de la veille est intacte.",
			Scope: breach.Scope{Kind: breach.ScopeSegment, SegmentID: 2, SegmentName: "Clients Bretagne", Filter: &crm.Filter{Tag: "bretagne"},
				Categories: []string{"identity", "emails", "phones", "sensitive"}},
			Counts: breach.Counts{People: 1234, Contacts: 1234, CountedAt: "2026-11-25T11:00:00Z", Categories: []breach.Count{
				{Category: "identity", People: 1234, Records: 1234},
				{Category: "emails", People: 1200, Records: 1587},
				{Category: "phones", People: 800, Records: 950},
				{Category: "sensitive", People: 12, Records: 12, Kinds: []string{"health"}},
			}},
			Consequences:    "Hameçonnage Conséquencemarqueur ciblé des clients.",
			MeasuresTaken:   "Mots de passe Mesuremarqueur changés, plainte déposée.",
			MeasuresPlanned: "Chiffrement Prévumarqueur de tous les postes.",
			Risk:            breach.RiskHigh, RiskNote: "Données de santé Risquemarqueur de 12 clients.",
			NotifiedAt: "2026-11-28T16:00:00Z", NoticeReference: "CNIL-2026-0042", LateReason: "Retardmarqueur : constat pendant un week-end prolongé.",
			Complements: []breach.Complement{{ID: 1, SentAt: "2026-11-30T09:00:00Z", Summary: "Complémentmarqueur : liste définitive des personnes."}},
			Clock:       breach.ClockNotified, Late: true,
		},
	}
}

func TestBreachReportDocumentsEveryStep(t *testing.T) {
	b, _ := i18n.Load()
	for _, tc := range []struct {
		lang string
		want []string
	}{
		{"fr", []string{"VIOLATION DE DONNÉES", "PERSONNELLES", "Réf. V-2026-0003", "Cave Kerzhin", "SIREN 443061841", "articles 33 et 34 du RGPD",
			"Connaissance le", "25/11/2026", "Échéance des 72 heures", "28/11/2026", "Notifiée le 28/11/2026,", "en retard", "Un risque élevé pour les personnes",
			"Ce qui s’est passé", "Confidentialité, Disponibilité", "Volémarqueur", "Personnes et données concernées",
			"Contacts du segment « Clients Bretagne » : environ 1 234 personnes", "Adresses e-mail", "1 587", "Données sensibles (art. 9)", "Santé",
			"nombres approximatifs", "Conséquencemarqueur", "Mesuremarqueur", "Prévumarqueur", "Risquemarqueur", "informez chaque personne",
			"Notification à la CNIL (art. 33)", "CNIL-2026-0042", "Retardmarqueur", "Compléments transmis (art. 33(4))", "Complémentmarqueur",
			"Information des personnes (art. 34)", "À informer dans les meilleurs délais", "Maëlle Dpoquemarqueur", "dpo@kerzhin.example",
			"Fiche établie le 30/11/2026"}},
		{"en", []string{"PERSONAL DATA", "BREACH", "Ref. V-2026-0003", "Became aware on", "25 Nov 2026", "Notified on 28 Nov", "late",
			"A high risk to the people", "Confidentiality, Availability", "about 1,234 people", "1,587", "Health", "Complements sent (Art. 33(4))",
			"To tell without undue delay", "Data protection officer"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			var buf bytes.Buffer
			if err := New(b, tc.lang).BreachReport(&buf, sampleBreach()); err != nil {
				t.Fatal(err)
			}
			shots(t, "breach-"+tc.lang, buf.Bytes())
			raw := pdftotext(t, buf.Bytes())
			text := flat(raw)
			for _, want := range tc.want {
				if !strings.Contains(text, want) {
					t.Errorf("the report lacks %q", want)
				}
			}
			if strings.Contains(text, "breach.") || strings.Contains(text, "fields.category") {
				t.Errorf("untranslated keys:\n%s", raw)
			}
			pages := strings.Count(strings.TrimSuffix(raw, "\f"), "\f") + 1
			if !pageNumber(raw, pages, pages) {
				t.Errorf("the last page is not numbered %d / %d", pages, pages)
			}
			if t.Failed() {
				t.Log(raw)
			}
		})
	}
}

func TestBreachReportWhileTheClockRuns(t *testing.T) {
	b, _ := i18n.Load()
	rep := &breach.Report{Controller: kerzhin, GeneratedAt: "2026-11-26T09:00:00Z", Breach: breach.Breach{
		ID: 4, Reference: "V-2026-0004", DiscoveredAt: "2026-11-25T10:00:00Z", Deadline: "2026-11-28T10:00:00Z",
		Nature: []string{"integrity"}, Description: "Fiches modifiées par erreur.", Scope: breach.Scope{Kind: breach.ScopeAll},
		Counts: breach.Counts{People: 10, Contacts: 10, Categories: []breach.Count{{Category: "identity", People: 10, Records: 10}}},
		Clock:  breach.ClockRunning, HoursLeft: 49,
	}}
	var buf bytes.Buffer
	if err := New(b, "fr").BreachReport(&buf, rep); err != nil {
		t.Fatal(err)
	}
	shots(t, "breach-running", buf.Bytes())
	text := flat(pdftotext(t, buf.Bytes()))
	for _, want := range []string{"À notifier avant l’échéance", "Risque pas encore évalué", "Date inconnue", "Tous les contacts de Carnet",
		"À transmettre à la CNIL au plus tard le 28/11/2026", "Non renseigné", "Une fois le risque évalué", "Pas de délégué à la protection des données désigné."} {
		if !strings.Contains(text, want) {
			t.Errorf("the report lacks %q:\n%s", want, text)
		}
	}
}
