package privacy

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"carnet/backend/txn"
)

// Lawful bases of Art. 6(1).
var Bases = []string{"consent", "contract", "legal_obligation", "vital_interests", "public_task", "legitimate_interests"}

// Events a retention period runs from.
var RetentionEvents = []string{"collection", "last_inbound", "end_of_relationship", "invoice_date", "withdrawal"}

// Recipient is who receives the data of a purpose.
type Recipient struct {
	Name    string `json:"name"`
	Kind    string `json:"kind"`    // internal, processor, third_party
	Country string `json:"country"` // ISO 3166 alpha-2
}

// Transfer is a transfer outside the EU and its safeguard.
type Transfer struct {
	Country   string `json:"country"`
	Safeguard string `json:"safeguard"` // adequacy decision, standard contractual clauses…
}

// Purpose is one processing activity.
type Purpose struct {
	ID                 int64       `json:"id"`
	Key                string      `json:"key"`
	Name               string      `json:"name"`
	Description        string      `json:"description"`
	LawfulBasis        string      `json:"lawfulBasis"`
	BalancingNote      string      `json:"balancingNote"`
	DataCategories     []string    `json:"dataCategories"`
	PeopleCategories   []string    `json:"peopleCategories"`
	Recipients         []Recipient `json:"recipients"`
	Transfers          []Transfer  `json:"transfers"`
	Security           []string    `json:"security"`
	RetentionMonths    int         `json:"retentionMonths"`
	RetentionFrom      string      `json:"retentionFrom"`
	RetentionNote      string      `json:"retentionNote"`
	SensitiveCondition string      `json:"sensitiveCondition"`
	ConsentValidMonths int         `json:"consentValidMonths"`
}

// Purpose errors.
var (
	ErrPurposeName      = errors.New("privacy: a purpose needs a name")
	ErrBadBasis         = errors.New("privacy: unknown lawful basis")
	ErrBalancingMissing = errors.New("privacy: legitimate interests need the balancing note")
	ErrBadRetention     = errors.New("privacy: the retention period needs its starting event")
	ErrPurposeInUse     = errors.New("privacy: consents were recorded for this purpose")
	ErrDuplicateKey     = errors.New("privacy: a purpose with this key exists")
)

var keyRe = regexp.MustCompile(`^[a-z][a-z0-9_]{1,40}$`)

func (p *Purpose) normalize() error {
	p.Name, p.Key = strings.TrimSpace(p.Name), strings.TrimSpace(p.Key)
	p.BalancingNote = strings.TrimSpace(p.BalancingNote)
	if p.Name == "" {
		return ErrPurposeName
	}
	if p.Key == "" {
		p.Key = keyOf(p.Name)
	}
	if !keyRe.MatchString(p.Key) {
		p.Key = "purpose_" + randomSuffix(p.Name)
	}
	if !oneOf(p.LawfulBasis, Bases) {
		return ErrBadBasis
	}
	if p.LawfulBasis == "legitimate_interests" && p.BalancingNote == "" {
		return ErrBalancingMissing
	}
	if p.RetentionMonths < 0 || p.RetentionMonths > 0 && !oneOf(p.RetentionFrom, RetentionEvents) {
		return ErrBadRetention
	}
	if p.LawfulBasis != "consent" {
		p.ConsentValidMonths = 0
	}
	for _, l := range []*[]string{&p.DataCategories, &p.PeopleCategories, &p.Security} {
		*l = cleanList(*l)
	}
	if p.Recipients == nil {
		p.Recipients = []Recipient{}
	}
	if p.Transfers == nil {
		p.Transfers = []Transfer{}
	}
	return nil
}

func cleanList(l []string) []string {
	out := []string{}
	for _, s := range l {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// keyOf makes a stable key from a name: "Salons 2027" → "salons_2027".
func keyOf(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "_"):
			b.WriteByte('_')
		}
	}
	return strings.Trim(b.String(), "_")
}

func randomSuffix(s string) string { return sha(s)[:8] }

// Words translates the prefilled catalogue into the user's language.
type Words func(key string) string

// defaults is the catalogue a small business starts with.
func defaults(w Words) []Purpose {
	list := func(keys ...string) []string {
		out := make([]string, len(keys))
		for i, k := range keys {
			out[i] = w("privacy.default." + k)
		}
		return out
	}
	security := list("security.encryption", "security.passphrase", "security.audit")
	mailbox := Recipient{Name: w("privacy.default.recipient.mail_provider"), Kind: "processor", Country: "FR"}
	staff := Recipient{Name: w("privacy.default.recipient.staff"), Kind: "internal", Country: "FR"}
	p := func(key, basis string, months int, from string, data, people []string, rec []Recipient) Purpose {
		return Purpose{Key: key, Name: w("privacy.default." + key + ".name"), Description: w("privacy.default." + key + ".description"),
			LawfulBasis: basis, DataCategories: data, PeopleCategories: people, Recipients: rec, Transfers: []Transfer{},
			Security: security, RetentionMonths: months, RetentionFrom: from, RetentionNote: w("privacy.default." + key + ".retention")}
	}
	out := []Purpose{
		p("customers", "contract", 36, "end_of_relationship", list("data.identity", "data.contact", "data.orders", "data.correspondence"),
			list("people.customers"), []Recipient{staff, mailbox}),
		p("prospecting_email", "consent", 36, "last_inbound", list("data.identity", "data.contact", "data.correspondence"),
			list("people.prospects"), []Recipient{staff, mailbox}),
		p("newsletter", "consent", 36, "last_inbound", list("data.identity", "data.email"),
			list("people.customers", "people.prospects"), []Recipient{staff, mailbox}),
		p("invoicing", "legal_obligation", 120, "invoice_date", list("data.identity", "data.billing", "data.orders"),
			list("people.customers"), []Recipient{staff, {Name: w("privacy.default.recipient.accountant"), Kind: "third_party", Country: "FR"}}),
		p("suppliers", "contract", 36, "end_of_relationship", list("data.identity", "data.contact", "data.orders", "data.billing"),
			list("people.suppliers"), []Recipient{staff}),
	}
	out[1].ConsentValidMonths, out[2].ConsentValidMonths = 36, 36
	return out
}

