package privacy

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"carnet/backend/crm"
	"carnet/backend/privacy/suppress"
	"carnet/backend/txn"
)

// Channels through which a person may be contacted.
var Channels = []string{"email", "phone", "sms", "post"}

// Collection methods: how a consent, refusal or withdrawal was received.
var Methods = []string{"form", "paper", "phone", "email", "in_person", "import"}

// Entry is one line of the consent ledger.
type Entry struct {
	ID              int64  `json:"id"`
	ContactID       int64  `json:"contactId"`
	Purpose         string `json:"purpose"` // purpose key
	Channel         string `json:"channel"`
	Action          string `json:"action"` // grant, refuse, withdraw
	Wording         string `json:"wording"`
	WordingVersion  string `json:"wordingVersion"`
	Method          string `json:"method"`
	Evidence        string `json:"evidence"`
	EvidenceName    string `json:"evidenceName"`
	EvidenceFile    []byte `json:"evidenceFile,omitempty"`
	EvidenceMessage int64  `json:"evidenceMessage"`
	HasFile         bool   `json:"hasFile"`
	RecordedBy      string `json:"recordedBy"`
	OccurredAt      string `json:"occurredAt"`
	RecordedAt      string `json:"recordedAt"`
	Hash            string `json:"hash"`
}

// Ledger errors.
var (
	ErrUnknownPurpose    = errors.New("privacy: unknown purpose")
	ErrBadChannel        = errors.New("privacy: unknown channel")
	ErrBadAction         = errors.New("privacy: unknown action")
	ErrBadMethod         = errors.New("privacy: unknown collection method")
	ErrNoWording         = errors.New("privacy: the wording shown to the person is required")
	ErrNoContact         = errors.New("privacy: no such contact")
	ErrFutureConsent     = errors.New("privacy: a consent cannot be dated in the future")
	ErrNothingToWithdraw = errors.New("privacy: there is no current consent to withdraw")
	ErrNoEvidenceFile    = errors.New("privacy: no file is attached to this entry")
)

func oneOf(v string, list []string) bool {
	for _, x := range list {
		if v == x {
			return true
		}
	}
	return false
}

