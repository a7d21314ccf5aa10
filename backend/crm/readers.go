package crm

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// The functions below are how other packages read the contact tables:
// they take the caller's Reader (a *sql.Tx, or txn.On(ctx, db)) so they
// join a use case's transaction, and select by Scope (live.go) so every
// rule says which contacts it sees. No other package queries contacts,
// contact_emails or contact_phones itself, except in the few bulk
// queries that join them with their own tables in one statement for
// speed (the retention sweep, a breach's counts), which still take their
// condition from Scope.Where.

// Reader is what the readers need: a *sql.DB, a *sql.Tx, what txn.On
// returns, or any store's narrower querier.
type Reader interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// ContactState is who a contact is and which states it is in.
type ContactState struct {
	ID         int64
	Name       string // given and family name; "" once erased
	CreatedAt  string
	InTrash    bool
	Erased     bool
	Restricted bool
	Archived   bool
}

// idsJSON is the JSON array of ids that the queries below read with
// json_each: one statement however many ids.
func idsJSON(ids []int64) string {
	if len(ids) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(ids)
	return string(b)
}

// States returns the state of each of the contacts ids that is in scope;
// the others are absent from the map.
func States(ctx context.Context, q Reader, ids []int64, scope Scope) (map[int64]ContactState, error) {
	out := make(map[int64]ContactState, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	sel := `
		SELECT c.id, trim(c.given_name || ' ' || c.family_name), c.created_at,
			c.deleted_at IS NOT NULL, c.erased_at IS NOT NULL, c.restricted_at IS NOT NULL, c.archived_at IS NOT NULL
		FROM contacts c
		WHERE c.id IN (SELECT value FROM json_each(?)) AND ` + scope.Where("c")
	err := each(ctx, q, sel, []any{idsJSON(ids)}, func(r *sql.Rows) error {
		var s ContactState
		if err := r.Scan(&s.ID, &s.Name, &s.CreatedAt, &s.InTrash, &s.Erased, &s.Restricted, &s.Archived); err != nil {
			return err
		}
		out[s.ID] = s
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("crm: contacts' states: %w", err)
	}
	return out, nil
}

// StateOf returns the state of contact id, erased or not; ErrNotFound when
// there is no such id.
func StateOf(ctx context.Context, q Reader, id int64) (ContactState, error) {
	m, err := States(ctx, q, []int64{id}, Every)
	if err != nil {
		return ContactState{}, err
	}
	s, ok := m[id]
	if !ok {
		return s, ErrNotFound
	}
	return s, nil
}

// InScope reports whether contact id exists and is in scope.
func InScope(ctx context.Context, q Reader, id int64, scope Scope) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM contacts c WHERE c.id = ? AND `+scope.Where("c"), id).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("crm: contact %d: %w", id, err)
	}
	return n > 0, nil
}

// ContactIDs returns the ids of every contact in scope, in order.
func ContactIDs(ctx context.Context, q Reader, scope Scope) ([]int64, error) {
	var ids []int64
	err := each(ctx, q, `SELECT c.id FROM contacts c WHERE `+scope.Where("c")+` ORDER BY c.id`, nil, func(r *sql.Rows) error {
		var id int64
		err := r.Scan(&id)
		ids = append(ids, id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("crm: contact ids: %w", err)
	}
	return ids, nil
}

// EmailsOf returns contact id's current e-mail addresses as typed, in the
// contact's order (IdentifiersOf adds the past ones, lower-cased).
func EmailsOf(ctx context.Context, q Reader, id int64) ([]string, error) {
	var out []string
	err := each(ctx, q, `SELECT address FROM contact_emails WHERE contact_id = ? ORDER BY position`, []any{id}, func(r *sql.Rows) error {
		var a string
		err := r.Scan(&a)
		out = append(out, a)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("crm: e-mails of %d: %w", id, err)
	}
	return out, nil
}

// ContactIDsByEmail returns, for each of the addresses that is a current
// address of contacts in scope, those contacts' ids in order. Keys are
// lower-cased; case is ignored as everywhere addresses are compared.
func ContactIDsByEmail(ctx context.Context, q Reader, addrs []string, scope Scope) (map[string][]int64, error) {
	out := map[string][]int64{}
	if len(addrs) == 0 {
		return out, nil
	}
	list, _ := json.Marshal(addrs)
	sel := `
		SELECT DISTINCT lower(e.address), e.contact_id FROM json_each(?) j
		JOIN contact_emails e ON e.address = j.value COLLATE NOCASE
		JOIN contacts c ON c.id = e.contact_id AND ` + scope.Where("c") + `
		ORDER BY 1, 2`
	err := each(ctx, q, sel, []any{string(list)}, func(r *sql.Rows) error {
		var a string
		var id int64
		if err := r.Scan(&a, &id); err != nil {
			return err
		}
		out[a] = append(out[a], id)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("crm: contacts by e-mail: %w", err)
	}
	return out, nil
}

// FindByEmail returns the contact in scope who has or had the address
// (a past address counts: the person may have changed it since), one not
// in the trash first, or ErrNotFound.
func FindByEmail(ctx context.Context, q Reader, addr string, scope Scope) (int64, error) {
	addr = strings.ToLower(strings.TrimSpace(addr))
	sel := `
		SELECT c.id FROM contacts c
		WHERE ` + scope.Where("c") + ` AND (
			c.id IN (SELECT contact_id FROM contact_emails WHERE address = ?1 COLLATE NOCASE)
			OR c.id IN (SELECT contact_id FROM contact_past_identifiers WHERE kind = 'email' AND value = ?1))
		ORDER BY c.deleted_at IS NOT NULL, c.id LIMIT 1`
	var id int64
	err := q.QueryRowContext(ctx, sel, addr).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrNotFound
	}
	if err != nil {
		return 0, fmt.Errorf("crm: find by e-mail: %w", err)
	}
	return id, nil
}
