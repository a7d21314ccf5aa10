package crm

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"carnet/backend/txn"
)

// Activity is one entry of a timeline: a note, a call, a meeting or a task.
type Activity struct {
	ID         int64  `json:"id"`
	ContactID  int64  `json:"contactId"` // 0 when about a company only
	CompanyID  int64  `json:"companyId"` // 0 when about a contact only
	Kind       string `json:"kind"`      // note, call, meeting, task
	Title      string `json:"title"`
	Body       string `json:"body"`
	OccurredAt string `json:"occurredAt"` // RFC 3339
	DueOn      string `json:"dueOn"`      // tasks: YYYY-MM-DD
	RemindAt   string `json:"remindAt"`   // tasks: RFC 3339
	DoneAt     string `json:"doneAt"`     // tasks: RFC 3339 once done
	// Who the activity is about, for lists of tasks (read only).
	ContactName string `json:"contactName"`
	CompanyName string `json:"companyName"`
}

// ActivityKinds lists the kinds in display order.
var ActivityKinds = []string{"note", "call", "meeting", "task"}

func (a *Activity) normalize(now time.Time) error {
	a.Title = strings.TrimSpace(a.Title)
	a.Body = strings.TrimRight(a.Body, " \t\r\n")
	known := false
	for _, k := range ActivityKinds {
		known = known || k == a.Kind
	}
	if !known {
		return ErrInvalidKind
	}
	if a.ContactID == 0 && a.CompanyID == 0 {
		return ErrNotFound
	}
	if a.OccurredAt == "" {
		a.OccurredAt = stamp(now)
	} else if t, err := parseMoment(a.OccurredAt); err != nil {
		return fmt.Errorf("%w: %q", ErrInvalidDate, a.OccurredAt)
	} else {
		a.OccurredAt = stamp(t)
	}
	if a.DueOn != "" {
		if _, err := time.Parse(time.DateOnly, a.DueOn); err != nil {
			return fmt.Errorf("%w: due %q", ErrInvalidDate, a.DueOn)
		}
	}
	if a.RemindAt != "" {
		t, err := parseMoment(a.RemindAt)
		if err != nil {
			return fmt.Errorf("%w: reminder %q", ErrInvalidDate, a.RemindAt)
		}
		a.RemindAt = stamp(t)
	}
	if a.Kind != "task" {
		a.DueOn, a.RemindAt, a.DoneAt = "", "", ""
	}
	return nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// AddActivity records a note, call, meeting or task and returns its id.
func (s *Store) AddActivity(ctx context.Context, a Activity) (int64, error) {
	now := s.now()
	if err := a.normalize(now); err != nil {
		return 0, err
	}
	var id int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = insertActivity(ctx, tx, &a, now)
		return err
	})
	return id, err
}

func insertActivity(ctx context.Context, tx queryer, a *Activity, now time.Time) (int64, error) {
	const q = `
		INSERT INTO activities (contact_id, company_id, kind, title, body, occurred_at, due_on, remind_at, done_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`
	ts := stamp(now)
	err := tx.QueryRowContext(ctx, q, nullID(a.ContactID), nullID(a.CompanyID), a.Kind, a.Title, a.Body, a.OccurredAt, a.DueOn, a.RemindAt, a.DoneAt, ts, ts).Scan(&a.ID)
	if err != nil {
		if strings.Contains(err.Error(), "FOREIGN KEY") {
			return 0, ErrNotFound
		}
		return 0, fmt.Errorf("crm: add activity: %w", err)
	}
	return a.ID, addDocument(ctx, tx, searchRowID(kindNote, a.ID), a.Title, a.Body)
}

// UpdateActivity changes an activity's text, dates and done state.
func (s *Store) UpdateActivity(ctx context.Context, a Activity) error {
	now := s.now()
	if err := a.normalize(now); err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		const q = `
			UPDATE activities SET kind = ?, title = ?, body = ?, occurred_at = ?, due_on = ?, remind_at = ?,
				done_at = ?, updated_at = ?
			WHERE id = ?`
		res, err := tx.ExecContext(ctx, q, a.Kind, a.Title, a.Body, a.OccurredAt, a.DueOn, a.RemindAt, a.DoneAt, stamp(now), a.ID)
		if err != nil {
			return fmt.Errorf("crm: update activity %d: %w", a.ID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return setDocument(ctx, tx, searchRowID(kindNote, a.ID), a.Title, a.Body)
	})
}

