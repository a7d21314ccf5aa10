package privacy

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	"carnet/backend/crm"
	"carnet/backend/txn"
)

// AuditEntry is one line of the audit log.
type AuditEntry struct {
	ID          int64  `json:"id"`
	At          string `json:"at"`
	Actor       string `json:"actor"`
	Action      string `json:"action"`
	SubjectKind string `json:"subjectKind"`
	SubjectID   int64  `json:"subjectId"`
	// SubjectName is the contact's name as it is now, looked up when the
	// log is read ("" once erased): the log itself keeps only the id.
	SubjectName string         `json:"subjectName"`
	Detail      map[string]any `json:"detail"`
}

// Log appends to the audit log. detail must hold no personal data: field
// names, counts, formats, record ids.
func (s *Store) Log(ctx context.Context, actor, action, kind string, id int64, detail map[string]any) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		return logTx(ctx, tx, s.now(), actor, action, kind, id, detail)
	})
}

// LogTx appends to the audit log inside the caller's transaction, so the
// entry exists exactly when the change it records does.
func LogTx(ctx context.Context, tx *sql.Tx, now time.Time, actor, action, kind string, id int64, detail map[string]any) error {
	return logTx(ctx, tx, now, actor, action, kind, id, detail)
}

func logTx(ctx context.Context, tx *sql.Tx, now time.Time, actor, action, kind string, id int64, detail map[string]any) error {
	if detail == nil {
		detail = map[string]any{}
	}
	d, err := json.Marshal(detail) // map keys are sorted: the same detail always hashes the same
	if err != nil {
		return err
	}
	prev, err := lastHash(ctx, tx, "audit_log")
	if err != nil {
		return err
	}
	at := stamp(now)
	hash := chainHash(prev, auditFields(at, actor, action, kind, id, string(d))...)
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_log (at, actor, action, subject_kind, subject_id, detail, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, at, actor, action, kind, id, string(d), prev, hash); err != nil {
		return fmt.Errorf("privacy: audit log: %w", err)
	}
	return nil
}

func auditFields(at, actor, action, kind string, id int64, detail string) []string {
	return []string{at, actor, action, kind, strconv.FormatInt(id, 10), detail}
}

// AuditQuery filters the audit log.
type AuditQuery struct {
	SubjectKind string `json:"subjectKind"`
	SubjectID   int64  `json:"subjectId"`
	Action      string `json:"action"` // a prefix: "contact." or "export"
	From        string `json:"from"`   // dates (YYYY-MM-DD), inclusive
	To          string `json:"to"`
	Limit       int    `json:"limit"`
	BeforeID    int64  `json:"beforeId"` // paging: entries older than this one
}

// Audit lists log entries, newest first.
func (s *Store) Audit(ctx context.Context, q AuditQuery) ([]AuditEntry, error) {
	where, args := "1", []any{}
	if q.SubjectKind != "" {
		where += " AND subject_kind = ?"
		args = append(args, q.SubjectKind)
	}
	if q.SubjectID != 0 {
		where += " AND subject_id = ?"
		args = append(args, q.SubjectID)
	}
	if q.Action != "" {
		where += " AND action LIKE ? ESCAPE '\\'"
		args = append(args, escapeLike(q.Action)+"%")
	}
	if q.From != "" {
		where += " AND at >= ?"
		args = append(args, q.From)
	}
	if q.To != "" {
		where += " AND at < ?"
		args = append(args, q.To+"T99") // the whole day
	}
	if q.BeforeID != 0 {
		where += " AND id < ?"
		args = append(args, q.BeforeID)
	}
	if q.Limit <= 0 || q.Limit > 1000 {
		q.Limit = 200
	}
	args = append(args, q.Limit)
	db := txn.On(ctx, s.db)
	rows, err := db.QueryContext(ctx, `SELECT a.id, a.at, a.actor, a.action, a.subject_kind, a.subject_id, a.detail
		FROM audit_log a WHERE `+where+` ORDER BY a.id DESC LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("privacy: audit: %w", err)
	}
	defer rows.Close()
	out := []AuditEntry{}
	var contacts []int64
	for rows.Next() {
		var e AuditEntry
		var d string
		if err := rows.Scan(&e.ID, &e.At, &e.Actor, &e.Action, &e.SubjectKind, &e.SubjectID, &d); err != nil {
			return nil, err
		}
		json.Unmarshal([]byte(d), &e.Detail)
		out = append(out, e)
		if e.SubjectKind == "contact" {
			contacts = append(contacts, e.SubjectID)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("privacy: audit: %w", err)
	}
	rows.Close()
	// Names as the contacts are now, whatever their state (crm.Every): an
	// erased one's is empty.
	names, err := crm.States(ctx, db, contacts, crm.Every)
	if err != nil {
		return nil, fmt.Errorf("privacy: audit: %w", err)
	}
	for i, e := range out {
		if e.SubjectKind == "contact" {
			out[i].SubjectName = names[e.SubjectID].Name
		}
	}
	return out, nil
}

func escapeLike(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' || s[i] == '_' || s[i] == '\\' {
			out = append(out, '\\')
		}
		out = append(out, s[i])
	}
	return string(out)
}

// VerifyAudit recomputes the audit log's chain.
func (s *Store) VerifyAudit(ctx context.Context) (ChainStatus, error) {
	return verifyChain(ctx, s.db, `SELECT id, at, actor, action, subject_kind, subject_id, detail, prev_hash, hash FROM audit_log ORDER BY id`,
		func(r *sql.Rows) (int64, string, string, []string, error) {
			var id, subject int64
			var at, actor, action, kind, detail, prev, hash string
			err := r.Scan(&id, &at, &actor, &action, &kind, &subject, &detail, &prev, &hash)
			return id, prev, hash, auditFields(at, actor, action, kind, subject, detail), err
		})
}

// ChangedFields names the fields that differ between two versions of a
// record (the audit log keeps names, never values).
func ChangedFields(before, after any) []string {
	var a, b map[string]json.RawMessage
	ja, _ := json.Marshal(before)
	jb, _ := json.Marshal(after)
	json.Unmarshal(ja, &a)
	json.Unmarshal(jb, &b)
	out := []string{}
	for k, v := range b {
		if k == "updatedAt" || k == "createdAt" || k == "deletedAt" {
			continue // bookkeeping, not an edit
		}
		if string(a[k]) != string(v) {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}
