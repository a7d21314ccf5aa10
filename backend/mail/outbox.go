package mail

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/emersion/go-imap"
	"github.com/emersion/go-smtp"

	"carnet/backend/txn"
)

// OutboxItem is a message waiting to be sent, failed, or sent.
type OutboxItem struct {
	ID            int64    `json:"id"`
	AccountID     int64    `json:"accountId"`
	Topic         string   `json:"subject"` // the Subject header
	Recipients    []string `json:"recipients"`
	State         string   `json:"state"` // queued, failed, sent
	Attempts      int      `json:"attempts"`
	NextAttemptAt string   `json:"nextAttemptAt"`
	LastError     string   `json:"lastError"`
	CreatedAt     string   `json:"createdAt"`
	SentAt        string   `json:"sentAt"`
}

// Queue puts a draft in the outbox; it leaves at the next SendDue. It
// works offline: the message waits in the vault.
func (s *Store) Queue(ctx context.Context, d Draft) (int64, error) {
	b, err := s.compose(ctx, d)
	if err != nil {
		return 0, err
	}
	if err := s.checkRecipients(ctx, d, b.recipients); err != nil {
		return 0, err
	}
	rcpt, _ := json.Marshal(b.recipients)
	var id int64
	err = s.write(ctx, func(tx *sql.Tx) error {
		ts := stamp(s.now())
		res, err := tx.ExecContext(ctx, `INSERT INTO mail_outbox (account_id, raw, recipients, subject, state, next_attempt_at, created_at)
			VALUES (?, ?, ?, ?, 'queued', ?, ?)`, d.AccountID, b.raw, string(rcpt), b.topic, ts, ts)
		if err != nil {
			return err
		}
		id, err = res.LastInsertId()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("mail: queue: %w", err)
	}
	return id, nil
}

// Outbox lists what is waiting or failed, then the last sent messages.
func (s *Store) Outbox(ctx context.Context) ([]OutboxItem, error) {
	rows, err := txn.On(ctx, s.db).QueryContext(ctx, `SELECT id, account_id, subject, recipients, state, attempts, next_attempt_at, last_error, created_at, sent_at
		FROM mail_outbox WHERE state <> 'sent' OR sent_at >= ?
		ORDER BY state = 'sent', created_at DESC, id DESC`, stamp(s.now().Add(-7*24*time.Hour)))
	if err != nil {
		return nil, fmt.Errorf("mail: outbox: %w", err)
	}
	defer rows.Close()
	out := []OutboxItem{}
	for rows.Next() {
		var it OutboxItem
		var rcpt string
		if err := rows.Scan(&it.ID, &it.AccountID, &it.Topic, &rcpt, &it.State, &it.Attempts, &it.NextAttemptAt, &it.LastError, &it.CreatedAt, &it.SentAt); err != nil {
			return nil, fmt.Errorf("mail: outbox: %w", err)
		}
		json.Unmarshal([]byte(rcpt), &it.Recipients)
		out = append(out, it)
	}
	return out, rows.Err()
}

// Waiting counts the messages not sent yet (queued or failed).
func (s *Store) Waiting(ctx context.Context) (int, error) {
	var n int
	err := txn.On(ctx, s.db).QueryRowContext(ctx, `SELECT count(*) FROM mail_outbox WHERE state <> 'sent'`).Scan(&n)
	return n, err
}

// Retry sends a queued or failed message at the next SendDue.
func (s *Store) Retry(ctx context.Context, id int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE mail_outbox SET state = 'queued', next_attempt_at = ? WHERE id = ? AND state <> 'sent'`, stamp(s.now()), id)
		return err
	})
}

// ErrAlreadySent is returned when cancelling a message that has left.
var ErrAlreadySent = errors.New("mail: the message was already sent")

// Cancel removes an unsent message from the outbox.
func (s *Store) Cancel(ctx context.Context, id int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM mail_outbox WHERE id = ? AND state <> 'sent'`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrAlreadySent
		}
		return nil
	})
}

