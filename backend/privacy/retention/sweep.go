package retention

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"time"

	"carnet/backend/crm"
	"carnet/backend/txn"
)

// Groups of a sweep, in the order it lists them.
const (
	GroupProspects    = "prospects"    // prospects without contact for the period
	GroupCustomers    = "customers"    // former customers
	GroupRepermission = "repermission" // asked to confirm: no yes by the deadline, or a no
	GroupArchives     = "archives"     // archived contacts at the end of the archive period
	GroupMessages     = "messages"     // e-mails linked to no contact
	GroupInvoices     = "invoices"     // accounting documents past their legal hold: reported only
)

// Decisions a group allows.
const (
	DecideRepermission = "repermission" // ask the person to confirm (AskRepermission)
	DecideArchive      = "archive"      // move to the intermediate archive (Archive)
	DecideErase        = "erase"        // erase the person (ApproveErasure, then subject.Erase)
	DecideDelete       = "delete"       // delete the messages (DeleteMessages)
)

// Events a period runs from (the names of privacy.RetentionEvents where
// they are the same event).
const (
	FromCollection   = "collection"   // the contact was created
	FromLastInbound  = "last_inbound" // the person last reached out
	FromConsent      = "consent"      // the person last gave a consent
	FromConfirmed    = "confirmed"    // the person said yes to a re-permission request
	FromInvoice      = "invoice_date" // the last issued invoice
	FromArchived     = "archived"     // the contact was archived
	FromMessageDate  = "message_date" // the e-mail's date
	FromRepermission = "repermission" // the re-permission request: its deadline, or the no
)

// Re-permission states of an item in GroupRepermission.
const (
	StateWaiting  = "waiting"   // asked, deadline not reached
	StateNoAnswer = "no_answer" // deadline passed without a yes
	StateRefused  = "refused"   // the person said no
)

// SoonDays is how far ahead a sweep looks for what comes due.
const SoonDays = 30

// Item is one thing that reached, or comes to, the end of its period.
type Item struct {
	Kind    string `json:"kind"`    // contact, message, document
	ID      int64  `json:"id"`      // of the contact, message or document
	Name    string `json:"name"`    // the contact's name, the message's subject, the document's number
	Detail  string `json:"detail"`  // the contact's first e-mail address, the sender, the document's kind
	From    string `json:"from"`    // the event the period runs from (From*)
	StartAt string `json:"startAt"` // RFC 3339: when that event happened
	DueAt   string `json:"dueAt"`   // RFC 3339: when the period ends
	State   string `json:"state,omitempty"`
}

// Group is one category's items.
type Group struct {
	Key     string   `json:"key"`
	Months  int      `json:"months"`  // the period
	Actions []string `json:"actions"` // decisions allowed; none for a report
	Due     []Item   `json:"due"`     // reached the limit at the sweep's date
	// Soon comes due within SoonDays; for re-permission, the requests still
	// awaiting an answer.
	Soon []Item `json:"soon"`
}

// IDs returns the ids of the group's due items, for a decision on the
// whole group.
func (g Group) IDs() []int64 {
	ids := make([]int64, len(g.Due))
	for i, it := range g.Due {
		ids[i] = it.ID
	}
	return ids
}

// Sweep is what has reached its limit at a date, grouped, and what comes
// due in the next days. It removes nothing.
type Sweep struct {
	AsOf   string  `json:"asOf"` // RFC 3339
	Policy Policy  `json:"policy"`
	Groups []Group `json:"groups"` // every group, in order, even when empty
	// DueNow and DueSoon count the items waiting for a decision, for the
	// dashboard (reports such as invoices are left out).
	DueNow  int `json:"dueNow"`
	DueSoon int `json:"dueSoon"`
}

// Group returns the group with key, or an empty one.
func (sw Sweep) Group(key string) Group {
	for _, g := range sw.Groups {
		if g.Key == key {
			return g
		}
	}
	return Group{Key: key}
}

// Due lists what has reached its limit at asOf, and what comes due within
// SoonDays after it.
func (s *Store) Due(ctx context.Context, asOf time.Time) (Sweep, error) {
	p, err := s.Policy(ctx)
	if err != nil {
		return Sweep{}, err
	}
	sw := Sweep{AsOf: stamp(asOf), Policy: p}
	err = txn.Read(ctx, s.db, func(tx *sql.Tx) error {
		sw.Groups, err = sweep(ctx, tx, p, asOf, allGroups)
		return err
	})
	if err != nil {
		return Sweep{}, fmt.Errorf("retention: sweep: %w", err)
	}
	for _, g := range sw.Groups {
		if len(g.Actions) > 0 {
			sw.DueNow += len(g.Due)
			sw.DueSoon += len(g.Soon)
		}
	}
	return sw, nil
}

