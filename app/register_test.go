package app

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"carnet/backend/privacy"
)

// saveDialogs answers the save dialog with a file in dir, or cancels.
type saveDialogs struct {
	dir          string
	cancel       bool
	title, asked string
}

func (d *saveDialogs) SaveFile(_ context.Context, title, defaultName string) (string, error) {
	d.title, d.asked = title, defaultName
	if d.cancel {
		return "", nil
	}
	return filepath.Join(d.dir, defaultName), nil
}

func (d *saveDialogs) ChooseFolder(context.Context, string) (string, error) {
	if d.cancel {
		return "", nil
	}
	return d.dir, nil
}

func (d *saveDialogs) OpenFile(context.Context, string, string) (string, error) { return "", nil }

func (d *saveDialogs) Open(context.Context, string) error { return nil }

func TestExportRegisterWritesEachFormatWhereTheUserChose(t *testing.T) {
	s, _ := start(t)
	if _, err := s.Vault.Create("long enough passphrase"); err != nil {
		t.Fatal(err)
	}
	if err := s.Settings.SetLanguage("fr"); err != nil {
		t.Fatal(err)
	}
	p, err := s.Seller.Profile()
	if err != nil {
		t.Fatal(err)
	}
	p.LegalName, p.SoleTrader, p.SIREN = "Claire Martin", true, "443061841"
	p.Street, p.PostalCode, p.City = "1 place Bellecour", "69002", "Lyon"
	if err := s.Seller.SaveProfile(*p); err != nil {
		t.Fatal(err)
	}
	d := &saveDialogs{dir: t.TempDir()}
	s.SetDialogs(d)
	today := time.Now().Format("2006-01-02")

	for _, tc := range []struct {
		format string
		magic  string
		want   string // a text the file carries as such
	}{
		{"pdf", "%PDF-", ""},
		{"ods", "PK\x03\x04", "mimetypeapplication/vnd.oasis.opendocument.spreadsheet"},
		{"csv", "\ufeff", "Claire Martin EI"},
	} {
		path, err := s.Register.Export(tc.format)
		if err != nil {
			t.Fatalf("%s: %v", tc.format, err)
		}
		if want := "registre-traitements-" + today + "." + tc.format; d.asked != want || filepath.Base(path) != want {
			t.Errorf("%s: offered %q, wrote %q, want %q", tc.format, d.asked, path, want)
		}
		if d.title != "Enregistrer le registre des activités de traitement" {
			t.Errorf("dialog title %q", d.title)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte(tc.magic)) || !bytes.Contains(b, []byte(tc.want)) {
			t.Errorf("%s: the file does not look like one: %q", tc.format, b[:min(len(b), 80)])
		}
		if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want 0600: the register names the business's contacts", tc.format, fi.Mode().Perm())
		}
	}

	// Each export is in the audit log with its format, and only those.
	d.cancel = true
	if path, err := s.Register.Export("pdf"); path != "" || err != nil {
		t.Errorf("cancelled dialog: %q, %v", path, err)
	}
	log, err := s.Register.Audit(privacy.AuditQuery{Action: "export.register"})
	if err != nil {
		t.Fatal(err)
	}
	var formats []string
	for _, e := range log {
		formats = append(formats, e.Detail["format"].(string))
		if !strings.Contains(e.Actor, "(window") {
			t.Errorf("actor %q does not say the window", e.Actor)
		}
	}
	if strings.Join(formats, ",") != "csv,ods,pdf" {
		t.Errorf("audit log has exports %v, want csv, ods, pdf (newest first)", formats)
	}

	if ue := userErr(t, func() error { _, err := s.Register.Export("docx"); return err }()); ue.Key != "register.bad_format" {
		t.Errorf("unknown format: %+v", ue)
	}

	d.cancel = false
	s.Settings.SetLanguage("en")
	if _, err := s.Register.Export("csv"); err != nil || d.asked != "processing-register-"+today+".csv" {
		t.Errorf("English file name %q, %v", d.asked, err)
	}
}
