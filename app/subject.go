package app

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"carnet/backend/crm"
	"carnet/backend/fsutil"
	"carnet/backend/i18n"
	"carnet/backend/pdf"
	"carnet/backend/privacy"
	"carnet/backend/privacy/rights"
	"carnet/backend/privacy/rights/bundle"
)

// SubjectExport is what an access export wrote.
type SubjectExport struct {
	Path      string `json:"path"` // "" when the dialog was cancelled
	Files     int    `json:"files"`
	Messages  int    `json:"messages"`
	Documents int    `json:"documents"`
}

// ExportSubjectFile collects everything held about a contact (or, with id
// 0, the messages of an unmatched address) and writes the access bundle
// to path. The command line uses it too.
func ExportSubjectFile(ctx context.Context, db *sql.DB, b *i18n.Bundle, lang, actor string, contactID int64, email string, requestID int64, path string) (SubjectExport, error) {
	h := rights.New(db, nil, func(key string) string { return b.T(lang, key, nil) })
	if contactID == 0 && email != "" {
		id, err := h.ContactByEmail(ctx, email)
		if err != nil {
			return SubjectExport{}, err
		}
		contactID = id
	}
	d, err := h.Collect(ctx, contactID, email, lang)
	if err != nil {
		return SubjectExport{}, err
	}
	man, err := bundle.WriteFile(ctx, path, db, d, b)
	if err != nil {
		return SubjectExport{}, err
	}
	detail := map[string]any{"files": len(man.Files) + 1, "messages": len(d.Messages), "documents": len(d.Documents)}
	if requestID != 0 {
		detail["request"] = requestID
	}
	if err := privacy.New(db, nil).Log(ctx, actor, "export.subject_access", "contact", contactID, detail); err != nil {
		return SubjectExport{}, err
	}
	return SubjectExport{Path: path, Files: len(man.Files) + 1, Messages: len(d.Messages), Documents: len(d.Documents)}, nil
}

// subjectFileName is the name offered for a bundle: "acces-donnees-12-2026-11-28.zip".
func subjectFileName(b *i18n.Bundle, lang string, contactID int64, now time.Time) string {
	return fmt.Sprintf("%s-%d-%s.zip", b.T(lang, "access.bundle.file_name", nil), contactID, now.Format("2006-01-02"))
}

// ExportSubject asks where to save a contact's access bundle (Art. 15 and
// 20) and writes it there; requestID names the request it answers, if any.
func (p *Privacy) ExportSubject(contactID, requestID int64) (_ SubjectExport, err error) {
	defer guard(&err)
	db, err := p.vault.db()
	if err != nil {
		return SubjectExport{}, userError(err)
	}
	ctx, lang := p.vault.ctx, p.lang()
	path, err := p.dialogs().SaveFile(ctx, p.i18n.T(lang, "access.bundle.save_title", nil), subjectFileName(p.i18n, lang, contactID, time.Now()))
	if err != nil || path == "" {
		return SubjectExport{}, userError(err)
	}
	out, err := ExportSubjectFile(ctx, db, p.i18n, lang, p.vault.actor(), contactID, "", requestID, path)
	return out, userError(err)
}

func (p *Privacy) holder() (*rights.Holder, error) {
	db, err := p.vault.db()
	if err != nil {
		return nil, err
	}
	return rights.New(db, nil, p.words()), nil
}

// ErasurePreview says what erasing the contact would erase and keep.
func (p *Privacy) ErasurePreview(contactID int64) (_ rights.Plan, err error) {
	defer guard(&err)
	h, err := p.holder()
	if err != nil {
		return rights.Plan{}, userError(err)
	}
	plan, err := h.Preview(p.vault.ctx, contactID)
	if err != nil {
		return plan, userError(err)
	}
	plan.Copies = p.vault.erasureCopies(plan.Since, "")
	return plan, nil
}

// Erase erases the contact (Art. 17); with a request, the request is
// closed as done.
func (p *Privacy) Erase(contactID, requestID int64) (_ rights.Erasure, err error) {
	defer guard(&err)
	db, err := p.vault.db()
	if err != nil {
		return rights.Erasure{}, userError(err)
	}
	ctx := p.vault.ctx
	e, err := EraseSubject(ctx, db, p.words(), p.vault.actor(), contactID, requestID, func(h *rights.Holder) {
		compactInBackground(ctx, h)
	})
	if e.ID != 0 {
		// Kept outside the vault so that a restored backup gets it back.
		p.vault.recordErasures()
		e.Plan.Copies = p.vault.erasureCopies(e.Plan.Since, e.ErasedAt)
	}
	return e, userError(err)
}

