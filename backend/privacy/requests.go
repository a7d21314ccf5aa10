package privacy

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"carnet/backend/crm"
	"carnet/backend/txn"
)

// Request kinds (Art. 15–21 and the withdrawal of consent).
var RequestKinds = []string{"access", "rectification", "erasure", "restriction", "objection", "portability", "withdrawal"}

// RequestChannels are how a request may arrive.
var RequestChannels = []string{"letter", "email", "phone", "in_person", "form"}

// Request is a person exercising a right, and how it was answered.
type Request struct {
	ID              int64    `json:"id"`
	Kind            string   `json:"kind"`
	ContactID       int64    `json:"contactId"` // 0 until matched to a contact
	Requester       string   `json:"requester"`
	Channel         string   `json:"channel"`
	ReceivedOn      string   `json:"receivedOn"` // YYYY-MM-DD
	IDCheckMethod   string   `json:"idCheckMethod"`
	IDCheckOn       string   `json:"idCheckOn"`
	IDCheckResult   string   `json:"idCheckResult"` // verified, failed, not_needed
	Status          string   `json:"status"`        // open, done, refused, withdrawn
	ExtensionMonths int      `json:"extensionMonths"`
	ExtensionReason string   `json:"extensionReason"`
	PersonToldOn    string   `json:"personToldOn"`
	Decision        string   `json:"decision"`
	Reasons         string   `json:"reasons"`
	Documents       []string `json:"documents"`
	ClosedOn        string   `json:"closedOn"`
	// Erased: the person was erased since; the request stays, nameless.
	Erased bool `json:"erased"`
	// Derived: the legal deadline and how many days are left (negative
	// when overdue), as of the store's clock.
	DueOn    string `json:"dueOn"`
	DaysLeft int    `json:"daysLeft"`
}

// Request errors.
var (
	ErrBadKind        = errors.New("privacy: unknown kind of request")
	ErrBadReqChannel  = errors.New("privacy: unknown way of receiving a request")
	ErrNoRequester    = errors.New("privacy: say who made the request")
	ErrBadDate        = errors.New("privacy: a date is not valid")
	ErrExtension      = errors.New("privacy: an extension is at most two months, with a reason")
	ErrToldTooLate    = errors.New("privacy: the person must be told of the extension within the first month")
	ErrRefusalReasons = errors.New("privacy: a refusal must state its reasons")
	ErrUnknownRequest = errors.New("privacy: no such request")
	ErrBadStatus      = errors.New("privacy: unknown request status")
	ErrBeforeReceipt  = errors.New("privacy: a date of the request falls before it was received")
)

// addMonths adds calendar months the way Art. 12(3) counts them: the same
// day of the month, or the month's last day when it has no such day
// (received 31 January → due 28 or 29 February).
func addMonths(d time.Time, n int) time.Time {
	y, m, day := d.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(day, last), 0, 0, 0, 0, time.UTC)
}

// Due returns the deadline of a request received on a date, extended by
// 0 to 2 months.
func Due(received time.Time, extension int) time.Time {
	return addMonths(received, 1+extension)
}

func parseDay(s string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return t, fmt.Errorf("%w: %q", ErrBadDate, s)
	}
	return t, nil
}

func (r *Request) check(now time.Time) error {
	r.Requester = strings.TrimSpace(r.Requester)
	r.ExtensionReason = strings.TrimSpace(r.ExtensionReason)
	r.Reasons = strings.TrimSpace(r.Reasons)
	switch {
	case !oneOf(r.Kind, RequestKinds):
		return ErrBadKind
	case !oneOf(r.Channel, RequestChannels):
		return ErrBadReqChannel
	case r.Requester == "" && r.ContactID == 0:
		return ErrNoRequester
	case r.Status == "":
		r.Status = "open"
	}
	if !oneOf(r.Status, []string{"open", "done", "refused", "withdrawn"}) {
		return ErrBadStatus
	}
	if r.IDCheckResult != "" && !oneOf(r.IDCheckResult, []string{"verified", "failed", "not_needed"}) {
		return ErrBadStatus
	}
	received, err := parseDay(r.ReceivedOn)
	if err != nil {
		return err
	}
	if received.After(now) {
		return fmt.Errorf("%w: %q is in the future", ErrBadDate, r.ReceivedOn)
	}
	for _, d := range []string{r.IDCheckOn, r.PersonToldOn, r.ClosedOn} {
		if d == "" {
			continue
		}
		t, err := parseDay(d)
		if err != nil {
			return err
		}
		if t.Before(received) {
			return ErrBeforeReceipt
		}
	}
	if r.ExtensionMonths < 0 || r.ExtensionMonths > 2 || r.ExtensionMonths > 0 && (r.ExtensionReason == "" || r.PersonToldOn == "") {
		return ErrExtension
	}
	if r.ExtensionMonths > 0 {
		told, _ := parseDay(r.PersonToldOn)
		if told.After(Due(received, 0)) {
			return ErrToldTooLate
		}
	}
	if r.Status == "refused" && r.Reasons == "" {
		return ErrRefusalReasons
	}
	if r.Status != "open" && r.ClosedOn == "" {
		r.ClosedOn = now.Format(time.DateOnly)
	}
	if r.Status == "open" {
		r.ClosedOn = ""
	}
	if r.Documents == nil {
		r.Documents = []string{}
	}
	return nil
}

// derive fills the deadline and the days left.
func (r *Request) derive(now time.Time) {
	received, err := time.Parse(time.DateOnly, r.ReceivedOn)
	if err != nil {
		return
	}
	due := Due(received, r.ExtensionMonths)
	r.DueOn = due.Format(time.DateOnly)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	r.DaysLeft = int(due.Sub(today).Hours() / 24)
}

