package app

import (
	"context"

	"carnet/backend/core"
	"carnet/backend/crm"
	"carnet/backend/i18n"
	"carnet/backend/mail"
	"carnet/backend/sales"
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
	return withMail(o.vault, func(ctx context.Context, s *mail.Store) (mail.Draft, error) {
		return s.ReplyDraft(ctx, id, mode, quoteWords(o.i18n, o.lang()))
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
// its PDF attached.
func (o *Outbox) DocumentDraft(documentID int64) (_ mail.Draft, err error) {
	defer guard(&err)
	return withMail(o.vault, func(ctx context.Context, s *mail.Store) (mail.Draft, error) {
		db, err := o.vault.db()
		if err != nil {
			return mail.Draft{}, err
		}
		st := sales.New(db, nil)
		d, err := st.Document(ctx, documentID)
		if err != nil {
			return mail.Draft{}, err
		}
		c, err := o.vault.core()
		if err != nil {
			return mail.Draft{}, err
		}
		pdf, err := c.DocumentPDF(ctx, documentID)
		if err != nil {
			return mail.Draft{}, err
		}
		lang := c.Lang()
		accounts, err := s.Accounts(ctx)
		if err != nil {
			return mail.Draft{}, err
		}
		if len(accounts) == 0 {
			return mail.Draft{}, &core.UserError{Key: "error.no_mail_account"}
		}
		name := d.Number
		if name == "" {
			name = o.i18n.T(lang, "pdf.draft", nil)
		}
		draft := mail.Draft{AccountID: accounts[0].ID, To: []string{}, Cc: []string{}, Bcc: []string{},
			Topic:       o.i18n.T(lang, "mail.document_subject."+d.Kind, map[string]any{"number": name}),
			Attachments: []mail.OutAttachment{{Filename: name + ".pdf", ContentType: "application/pdf", Data: pdf}}}
		people := crm.New(db, nil)
		if d.ContactID != 0 {
			if c, err := people.Contact(ctx, d.ContactID); err == nil && len(c.Emails) > 0 {
				draft.To = []string{c.Emails[0].Address}
			}
		} else if addr, err := people.CompanyEmail(ctx, d.CompanyID); err == nil && addr != "" {
			draft.To = []string{addr}
		}
		return draft, nil
	})
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
	return withMail(o.vault, func(ctx context.Context, s *mail.Store) ([]mail.OutboxItem, error) { return s.Outbox(ctx) })
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
