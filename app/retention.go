package app

import (
	"bytes"
	"context"
	"time"

	"carnet/backend/fsutil"
	"carnet/backend/i18n"
	"carnet/backend/pdf"
	"carnet/backend/privacy/breach"
	"carnet/backend/privacy/retention"
	"carnet/backend/privacy/rights"
)

func withRetention[T any](p *Privacy, fn func(ctx context.Context, s *retention.Store) (T, error)) (T, error) {
	var zero T
	db, err := p.vault.db()
	if err != nil {
		return zero, userError(err)
	}
	v, err := fn(p.vault.ctx, retention.New(db, nil, p.i18n))
	if err != nil {
		return zero, userError(err)
	}
	return v, nil
}

// RetentionPolicy returns the retention periods (the CNIL's at first).
func (p *Privacy) RetentionPolicy() (_ retention.Policy, err error) {
	defer guard(&err)
	return withRetention(p, func(ctx context.Context, s *retention.Store) (retention.Policy, error) { return s.Policy(ctx) })
}

// SaveRetentionPolicy stores the retention periods.
func (p *Privacy) SaveRetentionPolicy(pol retention.Policy) (err error) {
	defer guard(&err)
	_, err = withRetention(p, func(ctx context.Context, s *retention.Store) (any, error) {
		return nil, s.SavePolicy(ctx, p.vault.actor(), pol)
	})
	return err
}

// RetentionDue previews what has reached its retention limit today, and
// what will within 30 days. It changes nothing.
func (p *Privacy) RetentionDue() (_ retention.Sweep, err error) {
	defer guard(&err)
	return withRetention(p, func(ctx context.Context, s *retention.Store) (retention.Sweep, error) { return s.Due(ctx, time.Now()) })
}

// AskRepermission records re-permission requests and returns the e-mails
// to send (in each person's language).
func (p *Privacy) AskRepermission(ids []int64) (_ []retention.Letter, err error) {
	defer guard(&err)
	return withRetention(p, func(ctx context.Context, s *retention.Store) ([]retention.Letter, error) {
		return s.AskRepermission(ctx, p.vault.actor(), ids)
	})
}

// AnswerRepermission records the person's answer: yes restarts the clock,
// no makes their data due for erasure.
func (p *Privacy) AnswerRepermission(contactID int64, yes bool) (err error) {
	defer guard(&err)
	_, err = withRetention(p, func(ctx context.Context, s *retention.Store) (any, error) {
		return nil, s.Answer(ctx, p.vault.actor(), contactID, yes)
	})
	return err
}

// ArchiveContacts moves contacts to the intermediate archive (sealed,
// read-only, out of every list and search) for a legal reason.
func (p *Privacy) ArchiveContacts(ids []int64, reason string) (err error) {
	defer guard(&err)
	_, err = withRetention(p, func(ctx context.Context, s *retention.Store) (any, error) {
		return nil, s.Archive(ctx, p.vault.actor(), ids, reason)
	})
	return err
}

// Unarchive takes a contact out of the intermediate archive.
func (p *Privacy) Unarchive(contactID int64) (err error) {
	defer guard(&err)
	_, err = withRetention(p, func(ctx context.Context, s *retention.Store) (any, error) {
		return nil, s.Unarchive(ctx, p.vault.actor(), contactID)
	})
	return err
}

// EraseDue erases the contacts whose retention period has run, each
// through the erasure with its legal holds; it returns the erasures.
func (p *Privacy) EraseDue(ids []int64) (_ []rights.Erasure, err error) {
	defer guard(&err)
	db, err := p.vault.db()
	if err != nil {
		return nil, userError(err)
	}
	ctx := p.vault.ctx
	out, err := retention.New(db, nil, p.i18n).EraseDue(ctx, p.vault.actor(), ids, p.words())
	if len(out) > 0 {
		compactInBackground(ctx, rights.New(db, nil, p.words()))
	}
	return out, userError(err)
}

// DeleteDueMessages deletes e-mails linked to no contact whose period has
// run; it returns how many went.
func (p *Privacy) DeleteDueMessages(ids []int64) (_ int, err error) {
	defer guard(&err)
	return withRetention(p, func(ctx context.Context, s *retention.Store) (int, error) {
		return s.DeleteMessages(ctx, p.vault.actor(), ids)
	})
}

