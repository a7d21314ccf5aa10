// Package breach keeps the register of personal data breaches (GDPR Art.
// 33 and 34): every incident documented, notified or not (Art. 33(5)),
// with the 72-hour clock to notify the CNIL from its discovery (Art.
// 33(1)), the people and records concerned counted from the vault, the
// draft notification (Art. 33(3)) and the letters to the people when the
// risk to them is high (Art. 34). A breach is never deleted: it is edited
// and complemented, each step in the audit log.
package breach

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"carnet/backend/crm"
)

// Natures of a breach (EDPB guidelines 9/2022): data disclosed or accessed
// (confidentiality), altered (integrity), lost or unavailable
// (availability). One breach may be of several.
var Natures = []string{"confidentiality", "integrity", "availability"}

// Risk levels to the people's rights and freedoms, and what each asks.
const (
	RiskNone = "none" // unlikely to result in a risk: document only
	RiskSome = "risk" // notify the CNIL within 72 hours (Art. 33)
	RiskHigh = "high" // notify the CNIL and tell each person without undue delay (Art. 34)
)

// Risks lists the levels in order.
var Risks = []string{RiskNone, RiskSome, RiskHigh}

// Deadline is the time the controller has to notify the CNIL once aware of
// the breach (Art. 33(1)).
const Deadline = 72 * time.Hour

// Clock states.
const (
	ClockRunning     = "running"      // not notified and no reason recorded: the 72 hours count
	ClockNotified    = "notified"     // the CNIL was notified
	ClockNotRequired = "not_required" // no risk: the reason for not notifying is recorded
)

// Breach is one incident and how it was handled.
type Breach struct {
	ID int64 `json:"id"`
	// Reference is "V-2026-0003": the year of discovery and the id.
	Reference string `json:"reference"`
	// OccurredAt is when the breach happened (RFC 3339), "" when not known.
	OccurredAt string `json:"occurredAt"`
	// DiscoveredAt is when the business became aware of it (RFC 3339): the
	// 72-hour clock starts here, not when it happened.
	DiscoveredAt string   `json:"discoveredAt"`
	Nature       []string `json:"nature"` // some of Natures
	Description  string   `json:"description"`
	// Scope says who and what is concerned; Counts is what the vault held
	// for them when the scope was last saved or recounted (read only).
	Scope           Scope  `json:"scope"`
	Counts          Counts `json:"counts"`
	Consequences    string `json:"consequences"`
	MeasuresTaken   string `json:"measuresTaken"`
	MeasuresPlanned string `json:"measuresPlanned"`
	Risk            string `json:"risk"` // "" until assessed, then one of Risks
	RiskNote        string `json:"riskNote"`
	// NotifiedAt is the initial notification to the CNIL (RFC 3339), with
	// the number the CNIL gave and, after 72 hours, why it is late.
	NotifiedAt      string `json:"notifiedAt"`
	NoticeReference string `json:"noticeReference"`
	LateReason      string `json:"lateReason"`
	// NoNoticeReason: why the CNIL is not notified (risk none only).
	NoNoticeReason string `json:"noNoticeReason"`
	// PeopleToldAt: when the people were told (Art. 34), or why not
	// (an Art. 34(3) exception).
	PeopleToldAt        string `json:"peopleToldAt"`
	PeopleNotToldReason string `json:"peopleNotToldReason"`
	// Complements sent to the CNIL after the initial notification (read
	// only: see AddComplement).
	Complements []Complement `json:"complements"`
	CreatedAt   string       `json:"createdAt"`
	UpdatedAt   string       `json:"updatedAt"`

	// Derived from the dates as of the store's clock.
	Deadline  string `json:"deadline"`  // DiscoveredAt + 72 h (RFC 3339)
	Clock     string `json:"clock"`     // running, notified, not_required
	HoursLeft int    `json:"hoursLeft"` // while running: whole hours to the deadline, negative when past
	Late      bool   `json:"late"`      // running past the deadline, or notified after it
}

// Complement is information sent to the CNIL after the initial
// notification, when not all of it could be given at once (Art. 33(4)).
type Complement struct {
	ID      int64  `json:"id"`
	SentAt  string `json:"sentAt"` // RFC 3339
	Summary string `json:"summary"`
}

// Scope kinds: how the people concerned are chosen from the vault.
const (
	ScopeAll         = "all"          // every contact
	ScopeSegment     = "segment"      // a saved segment
	ScopeFilter      = "filter"       // a filter of the contact list
	ScopeTag         = "tag"          // the contacts with a tag
	ScopeMailAccount = "mail_account" // everyone in the e-mails of one account
)

