package app

import (
	"context"
	"database/sql"

	"carnet/backend/core"
	"carnet/backend/i18n"
	"carnet/backend/mail"
)

// Outbox is bound to the frontend: writing (replies, documents sent by
// mail) and the messages waiting to leave.
type Outbox struct {
	vault *Vault
	i18n  *i18n.Bundle
	lang  func() string
	loop  *mailLoop // Mail's, not a copy: a message sent wakes the one loop
}

// ReplyDraft prepares a reply ("reply", "all") or a forward ("forward").
func (o *Outbox) ReplyDraft(id int64, mode string) (_ mail.Draft, err error) {
	defer guard(&err)
	return useDB(o.vault, func(ctx context.Context, db *sql.DB) (mail.Draft, error) {
		return mail.New(db, nil).ReplyDraft(ctx, id, mode, quoteWords(o.i18n, o.lang()))
	})
}

func quoteWords(b *i18n.Bundle, lang string) mail.QuoteWords {
	return mail.QuoteWords{
		Forwarded: b.T(lang, "mail.quote.forwarded", nil),
		From:      b.T(lang, "mail.quote.from", nil),
		Date:      b.T(lang, "mail.quote.date", nil),
		Topic:     b.T(lang, "mail.quote.subject", nil),
		Wrote: func(date, who string) string {
			return b.T(lang, "mail.quote.wrote", map[string]any{"date": date, "who": who})
		},
		When: b.Format(lang).DateTime,
	}
}

// DocumentDraft prepares a message to a quote's or invoice's customer with
// its PDF attached; the export is recorded.
func (o *Outbox) DocumentDraft(documentID int64) (_ mail.Draft, err error) {
	defer guard(&err)
	return useCore(o.vault, func(ctx context.Context, c *core.Core) (mail.Draft, error) { return c.DocumentDraft(ctx, documentID) })
}

// Send puts a message in the outbox and tries to send it at once; offline,
// it waits there.
func (o *Outbox) Send(d mail.Draft) (_ int64, err error) {
	defer guard(&err)
	id, err := useCore(o.vault, func(ctx context.Context, c *core.Core) (int64, error) { return c.QueueMail(ctx, d) })
	if err == nil {
		o.changed()
	}
	return id, err
}

// List lists messages waiting, failed, and sent in the last days.
func (o *Outbox) List() (_ []mail.OutboxItem, err error) {
	defer guard(&err)
	return useDB(o.vault, func(ctx context.Context, db *sql.DB) ([]mail.OutboxItem, error) {
		return mail.New(db, nil).Outbox(ctx)
	})
}

// Retry sends a waiting or failed message now.
func (o *Outbox) Retry(id int64) (err error) {
	defer guard(&err)
	err = doCore(o.vault, func(ctx context.Context, c *core.Core) error { return c.RetryMail(ctx, id) })
	if err == nil {
		o.changed()
	}
	return err
}

// Cancel removes an unsent message.
func (o *Outbox) Cancel(id int64) (err error) {
	defer guard(&err)
	err = doCore(o.vault, func(ctx context.Context, c *core.Core) error { return c.CancelMail(ctx, id) })
	if err == nil {
		o.changed()
	}
	return err
}

// changed tells the frontend the outbox count moved, and wakes the
// loop so a new message leaves at once.
func (o *Outbox) changed() {
	o.vault.emitEvent(EventMailChanged, o.loop.currentStatus())
	o.loop.poke()
}
