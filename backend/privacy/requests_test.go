package privacy

import (
	"errors"
	"testing"
	"time"
)

func day(s string) time.Time {
	t, _ := time.Parse(time.DateOnly, s)
	return t
}

func TestLegalClockCountsCalendarMonths(t *testing.T) {
	for _, tc := range []struct {
		received string
		ext      int
		want     string
	}{
		{"2026-01-15", 0, "2026-02-15"},
		{"2026-01-31", 0, "2026-02-28"}, // no 31 February: the month's last day
		{"2028-01-31", 0, "2028-02-29"}, // leap year
		{"2026-03-31", 0, "2026-04-30"},
		{"2026-12-31", 0, "2027-01-31"},
		{"2026-01-31", 2, "2026-04-30"}, // extended by two months
		{"2026-11-30", 1, "2027-01-30"},
	} {
		if got := Due(day(tc.received), tc.ext).Format(time.DateOnly); got != tc.want {
			t.Errorf("received %s + %d: due %s, want %s", tc.received, tc.ext, got, tc.want)
		}
	}
}

func TestRequestsRegisterRules(t *testing.T) {
	s, c, now := setup(t)
	*now = time.Date(2026, 2, 20, 10, 0, 0, 0, time.UTC)
	id := contact(t, c, "Helene")
	r, err := s.SaveRequest(ctx, "Claire", Request{Kind: "access", ContactID: id, Requester: "Hélène Dupont, lettre", Channel: "letter", ReceivedOn: "2026-01-31"})
	if err != nil {
		t.Fatal(err)
	}
	if r.DueOn != "2026-02-28" || r.DaysLeft != 8 || r.Status != "open" {
		t.Fatalf("clock: %+v", r)
	}
	// An extension needs its reason and the date the person was told,
	// which must fall within the first month.
	r.ExtensionMonths = 2
	if _, err := s.SaveRequest(ctx, "Claire", r); !errors.Is(err, ErrExtension) {
		t.Fatalf("extension without reason: %v", err)
	}
	r.ExtensionReason, r.PersonToldOn = "Demande complexe : 5 000 e-mails à examiner", "2026-03-02"
	if _, err := s.SaveRequest(ctx, "Claire", r); !errors.Is(err, ErrToldTooLate) {
		t.Fatalf("told after the first month: %v", err)
	}
	r.PersonToldOn = "2026-02-20"
	if r, err = s.SaveRequest(ctx, "Claire", r); err != nil || r.DueOn != "2026-04-30" {
		t.Fatalf("extended: %+v, %v", r, err)
	}
	// A refusal states its reasons.
	if _, err := s.SaveRequest(ctx, "Claire", Request{Kind: "erasure", Requester: "x", Channel: "email", ReceivedOn: "2026-02-01", Status: "refused"}); !errors.Is(err, ErrRefusalReasons) {
		t.Fatalf("refusal without reasons: %v", err)
	}
	late, err := s.SaveRequest(ctx, "Claire", Request{Kind: "erasure", Requester: "Paul M.", Channel: "email", ReceivedOn: "2026-01-10"})
	if err != nil || late.DaysLeft >= 0 {
		t.Fatalf("overdue request: %+v, %v", late, err)
	}
	if _, err := s.SaveRequest(ctx, "Claire", Request{Kind: "access", Requester: "x", Channel: "email", ReceivedOn: "2026-03-01"}); !errors.Is(err, ErrBadDate) {
		t.Fatalf("received in the future: %v", err)
	}
	d, _ := s.RequestDeadlines(ctx)
	if d.Open != 2 || d.Overdue != 1 || d.DueSoon != 0 {
		t.Fatalf("deadlines: %+v", d)
	}
	late.Status, late.Decision = "done", "Données effacées"
	if late, err = s.SaveRequest(ctx, "Claire", late); err != nil || late.ClosedOn != "2026-02-20" {
		t.Fatalf("closing: %+v, %v", late, err)
	}
	// Every step is in the audit log, without the requester's identity.
	log, _ := s.Audit(ctx, AuditQuery{Action: "request."})
	if len(log) != 4 {
		t.Fatalf("audit: %d entries", len(log))
	}
	for _, e := range log {
		for _, v := range e.Detail {
			if v == "Paul M." {
				t.Fatal("the requester's identity is in the audit log")
			}
		}
	}
}