// SaveRequest records a new request (ID 0) or its next step; every step
// is in the audit log (kind and status only: the requester's identity
// stays in this table, which erasure clears).
func (s *Store) SaveRequest(ctx context.Context, actor string, r Request) (Request, error) {
	now := s.now()
	if err := r.check(now); err != nil {
		return r, err
	}
	docs, _ := json.Marshal(r.Documents)
	var contact any
	if r.ContactID != 0 {
		contact = r.ContactID
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		ts := stamp(now)
		action := "request.update"
		if r.ID == 0 {
			res, err := tx.ExecContext(ctx, `INSERT INTO privacy_requests (kind, contact_id, requester, channel, received_on, id_check_method,
				id_check_on, id_check_result, status, extension_months, extension_reason, person_told_on, decision, reasons, documents,
				closed_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				r.Kind, contact, r.Requester, r.Channel, r.ReceivedOn, r.IDCheckMethod, r.IDCheckOn, r.IDCheckResult, r.Status,
				r.ExtensionMonths, r.ExtensionReason, r.PersonToldOn, r.Decision, r.Reasons, string(docs), r.ClosedOn, ts, ts)
			if err != nil {
				return err
			}
			r.ID, _ = res.LastInsertId()
			action = "request.create"
		} else {
			res, err := tx.ExecContext(ctx, `UPDATE privacy_requests SET kind = ?, contact_id = ?, requester = ?, channel = ?, received_on = ?,
				id_check_method = ?, id_check_on = ?, id_check_result = ?, status = ?, extension_months = ?, extension_reason = ?,
				person_told_on = ?, decision = ?, reasons = ?, documents = ?, closed_on = ?, updated_at = ? WHERE id = ?`,
				r.Kind, contact, r.Requester, r.Channel, r.ReceivedOn, r.IDCheckMethod, r.IDCheckOn, r.IDCheckResult, r.Status,
				r.ExtensionMonths, r.ExtensionReason, r.PersonToldOn, r.Decision, r.Reasons, string(docs), r.ClosedOn, ts, r.ID)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return ErrUnknownRequest
			}
		}
		kind, id := "request", r.ID
		return logTx(ctx, tx, now, actor, action, kind, id, map[string]any{"kind": r.Kind, "status": r.Status,
			"extension": r.ExtensionMonths, "contact": r.ContactID, "idCheck": r.IDCheckResult})
	})
	if err != nil && !errors.Is(err, ErrUnknownRequest) {
		err = fmt.Errorf("privacy: save request: %w", err)
	}
	r.derive(now)
	return r, err
}

// RequestQuery filters the requests register.
type RequestQuery struct {
	OpenOnly  bool  `json:"openOnly"`
	ContactID int64 `json:"contactId"`
}

// Requests lists the register, open ones by deadline first.
func (s *Store) Requests(ctx context.Context, q RequestQuery) ([]Request, error) {
	where, args := "1", []any{}
	if q.OpenOnly {
		where += " AND status = 'open'"
	}
	if q.ContactID != 0 {
		where += " AND contact_id = ?"
		args = append(args, q.ContactID)
	}
	rows, err := txn.On(ctx, s.db).QueryContext(ctx, `SELECT id, kind, coalesce(contact_id, 0), requester, channel, received_on, id_check_method, id_check_on,
		id_check_result, status, extension_months, extension_reason, person_told_on, decision, reasons, documents, closed_on
		FROM privacy_requests WHERE `+where+` ORDER BY status <> 'open', received_on, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("privacy: requests: %w", err)
	}
	defer rows.Close()
	now := s.now()
	out := []Request{}
	for rows.Next() {
		var r Request
		var docs string
		if err := rows.Scan(&r.ID, &r.Kind, &r.ContactID, &r.Requester, &r.Channel, &r.ReceivedOn, &r.IDCheckMethod, &r.IDCheckOn,
			&r.IDCheckResult, &r.Status, &r.ExtensionMonths, &r.ExtensionReason, &r.PersonToldOn, &r.Decision, &r.Reasons, &docs, &r.ClosedOn); err != nil {
			return nil, err
		}
		json.Unmarshal([]byte(docs), &r.Documents)
		r.derive(now)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("privacy: requests: %w", err)
	}
	rows.Close()
	if err := markErased(ctx, txn.On(ctx, s.db), out); err != nil {
		return nil, fmt.Errorf("privacy: requests: %w", err)
	}
	return out, nil
}

// markErased sets Erased on the requests whose person was erased (crm's
// erased state): the register keeps them, nameless (Art. 5(2)).
func markErased(ctx context.Context, q crm.Reader, reqs []Request) error {
	var ids []int64
	for _, r := range reqs {
		if r.ContactID != 0 {
			ids = append(ids, r.ContactID)
		}
	}
	states, err := crm.States(ctx, q, ids, crm.Every)
	if err != nil {
		return err
	}
	for i := range reqs {
		reqs[i].Erased = states[reqs[i].ContactID].Erased
	}
	return nil
}

// Deadlines counts open requests overdue and due within a week, for the
// dashboard.
type Deadlines struct {
	Open    int `json:"open"`
	Overdue int `json:"overdue"`
	DueSoon int `json:"dueSoon"` // within 7 days
}

// RequestDeadlines summarises the open requests' clocks.
func (s *Store) RequestDeadlines(ctx context.Context) (Deadlines, error) {
	var d Deadlines
	list, err := s.Requests(ctx, RequestQuery{OpenOnly: true})
	if err != nil {
		return d, err
	}
	for _, r := range list {
		d.Open++
		switch {
		case r.DaysLeft < 0:
			d.Overdue++
		case r.DaysLeft <= 7:
			d.DueSoon++
		}
	}
	return d, nil
}