const purposeColumns = `id, key, name, description, lawful_basis, balancing_note, data_categories, people_categories,
	recipients, transfers, security, retention_months, retention_from, retention_note, sensitive_condition, consent_valid_months`

// Purposes lists the catalogue; the first call fills it with the defaults.
func (s *Store) Purposes(ctx context.Context, w Words) ([]Purpose, error) {
	var n int
	if err := txn.On(ctx, s.db).QueryRowContext(ctx, `SELECT count(*) FROM privacy_purposes`).Scan(&n); err != nil {
		return nil, fmt.Errorf("privacy: purposes: %w", err)
	}
	if n == 0 && w != nil {
		err := s.write(ctx, func(tx *sql.Tx) error {
			for _, p := range defaults(w) {
				if _, err := insertPurpose(ctx, tx, &p, stamp(s.now())); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("privacy: default purposes: %w", err)
		}
	}
	rows, err := txn.On(ctx, s.db).QueryContext(ctx, `SELECT `+purposeColumns+` FROM privacy_purposes ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("privacy: purposes: %w", err)
	}
	defer rows.Close()
	out := []Purpose{}
	for rows.Next() {
		p, err := scanPurpose(rows)
		if err != nil {
			return nil, fmt.Errorf("privacy: purposes: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func scanPurpose(r interface{ Scan(...any) error }) (Purpose, error) {
	var p Purpose
	var data, people, rec, tr, sec string
	err := r.Scan(&p.ID, &p.Key, &p.Name, &p.Description, &p.LawfulBasis, &p.BalancingNote, &data, &people, &rec, &tr, &sec,
		&p.RetentionMonths, &p.RetentionFrom, &p.RetentionNote, &p.SensitiveCondition, &p.ConsentValidMonths)
	if err != nil {
		return p, err
	}
	for _, j := range []struct {
		src string
		dst any
	}{{data, &p.DataCategories}, {people, &p.PeopleCategories}, {rec, &p.Recipients}, {tr, &p.Transfers}, {sec, &p.Security}} {
		if err := json.Unmarshal([]byte(j.src), j.dst); err != nil {
			return p, err
		}
	}
	return p, nil
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func insertPurpose(ctx context.Context, tx *sql.Tx, p *Purpose, ts string) (int64, error) {
	if err := p.normalize(); err != nil {
		return 0, err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO privacy_purposes (key, name, description, lawful_basis, balancing_note, data_categories,
		people_categories, recipients, transfers, security, retention_months, retention_from, retention_note, sensitive_condition,
		consent_valid_months, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.Key, p.Name, p.Description, p.LawfulBasis, p.BalancingNote, jsonText(p.DataCategories), jsonText(p.PeopleCategories),
		jsonText(p.Recipients), jsonText(p.Transfers), jsonText(p.Security), p.RetentionMonths, p.RetentionFrom, p.RetentionNote,
		p.SensitiveCondition, p.ConsentValidMonths, ts, ts)
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE") {
			return 0, ErrDuplicateKey
		}
		return 0, err
	}
	return res.LastInsertId()
}

// SavePurpose creates (ID 0) or updates a purpose; the change is logged.
// A purpose's key never changes once consents refer to it.
func (s *Store) SavePurpose(ctx context.Context, actor string, p Purpose) (int64, error) {
	if err := p.normalize(); err != nil {
		return 0, err
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		now := s.now()
		if p.ID == 0 {
			id, err := insertPurpose(ctx, tx, &p, stamp(now))
			if err != nil {
				return err
			}
			p.ID = id
			return logTx(ctx, tx, now, actor, "purpose.create", "purpose", p.ID, nil)
		}
		res, err := tx.ExecContext(ctx, `UPDATE privacy_purposes SET name = ?, description = ?, lawful_basis = ?, balancing_note = ?,
			data_categories = ?, people_categories = ?, recipients = ?, transfers = ?, security = ?, retention_months = ?, retention_from = ?,
			retention_note = ?, sensitive_condition = ?, consent_valid_months = ?, updated_at = ? WHERE id = ?`,
			p.Name, p.Description, p.LawfulBasis, p.BalancingNote, jsonText(p.DataCategories), jsonText(p.PeopleCategories),
			jsonText(p.Recipients), jsonText(p.Transfers), jsonText(p.Security), p.RetentionMonths, p.RetentionFrom, p.RetentionNote,
			p.SensitiveCondition, p.ConsentValidMonths, stamp(now), p.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("%w: %d", ErrUnknownPurpose, p.ID)
		}
		return logTx(ctx, tx, now, actor, "purpose.edit", "purpose", p.ID, nil)
	})
	return p.ID, err
}

// DeletePurpose removes a purpose no consent refers to.
func (s *Store) DeletePurpose(ctx context.Context, actor string, id int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM consent_ledger WHERE purpose_key = (SELECT key FROM privacy_purposes WHERE id = ?)`, id).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return ErrPurposeInUse
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM privacy_purposes WHERE id = ?`, id); err != nil {
			return err
		}
		return logTx(ctx, tx, s.now(), actor, "purpose.delete", "purpose", id, nil)
	})
}
