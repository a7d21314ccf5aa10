package pdf

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"carnet/backend/backup"
	"carnet/backend/i18n"
)

func TestErasureCertificateNamesTheCopiesThatRemain(t *testing.T) {
	b, _ := i18n.Load()
	local := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, time.Local) }
	c := sampleCertificate()
	c.Since = "2026-03-02T09:00:00Z"
	c.Copies = &backup.Copies{
		Folder: "/media/disque/Carnet",
		Backups: []backup.HeldBackup{
			{Name: "carnet-01234567-2026-11-27-183000.carnetbackup", Time: local(2026, 11, 27), Automatic: true, Expires: local(2026, 12, 4)},
			{Name: "avant-demenagement.carnetbackup", Time: local(2026, 10, 1)},
			{Name: "carnet-01234567-2026-09-30-180000.carnetbackup", Time: local(2026, 9, 30), Automatic: true, Expires: local(2027, 10, 1)},
		},
		LastExpiry: local(2027, 10, 1),
		Kept:       1,
		Replaced:   []backup.Replaced{{Name: "2026-11-02-101500", Time: local(2026, 11, 2)}},
	}
	for _, tc := range []struct {
		lang string
		want []string
	}{
		{"fr", []string{"3 sauvegardes de nos fichiers faites entre le 30/09/2026 et le 28/11/2026 peuvent encore contenir vos données",
			"La dernière sauvegarde automatique qui les contient expire le 01/10/2027",
			"1 d’entre elles est conservée hors du renouvellement automatique",
			"1 copie antérieure de nos fichiers, mise de côté lors de la restauration d’une sauvegarde (02/11/2026)",
			"de nouveau vos données automatiquement"}},
		{"en", []string{"3 backups of our files made between 30 Sep 2026 and 28 Nov 2026 may still contain your data",
			"The last automatic backup that holds them expires on 1 Oct 2027",
			"1 of them is kept outside the automatic renewal",
			"1 earlier copy of our files, set aside when a backup was restored (2 Nov 2026)",
			"erases your data again automatically"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			var buf bytes.Buffer
			if err := New(b, tc.lang).ErasureCertificate(&buf, c); err != nil {
				t.Fatal(err)
			}
			raw := pdftotext(t, buf.Bytes())
			text := flat(raw)
			for _, want := range tc.want {
				if !strings.Contains(text, want) {
					t.Errorf("the certificate lacks %q", want)
				}
			}
			// File names and folders are ours, not the person's business.
			for _, not := range []string{"carnetbackup", "/media", "replaced", "erasure."} {
				if strings.Contains(text, not) {
					t.Errorf("the certificate shows %q", not)
				}
			}
			if t.Failed() {
				t.Log(raw)
			}
		})
	}

	// Nothing left: said so.
	c.Copies = &backup.Copies{}
	var buf bytes.Buffer
	if err := New(b, "en").ErasureCertificate(&buf, c); err != nil {
		t.Fatal(err)
	}
	if text := flat(pdftotext(t, buf.Bytes())); !strings.Contains(text, "No backup or earlier copy of our files made while we held your data remains") {
		t.Errorf("no copies left is not said:\n%s", text)
	}
}