var (
	allGroups     = []string{GroupProspects, GroupCustomers, GroupRepermission, GroupArchives, GroupMessages, GroupInvoices}
	contactGroups = []string{GroupProspects, GroupCustomers, GroupRepermission, GroupArchives}
)

// sweep computes the groups named in which (in allGroups order), one
// query per category.
func sweep(ctx context.Context, q queryer, p Policy, asOf time.Time, which []string) ([]Group, error) {
	asOf = asOf.UTC()
	horizon := asOf.AddDate(0, 0, SoonDays)
	groups := map[string]*Group{}
	for _, k := range allGroups {
		g := &Group{Key: k, Due: []Item{}, Soon: []Item{}, Actions: []string{}}
		switch k {
		case GroupProspects:
			g.Months, g.Actions = p.ProspectMonths, []string{DecideRepermission, DecideArchive, DecideErase}
		case GroupCustomers:
			g.Months, g.Actions = p.CustomerMonths, []string{DecideRepermission, DecideArchive, DecideErase}
		case GroupRepermission:
			g.Actions = []string{DecideArchive, DecideErase}
		case GroupArchives:
			g.Months, g.Actions = p.ArchiveMonths, []string{DecideErase}
		case GroupMessages:
			g.Months, g.Actions = p.MessageMonths, []string{DecideDelete}
		case GroupInvoices:
			g.Months = 12 * InvoiceYears
		}
		groups[k] = g
	}
	// add files an item under Due or Soon by its due date; items due after
	// the horizon are left out.
	add := func(key string, it Item, due time.Time) {
		g := groups[key]
		it.DueAt = stamp(due)
		switch {
		case !due.After(asOf):
			g.Due = append(g.Due, it)
		case !due.After(horizon) || it.State == StateWaiting:
			g.Soon = append(g.Soon, it)
		}
	}
	want := func(k string) bool { return slices.Contains(which, k) }

	if want(GroupProspects) || want(GroupCustomers) || want(GroupRepermission) {
		if err := contacts(ctx, q, p, asOf, horizon, add); err != nil {
			return nil, err
		}
	}
	if want(GroupArchives) {
		if err := archives(ctx, q, p, horizon, add); err != nil {
			return nil, err
		}
	}
	if want(GroupMessages) && p.MessageMonths > 0 {
		if err := messages(ctx, q, p, horizon, add); err != nil {
			return nil, err
		}
	}
	if want(GroupInvoices) {
		if err := invoices(ctx, q, horizon, add); err != nil {
			return nil, err
		}
	}
	var out []Group
	for _, k := range allGroups {
		if !want(k) {
			continue
		}
		g := groups[k]
		for _, l := range [][]Item{g.Due, g.Soon} {
			slices.SortFunc(l, func(a, b Item) int {
				return cmp.Or(cmp.Compare(a.DueAt, b.DueAt), cmp.Compare(a.ID, b.ID))
			})
		}
		out = append(out, *g)
	}
	return out, nil
}

// cutoff is the latest start a period of months may have to end by
// horizon, with a few days to spare for months of different lengths: the
// query keeps a superset and Go decides to the second.
func cutoff(horizon time.Time, months int) string {
	return stamp(addMonths(horizon, -months).AddDate(0, 0, 4))
}

// The sweep's queries join contacts with invoices and the consent ledger
// in one statement per category (a probe per contact would cost more than
// the sweep), so they name the contact tables themselves; which contacts
// they see comes from crm's one definition (crm.Scope).
//
// liveContact: the prospects and customers swept are the live ones
// (crm.Live): not in the trash nor erased, not restricted (kept but not
// processed, Art. 18(1), until the restriction is lifted) nor archived
// (their own group, archivedContact). It is the list indexes' condition,
// so the sweep can use them.
var liveContact = crm.Live.Where("c")

// archivedContact: the archive group is the archived contacts still
// current (crm.Current: a trashed one is purged with the trash).
var archivedContact = "c.archived_at IS NOT NULL AND " + crm.Current.Where("c")

// contactColumns are read for every contact a category query keeps.
const contactColumns = `c.id, trim(c.given_name || ' ' || c.family_name),
	coalesce((SELECT address FROM contact_emails WHERE contact_id = c.id ORDER BY position LIMIT 1), ''),
	c.created_at, c.last_inbound_at,
	coalesce((SELECT max(occurred_at) FROM consent_ledger WHERE contact_id = c.id AND action = 'grant'), '')`