func withBreaches[T any](p *Privacy, fn func(ctx context.Context, s *breach.Store) (T, error)) (T, error) {
	var zero T
	db, err := p.vault.db()
	if err != nil {
		return zero, userError(err)
	}
	v, err := fn(p.vault.ctx, breach.New(db, nil, p.i18n))
	if err != nil {
		return zero, userError(err)
	}
	return v, nil
}

// Breaches lists the breach register, newest first.
func (p *Privacy) Breaches() (_ []breach.Breach, err error) {
	defer guard(&err)
	return withBreaches(p, func(ctx context.Context, s *breach.Store) ([]breach.Breach, error) { return s.Breaches(ctx) })
}

// Breach returns one breach.
func (p *Privacy) Breach(id int64) (_ breach.Breach, err error) {
	defer guard(&err)
	return withBreaches(p, func(ctx context.Context, s *breach.Store) (breach.Breach, error) { return s.Breach(ctx, id) })
}

// SaveBreach records a new breach or its next step; the people and
// records concerned are counted from the vault.
func (p *Privacy) SaveBreach(b breach.Breach) (_ breach.Breach, err error) {
	defer guard(&err)
	return withBreaches(p, func(ctx context.Context, s *breach.Store) (breach.Breach, error) {
		return s.Save(ctx, p.vault.actor(), b)
	})
}

// RecountBreach counts again the people and records concerned.
func (p *Privacy) RecountBreach(id int64) (_ breach.Breach, err error) {
	defer guard(&err)
	return withBreaches(p, func(ctx context.Context, s *breach.Store) (breach.Breach, error) {
		return s.Recount(ctx, p.vault.actor(), id)
	})
}

// AddBreachComplement records information sent to the CNIL after the
// initial notification.
func (p *Privacy) AddBreachComplement(id int64, c breach.Complement) (_ breach.Breach, err error) {
	defer guard(&err)
	return withBreaches(p, func(ctx context.Context, s *breach.Store) (breach.Breach, error) {
		return s.AddComplement(ctx, p.vault.actor(), id, c)
	})
}

// PendingBreaches are the breaches whose 72-hour clock runs, for the
// countdown shown everywhere.
func (p *Privacy) PendingBreaches() (_ []breach.Clock, err error) {
	defer guard(&err)
	return withBreaches(p, func(ctx context.Context, s *breach.Store) ([]breach.Clock, error) { return s.Pending(ctx, time.Now()) })
}

// BreachNotification drafts the notification to the CNIL (Art. 33(3)) in
// the user's language.
func (p *Privacy) BreachNotification(id int64) (_ breach.Notification, err error) {
	defer guard(&err)
	return withBreaches(p, func(ctx context.Context, s *breach.Store) (breach.Notification, error) {
		return s.Notification(ctx, id, p.lang())
	})
}

// BreachLetters drafts the Art. 34 letters, one per person, in their
// language.
func (p *Privacy) BreachLetters(id int64) (_ []breach.Letter, err error) {
	defer guard(&err)
	return withBreaches(p, func(ctx context.Context, s *breach.Store) ([]breach.Letter, error) { return s.Letters(ctx, id) })
}

// SaveBreachReport asks where to save a breach's report (PDF) and writes it.
func (p *Privacy) SaveBreachReport(id int64) (_ string, err error) {
	defer guard(&err)
	return withBreaches(p, func(ctx context.Context, s *breach.Store) (string, error) {
		data, err := BreachReportPDF(ctx, s, p.i18n, p.lang(), id)
		if err != nil {
			return "", err
		}
		r, _ := s.Breach(ctx, id)
		path, err := p.dialogs().SaveFile(ctx, p.i18n.T(p.lang(), "breach.report.save_title", nil), r.Reference+".pdf")
		if err != nil || path == "" {
			return "", err
		}
		if err := fsutil.WriteFileAtomic(path, data, 0o600); err != nil {
			return "", err
		}
		p.vault.audit("export.breach_report", "breach", id, nil)
		return path, nil
	})
}

// BreachReportPDF renders a breach's report. The command line uses it too.
func BreachReportPDF(ctx context.Context, s *breach.Store, b *i18n.Bundle, lang string, id int64) ([]byte, error) {
	r, err := s.Report(ctx, id)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := pdf.New(b, lang).BreachReport(&buf, r); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
