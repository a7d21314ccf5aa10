package retention

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"carnet/backend/crm"
	"carnet/backend/privacy"
	"carnet/backend/privacy/rights"
	"carnet/backend/sales"
	"carnet/backend/txn"
)

// Decision errors.
var (
	// ErrNotDue: an item is not, or no longer, due (see NotDueError).
	ErrNotDue = errors.New("retention: not due")
	// ErrNoRequest: no re-permission request awaits this contact's answer.
	ErrNoRequest = errors.New("retention: no re-permission request awaits this person's answer")
)

// NotDueError names the items that are not due now: the person wrote
// since the sweep, an e-mail was linked to a new contact… Nothing was done;
// sweep again.
type NotDueError struct {
	IDs []int64 `json:"ids"`
}

func (e *NotDueError) Error() string {
	return fmt.Sprintf("retention: %d of the items are not due now: nothing was done", len(e.IDs))
}

func (e *NotDueError) Unwrap() error { return ErrNotDue }

// Letter is the e-mail (or letter, when the contact has no address) that
// asks a person to confirm they want to stay in the file.
type Letter struct {
	ContactID int64  `json:"contactId"`
	Name      string `json:"name"`
	Language  string `json:"language"`
	To        string `json:"to"`      // the first e-mail address; "" when there is none: print it
	Topic     string `json:"subject"` // the e-mail's subject line
	Body      string `json:"body"`
	Deadline  string `json:"deadline"` // RFC 3339: no yes by then and the data are due for erasure
}