// request is where a contact's re-permission requests stand.
type request struct {
	confirmed                           string // the latest yes
	asked, deadline, answer, answeredAt string // the latest request
}

// requests reads every contact's re-permission requests at once: a few
// rows, where a probe for each contact swept would cost more than the
// whole table.
func requests(ctx context.Context, q queryer) (map[int64]request, error) {
	rows, err := q.QueryContext(ctx, `SELECT contact_id, asked_at, deadline, answer, answered_at
		FROM retention_repermissions ORDER BY contact_id, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]request{}
	for rows.Next() {
		var id int64
		var r request
		if err := rows.Scan(&id, &r.asked, &r.deadline, &r.answer, &r.answeredAt); err != nil {
			return nil, err
		}
		r.confirmed = out[id].confirmed
		if r.answer == "yes" {
			r.confirmed = r.answeredAt
		}
		out[id] = r
	}
	return out, rows.Err()
}

// prospectsQuery selects the prospects whose clock may have run by the
// cutoff (?1): a prospect has the prospect relationship, or none at all,
// and is not a customer. Its start is the latest of its events, each at
// most the cutoff: created and last inbound are tested on an index's rows.
var prospectsQuery = `
	SELECT ` + contactColumns + `, ''
	FROM contacts c
	WHERE ` + liveContact + `
	  AND c.relationships & 2 = 0 AND (c.relationships & 1 <> 0 OR c.relationships = 0)
	  AND c.created_at <= ?1 AND c.last_inbound_at <= ?1`

// customersQuery selects the customers whose relationship may have ended
// by the cutoff (?1): it ends with the last issued invoice or the last
// inbound contact; the date the contact was created stands in when there
// is neither. The last invoice is read only for those kept.
var customersQuery = `
	SELECT ` + contactColumns + `,
		coalesce((SELECT max(issue_date) FROM documents
		          WHERE contact_id = c.id AND kind = 'invoice' AND issued_at <> ''), '')
	FROM contacts c
	WHERE ` + liveContact + ` AND c.relationships & 2 <> 0 AND c.last_inbound_at <= ?1
	  AND NOT EXISTS (SELECT 1 FROM documents
	                  WHERE contact_id = c.id AND kind = 'invoice' AND issued_at <> '' AND issue_date > ?1)
	  AND (c.last_inbound_at <> '' OR c.created_at <= ?1
	       OR EXISTS (SELECT 1 FROM documents WHERE contact_id = c.id AND kind = 'invoice' AND issued_at <> ''))`

// contacts sweeps prospects and customers, one query each. Suppliers and
// partners are business contacts kept under contract: not swept.
func contacts(ctx context.Context, q queryer, p Policy, asOf, horizon time.Time, add func(string, Item, time.Time)) error {
	reqs, err := requests(ctx, q)
	if err != nil {
		return fmt.Errorf("re-permissions: %w", err)
	}
	err = contactRows(ctx, q, prospectsQuery, cutoff(horizon, p.ProspectMonths), GroupProspects, p.ProspectMonths, asOf, reqs, add)
	if err != nil {
		return fmt.Errorf("prospects: %w", err)
	}
	err = contactRows(ctx, q, customersQuery, cutoff(horizon, p.CustomerMonths), GroupCustomers, p.CustomerMonths, asOf, reqs, add)
	if err != nil {
		return fmt.Errorf("customers: %w", err)
	}
	return nil
}

// contactRows reads one category's candidates and files those whose
// period ends by the horizon.
func contactRows(ctx context.Context, q queryer, query, cut, group string, months int, asOf time.Time,
	reqs map[int64]request, add func(string, Item, time.Time)) error {
	rows, err := q.QueryContext(ctx, query, cut)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var it Item
		var created, inbound, consent, invoiced string
		if err := rows.Scan(&it.ID, &it.Name, &it.Detail, &created, &inbound, &consent, &invoiced); err != nil {
			return err
		}
		r := reqs[it.ID]
		it.Kind = "contact"
		if it.Name == "" {
			it.Name = it.Detail
		}
		var start time.Time
		latest := func(from, at string) {
			if t, ok := moment(at); ok && t.After(start) {
				start, it.From = t, from
			}
		}
		if group == GroupProspects || invoiced == "" && inbound == "" {
			latest(FromCollection, created)
		}
		latest(FromInvoice, invoiced)
		latest(FromLastInbound, inbound)
		latest(FromConsent, consent)
		latest(FromConfirmed, r.confirmed)
		if start.IsZero() {
			continue
		}
		it.StartAt = stamp(start)
		due := addMonths(start, months)

		// A request sent in this cycle (after the clock last restarted)
		// decides: waiting, or due for erasure without a yes.
		askedAt, ok := moment(r.asked)
		if ok && !askedAt.Before(start) && r.answer != "yes" {
			it.From, it.StartAt = FromRepermission, stamp(askedAt)
			switch r.answer {
			case "no":
				it.State = StateRefused
				t, _ := moment(r.answeredAt)
				add(GroupRepermission, it, t)
			default:
				t, ok := moment(r.deadline)
				if !ok {
					break
				}
				it.State = StateNoAnswer
				if t.After(asOf) {
					it.State = StateWaiting
				}
				add(GroupRepermission, it, t)
			}
			continue
		}
		add(group, it, due)
	}
	return rows.Err()
}

// archives sweeps the intermediate archive.
var archivesQuery = `
	SELECT c.id, trim(c.given_name || ' ' || c.family_name),
		coalesce((SELECT address FROM contact_emails WHERE contact_id = c.id ORDER BY position LIMIT 1), ''),
		c.archived_at
	FROM contacts c
	WHERE ` + archivedContact + ` AND c.archived_at <= ?`

func archives(ctx context.Context, q queryer, p Policy, horizon time.Time, add func(string, Item, time.Time)) error {
	rows, err := q.QueryContext(ctx, archivesQuery, cutoff(horizon, p.ArchiveMonths))
	if err != nil {
		return fmt.Errorf("archives: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		it := Item{Kind: "contact", From: FromArchived}
		if err := rows.Scan(&it.ID, &it.Name, &it.Detail, &it.StartAt); err != nil {
			return fmt.Errorf("archives: %w", err)
		}
		if it.Name == "" {
			it.Name = it.Detail
		}
		start, ok := moment(it.StartAt)
		if !ok {
			continue
		}
		it.StartAt = stamp(start)
		add(GroupArchives, it, addMonths(start, p.ArchiveMonths))
	}
	return rows.Err()
}

// messages sweeps the e-mails in which no address is one of a contact's
// (any contact's, in the trash too: it may be restored). Messages without
// a date cannot be timed and are left alone.
const messagesQuery = `
	SELECT m.id, m.subject, m.from_name, m.from_address, m.sent_at
	FROM mail_messages m
	WHERE m.sent_at <> '' AND m.sent_at <= ?
	  AND NOT EXISTS (SELECT 1 FROM mail_addresses a JOIN contact_emails e ON e.address = a.address COLLATE NOCASE
	                  WHERE a.message_id = m.id)`

func messages(ctx context.Context, q queryer, p Policy, horizon time.Time, add func(string, Item, time.Time)) error {
	rows, err := q.QueryContext(ctx, messagesQuery, cutoff(horizon, p.MessageMonths))
	if err != nil {
		return fmt.Errorf("messages: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		it := Item{Kind: "message", From: FromMessageDate}
		var name, addr string
		if err := rows.Scan(&it.ID, &it.Name, &name, &addr, &it.StartAt); err != nil {
			return fmt.Errorf("messages: %w", err)
		}
		it.Detail = addr
		if name != "" {
			it.Detail = name + " <" + addr + ">"
		}
		start, ok := moment(it.StartAt)
		if !ok {
			continue
		}
		add(GroupMessages, it, addMonths(start, p.MessageMonths))
	}
	return rows.Err()
}

// invoices reports the issued invoices and credit notes whose legal hold
// has ended: kept until the end of the tenth year after their date (as
// backend/sales computes it), so due on the first day of the next.
const invoicesQuery = `
	SELECT id, coalesce(number, ''), kind, issue_date FROM documents
	WHERE kind IN ('invoice', 'credit_note') AND issued_at <> '' AND issue_date <> '' AND issue_date < ?`

func invoices(ctx context.Context, q queryer, horizon time.Time, add func(string, Item, time.Time)) error {
	before := strconv.Itoa(horizon.Year()-InvoiceYears) + "-01-01"
	rows, err := q.QueryContext(ctx, invoicesQuery, before)
	if err != nil {
		return fmt.Errorf("invoices: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		it := Item{Kind: "document", From: FromInvoice}
		var day string
		if err := rows.Scan(&it.ID, &it.Name, &it.Detail, &day); err != nil {
			return fmt.Errorf("invoices: %w", err)
		}
		d, err := time.Parse(time.DateOnly, day)
		if err != nil {
			continue
		}
		it.StartAt = stamp(d)
		add(GroupInvoices, it, time.Date(d.Year()+InvoiceYears+1, 1, 1, 0, 0, 0, 0, time.UTC))
	}
	return rows.Err()
}
