package app

import (
	"os"
	"strings"
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
	if _, err := s.Consents.Purposes(); err != nil {
		t.Fatal(err)
	}
	e, err := s.Consents.Record(privacy.Entry{ContactID: id, Purpose: "newsletter", Channel: "email", Action: "grant",
		Wording: "Oui", WordingVersion: "v1", Method: "paper", EvidenceName: "../bulletin.pdf", EvidenceFile: []byte("%PDF scan")})
	if err != nil || e.RecordedBy == "" {
		t.Fatalf("record: %+v, %v", e, err)
	}
	path, err := s.Consents.SaveEvidence(e.ID)
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
	log, _ := s.Register.Audit(privacy.AuditQuery{SubjectKind: "contact", SubjectID: id})
	var edit *privacy.AuditEntry
	for i := range log {
		if log[i].Action == "contact.edit" {
			edit = &log[i]
		}
	}
	if edit == nil || edit.SubjectName != "Hélène Dupont" || len(edit.Detail["fields"].([]any)) != 1 || edit.Detail["fields"].([]any)[0] != "jobTitle" {
		t.Fatalf("edit entry: %+v", edit)
	}
	if ev, _ := s.Register.Audit(privacy.AuditQuery{Action: "export.evidence"}); len(ev) != 1 || !strings.Contains(ev[0].Actor, "(window") {
		t.Fatalf("evidence export not logged once, by the window: %+v", ev)
	}
	if g, _ := s.Register.Audit(privacy.AuditQuery{Action: "consent.grant"}); len(g) != 1 || g[0].SubjectID != id || !strings.Contains(e.RecordedBy, "(window") {
		t.Fatalf("consent recorded by %q, entries %+v", e.RecordedBy, g)
	}
}
