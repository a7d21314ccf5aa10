package mail

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"carnet/backend/crm"
	"carnet/backend/privacy/suppress"
	"carnet/backend/txn"
)

// PersonMessage is a stored message in which one person appears (From,
// To, Cc, Bcc or Reply-To), for a subject-access export.
type PersonMessage struct {
	ID          int64    `json:"id"`
	Account     string   `json:"account"`
	Folder      string   `json:"folder"`
	Topic       string   `json:"subject"` // the Subject header
	From        string   `json:"from"`
	To          []string `json:"to"`
	Cc          []string `json:"cc"`
	Date        string   `json:"date"`
	Inbound     bool     `json:"inbound"`
	Size        int      `json:"size"`
	Attachments []string `json:"attachments"`
}

// personWhere selects, by the message id column col, the messages in which
// any of the addresses appears; its arguments come from addrArgs.
func personWhere(col string, addrs []string) string {
	marks := strings.TrimSuffix(strings.Repeat("?,", len(addrs)), ",")
	return col + ` IN (SELECT message_id FROM mail_addresses WHERE address COLLATE NOCASE IN (` + marks + `))`
}

func addrArgs(addrs []string) []any {
	args := make([]any, len(addrs))
	for i, a := range addrs {
		args[i] = strings.ToLower(a)
	}
	return args
}

// MessagesOf describes every stored message in which one of the addresses
// appears, oldest first.
func MessagesOf(ctx context.Context, q crm.Queryer, addrs []string) ([]PersonMessage, error) {
	out := []PersonMessage{}
	if len(addrs) == 0 {
		return out, nil
	}
	where, args := personWhere("m.id", addrs), addrArgs(addrs)
	at := map[int64]int{}
	rows, err := q.QueryContext(ctx, `
		SELECT m.id, a.name, f.name, m.subject, m.from_name, m.from_address, m.sent_at, m.inbound, m.size
		FROM mail_messages m JOIN mail_folders f ON f.id = m.folder_id JOIN mail_accounts a ON a.id = f.account_id
		WHERE `+where+` ORDER BY m.sent_at, m.id`, args...)
	if err != nil {
		return nil, fmt.Errorf("mail: messages of a person: %w", err)
	}
	for rows.Next() {
		m := PersonMessage{To: []string{}, Cc: []string{}, Attachments: []string{}}
		var from Addr
		if err := rows.Scan(&m.ID, &m.Account, &m.Folder, &m.Topic, &from.Name, &from.Address, &m.Date, &m.Inbound, &m.Size); err != nil {
			rows.Close()
			return nil, fmt.Errorf("mail: messages of a person: %w", err)
		}
		m.From = from.String()
		at[m.ID] = len(out)
		out = append(out, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("mail: messages of a person: %w", err)
	}
	rows, err = q.QueryContext(ctx, `SELECT x.message_id, x.role, x.name, x.address FROM mail_addresses x
		WHERE x.role IN ('to', 'cc') AND x.message_id IN (SELECT m.id FROM mail_messages m WHERE `+where+`)
		ORDER BY x.message_id, x.role, x.position`, args...)
	if err != nil {
		return nil, fmt.Errorf("mail: messages of a person: %w", err)
	}
	for rows.Next() {
		var id int64
		var role string
		var a Addr
		if err := rows.Scan(&id, &role, &a.Name, &a.Address); err != nil {
			rows.Close()
			return nil, err
		}
		m := &out[at[id]]
		if role == "to" {
			m.To = append(m.To, a.String())
		} else {
			m.Cc = append(m.Cc, a.String())
		}
	}
	rows.Close()
	rows, err = q.QueryContext(ctx, `SELECT x.message_id, x.filename FROM mail_attachments x
		WHERE x.message_id IN (SELECT m.id FROM mail_messages m WHERE `+where+`) ORDER BY x.message_id, x.position`, args...)
	if err != nil {
		return nil, fmt.Errorf("mail: messages of a person: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		m := &out[at[id]]
		m.Attachments = append(m.Attachments, name)
	}
	return out, rows.Err()
}

// AccountsOf names the accounts whose folders hold messages in which one
// of the addresses appears: their servers keep copies Carnet does not
// delete.
func AccountsOf(ctx context.Context, q crm.Queryer, addrs []string) ([]string, error) {
	out := []string{}
	if len(addrs) == 0 {
		return out, nil
	}
	rows, err := q.QueryContext(ctx, `SELECT DISTINCT a.name FROM mail_accounts a JOIN mail_folders f ON f.account_id = a.id
		JOIN mail_messages m ON m.folder_id = f.id WHERE `+personWhere("m.id", addrs)+` ORDER BY a.name`, addrArgs(addrs)...)
	if err != nil {
		return nil, fmt.Errorf("mail: accounts of a person: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
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
	if len(addrs) == 0 {
		return e, nil
	}
	where, args := personWhere("m.id", addrs), addrArgs(addrs)
	if err := tx.QueryRowContext(ctx, `SELECT count(*), coalesce(sum((SELECT count(*) FROM mail_attachments WHERE message_id = m.id)), 0)
		FROM mail_messages m WHERE `+where, args...).Scan(&e.Messages, &e.Attachments); err != nil {
		return e, fmt.Errorf("mail: erase: %w", err)
	}
	// One statement each: the full-text index is written once, not once
	// per message. Merging index segments is left to the compaction that
	// follows an erasure (subject.Compact): within the transaction it would
	// rewrite the whole mailbox's lists of common words.
	if _, err := tx.ExecContext(ctx, `INSERT INTO mail_search (mail_search, rank) VALUES ('automerge', 0)`); err != nil {
		return e, fmt.Errorf("mail: erase: %w", err)
	}
	if err := unindexWhere(ctx, tx, personWhere("id", addrs), args...); err != nil {
		return e, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO mail_search (mail_search, rank) VALUES ('automerge', 4)`); err != nil {
		return e, fmt.Errorf("mail: erase: %w", err)
	}
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
	restricted, err := crm.RestrictedAddresses(ctx, txn.On(ctx, s.db), recipients)
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

// FirstMessageOf returns the earliest Date (RFC 3339) of the stored
// messages in which one of the addresses appears, "" when there is none:
// how far back copies of the vault may hold someone (subject's erasure).
func FirstMessageOf(ctx context.Context, q crm.Queryer, addrs []string) (string, error) {
	if len(addrs) == 0 {
		return "", nil
	}
	var first string
	err := q.QueryRowContext(ctx, `SELECT coalesce(min(sent_at), '') FROM mail_messages WHERE sent_at <> '' AND `+personWhere("id", addrs), addrArgs(addrs)...).Scan(&first)
	if err != nil {
		return "", fmt.Errorf("mail: first message: %w", err)
	}
	return first, nil
}
