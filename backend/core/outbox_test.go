package core_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"carnet/backend/core"
	"carnet/backend/crm"
	"carnet/backend/mail"
	"carnet/backend/privacy/rights"
	"carnet/backend/sales"
)

func TestMailingADocumentRecordsItsExportOrGivesNoDraft(t *testing.T) {
	ctx := context.Background()
	c := newCore(t)
	company, _ := seller(t, c)
	buyer, err := crm.New(c.DB(), nil).CreateContact(ctx, crm.Contact{GivenName: "Inès", FamilyName: "Marchand",
		Emails: []crm.Email{{Address: "ines@example.fr"}}})
	if err != nil {
		t.Fatal(err)
	}
	id := draft(t, c, sales.KindInvoice, company, buyer)
	d, err := c.IssueDocument(ctx, id)
	if err != nil {
		t.Fatal(err)
	}

	// No account: told so, nothing recorded.
	var ue *core.UserError
	if _, err := c.DocumentDraft(ctx, id); !errors.As(err, &ue) || ue.Key != "error.no_mail_account" {
		t.Fatalf("without an account: %v", err)
	}
	if n := len(auditEntries(t, c.DB(), "export.document")); n != 0 {
		t.Fatalf("%d export.document entries without a draft", n)
	}

	acct, err := c.SaveMailAccount(ctx, mail.Account{Name: "Bureau", Address: "moi@example.org", IMAPHost: "127.0.0.1", IMAPPort: 1,
		IMAPSecurity: mail.None, SMTPHost: "127.0.0.1", SMTPPort: 1, SMTPSecurity: mail.None, Username: "moi", Password: "secret"})
	if err != nil {
		t.Fatal(err)
	}
	dr, err := c.DocumentDraft(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if dr.AccountID != acct || len(dr.To) != 1 || dr.To[0] != "ines@example.fr" || !strings.Contains(dr.Topic, d.Number) {
		t.Fatalf("draft %+v, want from account %d to ines@example.fr about %s", dr, acct, d.Number)
	}
	if len(dr.Attachments) != 1 || dr.Attachments[0].Filename != d.Number+".pdf" || !strings.HasPrefix(string(dr.Attachments[0].Data), "%PDF-") {
		t.Fatalf("attachments: %d, want the invoice's PDF", len(dr.Attachments))
	}
	got := auditEntries(t, c.DB(), "export.document")
	if len(got) != 1 {
		t.Fatalf("want one export.document entry, got %d", len(got))
	}
	if e := got[0]; e.SubjectKind != "document" || e.SubjectID != id || e.Detail["format"] != "pdf" || e.Detail["via"] != "mail" {
		t.Errorf("entry %+v, want document %d as pdf via mail", e, id)
	}

	// A sealed document (its buyer erased) is opened on the record.
	words := func(k string) string { return k }
	if _, err := rights.New(c.DB(), nil, words).Erase(ctx, buyer, rights.EraseOptions{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DocumentDraft(ctx, id); err != nil {
		t.Fatal(err)
	}
	if n := len(auditEntries(t, c.DB(), "document.open_sealed")); n != 1 {
		t.Fatalf("%d document.open_sealed entries, want 1", n)
	}

	// Without its entry, no draft.
	failAudit(t, c.DB())
	dr, err = c.DocumentDraft(ctx, id)
	if err == nil || !strings.Contains(err.Error(), "injected audit failure") || len(dr.Attachments) != 0 {
		t.Fatalf("a draft with a failing audit: %d attachments, %v", len(dr.Attachments), err)
	}
}