// SetTaskDone marks a task done (or not done again).
func (s *Store) SetTaskDone(ctx context.Context, id int64, done bool) error {
	v := ""
	if done {
		v = stamp(s.now())
	}
	res, err := txn.On(ctx, s.db).ExecContext(ctx, `UPDATE activities SET done_at = ?, updated_at = ? WHERE id = ? AND kind = 'task'`, v, stamp(s.now()), id)
	if err != nil {
		return fmt.Errorf("crm: task %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// DeleteActivity removes an activity.
func (s *Store) DeleteActivity(ctx context.Context, id int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM activities WHERE id = ?`, id)
		if err != nil {
			return fmt.Errorf("crm: delete activity %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return setDocument(ctx, tx, searchRowID(kindNote, id), "", "")
	})
}

const activityColumns = `
	a.id, coalesce(a.contact_id, 0), coalesce(a.company_id, 0), a.kind, a.title, a.body, a.occurred_at,
	a.due_on, a.remind_at, a.done_at,
	coalesce(trim(c.given_name || ' ' || c.family_name), ''), coalesce(co.name, '')
	FROM activities a
	LEFT JOIN contacts c ON c.id = a.contact_id
	LEFT JOIN companies co ON co.id = a.company_id`

func scanActivities(ctx context.Context, tx queryer, q string, args ...any) ([]Activity, error) {
	out := []Activity{}
	err := each(ctx, tx, q, args, func(r *sql.Rows) error {
		var a Activity
		err := r.Scan(&a.ID, &a.ContactID, &a.CompanyID, &a.Kind, &a.Title, &a.Body, &a.OccurredAt, &a.DueOn, &a.RemindAt, &a.DoneAt, &a.ContactName, &a.CompanyName)
		out = append(out, a)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("crm: activities: %w", err)
	}
	return out, nil
}

// Timeline returns a contact's activities (and those of its companies'
// that name it), newest first, open tasks first.
func (s *Store) Timeline(ctx context.Context, contactID, companyID int64) ([]Activity, error) {
	if (contactID == 0) == (companyID == 0) {
		return nil, errors.New("crm: timeline of one contact or one company")
	}
	col, id := "a.contact_id", contactID
	if companyID != 0 {
		col, id = "a.company_id", companyID
	}
	q := `SELECT ` + activityColumns + ` WHERE ` + col + ` = ?
		ORDER BY (a.kind = 'task' AND a.done_at = '') DESC, a.occurred_at DESC, a.id DESC`
	return scanActivities(ctx, txn.On(ctx, s.db), q, id)
}

// Tasks returns the open tasks due on or before day (YYYY-MM-DD), overdue
// first, and those without a due date last when all is set.
func (s *Store) Tasks(ctx context.Context, day string, all bool) ([]Activity, error) {
	q := `SELECT ` + activityColumns + `
		WHERE a.kind = 'task' AND a.done_at = '' AND (c.id IS NULL OR c.deleted_at IS NULL)
		  AND (a.due_on <> '' AND a.due_on <= ?1 OR ?2)
		ORDER BY a.due_on = '', a.due_on, a.id`
	return scanActivities(ctx, txn.On(ctx, s.db), q, day, all)
}

// DueReminders returns open tasks whose reminder time has come, oldest
// first. A reminder shows until it is dismissed or the task is done.
func (s *Store) DueReminders(ctx context.Context) ([]Activity, error) {
	q := `SELECT ` + activityColumns + `
		WHERE a.kind = 'task' AND a.done_at = '' AND a.remind_at <> '' AND a.remind_at <= ?
		  AND (c.id IS NULL OR c.deleted_at IS NULL)
		ORDER BY a.remind_at, a.id`
	return scanActivities(ctx, txn.On(ctx, s.db), q, stamp(s.now()))
}

// DismissReminder clears a task's reminder; the task stays open.
func (s *Store) DismissReminder(ctx context.Context, id int64) error {
	res, err := txn.On(ctx, s.db).ExecContext(ctx, `UPDATE activities SET remind_at = '', updated_at = ? WHERE id = ? AND kind = 'task'`, stamp(s.now()), id)
	if err != nil {
		return fmt.Errorf("crm: reminder %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}
