package pdf

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"carnet/backend/i18n"
	"carnet/backend/privacy"
	"carnet/backend/vault/vaulttest"
)

// sampleRegister is the default catalogue in lang, plus an activity on
// legitimate interests with a transfer and a retention note long enough
// to run over a page.
func sampleRegister(t *testing.T, lang string) (privacy.Register, func(string) string) {
	t.Helper()
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	tr := func(k string) string { return b.T(lang, k, nil) }
	s := privacy.New(vaulttest.DB(t), nil)
	if _, err := s.Purposes(ctx, tr); err != nil {
		t.Fatal(err)
	}
	var note []string
	for i := 1; i <= 30; i++ {
		note = append(note, fmt.Sprintf("Étape %d de la purge : les images de plus d’un mois sont effacées par l’enregistreur.", i))
	}
	_, err = s.SavePurpose(ctx, "test", privacy.Purpose{Name: "Vidéoprotection des locaux", Description: "Sécurité des biens et des personnes.",
		LawfulBasis: "legitimate_interests", BalancingNote: "Prévenir les vols ; caméras limitées aux accès, personnes informées par affichage.",
		PeopleCategories: []string{"Salariés", "Visiteurs"}, DataCategories: []string{"Images"},
		Recipients:      []privacy.Recipient{{Name: "Télésurveillance Rhône", Kind: "processor", Country: "FR"}},
		Transfers:       []privacy.Transfer{{Country: "US", Safeguard: "Clauses contractuelles types"}},
		RetentionMonths: 1, RetentionFrom: "collection", RetentionNote: strings.Join(note, "\n")})
	if err != nil {
		t.Fatal(err)
	}
	list, err := s.Purposes(ctx, tr)
	if err != nil {
		t.Fatal(err)
	}
	controller := privacy.Party{Name: "Atelier Carnet", Address: "1 place Bellecour\n69002 Lyon", ID: "443061841",
		Email: "contact@atelier.example", Phone: "04 72 00 00 00"}
	profile := privacy.Profile{DPOName: "Claire Dupont", DPOEmail: "dpo@atelier.example", DPOAddress: "3 rue de la Charité, 69002 Lyon"}
	measures := []string{tr("privacy.default.security.encryption"), tr("privacy.default.security.passphrase"), tr("privacy.default.security.audit")}
	return privacy.BuildRegister(controller, profile, list, measures, time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)), tr
}

func TestRegisterPDFReadsBack(t *testing.T) {
	for _, tc := range []struct {
		lang string
		want []string
	}{
		{"fr", []string{"Registre des activités de traitement", "Atelier Carnet", "SIREN", "443061841", "Claire Dupont",
			"Gestion de la clientèle", "Finalité(s) du traitement", "Base légale", "Catégories de personnes concernées",
			"Exécution d’un contrat (art. 6.1.b du RGPD)", "Transferts hors UE", "US : Clauses contractuelles types",
			"DÉLÉGUÉ À LA PROTECTION DES DONNÉES", "Fournisseur de messagerie (sous-traitant, FR)", "Vidéoprotection des locaux (suite)", "Établi avec Carnet le 28/11/2026"}},
		{"en", []string{"Record of processing activities", "Atelier Carnet", "Customer management", "Lawful basis",
			"Performance of a contract (Art. 6(1)(b) GDPR)", "3 years from the end of the business relationship",
			"E-mail provider (processor, FR)", "Generated with Carnet on 28 November 2026"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			r, tr := sampleRegister(t, tc.lang)
			var buf bytes.Buffer
			if err := Register(&buf, r, tr); err != nil {
				t.Fatal(err)
			}
			text := pdftotext(t, buf.Bytes())
			for _, want := range tc.want {
				if !strings.Contains(text, want) {
					t.Errorf("the register lacks %q", want)
				}
			}
			// One page for the organisation, one per activity, two for the
			// activity whose retention note runs over a page.
			pages := strings.Split(strings.TrimSuffix(text, "\f"), "\f")
			if want := 1 + len(r.Activities) + 1; len(pages) != want {
				t.Errorf("%d pages, want %d", len(pages), want)
			}
			for i, p := range pages {
				if !strings.Contains(p, fmt.Sprintf("page %d / %d", i+1, len(pages))) {
					t.Errorf("page %d lacks its number", i+1)
				}
			}
			if t.Failed() {
				t.Log(text)
			}
			if dir := os.Getenv("CARNET_SHOTS"); dir != "" {
				f := filepath.Join(dir, "register-"+tc.lang+".pdf")
				os.WriteFile(f, buf.Bytes(), 0o644)
				exec.Command("pdftoppm", "-png", "-r", "70", f, filepath.Join(dir, "register-"+tc.lang)).Run()
			}
		})
	}
}
