package cli

import (
	"context"
	"flag"
	"fmt"
	"io"

	"carnet/backend/privacy"
)

func (r *runner) privacyCommands(cmds map[string]command) {
	var e privacy.Entry
	var contact int64
	consent := func(action string) command {
		return command{
			flags: func(fs *flag.FlagSet) {
				fs.Int64Var(&e.ContactID, "contact", 0, "")
				fs.StringVar(&e.Purpose, "purpose", "", "")
				fs.StringVar(&e.Channel, "channel", "email", "")
				fs.StringVar(&e.Wording, "wording", "", "")
				fs.StringVar(&e.WordingVersion, "wording-version", "", "")
				fs.StringVar(&e.Method, "method", "form", "")
				fs.StringVar(&e.Evidence, "evidence", "", "")
				fs.StringVar(&e.OccurredAt, "date", "", "")
			},
			run: func(ctx context.Context, _ []string) int {
				e.Action = action
				return r.privacyRecord(ctx, e)
			},
		}
	}
	cmds["privacy consent grant"] = consent("grant")
	cmds["privacy consent refuse"] = consent("refuse")
	cmds["privacy consent withdraw"] = consent("withdraw")
	cmds["privacy consent history"] = command{
		flags: func(fs *flag.FlagSet) { fs.Int64Var(&contact, "contact", 0, "") },
		run:   func(ctx context.Context, _ []string) int { return r.privacyHistory(ctx, contact) },
	}
	var openOnly bool
	cmds["privacy requests"] = command{
		flags: func(fs *flag.FlagSet) { fs.BoolVar(&openOnly, "open", false, "") },
		run:   func(ctx context.Context, _ []string) int { return r.privacyRequests(ctx, openOnly) },
	}
	cmds["privacy purposes"] = command{run: func(ctx context.Context, _ []string) int { return r.privacyPurposes(ctx) }}
	cmds["privacy audit"] = command{
		flags: func(fs *flag.FlagSet) { fs.Int64Var(&contact, "contact", 0, "") },
		run:   func(ctx context.Context, _ []string) int { return r.privacyAudit(ctx, contact) },
	}
}

func (r *runner) privacyPurposes(ctx context.Context) int {
	c, done, err := r.core(ctx)
	if err != nil {
		return r.fail(err)
	}
	defer done()
	list, err := c.Purposes(ctx)
	if err != nil {
		return r.fail(err)
	}
	return r.output(list, func(w io.Writer) {
		for _, p := range list {
			fmt.Fprintf(w, "%s\t%s\t%s\n", p.Key, p.Name, r.t("privacy.basis."+p.LawfulBasis, nil))
		}
	})
}

func (r *runner) privacyRecord(ctx context.Context, e privacy.Entry) int {
	if e.ContactID == 0 || e.Purpose == "" {
		return r.usage(r.errorf("cli.consent_flags", nil))
	}
	c, done, err := r.core(ctx)
	if err != nil {
		return r.fail(err)
	}
	defer done()
	if e, err = c.RecordConsent(ctx, e); err != nil {
		return r.fail(err)
	}
	if r.json {
		r.writeJSON(map[string]any{"ok": true, "entry": e})
	} else {
		fmt.Fprintln(r.env.Stdout, r.t("cli.consent_recorded", map[string]any{"id": e.ID}))
	}
	return ExitOK
}

func (r *runner) privacyHistory(ctx context.Context, contact int64) int {
	c, done, err := r.core(ctx)
	if err != nil {
		return r.fail(err)
	}
	defer done()
	cc, err := c.ContactConsents(ctx, contact)
	if err != nil {
		return r.fail(err)
	}
	return r.output(cc, func(w io.Writer) {
		for _, h := range cc.History {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", r.momentOf(h.OccurredAt), h.Action, h.Purpose, h.Channel, h.WordingVersion, h.RecordedBy)
		}
	})
}

func (r *runner) privacyAudit(ctx context.Context, contact int64) int {
	c, done, err := r.core(ctx)
	if err != nil {
		return r.fail(err)
	}
	defer done()
	q := privacy.AuditQuery{Limit: 1000}
	if contact != 0 {
		q.SubjectKind, q.SubjectID = "contact", contact
	}
	list, err := c.Audit(ctx, q)
	if err != nil {
		return r.fail(err)
	}
	return r.output(list, func(w io.Writer) {
		for _, a := range list {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s %d\n", r.momentOf(a.At), a.Actor, a.Action, a.SubjectKind, a.SubjectID)
		}
	})
}

func (r *runner) privacyRequests(ctx context.Context, openOnly bool) int {
	c, done, err := r.core(ctx)
	if err != nil {
		return r.fail(err)
	}
	defer done()
	list, err := c.Requests(ctx, privacy.RequestQuery{OpenOnly: openOnly})
	if err != nil {
		return r.fail(err)
	}
	return r.output(list, func(w io.Writer) {
		for _, q := range list {
			fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%d\n", q.ID, q.Kind, q.Status, r.dayOf(q.ReceivedOn), r.dayOf(q.DueOn), q.DaysLeft)
		}
	})
}