// Scope selects the people and the data concerned. Hidden contacts
// (restricted, archived) are concerned as much as the others and are
// counted; those in the trash count for "all" only.
type Scope struct {
	Kind      string `json:"kind"`
	SegmentID int64  `json:"segmentId,omitempty"`
	// SegmentName and Filter are copied from the segment when saved, so the
	// breach keeps its people if the segment changes or goes.
	SegmentName string      `json:"segmentName,omitempty"`
	Filter      *crm.Filter `json:"filter,omitempty"`
	Tag         string      `json:"tag,omitempty"`
	AccountID   int64       `json:"accountId,omitempty"`
	AccountName string      `json:"accountName,omitempty"` // copied when saved
	// Categories are the data concerned (some of Categories); empty: every
	// category Carnet holds (for a mail account: identity, e-mail
	// addresses, messages and attachments).
	Categories []string `json:"categories"`
}

// Categories of data counted, in the order they are listed.
var Categories = []string{
	"identity",    // the contact records: names, job, notes
	"emails",      // e-mail addresses
	"phones",      // phone numbers
	"addresses",   // postal addresses
	"notes",       // notes, calls, meetings
	"tasks",       // tasks
	"fields",      // custom field values
	"sensitive",   // special categories (Art. 9): sensitive custom field values
	"messages",    // stored e-mails
	"attachments", // their attachments
	"documents",   // quotes, invoices, credit notes
	"consents",    // consent ledger entries
}

var mailCategories = []string{"identity", "emails", "messages", "attachments"}

// Counts is what a scope concerned when counted.
type Counts struct {
	// People is everyone concerned: contacts, and correspondents known
	// only by their address (a mail account's scope).
	People     int     `json:"people"`
	Contacts   int     `json:"contacts"`
	Categories []Count `json:"categories"`
	CountedAt  string  `json:"countedAt"` // RFC 3339
}

// Count is one category of data: how many people have some, how many
// records.
type Count struct {
	Category string   `json:"category"`
	People   int      `json:"people"`
	Records  int      `json:"records"`
	Kinds    []string `json:"kinds,omitempty"` // sensitive: the Art. 9(1) categories held
}

// Clock is an open breach's countdown, for the app to show everywhere.
type Clock struct {
	ID           int64  `json:"id"`
	Reference    string `json:"reference"`
	Summary      string `json:"summary"` // the description's first line
	Risk         string `json:"risk"`
	DiscoveredAt string `json:"discoveredAt"`
	Deadline     string `json:"deadline"`
	HoursLeft    int    `json:"hoursLeft"` // negative when late
	Late         bool   `json:"late"`
}

// Errors callers act on.
var (
	ErrUnknownBreach   = errors.New("breach: no such breach")
	ErrNoDescription   = errors.New("breach: describe what happened")
	ErrNoDiscovery     = errors.New("breach: say when the breach was discovered: the 72 hours run from then")
	ErrBadDate         = errors.New("breach: a date is not valid")
	ErrFuture          = errors.New("breach: a date is in the future")
	ErrOccurredLater   = errors.New("breach: the breach cannot have occurred after it was discovered")
	ErrBeforeDiscovery = errors.New("breach: a date falls before the breach was discovered")
	ErrNature          = errors.New("breach: say whether data were disclosed, altered or lost (at least one)")
	ErrRisk            = errors.New("breach: unknown risk level")
	ErrScope           = errors.New("breach: the people concerned are not chosen (scope)")
	ErrCategory        = errors.New("breach: unknown category of data")
	// ErrLateReason: Art. 33(1), a notification after 72 hours gives the
	// reasons for the delay.
	ErrLateReason = errors.New("breach: the notification is after 72 hours: give the reasons for the delay")
	// ErrNoticeRequired: only a breach unlikely to result in a risk may go
	// unnotified, with the reason recorded.
	ErrNoticeRequired = errors.New("breach: assess the risk as none before recording why the CNIL is not notified")
	ErrNoticeConflict = errors.New("breach: the CNIL was notified: there is no reason for not notifying")
	ErrNotNotified    = errors.New("breach: a complement follows the initial notification: record it first")
	ErrNoSummary      = errors.New("breach: say what the complement contained")
)

