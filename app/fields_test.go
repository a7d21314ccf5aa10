package app

import (
	"os"
	"strings"
	"testing"

	"carnet/backend/crm"
	"carnet/backend/privacy"
)

func TestSensitiveFieldsHiddenRevealLoggedAndKeptOutOfExports(t *testing.T) {
	s, _ := start(t)
	if _, err := s.Vault.Create("long enough passphrase"); err != nil {
		t.Fatal(err)
	}
	d := &saveDialogs{dir: t.TempDir()}
	s.SetDialogs(d)
	if ue := userErr(t, func() error {
		_, err := s.Contacts.SaveCustomField(crm.CustomField{Name: "Allergies", Sensitive: true})
		return err
	}()); ue.Key != "error.field_condition" {
		t.Fatalf("sensitive without condition: %+v", ue)
	}
	allergy, err := s.Contacts.SaveCustomField(crm.CustomField{Name: "Allergies", Sensitive: true, Category: "health", Condition: "a"})
	if err != nil {
		t.Fatal(err)
	}
	size, _ := s.Contacts.SaveCustomField(crm.CustomField{Name: "Taille de boutique"})
	id, err := s.Contacts.Save(crm.Contact{GivenName: "Hélène", FamilyName: "Dupont",
		Fields: []crm.FieldValue{{FieldID: allergy, Value: "arachides"}, {FieldID: size, Value: "120 m²"}}})
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.Contacts.Get(id)
	if err != nil || c.Fields[0].Value != "" || !c.Fields[0].Hidden || c.Fields[1].Value != "120 m²" {
		t.Fatalf("contact as displayed: %+v, %v", c.Fields, err)
	}
	v, err := s.Contacts.RevealField(id, allergy)
	if err != nil || v != "arachides" {
		t.Fatalf("reveal: %q, %v", v, err)
	}
	log, _ := s.Register.Audit(privacy.AuditQuery{Action: "contact.reveal"})
	if len(log) != 1 || log[0].SubjectID != id {
		t.Fatalf("reveal not logged: %+v", log)
	}

	// CSV exports leave sensitive columns out unless chosen.
	path, err := s.Contacts.Export(crm.Filter{}, "csv", ";", false)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	if strings.Contains(string(b), "arachides") || strings.Contains(string(b), "Allergies") || !strings.Contains(string(b), "120 m²") {
		t.Fatalf("export without sensitive data: %s", b)
	}
	path, _ = s.Contacts.Export(crm.Filter{}, "csv", ";", true)
	if b, _ := os.ReadFile(path); !strings.Contains(string(b), "arachides") {
		t.Fatalf("export with sensitive data chosen: %s", b)
	}

	// The register names the field, its category and condition.
	reg, err := s.Register.Export("csv")
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(reg); !strings.Contains(string(b), "Allergies") || !strings.Contains(string(b), "9(2)(a)") {
		t.Fatalf("register without the sensitive field: %s", b)
	}
}
