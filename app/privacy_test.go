package app

import (
	"os"
	"testing"

	"carnet/backend/crm"
	"carnet/backend/privacy"
)

func TestConsentEvidenceAndAuditNames(t *testing.T) {
	s, _ := start(t)
	if _, err := s.Vault.Create("long enough passphrase"); err != nil {
		t.Fatal(err)
	}
	d := &saveDialogs{dir: t.TempDir()}
	s.SetDialogs(d)
	id, err := s.Contacts.Save(crm.Contact{GivenName: "Hélène", FamilyName: "Dupont"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Privacy.Purposes(); err != nil {
		t.Fatal(err)
	}
	e, err := s.Privacy.RecordConsent(privacy.Entry{ContactID: id, Purpose: "newsletter", Channel: "email", Action: "grant",
		Wording: "Oui", WordingVersion: "v1", Method: "paper", EvidenceName: "../bulletin.pdf", EvidenceFile: []byte("%PDF scan")})
	if err != nil || e.RecordedBy == "" {
		t.Fatalf("record: %+v, %v", e, err)
	}
	path, err := s.Privacy.SaveEvidence(e.ID)
	if err != nil || d.asked != "bulletin.pdf" {
		t.Fatalf("save evidence: %q (offered %q), %v", path, d.asked, err)
	}
	if b, _ := os.ReadFile(path); string(b) != "%PDF scan" {
		t.Fatalf("evidence file: %q", b)
	}
	c, _ := s.Contacts.Get(id)
	c.JobTitle = "Gérante"
	if _, err := s.Contacts.Save(*c); err != nil {
		t.Fatal(err)
	}
	log, _ := s.Privacy.Audit(privacy.AuditQuery{SubjectKind: "contact", SubjectID: id})
	var edit *privacy.AuditEntry
	for i := range log {
		if log[i].Action == "contact.edit" {
			edit = &log[i]
		}
	}
	if edit == nil || edit.SubjectName != "Hélène Dupont" || len(edit.Detail["fields"].([]any)) != 1 || edit.Detail["fields"].([]any)[0] != "jobTitle" {
		t.Fatalf("edit entry: %+v", edit)
	}
	if ev, _ := s.Privacy.Audit(privacy.AuditQuery{Action: "export.evidence"}); len(ev) != 1 {
		t.Fatalf("evidence export not logged: %+v", ev)
	}
}