// parseMoment reads RFC 3339 or a bare date (midnight UTC).
func parseMoment(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return t, fmt.Errorf("%w: %q", ErrBadDate, s)
	}
	return t, nil
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// check validates and normalizes a breach before it is written.
func (b *Breach) check(now time.Time) error {
	for _, p := range []*string{&b.Description, &b.Consequences, &b.MeasuresTaken, &b.MeasuresPlanned, &b.RiskNote,
		&b.NoticeReference, &b.LateReason, &b.NoNoticeReason, &b.PeopleNotToldReason} {
		*p = strings.TrimSpace(*p)
	}
	if b.Description == "" {
		return ErrNoDescription
	}
	if strings.TrimSpace(b.DiscoveredAt) == "" {
		return ErrNoDiscovery
	}
	soon := now.Add(time.Minute) // clocks of two machines differ a little
	moment := func(p *string) (time.Time, error) {
		*p = strings.TrimSpace(*p)
		if *p == "" {
			return time.Time{}, nil
		}
		t, err := parseMoment(*p)
		if err != nil {
			return t, err
		}
		if t.After(soon) {
			return t, fmt.Errorf("%w: %s", ErrFuture, *p)
		}
		*p = stamp(t)
		return t, nil
	}
	discovered, err := moment(&b.DiscoveredAt)
	if err != nil {
		return err
	}
	occurred, err := moment(&b.OccurredAt)
	if err != nil {
		return err
	}
	if !occurred.IsZero() && occurred.After(discovered) {
		return ErrOccurredLater
	}
	var nature []string
	for _, n := range Natures {
		if slices.Contains(b.Nature, n) {
			nature = append(nature, n)
		}
	}
	for _, n := range b.Nature {
		if !slices.Contains(Natures, n) {
			return fmt.Errorf("%w: %q", ErrNature, n)
		}
	}
	if len(nature) == 0 {
		return ErrNature
	}
	b.Nature = nature
	if b.Risk != "" && !slices.Contains(Risks, b.Risk) {
		return fmt.Errorf("%w: %q", ErrRisk, b.Risk)
	}
	if err := b.Scope.check(); err != nil {
		return err
	}
	deadline := discovered.Add(Deadline)
	for _, p := range []*string{&b.NotifiedAt, &b.PeopleToldAt} {
		t, err := moment(p)
		if err != nil {
			return err
		}
		if !t.IsZero() && t.Before(discovered) {
			return ErrBeforeDiscovery
		}
	}
	if b.NotifiedAt != "" {
		notified, _ := parseMoment(b.NotifiedAt)
		if notified.After(deadline) && b.LateReason == "" {
			return ErrLateReason
		}
		if b.NoNoticeReason != "" {
			return ErrNoticeConflict
		}
	}
	if b.NoNoticeReason != "" && b.Risk != RiskNone {
		return ErrNoticeRequired
	}
	return nil
}

// check validates a scope and fills its default categories.
func (s *Scope) check() error {
	s.Tag = strings.TrimSpace(s.Tag)
	switch s.Kind {
	case ScopeAll:
	case ScopeSegment:
		if s.SegmentID == 0 {
			return fmt.Errorf("%w: which segment?", ErrScope)
		}
	case ScopeFilter:
		if s.Filter == nil {
			return fmt.Errorf("%w: which filter?", ErrScope)
		}
	case ScopeTag:
		if s.Tag == "" {
			return fmt.Errorf("%w: which tag?", ErrScope)
		}
	case ScopeMailAccount:
		if s.AccountID == 0 {
			return fmt.Errorf("%w: which mail account?", ErrScope)
		}
	default:
		return fmt.Errorf("%w: unknown kind %q", ErrScope, s.Kind)
	}
	if len(s.Categories) == 0 {
		s.Categories = Categories
		if s.Kind == ScopeMailAccount {
			s.Categories = mailCategories
		}
	}
	var cats []string
	for _, c := range Categories {
		if slices.Contains(s.Categories, c) {
			cats = append(cats, c)
		}
	}
	for _, c := range s.Categories {
		if !slices.Contains(Categories, c) {
			return fmt.Errorf("%w: %q", ErrCategory, c)
		}
	}
	s.Categories = cats
	return nil
}

// derive fills the reference and the clock as of now.
func (b *Breach) derive(now time.Time) {
	discovered, err := parseMoment(b.DiscoveredAt)
	if err != nil {
		return
	}
	b.Reference = reference(discovered, b.ID)
	deadline := discovered.Add(Deadline)
	b.Deadline = stamp(deadline)
	b.HoursLeft, b.Late = 0, false
	switch {
	case b.NotifiedAt != "":
		b.Clock = ClockNotified
		notified, _ := parseMoment(b.NotifiedAt)
		b.Late = notified.After(deadline)
	case b.NoNoticeReason != "":
		b.Clock = ClockNotRequired
	default:
		b.Clock = ClockRunning
		b.HoursLeft = hoursLeft(deadline, now)
		b.Late = now.After(deadline)
	}
}

// hoursLeft counts whole hours to the deadline, rounding down: 71.5 hours
// left is 71, half an hour late is -1.
func hoursLeft(deadline, now time.Time) int {
	return int(math.Floor(deadline.Sub(now).Hours()))
}

func reference(discovered time.Time, id int64) string {
	return fmt.Sprintf("V-%d-%04d", discovered.Year(), id)
}

// firstLine is a description's first line, cut for a list.
func firstLine(s string, max int) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	if r := []rune(s); len(r) > max {
		return string(r[:max-1]) + "…"
	}
	return s
}
