package app

import (
	"archive/zip"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"carnet/backend/core"
	"carnet/backend/crm"
	"carnet/backend/privacy"
)

// The bound methods a DPO uses, end to end on a real vault: export the
// bundle where the dialog says, preview and erase with the request closed,
// the certificate saved; restriction read-only with its errors translated.
func TestSubjectRightsThroughTheBoundMethods(t *testing.T) {
	s, _ := start(t)
	if _, err := s.Vault.Create("long enough passphrase"); err != nil {
		t.Fatal(err)
	}
	d := &saveDialogs{dir: t.TempDir()}
	s.SetDialogs(d)
	id, err := s.Contacts.Save(crm.Contact{GivenName: "Hélène", FamilyName: "Dupont", Emails: []crm.Email{{Address: "helene@example.fr"}}})
	if err != nil {
		t.Fatal(err)
	}
	req, err := s.Requests.Save(privacy.Request{Kind: "erasure", ContactID: id, Requester: "Hélène Dupont", Channel: "letter",
		ReceivedOn: time.Now().Format(time.DateOnly)})
	if err != nil {
		t.Fatal(err)
	}

	out, err := s.Rights.ExportSubject(id, req.ID)
	if err != nil || out.Path == "" || !strings.HasSuffix(d.asked, ".zip") {
		t.Fatalf("export: %+v (offered %q), %v", out, d.asked, err)
	}
	zr, err := zip.OpenReader(out.Path)
	if err != nil {
		t.Fatal(err)
	}
	zr.Close()

	// Restricted: read-only, with the error the UI translates.
	if err := s.Rights.Restrict(id, "exactitude contestée", ""); err != nil {
		t.Fatal(err)
	}
	c, _ := s.Contacts.Get(id)
	if c.Restriction == nil {
		t.Fatal("no restriction on the record")
	}
	_, err = s.Contacts.Save(*c)
	var ue *core.UserError
	if !errors.As(err, &ue) || ue.Key != "error.restricted" {
		t.Fatalf("saving a restricted contact: %v", err)
	}
	if err := s.Rights.Unrestrict(id); err != nil {
		t.Fatal(err)
	}

	plan, err := s.Rights.ErasurePreview(id)
	if err != nil || plan.Name != "Hélène Dupont" || len(plan.Erase) == 0 {
		t.Fatalf("preview: %+v, %v", plan, err)
	}
	e, err := s.Rights.Erase(id, req.ID)
	if err != nil || !strings.HasPrefix(e.Certificate, "E-") {
		t.Fatalf("erase: %+v, %v", e, err)
	}
	reqs, _ := s.Requests.List(privacy.RequestQuery{ContactID: id})
	if len(reqs) != 1 || reqs[0].Status != "done" || reqs[0].Requester != "" || !reqs[0].Erased || reqs[0].ClosedOn == "" {
		t.Fatalf("the request after erasure: %+v", reqs)
	}
	path, err := s.Rights.SaveCertificate(e.ID, "Hélène Dupont")
	if err != nil || !strings.HasSuffix(path, e.Certificate+".pdf") {
		t.Fatalf("certificate: %q, %v", path, err)
	}
	if b, _ := os.ReadFile(path); !strings.HasPrefix(string(b), "%PDF") {
		t.Fatal("the certificate is not a PDF")
	}
	_, err = s.Contacts.Get(id)
	if !errors.As(err, &ue) || ue.Key != "error.erased" {
		t.Fatalf("opening an erased contact: %v", err)
	}
	if _, err := s.Contacts.Save(crm.Contact{GivenName: "H", Emails: []crm.Email{{Address: "HELENE@example.fr"}}}); !errors.As(err, &ue) || ue.Key != "error.suppressed" {
		t.Fatalf("adding the erased address again: %v", err)
	}
	log, _ := s.Register.Audit(privacy.AuditQuery{})
	var actions []string
	for _, l := range log {
		actions = append(actions, l.Action)
	}
	all := strings.Join(actions, " ")
	for _, a := range []string{"export.subject_access", "contact.restrict", "contact.unrestrict", "contact.erase", "export.erasure_certificate", "request.update"} {
		if !strings.Contains(all, a) {
			t.Errorf("%s not logged: %s", a, all)
		}
	}
	raw, _ := json.Marshal(log)
	if strings.Contains(string(raw), "helene@") || strings.Contains(string(raw), "Dupont") {
		t.Fatalf("the audit log holds personal data: %s", raw)
	}
}
