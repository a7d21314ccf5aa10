package rights

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"carnet/backend/crm"
	"carnet/backend/mail"
	"carnet/backend/privacy"
	"carnet/backend/privacy/suppress"
	"carnet/backend/sales"
	"carnet/backend/txn"
)

// EraseOptions say who erases and for which request.
type EraseOptions struct {
	Actor     string
	RequestID int64 // the erasure request this answers, 0 if none
	// Reapplies is the certificate of an erasure this one carries out
	// again, on a vault restored from an older copy (Reapply).
	Reapplies string
}

// Erasure is a carried-out erasure.
type Erasure struct {
	ID          int64  `json:"id"`
	Certificate string `json:"certificate"` // its number, "E-2026-0007"
	ErasedAt    string `json:"erasedAt"`
	RequestID   int64  `json:"requestId"`
	Plan        Plan   `json:"plan"`
}

// errDryRun rolls back a preview.
var errDryRun = errors.New("subject: dry run")

// Preview returns what erasing the contact would erase and keep. It runs
// the erasure itself in a transaction that is rolled back, so the preview
// is exactly what Erase will do.
func (h *Holder) Preview(ctx context.Context, id int64) (Plan, error) {
	var plan Plan
	if err := h.seedPurposes(ctx); err != nil {
		return plan, err
	}
	err := txn.Write(ctx, h.db, func(tx *sql.Tx) error {
		var err error
		if plan, err = h.erase(ctx, tx, id, EraseOptions{}, nil); err != nil {
			return err
		}
		return errDryRun
	})
	if errors.Is(err, errDryRun) {
		err = nil
	}
	return plan, err
}

// Erase erases the contact everywhere except where the law requires
// keeping something (see Plan.Keep), in one transaction. Call Compact
// after it so no trace of the removed words is left in the file.
func (h *Holder) Erase(ctx context.Context, id int64, opts EraseOptions) (Erasure, error) {
	var out Erasure
	// Opened first: on first use it stores its key, which must not wait
	// for the erasure's own transaction.
	list, err := suppress.Open(ctx, h.db)
	if err != nil {
		return out, err
	}
	if err := h.seedPurposes(ctx); err != nil {
		return out, err
	}
	err = txn.Write(ctx, h.db, func(tx *sql.Tx) error {
		plan, err := h.erase(ctx, tx, id, opts, list)
		if err != nil {
			return err
		}
		out.Plan, out.RequestID = plan, opts.RequestID
		out.ErasedAt = h.now().UTC().Format(time.RFC3339)
		plan.Name = "" // never stored
		summary, _ := json.Marshal(erasureSummary{plan.Erase, plan.Keep, plan.Since})
		recipients, _ := json.Marshal(plan.Recipients)
		const q = `INSERT INTO erasures (contact_id, request_id, erased_at, erased_by, summary, recipients) VALUES (?, ?, ?, ?, ?, ?)`
		res, err := tx.ExecContext(ctx, q, id, nullID(opts.RequestID), out.ErasedAt, opts.Actor, string(summary), string(recipients))
		if err != nil {
			return fmt.Errorf("subject: erase %d: %w", id, err)
		}
		out.ID, _ = res.LastInsertId()
		out.Certificate = certificateNumber(out.ErasedAt, out.ID)
		detail := map[string]any{"certificate": out.Certificate}
		for _, it := range plan.Erase {
			detail[it.What] = it.Count
		}
		if opts.RequestID != 0 {
			detail["request"] = opts.RequestID
		}
		if opts.Reapplies != "" {
			detail["reapplies"] = opts.Reapplies
		}
		return privacy.LogTx(ctx, tx, h.now(), opts.Actor, "contact.erase", "contact", id, detail)
	})
	if err != nil {
		return out, err
	}
	return out, nil
}

// Compact removes the traces an erasure leaves in the database file: it
// merges the full-text indexes (deleted entries stay in their segments
// until a merge) and empties the write-ahead log. Deleted rows themselves
// are zeroed at once (the vault runs with secure_delete). It cannot run
// inside a transaction: backend/core runs it right after the erasure's
// commit (about a second on a large vault), for the window and the command
// line alike.
//
// A checkpoint that a reader holds back (a read transaction still open on
// an older snapshot) is no error for SQLite: it says so in its result row.
// Then the erased rows' old pages may remain in the write-ahead log, and
// Compact returns ErrNotCheckpointed.
func (h *Holder) Compact(ctx context.Context) error {
	q := txn.On(ctx, h.db)
	for _, s := range []string{
		`INSERT INTO search (search) VALUES ('optimize')`,
		`INSERT INTO mail_search (mail_search) VALUES ('optimize')`,
	} {
		if _, err := q.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("subject: compact after erasure: %w", err)
		}
	}
	var busy, log, done int
	if err := q.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &log, &done); err != nil {
		return fmt.Errorf("subject: compact after erasure: %w", err)
	}
	if busy != 0 || log != done {
		return fmt.Errorf("subject: compact after erasure: %w (%d of %d pages)", ErrNotCheckpointed, done, log)
	}
	return nil
}

