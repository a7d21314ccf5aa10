package crm

import (
	"errors"
	"testing"
)

func TestSensitiveFieldsStayOutOfSearchAndSurviveHiddenSaves(t *testing.T) {
	s, _ := newStore(t)
	if _, err := s.SaveCustomField(ctx, CustomField{Name: "Allergies", Sensitive: true}); !errors.Is(err, ErrFieldCondition) {
		t.Fatalf("sensitive field without its Art. 9 condition: %v", err)
	}
	allergy, err := s.SaveCustomField(ctx, CustomField{Name: "Allergies", Sensitive: true, Category: "health", Condition: "a"})
	if err != nil {
		t.Fatal(err)
	}
	shoe, err := s.SaveCustomField(ctx, CustomField{Name: "Pointure"})
	if err != nil {
		t.Fatal(err)
	}
	id := mustCreate(t, s, Contact{GivenName: "Hélène", FamilyName: "Dupont", Fields: []FieldValue{
		{FieldID: allergy, Value: "arachides"}, {FieldID: shoe, Value: "38"}}})
	if ids := searchIDs(t, s, "arachides"); len(ids) != 0 {
		t.Fatal("a sensitive value is in the search index")
	}
	if ids := searchIDs(t, s, "38"); len(ids) != 1 {
		t.Fatal("an ordinary custom value is not searchable")
	}
	c, _ := s.Contact(ctx, id)
	c.HideSensitive()
	if len(c.Fields) != 2 || c.Fields[0].Value != "" || !c.Fields[0].Hidden || c.Fields[1].Value != "38" {
		t.Fatalf("hidden for display: %+v", c.Fields)
	}
	// Saving the contact as displayed keeps the hidden value.
	c.JobTitle = "Gérante"
	if err := s.UpdateContact(ctx, *c); err != nil {
		t.Fatal(err)
	}
	if v, err := s.FieldValueOf(ctx, id, allergy); err != nil || v != "arachides" {
		t.Fatalf("hidden value after save: %q, %v", v, err)
	}
	// Marking a field sensitive takes it out of the index.
	if _, err := s.SaveCustomField(ctx, CustomField{ID: shoe, Name: "Pointure", Sensitive: true, Category: "health", Condition: "a"}); err != nil {
		t.Fatal(err)
	}
	if ids := searchIDs(t, s, "38"); len(ids) != 0 {
		t.Fatal("a field made sensitive is still searchable")
	}
	// Emptying a value removes it; deleting the field removes them all.
	c, _ = s.Contact(ctx, id)
	c.Fields = []FieldValue{{FieldID: shoe, Value: ""}}
	s.UpdateContact(ctx, *c)
	if _, err := s.FieldValueOf(ctx, id, shoe); !errors.Is(err, ErrNotFound) {
		t.Fatalf("emptied value: %v", err)
	}
	if err := s.DeleteCustomField(ctx, allergy); err != nil {
		t.Fatal(err)
	}
	if c, _ := s.Contact(ctx, id); len(c.Fields) != 0 {
		t.Fatalf("values of a deleted field: %+v", c.Fields)
	}
}