// Record appends a grant, refusal or withdrawal to the ledger. There is
// no other way to make a consent: nothing is ever granted by default.
func (s *Store) Record(ctx context.Context, e Entry) (Entry, error) {
	e.Wording, e.WordingVersion = strings.TrimSpace(e.Wording), strings.TrimSpace(e.WordingVersion)
	e.RecordedBy = strings.TrimSpace(e.RecordedBy)
	switch {
	case !oneOf(e.Channel, Channels):
		return e, ErrBadChannel
	case e.Action != "grant" && e.Action != "refuse" && e.Action != "withdraw":
		return e, ErrBadAction
	case !oneOf(e.Method, Methods):
		return e, ErrBadMethod
	case e.Wording == "" && e.Action != "withdraw":
		return e, ErrNoWording
	}
	now := s.now()
	e.RecordedAt = stamp(now)
	if e.OccurredAt == "" {
		e.OccurredAt = e.RecordedAt
	} else {
		t, err := parseMoment(e.OccurredAt)
		if err != nil {
			return e, fmt.Errorf("privacy: date %q: %w", e.OccurredAt, err)
		}
		if t.After(now.Add(time.Minute)) {
			return e, ErrFutureConsent
		}
		e.OccurredAt = stamp(t)
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		// Any id will do, erased included (crm.Every): the ledger is the
		// proof of consents given (Art. 7(1)), kept after an erasure.
		if ok, err := crm.InScope(ctx, tx, e.ContactID, crm.Every); err != nil || !ok {
			return ErrNoContact
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM privacy_purposes WHERE key = ?`, e.Purpose).Scan(&n); err != nil || n == 0 {
			return fmt.Errorf("%w: %q", ErrUnknownPurpose, e.Purpose)
		}
		if e.Action == "withdraw" {
			cur, err := currentAction(ctx, tx, e.ContactID, e.Purpose, e.Channel)
			if err != nil {
				return err
			}
			if cur != "grant" {
				return ErrNothingToWithdraw
			}
			if e.Wording == "" {
				e.Wording = "-"
			}
		}
		prev, err := lastHash(ctx, tx, "consent_ledger")
		if err != nil {
			return err
		}
		evSHA := sha(e.Evidence + "\x00" + e.EvidenceName + "\x00" + string(e.EvidenceFile))
		e.Hash = chainHash(prev, ledgerFields(e.ContactID, e.Purpose, e.Channel, e.Action, e.Wording, e.WordingVersion, e.Method,
			e.EvidenceMessage, evSHA, e.RecordedBy, e.OccurredAt, e.RecordedAt)...)
		var msg any
		if e.EvidenceMessage != 0 {
			msg = e.EvidenceMessage
		}
		var file any
		if len(e.EvidenceFile) > 0 {
			file = e.EvidenceFile
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO consent_ledger (contact_id, purpose_key, channel, action, wording, wording_version,
			method, evidence, evidence_name, evidence_file, evidence_message, evidence_sha256, recorded_by, occurred_at, recorded_at, prev_hash, hash)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			e.ContactID, e.Purpose, e.Channel, e.Action, e.Wording, e.WordingVersion, e.Method, e.Evidence, e.EvidenceName, file, msg,
			evSHA, e.RecordedBy, e.OccurredAt, e.RecordedAt, prev, e.Hash)
		if err != nil {
			return err
		}
		e.ID, _ = res.LastInsertId()
		return logTx(ctx, tx, now, e.RecordedBy, "consent."+e.Action, "contact", e.ContactID,
			map[string]any{"purpose": e.Purpose, "channel": e.Channel, "method": e.Method, "entry": e.ID})
	})
	if err != nil && !errors.Is(err, ErrNoContact) && !errors.Is(err, ErrUnknownPurpose) && !errors.Is(err, ErrNothingToWithdraw) {
		err = fmt.Errorf("privacy: record consent: %w", err)
	}
	e.HasFile = len(e.EvidenceFile) > 0
	return e, err
}

func ledgerFields(contact int64, purpose, channel, action, wording, version, method string, msg int64, evSHA, by, occurred, recorded string) []string {
	return []string{strconv.FormatInt(contact, 10), purpose, channel, action, wording, version, method,
		strconv.FormatInt(msg, 10), evSHA, by, occurred, recorded}
}

func currentAction(ctx context.Context, tx *sql.Tx, contact int64, purpose, channel string) (string, error) {
	var a string
	err := tx.QueryRowContext(ctx, `SELECT action FROM consent_ledger WHERE contact_id = ? AND purpose_key = ? AND channel = ?
		ORDER BY occurred_at DESC, id DESC LIMIT 1`, contact, purpose, channel).Scan(&a)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return a, err
}

// State is the current consent of a contact for a purpose and channel,
// derived from the ledger: the latest entry wins.
type State struct {
	Purpose   string `json:"purpose"`
	Channel   string `json:"channel"`
	Status    string `json:"status"` // granted, refused, withdrawn, expired (never "granted" without a grant entry)
	Since     string `json:"since"`
	ExpiresAt string `json:"expiresAt"` // for a grant of a purpose whose consents expire
	EntryID   int64  `json:"entryId"`
}

// Current derives a contact's consents from the ledger.
func (s *Store) Current(ctx context.Context, contactID int64) ([]State, error) {
	const q = `SELECT l.purpose_key, l.channel, l.action, l.occurred_at, l.id, coalesce(p.consent_valid_months, 0)
		FROM consent_ledger l LEFT JOIN privacy_purposes p ON p.key = l.purpose_key
		WHERE l.contact_id = ? AND l.id = (SELECT id FROM consent_ledger x WHERE x.contact_id = l.contact_id
			AND x.purpose_key = l.purpose_key AND x.channel = l.channel ORDER BY occurred_at DESC, id DESC LIMIT 1)
		ORDER BY l.purpose_key, l.channel`
	rows, err := txn.On(ctx, s.db).QueryContext(ctx, q, contactID)
	if err != nil {
		return nil, fmt.Errorf("privacy: consents of %d: %w", contactID, err)
	}
	defer rows.Close()
	out := []State{}
	now := s.now()
	for rows.Next() {
		var st State
		var action string
		var months int
		if err := rows.Scan(&st.Purpose, &st.Channel, &action, &st.Since, &st.EntryID, &months); err != nil {
			return nil, err
		}
		st.Status = map[string]string{"grant": "granted", "refuse": "refused", "withdraw": "withdrawn"}[action]
		if action == "grant" && months > 0 {
			since, _ := time.Parse(time.RFC3339Nano, st.Since)
			exp := since.AddDate(0, months, 0)
			st.ExpiresAt = stamp(exp)
			if !exp.After(now) {
				st.Status = "expired"
			}
		}
		out = append(out, st)
	}
	return out, rows.Err()
}

// History is every ledger entry about a contact, oldest first (evidence
// files are not loaded; use EvidenceFile).
func (s *Store) History(ctx context.Context, contactID int64) ([]Entry, error) {
	rows, err := txn.On(ctx, s.db).QueryContext(ctx, `SELECT id, contact_id, purpose_key, channel, action, wording, wording_version, method,
		evidence, evidence_name, evidence_file IS NOT NULL, coalesce(evidence_message, 0), recorded_by, occurred_at, recorded_at, hash
		FROM consent_ledger WHERE contact_id = ? ORDER BY occurred_at, id`, contactID)
	if err != nil {
		return nil, fmt.Errorf("privacy: history of %d: %w", contactID, err)
	}
	defer rows.Close()
	out := []Entry{}
	for rows.Next() {
		var e Entry
		if err := rows.Scan(&e.ID, &e.ContactID, &e.Purpose, &e.Channel, &e.Action, &e.Wording, &e.WordingVersion, &e.Method,
			&e.Evidence, &e.EvidenceName, &e.HasFile, &e.EvidenceMessage, &e.RecordedBy, &e.OccurredAt, &e.RecordedAt, &e.Hash); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// EvidenceFile returns the scan attached to a ledger entry.
func (s *Store) EvidenceFile(ctx context.Context, entryID int64) (name string, data []byte, err error) {
	err = txn.On(ctx, s.db).QueryRowContext(ctx, `SELECT evidence_name, evidence_file FROM consent_ledger WHERE id = ?`, entryID).Scan(&name, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, ErrNoEvidenceFile
	}
	return name, data, err
}

// Consented keeps, of the given contacts, those with a current, unexpired
// grant for the purpose and channel, in the given order. Bulk mail and
// exports for a consent-based purpose must go through it.
func (s *Store) Consented(ctx context.Context, purpose, channel string, contactIDs []int64) ([]int64, error) {
	granted, err := s.grantedSet(ctx, purpose, channel)
	if err != nil {
		return nil, err
	}
	list, err := suppress.Open(ctx, s.db)
	if err != nil {
		return nil, err
	}
	blocked, err := list.Load(ctx, s.db, purpose)
	if err != nil {
		return nil, err
	}
	out := []int64{}
	for _, id := range contactIDs {
		if !granted[id] {
			continue
		}
		ok, err := s.processable(ctx, id, blocked)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, id)
		}
	}
	return out, nil
}

// processable reports whether a contact may be processed at all: live
// (crm.Live: not in the trash, erased, restricted — Art. 18(1) — nor
// archived), and none of its addresses on the suppression list for the
// purpose (an objection, Art. 21).
func (s *Store) processable(ctx context.Context, id int64, blocked suppress.Set) (bool, error) {
	q := txn.On(ctx, s.db)
	live, err := crm.InScope(ctx, q, id, crm.Live)
	if err != nil || !live {
		return false, err
	}
	addrs, err := crm.EmailsOf(ctx, q, id)
	if err != nil {
		return false, fmt.Errorf("privacy: consented: %w", err)
	}
	for _, a := range addrs {
		if blocked.Has(a) {
			return false, nil
		}
	}
	return true, nil
}

func (s *Store) grantedSet(ctx context.Context, purpose, channel string) (map[int64]bool, error) {
	var months int
	if err := txn.On(ctx, s.db).QueryRowContext(ctx, `SELECT consent_valid_months FROM privacy_purposes WHERE key = ?`, purpose).Scan(&months); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("%w: %q", ErrUnknownPurpose, purpose)
		}
		return nil, err
	}
	const q = `SELECT l.contact_id, l.action, l.occurred_at FROM consent_ledger l
		WHERE l.purpose_key = ? AND l.channel = ? AND l.id = (SELECT id FROM consent_ledger x WHERE x.contact_id = l.contact_id
			AND x.purpose_key = l.purpose_key AND x.channel = l.channel ORDER BY occurred_at DESC, id DESC LIMIT 1)`
	rows, err := txn.On(ctx, s.db).QueryContext(ctx, q, purpose, channel)
	if err != nil {
		return nil, fmt.Errorf("privacy: consented: %w", err)
	}
	defer rows.Close()
	set := map[int64]bool{}
	now := s.now()
	for rows.Next() {
		var id int64
		var action, at string
		if err := rows.Scan(&id, &action, &at); err != nil {
			return nil, err
		}
		if action != "grant" {
			continue
		}
		if months > 0 {
			t, _ := time.Parse(time.RFC3339Nano, at)
			if !t.AddDate(0, months, 0).After(now) {
				continue
			}
		}
		set[id] = true
	}
	return set, rows.Err()
}

// Renewal is a consent that expires soon or has expired.
type Renewal struct {
	ContactID int64  `json:"contactId"`
	Name      string `json:"name"`
	Purpose   string `json:"purpose"`
	Channel   string `json:"channel"`
	ExpiresAt string `json:"expiresAt"`
	Expired   bool   `json:"expired"`
}

// ToRenew lists grants that expire within the given days (or have expired),
// soonest first, of live contacts only (crm.Live): asking a restricted or
// archived person to renew a consent would be processing them (Art. 18(1),
// Art. 5(1)(b)), and the trashed and erased are not asked anything.
func (s *Store) ToRenew(ctx context.Context, withinDays int) ([]Renewal, error) {
	const q = `SELECT l.contact_id, l.purpose_key, l.channel, l.occurred_at, p.consent_valid_months
		FROM consent_ledger l JOIN privacy_purposes p ON p.key = l.purpose_key AND p.consent_valid_months > 0
		WHERE l.action = 'grant' AND l.id = (SELECT id FROM consent_ledger x WHERE x.contact_id = l.contact_id
			AND x.purpose_key = l.purpose_key AND x.channel = l.channel ORDER BY occurred_at DESC, id DESC LIMIT 1)`
	db := txn.On(ctx, s.db)
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("privacy: to renew: %w", err)
	}
	defer rows.Close()
	now := s.now()
	limit := now.AddDate(0, 0, withinDays)
	var due []Renewal
	var ids []int64
	for rows.Next() {
		var r Renewal
		var at string
		var months int
		if err := rows.Scan(&r.ContactID, &r.Purpose, &r.Channel, &at, &months); err != nil {
			return nil, fmt.Errorf("privacy: to renew: %w", err)
		}
		t, _ := time.Parse(time.RFC3339Nano, at)
		exp := t.AddDate(0, months, 0)
		if exp.After(limit) {
			continue
		}
		r.ExpiresAt, r.Expired = stamp(exp), !exp.After(now)
		due, ids = append(due, r), append(ids, r.ContactID)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("privacy: to renew: %w", err)
	}
	rows.Close()
	live, err := crm.States(ctx, db, ids, crm.Live)
	if err != nil {
		return nil, fmt.Errorf("privacy: to renew: %w", err)
	}
	out := []Renewal{}
	for _, r := range due {
		if c, ok := live[r.ContactID]; ok {
			r.Name = c.Name
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b Renewal) int { return strings.Compare(a.ExpiresAt, b.ExpiresAt) })
	return out, nil
}

// VerifyLedger recomputes the consent ledger's chain. Evidence still held
// must match the fingerprint the chain covers; erased evidence (emptied by
// an erasure) leaves the fingerprint alone.
func (s *Store) VerifyLedger(ctx context.Context) (ChainStatus, error) {
	return verifyChain(ctx, s.db, `SELECT id, contact_id, purpose_key, channel, action, wording, wording_version, method,
		coalesce(evidence_message, 0), evidence_sha256, recorded_by, occurred_at, recorded_at, prev_hash, hash,
		evidence, evidence_name, evidence_file FROM consent_ledger ORDER BY id`,
		func(r *sql.Rows) (int64, string, string, []string, error) {
			var id, contact, msg int64
			var purpose, channel, action, wording, version, method, evSHA, by, occurred, recorded, prev, hash, ev, evName string
			var evFile []byte
			err := r.Scan(&id, &contact, &purpose, &channel, &action, &wording, &version, &method, &msg, &evSHA, &by, &occurred, &recorded,
				&prev, &hash, &ev, &evName, &evFile)
			held := ev != "" || evName != "" || len(evFile) > 0
			if held && sha(ev+"\x00"+evName+"\x00"+string(evFile)) != evSHA {
				hash = "" // the evidence was changed: report this entry
			}
			return id, prev, hash, ledgerFields(contact, purpose, channel, action, wording, version, method, msg, evSHA, by, occurred, recorded), err
		})
}

func parseMoment(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Parse(time.DateOnly, s)
}

func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return txn.Write(ctx, s.db, fn)
}

// GrantCounts counts, per purpose, the people with at least one current
// grant (on any channel), expired consents excluded.
func (s *Store) GrantCounts(ctx context.Context) (map[string]int, error) {
	rows, err := txn.On(ctx, s.db).QueryContext(ctx, `SELECT key FROM privacy_purposes`)
	if err != nil {
		return nil, fmt.Errorf("privacy: counts: %w", err)
	}
	var keys []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			rows.Close()
			return nil, err
		}
		keys = append(keys, k)
	}
	rows.Close()
	out := map[string]int{}
	for _, k := range keys {
		people := map[int64]bool{}
		for _, ch := range Channels {
			set, err := s.grantedSet(ctx, k, ch)
			if err != nil {
				return nil, err
			}
			for id := range set {
				people[id] = true
			}
		}
		out[k] = len(people)
	}
	return out, nil
}

// WordingOf returns the wording recorded earlier for a purpose and
// version, so a form's text is typed once and named by its version.
func (s *Store) WordingOf(ctx context.Context, purpose, version string) (string, error) {
	var w string
	err := txn.On(ctx, s.db).QueryRowContext(ctx, `SELECT wording FROM consent_ledger WHERE purpose_key = ? AND wording_version = ? AND action <> 'withdraw'
		ORDER BY id DESC LIMIT 1`, purpose, version).Scan(&w)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNoWording
	}
	return w, err
}
