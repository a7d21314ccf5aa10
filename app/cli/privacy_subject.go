package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"carnet/backend/core"
	"carnet/backend/privacy/rights"
)

func (r *runner) privacySubjectCommands(cmds map[string]command) {
	var contact, request int64
	var email, output string
	var dryRun bool
	cmds["privacy export"] = command{
		flags: func(fs *flag.FlagSet) {
			fs.Int64Var(&contact, "contact", 0, "")
			fs.StringVar(&email, "email", "", "")
			fs.Int64Var(&request, "request", 0, "")
			fs.StringVar(&output, "o", "", "")
		},
		run: func(ctx context.Context, _ []string) int {
			return r.privacyExport(ctx, contact, email, request, output)
		},
	}
	cmds["privacy erase"] = command{
		flags: func(fs *flag.FlagSet) {
			fs.Int64Var(&contact, "contact", 0, "")
			fs.Int64Var(&request, "request", 0, "")
			fs.BoolVar(&dryRun, "dry-run", false, "")
		},
		run: func(ctx context.Context, _ []string) int { return r.privacyErase(ctx, contact, request, dryRun) },
	}
}

// privacyExport writes a subject-access bundle to -o.
func (r *runner) privacyExport(ctx context.Context, contact int64, email string, request int64, output string) int {
	if output == "" {
		return r.usage(r.errorf("cli.output_required", map[string]any{"name": "privacy export"}))
	}
	if (contact == 0) == (email == "") {
		return r.usage(r.errorf("cli.contact_or_email", nil))
	}
	if !strings.HasSuffix(strings.ToLower(output), ".zip") {
		output += ".zip"
	}
	c, done, err := r.core(ctx)
	if err != nil {
		return r.fail(err)
	}
	defer done()
	out, err := c.ExportSubjectAccess(ctx, contact, email, request, output)
	if err != nil {
		return r.fail(err)
	}
	if r.json {
		r.writeJSON(out)
	} else {
		fmt.Fprintln(r.env.Stdout, r.t("cli.subject_export_done", map[string]any{"file": out.Path, "count": out.Files}))
	}
	return ExitOK
}

// privacyErase erases a contact, or with --dry-run shows what it would do.
func (r *runner) privacyErase(ctx context.Context, contact, request int64, dryRun bool) int {
	if contact == 0 {
		return r.usage(r.errorf("cli.contact_required", nil))
	}
	c, done, err := r.core(ctx)
	if err != nil {
		return r.fail(err)
	}
	defer done()
	if dryRun {
		plan, err := c.ErasurePreview(ctx, contact)
		if err != nil {
			return r.fail(err)
		}
		if r.json {
			r.writeJSON(map[string]any{"dryRun": true, "plan": plan})
			return ExitOK
		}
		fmt.Fprintln(r.env.Stdout, r.t("cli.erase_preview", map[string]any{"name": plan.Name}))
		r.planLines(plan)
		return ExitOK
	}
	e, err := c.Erase(ctx, contact, request)
	return r.erased(e, err)
}

// erased reports an erasure. One whose only failure came after the commit
// (core.ErrErasureUnfinished: the file could not be compacted) is done:
// the person is erased and the request closed, so its result and
// certificate are printed, with a warning on stderr (in --json,
// "warning"), as the window does.
func (r *runner) erased(e rights.Erasure, err error) int {
	var warning string
	if errors.Is(err, core.ErrErasureUnfinished) {
		warning, err = r.t("cli.erase_unfinished", nil), nil
	}
	if err != nil {
		return r.fail(err)
	}
	if r.json {
		r.writeJSON(struct {
			rights.Erasure
			Warning string `json:"warning,omitempty"`
		}{e, warning})
		return ExitOK
	}
	fmt.Fprintln(r.env.Stdout, r.t("cli.erase_done", map[string]any{"certificate": e.Certificate}))
	r.planLines(e.Plan)
	if warning != "" {
		fmt.Fprintln(r.env.Stderr, warning)
	}
	return ExitOK
}

// planLines prints what an erasure erases, keeps and leaves in copies.
func (r *runner) planLines(plan rights.Plan) {
	for _, it := range plan.Erase {
		fmt.Fprintln(r.env.Stdout, "  - "+r.t("erasure.item."+it.What, map[string]any{"count": it.Count}))
	}
	if len(plan.Keep) > 0 {
		fmt.Fprintln(r.env.Stdout, r.t("cli.erase_kept", nil))
		for _, h := range plan.Keep {
			line := "  - " + r.t("erasure.hold."+h.What, map[string]any{"count": h.Count}) + " — " + r.t("erasure.reason."+h.Reason, nil)
			if h.Until != "" {
				line += " (" + r.dayOf(h.Until) + ")"
			}
			fmt.Fprintln(r.env.Stdout, line)
		}
	}
	r.copiesLines(plan.Copies)
}