// AskRepermission records, for each contact, a request to confirm with a
// deadline (the policy's RepermissionDays), and returns the e-mails to
// send, in the person's language. A contact already awaiting an answer is
// not asked twice: its e-mail comes back with the first deadline.
// Archived and restricted contacts are refused (ErrArchived,
// ErrRestricted): they are not to be contacted.
func (s *Store) AskRepermission(ctx context.Context, actor string, ids []int64) ([]Letter, error) {
	p, err := s.Policy(ctx)
	if err != nil {
		return nil, err
	}
	seller, err := sales.New(s.db, s.now).Profile(ctx)
	if err != nil {
		return nil, fmt.Errorf("retention: controller: %w", err)
	}
	controller := rights.Controller(seller).Name
	now := s.now().UTC()
	out := []Letter{}
	err = txn.Write(ctx, s.db, func(tx *sql.Tx) error {
		for _, id := range dedupe(ids) {
			c, err := crm.LoadContact(ctx, tx, id)
			if err != nil {
				return err
			}
			switch {
			case c.DeletedAt != "":
				return crm.ErrNotFound
			case c.Archive != nil:
				return crm.ErrArchived
			case c.Restriction != nil:
				return crm.ErrRestricted
			}
			var deadline string
			const pending = `SELECT deadline FROM retention_repermissions
				WHERE contact_id = ? AND answer = '' AND deadline > ? ORDER BY id DESC LIMIT 1`
			err = tx.QueryRowContext(ctx, pending, id, stamp(now)).Scan(&deadline)
			if errors.Is(err, sql.ErrNoRows) {
				deadline = stamp(now.AddDate(0, 0, p.RepermissionDays))
				const ins = `INSERT INTO retention_repermissions (contact_id, asked_at, deadline) VALUES (?, ?, ?)`
				if _, err := tx.ExecContext(ctx, ins, id, stamp(now), deadline); err != nil {
					return fmt.Errorf("retention: re-permission %d: %w", id, err)
				}
				err = privacy.LogTx(ctx, tx, now, actor, "retention.repermission", "contact", id, map[string]any{"deadline": deadline[:10]})
			}
			if err != nil {
				return fmt.Errorf("retention: re-permission %d: %w", id, err)
			}
			months := p.ProspectMonths
			if slices.Contains(c.Relationships, crm.Customer) {
				months = p.CustomerMonths
			}
			out = append(out, s.letter(c, controller, months, deadline))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// letter writes the re-permission e-mail in the contact's language.
func (s *Store) letter(c *crm.Contact, controller string, months int, deadline string) Letter {
	lang := c.Language
	if lang == "" || !s.tr.Has(lang) {
		lang = "fr"
	}
	t := func(key string, params map[string]any) string { return s.tr.T(lang, key, params) }
	l := Letter{ContactID: c.ID, Name: strings.TrimSpace(c.GivenName + " " + c.FamilyName), Language: lang, Deadline: deadline}
	if len(c.Emails) > 0 {
		l.To = c.Emails[0].Address
	}
	greeting := t("retention.letter.greeting_anonymous", nil)
	if l.Name != "" {
		greeting = t("retention.letter.greeting", map[string]any{"name": l.Name})
	}
	period := t("retention.period.months", map[string]any{"count": months})
	if months%12 == 0 {
		period = t("retention.period.years", map[string]any{"count": months / 12})
	}
	d, _ := moment(deadline)
	if controller == "" { // no company profile yet
		controller = t("common.our_business", nil)
	}
	l.Topic = t("retention.letter.subject", map[string]any{"controller": controller})
	l.Body = strings.Join([]string{
		greeting,
		t("retention.letter.body", map[string]any{"controller": controller, "period": period, "deadline": s.tr.Format(lang).DateLong(d)}),
		t("retention.letter.closing", map[string]any{"controller": controller}),
	}, "\n\n")
	return l
}

// Answer records the person's answer to their re-permission request: yes
// restarts the clock from now; no makes the contact due for erasure at
// once. A yes after the deadline still counts while the data are there.
func (s *Store) Answer(ctx context.Context, actor string, contactID int64, yes bool) error {
	answer := "no"
	if yes {
		answer = "yes"
	}
	now := s.now().UTC()
	return txn.Write(ctx, s.db, func(tx *sql.Tx) error {
		const q = `UPDATE retention_repermissions SET answer = ?, answered_at = ?
			WHERE id = (SELECT max(id) FROM retention_repermissions WHERE contact_id = ?) AND answer = ''`
		res, err := tx.ExecContext(ctx, q, answer, stamp(now), contactID)
		if err != nil {
			return fmt.Errorf("retention: answer %d: %w", contactID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNoRequest
		}
		return privacy.LogTx(ctx, tx, now, actor, "retention.repermission_answer", "contact", contactID, map[string]any{"answer": answer})
	})
}

// Archive moves contacts to the intermediate archive, for a reason the
// user gives (kept on the contact, not in the log).
func (s *Store) Archive(ctx context.Context, actor string, ids []int64, reason string) error {
	now := s.now()
	return txn.Write(ctx, s.db, func(tx *sql.Tx) error {
		for _, id := range dedupe(ids) {
			if err := crm.ArchiveContactTx(ctx, tx, id, reason, now); err != nil {
				return err
			}
			if err := privacy.LogTx(ctx, tx, now, actor, "retention.archive", "contact", id, nil); err != nil {
				return err
			}
		}
		return nil
	})
}

// Unarchive brings an archived contact back among the active ones.
func (s *Store) Unarchive(ctx context.Context, actor string, id int64) error {
	now := s.now()
	return txn.Write(ctx, s.db, func(tx *sql.Tx) error {
		if err := crm.UnarchiveContactTx(ctx, tx, id); err != nil {
			return err
		}
		return privacy.LogTx(ctx, tx, now, actor, "retention.unarchive", "contact", id, nil)
	})
}

// ApproveErasure checks that every contact is due for erasure now (in a
// group that allows it) and logs the decision with the group; it returns
// the ids to erase with rights.Erase, which this package leaves to the
// caller. When one is not due, nothing is logged and a *NotDueError says
// which.
func (s *Store) ApproveErasure(ctx context.Context, actor string, ids []int64) ([]int64, error) {
	p, err := s.Policy(ctx)
	if err != nil {
		return nil, err
	}
	ids = dedupe(ids)
	now := s.now()
	err = txn.Write(ctx, s.db, func(tx *sql.Tx) error {
		groups, err := sweep(ctx, tx, p, now, contactGroups)
		if err != nil {
			return fmt.Errorf("retention: erasure: %w", err)
		}
		due := dueIn(groups, DecideErase)
		if err := allDue(ids, due); err != nil {
			return err
		}
		for _, id := range ids {
			if err := privacy.LogTx(ctx, tx, now, actor, "retention.erase", "contact", id, map[string]any{"group": due[id]}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}

// EraseDue approves the erasure of contacts whose period has run (see
// ApproveErasure) and erases each through the subject erasure, with its
// legal holds. The caller compacts afterwards (rights.Holder.Compact).
func (s *Store) EraseDue(ctx context.Context, actor string, ids []int64, words privacy.Words) ([]rights.Erasure, error) {
	approved, err := s.ApproveErasure(ctx, actor, ids)
	if err != nil {
		return nil, err
	}
	h := rights.New(s.db, s.now, words)
	out := []rights.Erasure{}
	for _, id := range approved {
		e, err := h.Erase(ctx, id, rights.EraseOptions{Actor: actor})
		if err != nil {
			return out, err
		}
		out = append(out, e)
	}
	return out, nil
}

// DeleteMessages deletes e-mails linked to no contact whose period has
// run, with their addresses, attachments and search entries, and logs
// each. When one is not due (linked to a contact since the sweep), nothing
// is deleted and a *NotDueError says which. Copies on the mail server are
// not touched; sync does not fetch them again (their UIDs are behind it).
func (s *Store) DeleteMessages(ctx context.Context, actor string, ids []int64) (int, error) {
	p, err := s.Policy(ctx)
	if err != nil {
		return 0, err
	}
	ids = dedupe(ids)
	if len(ids) == 0 {
		return 0, nil
	}
	now := s.now()
	err = txn.Write(ctx, s.db, func(tx *sql.Tx) error {
		groups, err := sweep(ctx, tx, p, now, []string{GroupMessages})
		if err != nil {
			return fmt.Errorf("retention: delete messages: %w", err)
		}
		if err := allDue(ids, dueIn(groups, DecideDelete)); err != nil {
			return err
		}
		list, _ := json.Marshal(ids)
		// The mail tables belong to backend/mail, which has no delete by id
		// (yet): these are the two statements of its unindexWhere, search
		// entry first, then the message; its addresses and attachments go
		// with it (ON DELETE CASCADE). They run here so that the check above,
		// the deletion and the audit entries are one transaction.
		for _, q := range []string{
			`DELETE FROM mail_search WHERE rowid IN (SELECT value FROM json_each(?))`,
			`DELETE FROM mail_messages WHERE id IN (SELECT value FROM json_each(?))`,
		} {
			if _, err := tx.ExecContext(ctx, q, string(list)); err != nil {
				return fmt.Errorf("retention: delete messages: %w", err)
			}
		}
		for _, id := range ids {
			if err := privacy.LogTx(ctx, tx, now, actor, "retention.message_delete", "message", id, nil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(ids), nil
}

// dueIn maps the ids due now in groups allowing a decision to their group.
func dueIn(groups []Group, decision string) map[int64]string {
	due := map[int64]string{}
	for _, g := range groups {
		if !slices.Contains(g.Actions, decision) {
			continue
		}
		for _, it := range g.Due {
			due[it.ID] = g.Key
		}
	}
	return due
}

func allDue(ids []int64, due map[int64]string) error {
	var not []int64
	for _, id := range ids {
		if _, ok := due[id]; !ok {
			not = append(not, id)
		}
	}
	if len(not) > 0 {
		return &NotDueError{IDs: not}
	}
	return nil
}

func dedupe(ids []int64) []int64 {
	out := make([]int64, 0, len(ids))
	seen := map[int64]bool{}
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// queryer is what both *sql.DB and *sql.Tx offer for reading.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// moment reads an RFC 3339 time (with or without fractions of a second)
// or a bare date (midnight UTC).
func moment(s string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), true
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, true
	}
	return time.Time{}, false
}

// addMonths adds calendar months the way periods are counted: the same day
// of the month at the same time, or the month's last day when it has no
// such day (29 February + 36 months → 28 February).
func addMonths(t time.Time, n int) time.Time {
	t = t.UTC()
	y, m, d := t.Date()
	first := time.Date(y, m+time.Month(n), 1, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(d, last)-1)
}
