package core_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"carnet/backend/privacy"
)

func TestSavingARequestAddsOneEntryAndAFailedEntryKeepsNoRequest(t *testing.T) {
	ctx := context.Background()
	c := newCore(t)
	id := addContact(t, c.DB(), "Hélène", "Martin")
	today := time.Now().Format(time.DateOnly)
	r, err := c.SaveRequest(ctx, privacy.Request{Kind: "access", ContactID: id, Requester: "Hélène Martin", Channel: "letter", ReceivedOn: today})
	if err != nil || r.ID == 0 || r.DueOn == "" {
		t.Fatalf("new request: %+v, %v", r, err)
	}
	r.Status, r.Decision = "done", "copie envoyée"
	if _, err := c.SaveRequest(ctx, r); err != nil {
		t.Fatal(err)
	}
	for _, action := range []string{"request.create", "request.update"} {
		got := auditEntries(t, c.DB(), action)
		if len(got) != 1 || got[0].SubjectKind != "request" || got[0].SubjectID != r.ID || !strings.Contains(got[0].Actor, "(cli") {
			t.Errorf("%s entries: %+v", action, got)
		}
		if len(got) == 1 && strings.Contains(strings.ToLower(got[0].Actor+got[0].SubjectName), "hélène") {
			t.Errorf("%s: the requester's name is in the log", action)
		}
	}

	failAudit(t, c.DB())
	if _, err := c.SaveRequest(ctx, privacy.Request{Kind: "erasure", Requester: "Paul Durand", Channel: "email", ReceivedOn: today}); err == nil ||
		!strings.Contains(err.Error(), "injected audit failure") {
		t.Fatalf("save with a failing audit: %v", err)
	}
	list, err := c.Requests(ctx, privacy.RequestQuery{})
	if err != nil || len(list) != 1 || list[0].Status != "done" {
		t.Fatalf("requests after a failed save: %+v, %v", list, err)
	}
}
