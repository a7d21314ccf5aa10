package core

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"carnet/backend/backup"
	"carnet/backend/pdf"
	"carnet/backend/privacy"
	"carnet/backend/privacy/rights"
	"carnet/backend/privacy/rights/bundle"
)

// The data subject's rights: access (Art. 15 and 20), erasure (Art. 17)
// and its certificate, telling recipients (Art. 19), restriction (Art. 18)
// and objection (Art. 21).

// holder is the rights package on the vault, translating the register's
// default texts in the interface language.
func (c *Core) holder() *rights.Holder {
	lang := c.lang()
	h := rights.New(c.db, c.now, func(key string) string { return c.i18n.T(lang, key, nil) })
	h.Speaks = c.i18n.Has
	return h
}

// SubjectExport is what an access export wrote.
type SubjectExport struct {
	Path      string `json:"path"` // "" when the window's dialog was cancelled
	Files     int    `json:"files"`
	Messages  int    `json:"messages"`
	Documents int    `json:"documents"`
}

// SubjectAccessFileName is the name offered for a bundle:
// "acces-donnees-12-2026-11-28.zip".
func (c *Core) SubjectAccessFileName(contactID int64) string {
	return fmt.Sprintf("%s-%d-%s.zip", c.i18n.T(c.lang(), "access.bundle.file_name", nil), contactID, c.now().Format(time.DateOnly))
}

// ExportSubjectAccess collects everything held about a contact (or, with
// contactID 0, about the person with this e-mail address: a contact who
// has or had it, else the stored messages it appears in) and writes the
// access bundle (Art. 15 and 20) to path. requestID names the request it
// answers, 0 if none. The bundle is built in memory; the file and the
// audit entry saying who exported whom are written together or not at all.
func (c *Core) ExportSubjectAccess(ctx context.Context, contactID int64, email string, requestID int64, path string) (SubjectExport, error) {
	h := c.holder()
	if contactID == 0 && email != "" {
		id, err := h.ContactByEmail(ctx, email)
		if err != nil {
			return SubjectExport{}, err
		}
		contactID = id
	}
	d, err := h.Collect(ctx, contactID, email, c.lang())
	if err != nil {
		return SubjectExport{}, err
	}
	var buf bytes.Buffer
	man, err := bundle.Write(ctx, &buf, c.db, d, c.i18n)
	if err != nil {
		return SubjectExport{}, err
	}
	out := SubjectExport{Path: path, Files: len(man.Files) + 1, Messages: len(d.Messages), Documents: len(d.Documents)}
	detail := map[string]any{"files": out.Files, "messages": out.Messages, "documents": out.Documents}
	if requestID != 0 {
		detail["request"] = requestID
	}
	if err := c.writeExport(ctx, path, buf.Bytes(), "export.subject_access", "contact", contactID, detail); err != nil {
		return SubjectExport{}, err
	}
	return out, nil
}

// erasureCopies lists the backups and replaced vaults that may still hold
// a person first recorded at since and erased at until ("" for a
// preview): the erasure cannot reach them, the user must know them.
func (c *Core) erasureCopies(since, until string) (*backup.Copies, error) {
	id, err := c.vault.ID()
	if err != nil {
		return nil, fmt.Errorf("core: copies of the vault: %w", err)
	}
	cp := backup.HoldingFrom(c.vault.Dir(), id, since, until, c.now())
	return &cp, nil
}

// ErasurePreview says what erasing the contact would erase and keep, and
// which copies of the vault may still hold them. It changes nothing: the
// erasure runs in a transaction that is rolled back.
func (c *Core) ErasurePreview(ctx context.Context, contactID int64) (rights.Plan, error) {
	plan, err := c.holder().Preview(ctx, contactID)
	if err != nil {
		return plan, err
	}
	plan.Copies, err = c.erasureCopies(plan.Since, "")
	return plan, err
}

// ErrErasureUnfinished wraps what failed after an erasure was committed:
// removing its traces from the database file. The erasure itself is done
// (the Erasure returned is filled in).
var ErrErasureUnfinished = errors.New("core: the erasure is done, its traces in the file are not removed")

// Erase erases a contact (Art. 17) and, with a request, closes it as done
// with the certificate as its decision and the requester's name removed:
// the erasure, the closing and their audit entries are one transaction,
// so a failure in any leaves the person and the request as they were.
//
// After the commit it removes the erasure's traces from the file (full-text
// segments, write-ahead log: rights.Holder.Compact) and writes the record
// kept outside the vault so that a restored backup does not bring the
// person back.
func (c *Core) Erase(ctx context.Context, contactID, requestID int64) (rights.Erasure, error) {
	h := c.holder()
	var e rights.Erasure
	err := c.change(ctx, func(ctx context.Context) error {
		ps := privacy.New(c.db, c.now)
		var req *privacy.Request
		if requestID != 0 {
			reqs, err := ps.Requests(ctx, privacy.RequestQuery{ContactID: contactID})
			if err != nil {
				return err
			}
			for i := range reqs {
				if reqs[i].ID == requestID {
					req = &reqs[i]
				}
			}
			if req == nil {
				return privacy.ErrUnknownRequest
			}
		}
		actor, err := c.Actor(ctx)
		if err != nil {
			return err
		}
		// rights writes the "contact.erase" entry itself, in this
		// transaction (it joins it through ctx).
		if e, err = h.Erase(ctx, contactID, rights.EraseOptions{Actor: actor, RequestID: requestID}); err != nil {
			return err
		}
		if req == nil || req.Status != "open" {
			return nil
		}
		req.Requester, req.Status, req.ClosedOn = "", "done", c.now().Format(time.DateOnly)
		if req.Decision == "" {
			req.Decision = e.Certificate
		}
		_, err = ps.SaveRequest(ctx, actor, *req)
		return err
	})
	if err != nil {
		return rights.Erasure{}, err
	}
	// Committed: the erasure is returned whatever follows.
	var cpErr error
	e.Plan.Copies, cpErr = c.erasureCopies(e.Plan.Since, e.ErasedAt)
	return e, errors.Join(c.afterErasure(ctx, h), cpErr)
}