// backoff is the wait before attempt n+1: 1, 2, 4… minutes, at most an hour.
func backoff(attempts int) time.Duration {
	d := time.Minute << min(attempts-1, 6)
	return min(d, time.Hour)
}

// SendResult counts what SendDue did.
type SendResult struct {
	Sent     int `json:"sent"`
	Failed   int `json:"failed"`   // refused for good: the user must act
	Deferred int `json:"deferred"` // will be tried again
}

type due struct {
	id, account int64
	raw         []byte
	rcpt        []string
	attempts    int
}

// SendDue sends every queued message whose time has come, then stores a
// copy of each sent message in the account's Sent folder (on the server
// and in the vault). Temporary failures wait with a growing delay;
// permanent refusals are marked failed with the server's reason.
func (s *Store) SendDue(ctx context.Context) (SendResult, error) {
	var res SendResult
	var list []due
	rows, err := txn.On(ctx, s.db).QueryContext(ctx, `SELECT id, account_id, raw, recipients, attempts FROM mail_outbox
		WHERE state = 'queued' AND next_attempt_at <= ? ORDER BY id`, stamp(s.now()))
	if err != nil {
		return res, fmt.Errorf("mail: outbox: %w", err)
	}
	for rows.Next() {
		var d due
		var rcpt string
		if err := rows.Scan(&d.id, &d.account, &d.raw, &rcpt, &d.attempts); err != nil {
			rows.Close()
			return res, err
		}
		json.Unmarshal([]byte(rcpt), &d.rcpt)
		list = append(list, d)
	}
	rows.Close()

	clients := map[int64]*smtp.Client{}
	defer func() {
		for _, c := range clients {
			c.Quit()
		}
	}()
	var firstErr error
	for _, d := range list {
		if ctx.Err() != nil {
			return res, ctx.Err()
		}
		err := s.sendOne(ctx, clients, d)
		switch {
		case err == nil:
			res.Sent++
		case isPermanent(err):
			res.Failed++
			s.markFailed(ctx, d, err, true)
		default:
			res.Deferred++
			s.markFailed(ctx, d, err, false)
			firstErr = cmpErr(firstErr, err)
		}
	}
	if err := s.appendSent(ctx); err != nil {
		firstErr = cmpErr(firstErr, err)
	}
	return res, firstErr
}

func cmpErr(first, err error) error {
	if first != nil {
		return first
	}
	return err
}

func (s *Store) sendOne(ctx context.Context, clients map[int64]*smtp.Client, d due) error {
	a, err := s.Account(ctx, d.account)
	if err != nil {
		return err
	}
	c := clients[a.ID]
	if c == nil {
		if c, err = DialSMTP(ctx, &a); err != nil {
			return err
		}
		clients[a.ID] = c
	} else if err := c.Reset(); err != nil {
		delete(clients, a.ID)
		return classify("smtp", a.SMTPHost, err)
	}
	if err := c.SendMail(a.Address, d.rcpt, bytes.NewReader(d.raw)); err != nil {
		var se *smtp.SMTPError
		if !errors.As(err, &se) {
			delete(clients, a.ID) // the connection is unusable
			return classify("smtp", a.SMTPHost, err)
		}
		return &ConnError{Kind: ConnProtocol, Server: "smtp", Host: a.SMTPHost, Err: err}
	}
	// Sent: record it and keep a copy with the account's sent mail.
	p := Parse(d.raw)
	return s.writeRaw(ctx, func(tx *writeTx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE mail_outbox SET state = 'sent', sent_at = ?, attempts = attempts + 1, last_error = '' WHERE id = ?`,
			stamp(s.now()), d.id); err != nil {
			return err
		}
		folder, err := sentFolder(ctx, tx.Tx, a.ID)
		if err != nil {
			return err
		}
		var docs searchDocs
		if _, err = insertMessage(ctx, tx, folder, a.Address, &incoming{flags: FlagSeen, raw: d.raw, parsed: p}, &docs); err != nil {
			return err
		}
		return docs.flush(ctx, tx.Tx)
	})
}

// sentFolder returns the account's Sent folder, recording one named
// "Sent" if the server's is not known yet.
func sentFolder(ctx context.Context, tx *sql.Tx, account int64) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM mail_folders WHERE account_id = ? AND role = 'sent'`, account).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		res, err := tx.ExecContext(ctx, `INSERT INTO mail_folders (account_id, name, role) VALUES (?, 'Sent', 'sent')
			ON CONFLICT (account_id, name) DO UPDATE SET role = 'sent'`, account)
		if err != nil {
			return 0, err
		}
		if id, err = res.LastInsertId(); err != nil || id == 0 {
			err = tx.QueryRowContext(ctx, `SELECT id FROM mail_folders WHERE account_id = ? AND role = 'sent'`, account).Scan(&id)
		}
		return id, err
	}
	return id, err
}

