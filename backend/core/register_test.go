package core_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"carnet/backend/core"
)

func TestExportingTheRegisterWritesTheFileWithOneEntryOrNeither(t *testing.T) {
	ctx := context.Background()
	c := newCore(t)
	dir := t.TempDir()
	var offered []string
	saveAs := func(name string) (string, error) {
		offered = append(offered, name)
		return filepath.Join(dir, name), nil
	}

	for _, tc := range []struct{ format, magic string }{{"pdf", "%PDF-"}, {"ods", "PK\x03\x04"}, {"csv", "\ufeff"}} {
		path, err := c.ExportRegister(ctx, tc.format, saveAs)
		if err != nil {
			t.Fatalf("%s: %v", tc.format, err)
		}
		want := "registre-traitements-" + time.Now().Format("2006-01-02") + "." + tc.format
		if filepath.Base(path) != want || offered[len(offered)-1] != want {
			t.Errorf("%s: wrote %q, want %q", tc.format, path, want)
		}
		b, err := os.ReadFile(path)
		if err != nil || !bytes.HasPrefix(b, []byte(tc.magic)) {
			t.Errorf("%s: not such a file (%v): %q", tc.format, err, b[:min(len(b), 40)])
		}
		if fi, err := os.Stat(path); err == nil && fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want 0600", tc.format, fi.Mode().Perm())
		}
	}
	got := auditEntries(t, c.DB(), "export.register")
	var formats []string
	for _, e := range got {
		formats = append(formats, e.Detail["format"].(string))
		if !strings.Contains(e.Actor, "(cli") {
			t.Errorf("actor %q does not say the command line", e.Actor)
		}
	}
	if strings.Join(formats, ",") != "pdf,ods,csv" {
		t.Errorf("export.register entries for %v, want one per format", formats)
	}

	if path, err := c.ExportRegister(ctx, "pdf", func(string) (string, error) { return "", nil }); path != "" || err != nil {
		t.Errorf("cancelled: %q, %v", path, err)
	}
	var ue *core.UserError
	if _, err := c.ExportRegister(ctx, "docx", saveAs); !errors.As(err, &ue) || ue.Key != "register.bad_format" {
		t.Errorf("unknown format: %v", err)
	}

	failAudit(t, c.DB())
	other := filepath.Join(t.TempDir(), "registre.csv")
	if _, err := c.ExportRegister(ctx, "csv", func(string) (string, error) { return other, nil }); err == nil || !strings.Contains(err.Error(), "injected audit failure") {
		t.Fatalf("export with a failing audit: %v", err)
	}
	if _, err := os.Stat(other); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a register was left although its audit entry failed: %v", err)
	}
	if n := len(auditEntries(t, c.DB(), "export.register")); n != 3 {
		t.Errorf("%d export.register entries after the failure, want 3", n)
	}
}

func TestARegisterThatCannotBeWrittenLeavesNoEntry(t *testing.T) {
	c := newCore(t)
	missing := filepath.Join(t.TempDir(), "no such folder", "registre.csv")
	if _, err := c.ExportRegister(context.Background(), "csv", func(string) (string, error) { return missing, nil }); err == nil {
		t.Fatal("wrote into a missing folder")
	}
	if n := len(auditEntries(t, c.DB(), "export.register")); n != 0 {
		t.Errorf("%d export.register entries for a file never written", n)
	}
}

func TestTheDashboardCountsConsentsRequestsAndChecksTheChains(t *testing.T) {
	ctx := context.Background()
	c := newCore(t)
	id := addContact(t, c.DB(), "Hélène", "Martin")
	grant(t, c, id)
	d, err := c.Dashboard(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Purposes) == 0 || d.Granted["newsletter"] != 1 || !d.Chains.Ledger.OK || !d.Chains.Audit.OK || d.Requests.Open != 0 {
		t.Errorf("dashboard: %+v", d)
	}
}