// afterErasure runs once erasures are committed: a compaction cannot run
// inside a transaction, and the record outside the vault must only hold
// what committed.
func (c *Core) afterErasure(ctx context.Context, h *rights.Holder) error {
	c.recordErasures(ctx)
	if err := h.Compact(ctx); err != nil {
		return fmt.Errorf("%w: %w", ErrErasureUnfinished, err)
	}
	return nil
}

// recordErasures writes the record kept outside the vault after a change
// committed. A failure is logged, not returned: the change is done, and
// every unlock writes the record again from the database.
func (c *Core) recordErasures(ctx context.Context) {
	if err := c.RecordErasures(ctx); err != nil {
		slog.Error("recording erasures outside the vault", "err", err)
	}
}

// RecordErasures adds the vault's erasures and suppression list entries
// to the record kept next to it, outside it (rights.SyncRecord), so that
// an older copy of the vault put back gets them again (ReapplyErasures).
func (c *Core) RecordErasures(ctx context.Context) error {
	id, err := c.vault.ID()
	if err != nil {
		return err
	}
	// A record found tampered with is Carnet's finding, not the caller's.
	actor, err := c.AsApp().Actor(ctx)
	if err != nil {
		return err
	}
	return rights.SyncRecord(ctx, c.db, c.vault.Dir(), id, actor, c.now())
}

// ReapplyErasures runs at each unlock (Housekeep) and right after a restore: a
// database put back from an older copy gets its erasures and suppression
// list entries back from the record kept outside the vault (Art. 17: a
// restored backup must not bring anyone back). Each erasure carried out
// again is its own transaction with its audit entry (rights.Holder.Reapply:
// the record file is read before and written after them).
func (c *Core) ReapplyErasures(ctx context.Context) (rights.Reapplied, error) {
	id, err := c.vault.ID()
	if err != nil {
		return rights.Reapplied{}, err
	}
	actor, err := c.Actor(ctx)
	if err != nil {
		return rights.Reapplied{}, err
	}
	return c.holder().Reapply(ctx, c.vault.Dir(), id, actor)
}

// SaveErasureCertificate writes the certificate of an erasure as PDF to
// path, addressed to the name the requester gave (the only personal data
// on it), with the audit entry recording it.
func (c *Core) SaveErasureCertificate(ctx context.Context, erasureID int64, addressedTo, path string) error {
	cert, err := c.ErasureCertificate(ctx, erasureID, addressedTo)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := pdf.New(c.i18n, c.lang()).ErasureCertificate(&buf, &cert); err != nil {
		return err
	}
	return c.writeExport(ctx, path, buf.Bytes(), "export.erasure_certificate", "contact", 0, map[string]any{"certificate": cert.Number})
}

// ErasureCertificate reads what an erasure's certificate states, with the
// copies of the vault that may still hold the person.
func (c *Core) ErasureCertificate(ctx context.Context, erasureID int64, addressedTo string) (rights.Certificate, error) {
	cert, err := c.holder().Certificate(ctx, erasureID)
	if err != nil {
		return cert, err
	}
	cert.AddressedTo = strings.TrimSpace(addressedTo)
	cert.Copies, err = c.erasureCopies(cert.Since, cert.ErasedAt)
	return cert, err
}

// RecipientInformed records the day a recipient was told of an erasure
// (Art. 19); an empty day clears it.
func (c *Core) RecipientInformed(ctx context.Context, erasureID int64, name, day string) error {
	return c.change(ctx, func(ctx context.Context) error {
		return c.holder().Informed(ctx, erasureID, name, day)
	})
}

// Restrict restricts a contact's processing (Art. 18): kept, read-only,
// out of lists and mailings until lifted or until the end date.
func (c *Core) Restrict(ctx context.Context, contactID int64, reason, until string) error {
	return c.change(ctx, func(ctx context.Context) error {
		if err := c.crm().Restrict(ctx, contactID, reason, until); err != nil {
			return err
		}
		return c.audit(ctx, "contact.restrict", "contact", contactID, map[string]any{"until": strings.TrimSpace(until)})
	})
}

// Unrestrict lifts a restriction.
func (c *Core) Unrestrict(ctx context.Context, contactID int64) error {
	return c.change(ctx, func(ctx context.Context) error {
		if err := c.crm().Unrestrict(ctx, contactID); err != nil {
			return err
		}
		return c.audit(ctx, "contact.unrestrict", "contact", contactID, nil)
	})
}

// Object records an objection to a purpose (Art. 21): the person's
// addresses go on the suppression list for it, and the record outside the
// vault keeps them should an older copy be restored.
func (c *Core) Object(ctx context.Context, contactID int64, purpose string, requestID int64) error {
	err := c.change(ctx, func(ctx context.Context) error {
		// rights writes the "contact.object" entry itself, in this
		// transaction.
		actor, err := c.Actor(ctx)
		if err != nil {
			return err
		}
		return c.holder().Object(ctx, contactID, purpose, rights.EraseOptions{Actor: actor, RequestID: requestID})
	})
	if err != nil {
		return err
	}
	c.recordErasures(ctx)
	return nil
}