// compactInBackground removes an erasure's traces from the file: a second
// or so on a large vault, which the user need not wait for.
func compactInBackground(ctx context.Context, h *rights.Holder) {
	go recovered("compaction after an erasure", func() {
		if err := h.Compact(ctx); err != nil {
			slog.Error("compacting after an erasure", "err", err)
		}
	})
}

// EraseSubject erases a contact and closes the request it answers; compact
// is given the holder to remove the erasure's traces from the file (the
// app in the background, the command line at once). The command line uses
// it too.
func EraseSubject(ctx context.Context, db *sql.DB, words privacy.Words, actor string, contactID, requestID int64, compact func(*rights.Holder)) (rights.Erasure, error) {
	ps := privacy.New(db, nil)
	var req *privacy.Request
	if requestID != 0 {
		reqs, err := ps.Requests(ctx, privacy.RequestQuery{ContactID: contactID})
		if err != nil {
			return rights.Erasure{}, err
		}
		for i := range reqs {
			if reqs[i].ID == requestID {
				req = &reqs[i]
			}
		}
		if req == nil {
			return rights.Erasure{}, privacy.ErrUnknownRequest
		}
	}
	h := rights.New(db, nil, words)
	e, err := h.Erase(ctx, contactID, rights.EraseOptions{Actor: actor, RequestID: requestID})
	if err != nil {
		return e, err
	}
	if compact != nil {
		compact(h)
	}
	if req == nil || req.Status != "open" {
		return e, nil
	}
	req.Requester, req.Status, req.ClosedOn = "", "done", time.Now().Format(time.DateOnly)
	if req.Decision == "" {
		req.Decision = e.Certificate
	}
	_, err = ps.SaveRequest(ctx, actor, *req)
	return e, err
}

// SaveCertificate asks where to save an erasure's certificate, addressed
// to the name the requester gave, and writes it there.
func (p *Privacy) SaveCertificate(erasureID int64, addressedTo string) (_ string, err error) {
	defer guard(&err)
	db, err := p.vault.db()
	if err != nil {
		return "", userError(err)
	}
	ctx, lang := p.vault.ctx, p.lang()
	c, err := rights.New(db, nil, p.words()).Certificate(ctx, erasureID)
	if err != nil {
		return "", userError(err)
	}
	c.AddressedTo = strings.TrimSpace(addressedTo)
	c.Copies = p.vault.erasureCopies(c.Since, c.ErasedAt)
	path, err := p.dialogs().SaveFile(ctx, p.i18n.T(lang, "erasure.certificate.save_title", nil), c.Number+".pdf")
	if err != nil || path == "" {
		return "", userError(err)
	}
	var buf strings.Builder
	if err := pdf.New(p.i18n, lang).ErasureCertificate(&buf, &c); err != nil {
		return "", userError(err)
	}
	if err := fsutil.WriteFileAtomic(path, []byte(buf.String()), 0o600); err != nil {
		return "", userError(err)
	}
	p.vault.audit("export.erasure_certificate", "contact", 0, map[string]any{"certificate": c.Number})
	return path, nil
}

// RecipientInformed records the day a recipient was told of an erasure
// (Art. 19); an empty day clears it.
func (p *Privacy) RecipientInformed(erasureID int64, name, day string) (err error) {
	defer guard(&err)
	h, err := p.holder()
	if err != nil {
		return userError(err)
	}
	return userError(h.Informed(p.vault.ctx, erasureID, name, day))
}

// Restrict restricts a contact's processing (Art. 18).
func (c *Contacts) Restrict(id int64, reason, until string) (err error) {
	defer guard(&err)
	_, err = with(c, func(ctx context.Context, s *crm.Store) (any, error) { return nil, s.Restrict(ctx, id, reason, until) })
	if err == nil {
		c.vault.audit("contact.restrict", "contact", id, map[string]any{"until": until})
	}
	return err
}

// Unrestrict lifts a restriction.
func (c *Contacts) Unrestrict(id int64) (err error) {
	defer guard(&err)
	_, err = with(c, func(ctx context.Context, s *crm.Store) (any, error) { return nil, s.Unrestrict(ctx, id) })
	if err == nil {
		c.vault.audit("contact.unrestrict", "contact", id, nil)
	}
	return err
}

// Object records an objection to a purpose (Art. 21): the person's
// addresses go on the suppression list for it.
func (p *Privacy) Object(contactID int64, purpose string, requestID int64) (err error) {
	defer guard(&err)
	h, err := p.holder()
	if err != nil {
		return userError(err)
	}
	if err := h.Object(p.vault.ctx, contactID, purpose, rights.EraseOptions{Actor: p.vault.actor(), RequestID: requestID}); err != nil {
		return userError(err)
	}
	p.vault.recordErasures()
	return nil
}
