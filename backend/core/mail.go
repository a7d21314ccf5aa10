package core

import (
	"context"
	"errors"
	"time"

	"carnet/backend/crm"
	"carnet/backend/mail"
)

func (c *Core) mail() *mail.Store { return mail.New(c.db, c.now) }

// Mail's network work — syncing a mailbox, sending the outbox — and the
// import of message files write in transactions of their own, in chunks,
// on connections of their own (the messages' bytes go through SQLite's
// blob I/O): they must not run inside change, which would hold the write
// lock they wait for. Every other mail write is a plain store write and
// goes through change.

// MailSync is what one round of SyncMail did.
type MailSync struct {
	mail.SyncResult
	Sent mail.SendResult `json:"outbox"`
	// Failed holds each account whose sync failed, with why.
	Failed map[int64]error `json:"-"`
	// SendErr is why the outbox could not be sent, nil when it was.
	SendErr error `json:"-"`
}

// SyncMail sends what waits in the outbox, then syncs the account (0:
// every account), telling progress (may be nil) as it goes. An account
// that fails does not stop the others; the first failure comes back, and
// each account's in Failed. A cancelled context stops the round.
//
// The window runs it in its background loop (on a timer, and when an
// inbox announces new mail) and on "Sync now"; the command line in carnet
// mail sync.
func (c *Core) SyncMail(ctx context.Context, account int64, progress func(mail.Progress)) (MailSync, error) {
	s := c.mail()
	r := MailSync{Failed: map[int64]error{}}
	accounts, err := s.Accounts(ctx)
	if err != nil {
		return r, err
	}
	r.Sent, r.SendErr = s.SendDue(ctx)
	var first error
	for _, a := range accounts {
		if account != 0 && a.ID != account {
			continue
		}
		res, err := s.Sync(ctx, a.ID, progress)
		r.New += res.New
		r.Updated += res.Updated
		r.Deleted += res.Deleted
		r.Reset += res.Reset
		if err != nil {
			if errors.Is(err, context.Canceled) {
				return r, err
			}
			r.Failed[a.ID] = err
			if first == nil {
				first = err
			}
		}
	}
	if first == nil {
		first = r.SendErr
	}
	return r, first
}

// SendMail sends what is due in the outbox now (carnet mail send, after
// queueing).
func (c *Core) SendMail(ctx context.Context) (mail.SendResult, error) {
	return c.mail().SendDue(ctx)
}

// SaveMailAccount creates or updates a mail account (an empty password
// keeps the stored one).
func (c *Core) SaveMailAccount(ctx context.Context, a mail.Account) (id int64, err error) {
	err = c.change(ctx, func(ctx context.Context) error {
		id, err = c.mail().SaveAccount(ctx, a)
		return err
	})
	return id, err
}

// TestMailAccount connects to both servers and logs in, within a minute.
// An empty password with an existing account uses the stored one.
func (c *Core) TestMailAccount(ctx context.Context, a mail.Account) error {
	a, err := c.mail().WithStoredPassword(ctx, a)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	return mail.Test(ctx, a)
}

// DeleteMailAccount removes an account and the mail copied from it.
func (c *Core) DeleteMailAccount(ctx context.Context, id int64) error {
	return c.change(ctx, func(ctx context.Context) error { return c.mail().DeleteAccount(ctx, id) })
}

// SetMailFolderSync follows or stops following a server folder.
func (c *Core) SetMailFolderSync(ctx context.Context, account int64, name string, on bool) error {
	return c.change(ctx, func(ctx context.Context) error { return c.mail().SetFolderSync(ctx, account, name, on) })
}

// QueueMail puts a message in the outbox; it leaves at the next send.
func (c *Core) QueueMail(ctx context.Context, d mail.Draft) (id int64, err error) {
	err = c.change(ctx, func(ctx context.Context) error {
		id, err = c.mail().Queue(ctx, d)
		return err
	})
	return id, err
}

// RetryMail sends a waiting or failed message at the next send.
func (c *Core) RetryMail(ctx context.Context, id int64) error {
	return c.change(ctx, func(ctx context.Context) error { return c.mail().Retry(ctx, id) })
}

// CancelMail removes an unsent message from the outbox.
func (c *Core) CancelMail(ctx context.Context, id int64) error {
	return c.change(ctx, func(ctx context.Context) error { return c.mail().Cancel(ctx, id) })
}

// OpenMail reads a message and marks it read (told to the server at the
// next sync). Remote content stays blocked unless loadRemote or the
// sender was allowed. The message is read outside the transaction: its
// bytes come through a connection of their own.
func (c *Core) OpenMail(ctx context.Context, id int64, loadRemote bool) (mail.Message, error) {
	msg, err := c.mail().Open(ctx, id, loadRemote, nil)
	if err != nil || msg.Flags&mail.FlagSeen != 0 {
		return msg, err
	}
	if err := c.MarkMailSeen(ctx, id, true); err != nil {
		return msg, err
	}
	msg.Flags |= mail.FlagSeen
	return msg, nil
}

// MarkMailSeen marks a message read or unread.
func (c *Core) MarkMailSeen(ctx context.Context, id int64, seen bool) error {
	return c.change(ctx, func(ctx context.Context) error { return c.mail().MarkSeen(ctx, id, seen) })
}

// AllowMailRemote always loads (or stops loading) the remote content of
// the sender of message id.
func (c *Core) AllowMailRemote(ctx context.Context, id int64, allow bool) error {
	return c.change(ctx, func(ctx context.Context) error { return c.mail().AllowRemote(ctx, id, allow) })
}

// ImportMailFile adds a message file (.eml) to an account's inbox. Not in
// change: the message's bytes are written through a connection of its own.
func (c *Core) ImportMailFile(ctx context.Context, account int64, raw []byte) (int64, error) {
	return c.mail().ImportFile(ctx, account, raw)
}

// ContactFromMail makes a contact of someone on a message, with the
// message as the source and the date of their last message as last
// inbound contact. Recorded as any contact created (Art. 5(2)).
func (c *Core) ContactFromMail(ctx context.Context, address, name string) (id int64, err error) {
	source := c.i18n.T(c.lang(), "mail.source", map[string]any{"address": address})
	err = c.change(ctx, func(ctx context.Context) error {
		last, err := c.mail().LatestInbound(ctx, address)
		if err != nil {
			return err
		}
		given, family := crm.SplitFullName(name)
		ct := crm.Contact{GivenName: given, FamilyName: family, Emails: []crm.Email{{Address: address}}, Source: source, LastInboundAt: last}
		if id, err = c.crm().CreateContact(ctx, ct); err != nil {
			return err
		}
		return c.audit(ctx, "contact.create", "contact", id, nil)
	})
	return id, err
}
