package app

import (
	"context"
	"database/sql"
	"time"

	"carnet/backend/core"
	"carnet/backend/crm"
)

// Activities is bound to the frontend: the timeline of notes, calls and
// meetings about a contact or a company, and the tasks and their
// reminders.
type Activities struct {
	vault *Vault
}

// Timeline returns the activities of a contact or a company.
func (a *Activities) Timeline(contactID, companyID int64) (_ []crm.Activity, err error) {
	defer guard(&err)
	return useDB(a.vault, func(ctx context.Context, db *sql.DB) ([]crm.Activity, error) {
		return crm.New(db, nil).Timeline(ctx, contactID, companyID)
	})
}

// Save adds (ID 0) or updates a note, call, meeting or task.
func (a *Activities) Save(act crm.Activity) (_ int64, err error) {
	defer guard(&err)
	return useCore(a.vault, func(ctx context.Context, c *core.Core) (int64, error) { return c.SaveActivity(ctx, act) })
}

// Delete removes a timeline entry.
func (a *Activities) Delete(id int64) (err error) {
	defer guard(&err)
	return doCore(a.vault, func(ctx context.Context, c *core.Core) error { return c.DeleteActivity(ctx, id) })
}

// SetTaskDone ticks or unticks a task.
func (a *Activities) SetTaskDone(id int64, done bool) (err error) {
	defer guard(&err)
	return doCore(a.vault, func(ctx context.Context, c *core.Core) error { return c.SetTaskDone(ctx, id, done) })
}

// Tasks returns the open tasks due today or overdue (all: every open task).
func (a *Activities) Tasks(all bool) (_ []crm.Activity, err error) {
	defer guard(&err)
	return useDB(a.vault, func(ctx context.Context, db *sql.DB) ([]crm.Activity, error) {
		return crm.New(db, nil).Tasks(ctx, time.Now().Format(time.DateOnly), all)
	})
}

// DueReminders returns the task reminders whose time has come.
func (a *Activities) DueReminders() (_ []crm.Activity, err error) {
	defer guard(&err)
	return useDB(a.vault, func(ctx context.Context, db *sql.DB) ([]crm.Activity, error) {
		return crm.New(db, nil).DueReminders(ctx)
	})
}

// DismissReminder clears a task's reminder.
func (a *Activities) DismissReminder(id int64) (err error) {
	defer guard(&err)
	return doCore(a.vault, func(ctx context.Context, c *core.Core) error { return c.DismissReminder(ctx, id) })
}
