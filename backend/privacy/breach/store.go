package breach

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"carnet/backend/i18n"
	"carnet/backend/privacy"
	"carnet/backend/txn"
)

// Store reads and writes the breach register of an unlocked vault.
type Store struct {
	db  *sql.DB
	now func() time.Time
	tr  *i18n.Bundle
}

// New returns a Store on db; now may be nil for the real clock. tr writes
// the notification and the letters.
func New(db *sql.DB, now func() time.Time, tr *i18n.Bundle) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: db, now: now, tr: tr}
}

const breachColumns = `id, occurred_at, discovered_at, nature, description, scope, counts, consequences,
	measures_taken, measures_planned, risk, risk_note, notified_at, notice_reference, late_reason,
	no_notice_reason, people_told_at, people_not_told_reason, created_at, updated_at`

func scanBreach(r interface{ Scan(...any) error }) (Breach, error) {
	var b Breach
	var nature, scope, counts string
	err := r.Scan(&b.ID, &b.OccurredAt, &b.DiscoveredAt, &nature, &b.Description, &scope, &counts, &b.Consequences,
		&b.MeasuresTaken, &b.MeasuresPlanned, &b.Risk, &b.RiskNote, &b.NotifiedAt, &b.NoticeReference, &b.LateReason,
		&b.NoNoticeReason, &b.PeopleToldAt, &b.PeopleNotToldReason, &b.CreatedAt, &b.UpdatedAt)
	if err != nil {
		return b, err
	}
	for _, j := range []struct {
		src string
		dst any
	}{{nature, &b.Nature}, {scope, &b.Scope}, {counts, &b.Counts}} {
		if err := json.Unmarshal([]byte(j.src), j.dst); err != nil {
			return b, err
		}
	}
	if b.Counts.Categories == nil {
		b.Counts.Categories = []Count{}
	}
	b.Complements = []Complement{}
	return b, nil
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// Save records a new breach (ID 0) or its next state. The people and
// records concerned are counted again when the scope changed. Every save
// is in the audit log (the names of the fields changed, never their
// values); the first notification, the reason for not notifying and the
// telling of the people are logged as such.
func (s *Store) Save(ctx context.Context, actor string, b Breach) (Breach, error) {
	now := s.now()
	if err := b.check(now); err != nil {
		return b, err
	}
	var before *Breach
	if b.ID != 0 {
		cur, err := s.Breach(ctx, b.ID)
		if err != nil {
			return b, err
		}
		before = &cur
		b.Counts, b.Complements, b.CreatedAt = cur.Counts, cur.Complements, cur.CreatedAt
	}
	if before == nil || jsonText(before.Scope) != jsonText(b.Scope) {
		var err error
		if b.Scope, err = s.pinScope(ctx, b.Scope); err != nil {
			return b, err
		}
		if b.Counts, err = s.count(ctx, b.Scope); err != nil {
			return b, err
		}
	}
	err := txn.Write(ctx, s.db, func(tx *sql.Tx) error {
		ts := stamp(now)
		b.UpdatedAt = ts
		args := []any{b.OccurredAt, b.DiscoveredAt, jsonText(b.Nature), b.Description, jsonText(b.Scope), jsonText(b.Counts),
			b.Consequences, b.MeasuresTaken, b.MeasuresPlanned, b.Risk, b.RiskNote, b.NotifiedAt, b.NoticeReference,
			b.LateReason, b.NoNoticeReason, b.PeopleToldAt, b.PeopleNotToldReason, ts}
		action, detail := "breach.create", map[string]any{}
		if before == nil {
			b.CreatedAt = ts
			res, err := tx.ExecContext(ctx, `INSERT INTO breaches (occurred_at, discovered_at, nature, description, scope, counts,
				consequences, measures_taken, measures_planned, risk, risk_note, notified_at, notice_reference, late_reason,
				no_notice_reason, people_told_at, people_not_told_reason, updated_at, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, append(args, ts)...)
			if err != nil {
				return err
			}
			b.ID, _ = res.LastInsertId()
			detail["people"] = b.Counts.People
		} else {
			_, err := tx.ExecContext(ctx, `UPDATE breaches SET occurred_at = ?, discovered_at = ?, nature = ?, description = ?,
				scope = ?, counts = ?, consequences = ?, measures_taken = ?, measures_planned = ?, risk = ?, risk_note = ?,
				notified_at = ?, notice_reference = ?, late_reason = ?, no_notice_reason = ?, people_told_at = ?,
				people_not_told_reason = ?, updated_at = ? WHERE id = ?`, append(args, b.ID)...)
			if err != nil {
				return err
			}
			action, detail["fields"] = "breach.edit", privacy.ChangedFields(stored(*before), stored(b))
		}
		detail["risk"] = b.Risk
		if err := privacy.LogTx(ctx, tx, now, actor, action, "breach", b.ID, detail); err != nil {
			return err
		}
		// Milestones are logged as such, so the log alone tells the story.
		for _, m := range []struct {
			action      string
			was, is     string
			detailKey   string
			detailValue any
		}{
			{"breach.notify", field(before, func(b *Breach) string { return b.NotifiedAt }), b.NotifiedAt, "late", b.LateReason != ""},
			{"breach.no_notice", field(before, func(b *Breach) string { return b.NoNoticeReason }), b.NoNoticeReason, "", nil},
			{"breach.people_told", field(before, func(b *Breach) string { return b.PeopleToldAt }), b.PeopleToldAt, "people", b.Counts.People},
		} {
			if m.was == "" && m.is != "" {
				d := map[string]any{}
				if m.detailKey != "" {
					d[m.detailKey] = m.detailValue
				}
				if err := privacy.LogTx(ctx, tx, now, actor, m.action, "breach", b.ID, d); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return b, fmt.Errorf("breach: save: %w", err)
	}
	b.derive(now)
	return b, nil
}

// stored is a breach without what is derived or kept apart, to compare
// versions.
func stored(b Breach) Breach {
	b.Reference, b.Deadline, b.Clock, b.HoursLeft, b.Late, b.Complements = "", "", "", 0, false, nil
	return b
}

func field(b *Breach, get func(*Breach) string) string {
	if b == nil {
		return ""
	}
	return get(b)
}

// Recount counts the people and records of a breach's scope again, as the
// vault holds them now; logged.
func (s *Store) Recount(ctx context.Context, actor string, id int64) (Breach, error) {
	b, err := s.Breach(ctx, id)
	if err != nil {
		return b, err
	}
	if b.Counts, err = s.count(ctx, b.Scope); err != nil {
		return b, err
	}
	now := s.now()
	err = txn.Write(ctx, s.db, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE breaches SET counts = ?, updated_at = ? WHERE id = ?`, jsonText(b.Counts), stamp(now), id); err != nil {
			return err
		}
		return privacy.LogTx(ctx, tx, now, actor, "breach.recount", "breach", id, map[string]any{"people": b.Counts.People})
	})
	if err != nil {
		return b, fmt.Errorf("breach: recount %d: %w", id, err)
	}
	return b, nil
}

// AddComplement appends information sent to the CNIL after the initial
// notification (Art. 33(4)). Complements are never changed.
func (s *Store) AddComplement(ctx context.Context, actor string, id int64, c Complement) (Breach, error) {
	b, err := s.Breach(ctx, id)
	if err != nil {
		return b, err
	}
	if b.NotifiedAt == "" {
		return b, ErrNotNotified
	}
	c.Summary = strings.TrimSpace(c.Summary)
	if c.Summary == "" {
		return b, ErrNoSummary
	}
	now := s.now()
	if c.SentAt == "" {
		c.SentAt = stamp(now)
	}
	sent, err := parseMoment(c.SentAt)
	if err != nil {
		return b, err
	}
	notified, _ := parseMoment(b.NotifiedAt)
	switch {
	case sent.After(now.Add(time.Minute)):
		return b, ErrFuture
	case sent.Before(notified):
		return b, ErrNotNotified
	}
	c.SentAt = stamp(sent)
	err = txn.Write(ctx, s.db, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO breach_complements (breach_id, sent_at, summary, created_at) VALUES (?, ?, ?, ?)`,
			id, c.SentAt, c.Summary, stamp(now))
		if err != nil {
			return err
		}
		cid, _ := res.LastInsertId()
		if _, err := tx.ExecContext(ctx, `UPDATE breaches SET updated_at = ? WHERE id = ?`, stamp(now), id); err != nil {
			return err
		}
		return privacy.LogTx(ctx, tx, now, actor, "breach.complement", "breach", id, map[string]any{"complement": cid})
	})
	if err != nil {
		return b, fmt.Errorf("breach: complement %d: %w", id, err)
	}
	return s.Breach(ctx, id)
}

// Breach returns one breach with its complements, or ErrUnknownBreach.
func (s *Store) Breach(ctx context.Context, id int64) (Breach, error) {
	b, err := scanBreach(txn.On(ctx, s.db).QueryRowContext(ctx, `SELECT `+breachColumns+` FROM breaches WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return b, ErrUnknownBreach
	}
	if err != nil {
		return b, fmt.Errorf("breach: %d: %w", id, err)
	}
	rows, err := txn.On(ctx, s.db).QueryContext(ctx, `SELECT id, sent_at, summary FROM breach_complements WHERE breach_id = ? ORDER BY id`, id)
	if err != nil {
		return b, fmt.Errorf("breach: %d complements: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var c Complement
		if err := rows.Scan(&c.ID, &c.SentAt, &c.Summary); err != nil {
			return b, fmt.Errorf("breach: %d complements: %w", id, err)
		}
		b.Complements = append(b.Complements, c)
	}
	if err := rows.Err(); err != nil {
		return b, err
	}
	b.derive(s.now())
	return b, nil
}

// Breaches lists the register, the most recently discovered first.
// Complements are read with each breach (Breach).
func (s *Store) Breaches(ctx context.Context) ([]Breach, error) {
	rows, err := txn.On(ctx, s.db).QueryContext(ctx, `SELECT `+breachColumns+` FROM breaches ORDER BY discovered_at DESC, id DESC`)
	if err != nil {
		return nil, fmt.Errorf("breach: register: %w", err)
	}
	defer rows.Close()
	now := s.now()
	out := []Breach{}
	for rows.Next() {
		b, err := scanBreach(rows)
		if err != nil {
			return nil, fmt.Errorf("breach: register: %w", err)
		}
		b.derive(now)
		out = append(out, b)
	}
	return out, rows.Err()
}

// Pending returns the breaches whose 72-hour clock runs at now (not
// notified, and no reason for not notifying), the nearest deadline first.
func (s *Store) Pending(ctx context.Context, now time.Time) ([]Clock, error) {
	const q = `SELECT id, discovered_at, description, risk FROM breaches
		WHERE notified_at = '' AND no_notice_reason = '' ORDER BY discovered_at, id`
	rows, err := txn.On(ctx, s.db).QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("breach: pending: %w", err)
	}
	defer rows.Close()
	out := []Clock{}
	for rows.Next() {
		var c Clock
		var description string
		if err := rows.Scan(&c.ID, &c.DiscoveredAt, &description, &c.Risk); err != nil {
			return nil, fmt.Errorf("breach: pending: %w", err)
		}
		discovered, err := parseMoment(c.DiscoveredAt)
		if err != nil {
			continue
		}
		deadline := discovered.Add(Deadline)
		c.Reference, c.Summary = reference(discovered, c.ID), firstLine(description, 80)
		c.Deadline, c.HoursLeft, c.Late = stamp(deadline), hoursLeft(deadline, now), now.After(deadline)
		out = append(out, c)
	}
	return out, rows.Err()
}
