package mail

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"carnet/backend/crm"
	"carnet/backend/suppress"
)

// PersonMessage is a stored message in which one person appears (From,
// To, Cc, Bcc or Reply-To), for a subject-access export.
type PersonMessage struct {
	ID          int64    `json:"id"`
	Account     string   `json:"account"`
	Folder      string   `json:"folder"`
	Subject     string   `json:"subject"`
	From        string   `json:"from"`
	To          []string `json:"to"`
	Cc          []string `json:"cc"`
	Date        string   `json:"date"`
	Inbound     bool     `json:"inbound"`
	Size        int      `json:"size"`
	Attachments []string `json:"attachments"`
}

// messagesOf returns the ids of the messages in which any of the addresses
// appears, oldest first.
func messagesOf(ctx context.Context, q crm.Queryer, addrs []string) ([]int64, error) {
	if len(addrs) == 0 {
		return nil, nil
	}
	marks := strings.TrimSuffix(strings.Repeat("?,", len(addrs)), ",")
	args := make([]any, len(addrs))
	for i, a := range addrs {
		args[i] = strings.ToLower(a)
	}
	rows, err := q.QueryContext(ctx, `
		SELECT m.id FROM mail_messages m
		WHERE m.id IN (SELECT message_id FROM mail_addresses WHERE address COLLATE NOCASE IN (`+marks+`))
		ORDER BY m.sent_at, m.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("mail: messages of a person: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// MessagesOf describes every stored message in which one of the addresses
// appears, oldest first.
func MessagesOf(ctx context.Context, q crm.Queryer, addrs []string) ([]PersonMessage, error) {
	ids, err := messagesOf(ctx, q, addrs)
	if err != nil {
		return nil, err
	}
	out := make([]PersonMessage, 0, len(ids))
	for _, id := range ids {
		m := PersonMessage{ID: id, To: []string{}, Cc: []string{}, Attachments: []string{}}
		var fromName, fromAddr string
		const sel = `SELECT a.name, f.name, m.subject, m.from_name, m.from_address, m.sent_at, m.inbound, m.size
			FROM mail_messages m JOIN mail_folders f ON f.id = m.folder_id JOIN mail_accounts a ON a.id = f.account_id
			WHERE m.id = ?`
		if err := q.QueryRowContext(ctx, sel, id).Scan(&m.Account, &m.Folder, &m.Subject, &fromName, &fromAddr, &m.Date, &m.Inbound, &m.Size); err != nil {
			return nil, fmt.Errorf("mail: message %d: %w", id, err)
		}
		m.From = Addr{Name: fromName, Address: fromAddr}.String()
		rows, err := q.QueryContext(ctx, `SELECT role, name, address FROM mail_addresses WHERE message_id = ? AND role IN ('to', 'cc') ORDER BY role, position`, id)
		if err != nil {
			return nil, fmt.Errorf("mail: message %d: %w", id, err)
		}
		for rows.Next() {
			var role string
			var a Addr
			if err := rows.Scan(&role, &a.Name, &a.Address); err != nil {
				rows.Close()
				return nil, err
			}
			if role == "to" {
				m.To = append(m.To, a.String())
			} else {
				m.Cc = append(m.Cc, a.String())
			}
		}
		rows.Close()
		rows, err = q.QueryContext(ctx, `SELECT filename FROM mail_attachments WHERE message_id = ? ORDER BY position`, id)
		if err != nil {
			return nil, fmt.Errorf("mail: message %d: %w", id, err)
		}
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				rows.Close()
				return nil, err
			}
			m.Attachments = append(m.Attachments, n)
		}
		rows.Close()
		out = append(out, m)
	}
	return out, nil
}

// RawOf returns a stored message as received, in the caller's transaction.
func RawOf(ctx context.Context, q crm.Queryer, id int64) ([]byte, error) {
	var raw []byte
	if err := q.QueryRowContext(ctx, `SELECT raw FROM mail_messages WHERE id = ?`, id).Scan(&raw); err != nil {
		return nil, fmt.Errorf("mail: message %d: %w", id, err)
	}
	return raw, nil
}

// Erased counts what an erasure removed from the mail tables.
type Erased struct {
	Messages    int `json:"messages"`
	Attachments int `json:"attachments"`
	Outbox      int `json:"outbox"` // waiting or sent messages to the person
}

// EraseAddressesTx deletes, in the caller's transaction, every stored
// message in which one of the addresses appears, with its attachments and
// search entries, the outbox messages addressed to them and the choice to
// load their remote images. The copies on the mail server are not touched.
func EraseAddressesTx(ctx context.Context, tx *sql.Tx, addrs []string) (Erased, error) {
	var e Erased
	ids, err := messagesOf(ctx, tx, addrs)
	if err != nil {
		return e, err
	}
	for _, id := range ids {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM mail_attachments WHERE message_id = ?`, id).Scan(&n); err != nil {
			return e, fmt.Errorf("mail: erase: %w", err)
		}
		e.Attachments += n
		if err := unindexWhere(ctx, tx, `id = ?`, id); err != nil {
			return e, err
		}
	}
	e.Messages = len(ids)
	want := map[string]bool{}
	for _, a := range addrs {
		want[strings.ToLower(a)] = true
		if _, err := tx.ExecContext(ctx, `DELETE FROM mail_remote_senders WHERE address = ?`, a); err != nil {
			return e, fmt.Errorf("mail: erase: %w", err)
		}
	}
	rows, err := tx.QueryContext(ctx, `SELECT id, recipients FROM mail_outbox`)
	if err != nil {
		return e, fmt.Errorf("mail: erase: %w", err)
	}
	var outbox []int64
	for rows.Next() {
		var id int64
		var rcpt string
		if err := rows.Scan(&id, &rcpt); err != nil {
			rows.Close()
			return e, err
		}
		var list []string
		json.Unmarshal([]byte(rcpt), &list)
		for _, r := range list {
			if want[strings.ToLower(r)] {
				outbox = append(outbox, id)
				break
			}
		}
	}
	rows.Close()
	for _, id := range outbox {
		if _, err := tx.ExecContext(ctx, `DELETE FROM mail_outbox WHERE id = ?`, id); err != nil {
			return e, fmt.Errorf("mail: erase outbox: %w", err)
		}
	}
	e.Outbox = len(outbox)
	return e, nil
}

// String is "Name <address>", or the address alone.
func (a Addr) String() string {
	if a.Name == "" {
		return a.Address
	}
	return a.Name + " <" + a.Address + ">"
}

// checkRecipients refuses mail to a restricted contact or to an address on
// the suppression list, unless the message answers the person's own request.
func (s *Store) checkRecipients(ctx context.Context, d Draft, recipients []string) error {
	if d.AnswersRequest {
		return nil
	}
	restricted, err := crm.RestrictedAddresses(ctx, s.db, recipients)
	if err != nil {
		return err
	}
	if len(restricted) > 0 {
		return fmt.Errorf("%w: %s", crm.ErrRestricted, strings.Join(restricted, ", "))
	}
	list, err := suppress.Open(ctx, s.db)
	if err != nil {
		return err
	}
	blocked, err := list.Blocked(ctx, nil, recipients, suppress.AllPurposes)
	if err != nil {
		return err
	}
	for a := range blocked {
		return fmt.Errorf("%w: %s", suppress.ErrSuppressed, a)
	}
	return nil
}
