package app

import (
	"context"
	"errors"
	"log/slog"

	"carnet/backend/core"
	"carnet/backend/privacy/rights"
)

// Rights is bound to the frontend: answering a person's rights — access
// (Art. 15 and 20), erasure (Art. 17) and its certificate, the recipients
// told (Art. 19), restriction (Art. 18) and objection (Art. 21). Each
// method decodes, calls backend/core and maps errors.
type Rights struct {
	vault   *Vault
	dialogs func() Dialogs
}

// ExportSubject asks where to save a contact's access bundle and writes
// it there; requestID names the request it answers, if any.
func (r *Rights) ExportSubject(contactID, requestID int64) (_ core.SubjectExport, err error) {
	defer guard(&err)
	return useCore(r.vault, func(ctx context.Context, c *core.Core) (core.SubjectExport, error) {
		path, err := r.dialogs().SaveFile(ctx, c.I18n().T(c.Lang(), "access.bundle.save_title", nil), c.SubjectAccessFileName(contactID))
		if err != nil || path == "" {
			return core.SubjectExport{}, err
		}
		return c.ExportSubjectAccess(ctx, contactID, "", requestID, path)
	})
}

// ErasurePreview says what erasing the contact would erase and keep.
func (r *Rights) ErasurePreview(contactID int64) (_ rights.Plan, err error) {
	defer guard(&err)
	return useCore(r.vault, func(ctx context.Context, c *core.Core) (rights.Plan, error) { return c.ErasurePreview(ctx, contactID) })
}

// Erase erases the contact; with a request, the request is closed as done
// in the same transaction.
func (r *Rights) Erase(contactID, requestID int64) (_ rights.Erasure, err error) {
	defer guard(&err)
	return useCore(r.vault, func(ctx context.Context, c *core.Core) (rights.Erasure, error) {
		e, err := c.Erase(ctx, contactID, requestID)
		if errors.Is(err, core.ErrErasureUnfinished) {
			// The person is erased; the file keeps traces until the next
			// compaction. Nothing the user can do about it now.
			slog.Error("after an erasure", "err", err)
			err = nil
		}
		return e, err
	})
}

// SaveCertificate asks where to save an erasure's certificate, addressed
// to the name the requester gave, and writes it there.
func (r *Rights) SaveCertificate(erasureID int64, addressedTo string) (_ string, err error) {
	defer guard(&err)
	return useCore(r.vault, func(ctx context.Context, c *core.Core) (string, error) {
		cert, err := c.ErasureCertificate(ctx, erasureID, addressedTo)
		if err != nil {
			return "", err
		}
		path, err := r.dialogs().SaveFile(ctx, c.I18n().T(c.Lang(), "erasure.certificate.save_title", nil), cert.Number+".pdf")
		if err != nil || path == "" {
			return "", err
		}
		return path, c.SaveErasureCertificate(ctx, erasureID, addressedTo, path)
	})
}

// RecipientInformed records the day a recipient was told of an erasure;
// an empty day clears it.
func (r *Rights) RecipientInformed(erasureID int64, name, day string) (err error) {
	defer guard(&err)
	return doCore(r.vault, func(ctx context.Context, c *core.Core) error { return c.RecipientInformed(ctx, erasureID, name, day) })
}

// Restrict restricts a contact's processing.
func (r *Rights) Restrict(contactID int64, reason, until string) (err error) {
	defer guard(&err)
	return doCore(r.vault, func(ctx context.Context, c *core.Core) error { return c.Restrict(ctx, contactID, reason, until) })
}

// Unrestrict lifts a restriction.
func (r *Rights) Unrestrict(contactID int64) (err error) {
	defer guard(&err)
	return doCore(r.vault, func(ctx context.Context, c *core.Core) error { return c.Unrestrict(ctx, contactID) })
}

// Object records an objection to a purpose: the person's addresses go on
// the suppression list for it.
func (r *Rights) Object(contactID int64, purpose string, requestID int64) (err error) {
	defer guard(&err)
	return doCore(r.vault, func(ctx context.Context, c *core.Core) error { return c.Object(ctx, contactID, purpose, requestID) })
}
