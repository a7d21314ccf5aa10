package core

import (
	"context"
	"fmt"

	"carnet/backend/mail"
)

// DocumentDraft prepares a message to a quote's, invoice's or credit
// note's customer, from the first mail account, with the document's PDF
// attached and a subject line in the interface's language. The PDF is
// about to leave Carnet: its export is recorded (Art. 5(2)) in the same
// transaction that renders it, and a sealed document (its buyer erased)
// is opened through OpenDocument, which records that too. A failed entry
// gives no draft.
func (c *Core) DocumentDraft(ctx context.Context, id int64) (mail.Draft, error) {
	var draft mail.Draft
	err := c.change(ctx, func(ctx context.Context) error {
		d, err := c.OpenDocument(ctx, id)
		if err != nil {
			return err
		}
		accounts, err := c.mail().Accounts(ctx)
		if err != nil {
			return err
		}
		if len(accounts) == 0 {
			return &UserError{Key: "error.no_mail_account"}
		}
		pdf, err := c.DocumentPDF(ctx, id)
		if err != nil {
			return err
		}
		lang := c.lang()
		name := d.Number
		if name == "" {
			name = c.i18n.T(lang, "pdf.draft", nil)
		}
		draft = mail.Draft{AccountID: accounts[0].ID, To: []string{}, Cc: []string{}, Bcc: []string{},
			Topic:       c.i18n.T(lang, "mail.document_subject."+d.Kind, map[string]any{"number": name}),
			Attachments: []mail.OutAttachment{{Filename: name + ".pdf", ContentType: "application/pdf", Data: pdf}}}
		// The customer's first address; none found leaves To for the user.
		if d.ContactID != 0 {
			if p, err := c.crm().Contact(ctx, d.ContactID); err == nil && len(p.Emails) > 0 {
				draft.To = []string{p.Emails[0].Address}
			}
		} else if addr, err := c.crm().CompanyEmail(ctx, d.CompanyID); err == nil && addr != "" {
			draft.To = []string{addr}
		}
		return c.audit(ctx, "export.document", "document", id, map[string]any{"format": "pdf", "via": "mail"})
	})
	if err != nil {
		return mail.Draft{}, fmt.Errorf("core: mail document %d: %w", id, err)
	}
	return draft, nil
}