func isPermanent(err error) bool {
	var ce *ConnError
	if errors.As(err, &ce) {
		return !ce.Temporary()
	}
	return false
}

func (s *Store) markFailed(ctx context.Context, d due, err error, permanent bool) {
	state, next := "queued", stamp(s.now().Add(backoff(d.attempts+1)))
	if permanent {
		state, next = "failed", ""
	}
	s.write(ctx, func(tx *sql.Tx) error {
		_, e := tx.ExecContext(ctx, `UPDATE mail_outbox SET state = ?, attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?`,
			state, next, errorText(err), d.id)
		return e
	})
}

// errorText is what the outbox shows: the server's own words when it
// gave some.
func errorText(err error) string {
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		return fmt.Sprintf("%d %s", se.Code, se.Message)
	}
	var ce *ConnError
	if errors.As(err, &ce) {
		return string(ce.Kind) + ": " + ce.Err.Error()
	}
	return err.Error()
}

// appendSent stores sent messages in the server's Sent folder, once.
func (s *Store) appendSent(ctx context.Context) error {
	rows, err := txn.On(ctx, s.db).QueryContext(ctx, `SELECT o.id, o.account_id, o.raw, f.name FROM mail_outbox o
		JOIN mail_folders f ON f.account_id = o.account_id AND f.role = 'sent'
		WHERE o.state = 'sent' AND o.appended = 0 ORDER BY o.account_id, o.id`)
	if err != nil {
		return err
	}
	type pending struct {
		id, account int64
		raw         []byte
		folder      string
	}
	var list []pending
	for rows.Next() {
		var p pending
		if err := rows.Scan(&p.id, &p.account, &p.raw, &p.folder); err != nil {
			rows.Close()
			return err
		}
		list = append(list, p)
	}
	rows.Close()
	for i := 0; i < len(list); {
		a, err := s.Account(ctx, list[i].account)
		if err != nil {
			return err
		}
		c, err := DialIMAP(ctx, &a)
		if err != nil {
			return err
		}
		for ; i < len(list) && list[i].account == a.ID; i++ {
			p := list[i]
			err := c.Append(p.folder, []string{imap.SeenFlag}, s.now(), bytes.NewReader(p.raw))
			if err != nil && isIMAPNo(err) {
				c.Create(p.folder) // a Sent folder Carnet named itself
				err = c.Append(p.folder, []string{imap.SeenFlag}, s.now(), bytes.NewReader(p.raw))
			}
			if err != nil {
				c.Logout()
				return classify("imap", a.IMAPHost, c.cause(err))
			}
			if err := s.write(ctx, func(tx *sql.Tx) error {
				_, err := tx.ExecContext(ctx, `UPDATE mail_outbox SET appended = 1 WHERE id = ?`, p.id)
				return err
			}); err != nil {
				c.Logout()
				return err
			}
		}
		c.Logout()
	}
	return nil
}
