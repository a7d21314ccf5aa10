package core_test

import (
	"context"
	"strings"
	"testing"

	"carnet/backend/crm"
	"carnet/backend/mail"
)

func TestAContactMadeFromAMessageIsRecordedOrNotMadeAtAll(t *testing.T) {
	ctx := context.Background()
	c := newCore(t)
	id, err := c.ContactFromMail(ctx, "francois@example.fr", "François Léger")
	if err != nil {
		t.Fatal(err)
	}
	ct, err := crm.New(c.DB(), nil).Contact(ctx, id)
	if err != nil || ct.GivenName != "François" || ct.FamilyName != "Léger" || !strings.Contains(ct.Source, "francois@example.fr") {
		t.Fatalf("contact: %+v, %v", ct, err)
	}
	if got := auditEntries(t, c.DB(), "contact.create"); len(got) != 1 || got[0].SubjectID != id {
		t.Fatalf("contact.create entries: %+v", got)
	}
	failAudit(t, c.DB())
	if _, err := c.ContactFromMail(ctx, "eve@example.net", "Eve"); err == nil {
		t.Fatal("made with a failing audit")
	}
	var n int
	c.DB().QueryRow(`SELECT count(*) FROM contacts`).Scan(&n)
	if n != 1 {
		t.Fatalf("%d contacts after a failed creation, want 1", n)
	}
}

func TestMailWritesGoThroughCoreOffline(t *testing.T) {
	ctx := context.Background()
	c := newCore(t)
	acct, err := c.SaveMailAccount(ctx, mail.Account{Name: "Bureau", Address: "moi@example.org", IMAPHost: "127.0.0.1", IMAPPort: 1,
		IMAPSecurity: mail.None, SMTPHost: "127.0.0.1", SMTPPort: 1, SMTPSecurity: mail.None, Username: "moi", Password: "secret"})
	if err != nil {
		t.Fatal(err)
	}
	id, err := c.QueueMail(ctx, mail.Draft{AccountID: acct, To: []string{"client@example.fr"}, Topic: "Devis", Body: "Bonjour"})
	if err != nil {
		t.Fatal(err)
	}
	s := mail.New(c.DB(), nil)
	if n, _ := s.Waiting(ctx); n != 1 {
		t.Fatalf("%d waiting, want 1", n)
	}
	if err := c.CancelMail(ctx, id); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteMailAccount(ctx, acct); err != nil {
		t.Fatal(err)
	}
	if list, _ := s.Accounts(ctx); len(list) != 0 {
		t.Fatalf("accounts after delete: %+v", list)
	}
}
