package crm

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"carnet/backend/txn"
)

// CustomField is a field the business adds to its contacts.
type CustomField struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	Sensitive bool   `json:"sensitive"`
	// For a sensitive field: the Art. 9(1) category (health, beliefs,
	// political, union, ethnic, sexual, genetic, biometric) and the Art.
	// 9(2) condition relied on ("a" explicit consent … "j" archiving).
	Category  string `json:"category"`
	Condition string `json:"condition"`
}

// FieldValue is a contact's value for a custom field.
type FieldValue struct {
	FieldID   int64  `json:"fieldId"`
	Name      string `json:"name"`
	Value     string `json:"value"`
	Sensitive bool   `json:"sensitive"`
	// Hidden: a sensitive value not shown yet. Saving a contact leaves a
	// hidden value as stored.
	Hidden bool `json:"hidden"`
}

// Art. 9 categories and conditions a sensitive field may name.
var (
	SensitiveCategories = []string{"health", "beliefs", "political", "union", "ethnic", "sexual", "genetic", "biometric"}
	Art9Conditions      = []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"}
)

// Custom field errors.
var (
	ErrFieldName      = errors.New("crm: a field needs a name")
	ErrFieldCondition = errors.New("crm: a sensitive field needs its Art. 9 category and condition")
	ErrUnknownField   = errors.New("crm: unknown custom field")
)

func in(v string, list []string) bool {
	for _, x := range list {
		if v == x {
			return true
		}
	}
	return false
}

// CustomFields lists the fields in their order.
func (s *Store) CustomFields(ctx context.Context) ([]CustomField, error) {
	return customFields(ctx, txn.On(ctx, s.db))
}

func customFields(ctx context.Context, q queryer) ([]CustomField, error) {
	out := []CustomField{}
	err := each(ctx, q, `SELECT id, name, sensitive, category, condition FROM custom_fields ORDER BY position, id`, nil, func(r *sql.Rows) error {
		var f CustomField
		err := r.Scan(&f.ID, &f.Name, &f.Sensitive, &f.Category, &f.Condition)
		out = append(out, f)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("crm: custom fields: %w", err)
	}
	return out, nil
}

// SaveCustomField creates (ID 0) or updates a field. Making a field
// sensitive takes its values out of the search index at once.
func (s *Store) SaveCustomField(ctx context.Context, f CustomField) (int64, error) {
	f.Name = strings.TrimSpace(f.Name)
	if f.Name == "" {
		return 0, ErrFieldName
	}
	if !f.Sensitive {
		f.Category, f.Condition = "", ""
	} else if !in(f.Category, SensitiveCategories) || !in(f.Condition, Art9Conditions) {
		return 0, ErrFieldCondition
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		if f.ID == 0 {
			var res sql.Result
			res, err = tx.ExecContext(ctx, `INSERT INTO custom_fields (name, sensitive, category, condition, position)
				VALUES (?, ?, ?, ?, (SELECT coalesce(max(position), 0) + 1 FROM custom_fields))`, f.Name, f.Sensitive, f.Category, f.Condition)
			if err == nil {
				f.ID, err = res.LastInsertId()
			}
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE custom_fields SET name = ?, sensitive = ?, category = ?, condition = ? WHERE id = ?`,
				f.Name, f.Sensitive, f.Category, f.Condition, f.ID)
		}
		if err != nil {
			if strings.Contains(err.Error(), "UNIQUE") {
				return ErrDuplicateName
			}
			return err
		}
		return reindexWhere(ctx, tx, `SELECT contact_id FROM contact_field_values WHERE field_id = ?`, f.ID)
	})
	return f.ID, err
}

// DeleteCustomField removes a field and every value of it.
func (s *Store) DeleteCustomField(ctx context.Context, id int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		var ids []int64
		if err := each(ctx, tx, `SELECT contact_id FROM contact_field_values WHERE field_id = ?`, []any{id}, func(r *sql.Rows) error {
			var c int64
			err := r.Scan(&c)
			ids = append(ids, c)
			return err
		}); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM custom_fields WHERE id = ?`, id); err != nil {
			return err
		}
		for _, c := range ids {
			if err := reindexContact(ctx, tx, c); err != nil {
				return err
			}
		}
		return nil
	})
}

func reindexWhere(ctx context.Context, tx queryer, q string, args ...any) error {
	var ids []int64
	if err := each(ctx, tx, q, args, func(r *sql.Rows) error {
		var c int64
		err := r.Scan(&c)
		ids = append(ids, c)
		return err
	}); err != nil {
		return err
	}
	for _, c := range ids {
		if err := reindexContact(ctx, tx, c); err != nil {
			return err
		}
	}
	return nil
}

// loadFields reads a contact's values, every value included: hiding
// sensitive ones is the caller's choice (Hide).
func loadFields(ctx context.Context, tx queryer, id int64) ([]FieldValue, error) {
	out := []FieldValue{}
	err := each(ctx, tx, `SELECT f.id, f.name, v.value, f.sensitive FROM contact_field_values v JOIN custom_fields f ON f.id = v.field_id
		WHERE v.contact_id = ? ORDER BY f.position, f.id`, []any{id}, func(r *sql.Rows) error {
		var v FieldValue
		err := r.Scan(&v.FieldID, &v.Name, &v.Value, &v.Sensitive)
		out = append(out, v)
		return err
	})
	return out, err
}

// writeFields sets the values a contact carries; absent fields and
// hidden values stay as stored, an empty value removes the field.
func writeFields(ctx context.Context, tx queryer, c *Contact) error {
	for i := range c.Fields {
		f := &c.Fields[i]
		if f.Hidden {
			continue
		}
		f.Value = strings.TrimSpace(f.Value)
		var err error
		if f.Value == "" {
			_, err = tx.ExecContext(ctx, `DELETE FROM contact_field_values WHERE contact_id = ? AND field_id = ?`, c.ID, f.FieldID)
		} else {
			_, err = tx.ExecContext(ctx, `INSERT INTO contact_field_values (contact_id, field_id, value) VALUES (?, ?, ?)
				ON CONFLICT (contact_id, field_id) DO UPDATE SET value = excluded.value`, c.ID, f.FieldID, f.Value)
		}
		if err != nil {
			if strings.Contains(err.Error(), "FOREIGN KEY") {
				return fmt.Errorf("%w: %d", ErrUnknownField, f.FieldID)
			}
			return fmt.Errorf("crm: contact %d field %d: %w", c.ID, f.FieldID, err)
		}
	}
	return nil
}

// HideSensitive blanks the sensitive values of a contact for display;
// RevealField gives one back.
func (c *Contact) HideSensitive() {
	for i := range c.Fields {
		if c.Fields[i].Sensitive && c.Fields[i].Value != "" {
			c.Fields[i].Value, c.Fields[i].Hidden = "", true
		}
	}
}

// FieldValueOf returns one stored value (for "show" on a sensitive field).
func (s *Store) FieldValueOf(ctx context.Context, contactID, fieldID int64) (string, error) {
	var v string
	err := txn.On(ctx, s.db).QueryRowContext(ctx, `SELECT value FROM contact_field_values WHERE contact_id = ? AND field_id = ?`, contactID, fieldID).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	return v, err
}