// ErrNotCheckpointed is a checkpoint held back by a reader: the
// write-ahead log still holds pages the erasure replaced.
var ErrNotCheckpointed = errors.New("the write-ahead log could not be emptied: a read was in progress")

// erasureSummary is the JSON of erasures.summary.
type erasureSummary struct {
	Erase []Item `json:"erase"`
	Keep  []Hold `json:"keep"`
	// Since is when the vault first held the person (firstRecorded):
	// copies made from then until the erasure may hold them. Absent from
	// erasures made before it was recorded.
	Since string `json:"since,omitempty"`
}

func certificateNumber(at string, id int64) string {
	return fmt.Sprintf("E-%s-%04d", at[:4], id)
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// erase does the work of Preview and Erase in tx; the addresses go on the
// suppression list when one is given (not for a preview).
func (h *Holder) erase(ctx context.Context, tx *sql.Tx, id int64, opts EraseOptions, list *suppress.List) (Plan, error) {
	plan := Plan{ContactID: id, Erase: []Item{}, Keep: []Hold{}, Recipients: []Recipient{}, MailAccounts: []string{}}
	c, err := crm.LoadContact(ctx, tx, id)
	if err != nil {
		return plan, err
	}
	plan.Name, plan.Restricted = c.DisplayName(), c.Restriction != nil
	ids, err := crm.IdentifiersOf(ctx, tx, id)
	if err != nil {
		return plan, err
	}
	emails := ids.AllEmails()
	if plan.MailAccounts, err = mail.AccountsOf(ctx, tx, emails); err != nil {
		return plan, err
	}
	firstMail, err := mail.FirstMessageOf(ctx, tx, emails)
	if err != nil {
		return plan, err
	}
	plan.Since = firstRecorded(c.CreatedAt, firstMail)

	pr, err := privacy.EraseContactTx(ctx, tx, id)
	if err != nil {
		return plan, err
	}
	me, err := mail.EraseAddressesTx(ctx, tx, emails)
	if err != nil {
		return plan, err
	}
	docs, err := sales.DocumentsOf(ctx, tx, id)
	if err != nil {
		return plan, err
	}
	se, err := sales.EraseContactTx(ctx, tx, id)
	if err != nil {
		return plan, err
	}
	// What an erasure wipes from the contact tables is crm's to say, in
	// one place (crm.EraseContactTx, which counts what went for the
	// certificate); this package holds no SQL on those tables.
	ce, err := crm.EraseContactTx(ctx, tx, id, h.now())
	if err != nil {
		return plan, err
	}
	if list != nil {
		for _, e := range emails {
			if err := list.Add(ctx, tx, e, suppress.AllPurposes, suppress.ReasonErasure, opts.RequestID, h.now()); err != nil {
				return plan, err
			}
		}
	}

	add := func(what string, n int) {
		if n > 0 {
			plan.Erase = append(plan.Erase, Item{What: what, Count: n})
		}
	}
	add("contact", 1)
	add("emails", ce.Emails)
	add("phones", ce.Phones)
	add("addresses", ce.Addresses)
	add("companies", ce.Companies)
	add("tags", ce.Tags)
	add("fields", ce.Fields)
	add("notes", ce.Notes)
	add("tasks", ce.Tasks)
	add("identifiers", ce.Identifiers)
	add("messages", me.Messages)
	add("attachments", me.Attachments)
	add("outbox", me.Outbox)
	add("documentsDeleted", se.Deleted)
	add("documentsDetached", se.Detached)
	add("consentEvidence", pr.Evidence)

	until := ""
	for _, d := range docs {
		if d.Fate == "keep" && d.KeptUntil > until {
			until = d.KeptUntil
		}
	}
	keep := func(what string, n int, reason, until string) {
		if n > 0 {
			plan.Keep = append(plan.Keep, Hold{What: what, Count: n, Reason: reason, Until: until})
		}
	}
	keep("invoices", se.Sealed, "accounting", until)
	keep("consentProof", pr.Ledger, "proof", "")
	keep("suppression", len(emails), "neverAgain", "")
	keep("requests", pr.Requests, "accountability", "")
	keep("audit", pr.Audit, "auditTrail", "")

	if plan.Recipients, err = h.recipients(ctx); err != nil {
		return plan, err
	}
	return plan, nil
}

// seedPurposes writes the register's default purposes if the vault has
// none yet, outside the erasure's transaction: recipients reads them
// inside it, and the first read writes them (a second writer would wait
// for the erasure's own lock). A vault restored from an old backup may
// never have had them.
func (h *Holder) seedPurposes(ctx context.Context) error {
	if _, err := privacy.New(h.db, h.now).Purposes(ctx, h.words); err != nil {
		return fmt.Errorf("subject: purposes: %w", err)
	}
	return nil
}

// recipients lists the register's recipients, each with the purposes for
// which data go to it: those to tell of an erasure (Art. 19).
func (h *Holder) recipients(ctx context.Context) ([]Recipient, error) {
	purposes, err := privacy.New(h.db, h.now).Purposes(ctx, h.words)
	if err != nil {
		return nil, fmt.Errorf("subject: recipients: %w", err)
	}
	out := []Recipient{}
	at := map[string]int{}
	for _, p := range purposes {
		for _, r := range p.Recipients {
			i, ok := at[r.Name]
			if !ok {
				i = len(out)
				at[r.Name] = i
				out = append(out, Recipient{Name: r.Name, Kind: r.Kind, Country: r.Country, Purposes: []string{}})
			}
			out[i].Purposes = append(out[i].Purposes, p.Name)
		}
	}
	return out, nil
}

// Object records an objection (Art. 21) to one purpose: every address the
// contact has or had goes on the suppression list for it, so bulk mail for
// that purpose leaves them out whatever the ledger says.
func (h *Holder) Object(ctx context.Context, id int64, purpose string, opts EraseOptions) error {
	list, err := suppress.Open(ctx, h.db)
	if err != nil {
		return err
	}
	return txn.Write(ctx, h.db, func(tx *sql.Tx) error {
		if _, err := crm.LoadContact(ctx, tx, id); err != nil {
			return err
		}
		var known int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM privacy_purposes WHERE key = ?`, purpose).Scan(&known); err != nil || known == 0 {
			return fmt.Errorf("%w: %q", privacy.ErrUnknownPurpose, purpose)
		}
		ids, err := crm.IdentifiersOf(ctx, tx, id)
		if err != nil {
			return err
		}
		emails := ids.AllEmails()
		if len(emails) == 0 {
			return ErrNoAddress
		}
		for _, e := range emails {
			if err := list.Add(ctx, tx, e, purpose, suppress.ReasonObjection, opts.RequestID, h.now()); err != nil {
				return err
			}
		}
		return privacy.LogTx(ctx, tx, h.now(), opts.Actor, "contact.object", "contact", id, map[string]any{"purpose": purpose, "addresses": len(emails)})
	})
}

// ErrNoAddress: an objection needs an e-mail address to put on the
// suppression list.
var ErrNoAddress = errors.New("subject: the contact has no e-mail address")

// ErrUnknownErasure: no erasure has this id.
var ErrUnknownErasure = errors.New("subject: no such erasure")

// Certificate reads back what an erasure's certificate states; the caller
// adds the name the requester gave.
func (h *Holder) Certificate(ctx context.Context, erasureID int64) (Certificate, error) {
	var c Certificate
	var summary, recipients string
	var requestID sql.NullInt64
	const q = `SELECT erased_at, request_id, summary, recipients FROM erasures WHERE id = ?`
	err := txn.On(ctx, h.db).QueryRowContext(ctx, q, erasureID).Scan(&c.ErasedAt, &requestID, &summary, &recipients)
	if errors.Is(err, sql.ErrNoRows) {
		return c, ErrUnknownErasure
	}
	if err != nil {
		return c, fmt.Errorf("subject: erasure %d: %w", erasureID, err)
	}
	c.Number = certificateNumber(c.ErasedAt, erasureID)
	var sum erasureSummary
	json.Unmarshal([]byte(summary), &sum)
	c.Erase, c.Keep, c.Since = sum.Erase, sum.Keep, sum.Since
	json.Unmarshal([]byte(recipients), &c.Recipients)
	if requestID.Valid {
		txn.On(ctx, h.db).QueryRowContext(ctx, `SELECT received_on FROM privacy_requests WHERE id = ?`, requestID.Int64).Scan(&c.ReceivedOn)
	}
	if c.Controller, c.DPO, err = h.parties(ctx); err != nil {
		return c, err
	}
	return c, nil
}

// Informed records the day a recipient was told of the erasure (Art. 19);
// an empty day clears it.
func (h *Holder) Informed(ctx context.Context, erasureID int64, name, day string) error {
	if day != "" {
		if _, err := time.Parse(time.DateOnly, day); err != nil {
			return fmt.Errorf("%w: %q", privacy.ErrBadDate, day)
		}
	}
	return txn.Write(ctx, h.db, func(tx *sql.Tx) error {
		var raw string
		err := tx.QueryRowContext(ctx, `SELECT recipients FROM erasures WHERE id = ?`, erasureID).Scan(&raw)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrUnknownErasure
		}
		if err != nil {
			return fmt.Errorf("subject: erasure %d: %w", erasureID, err)
		}
		var list []Recipient
		json.Unmarshal([]byte(raw), &list)
		found := false
		for i := range list {
			if list[i].Name == name {
				list[i].Informed, found = day, true
			}
		}
		if !found {
			return ErrUnknownErasure
		}
		b, _ := json.Marshal(list)
		_, err = tx.ExecContext(ctx, `UPDATE erasures SET recipients = ? WHERE id = ?`, string(b), erasureID)
		return err
	})
}
