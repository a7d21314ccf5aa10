package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"
	"time"

	"carnet/backend/privacy/breach"
	"carnet/backend/privacy/retention"
)

func (r *runner) privacyRetentionCommands(cmds map[string]command) {
	var asOf, output string
	cmds["privacy retention"] = command{
		flags: func(fs *flag.FlagSet) { fs.StringVar(&asOf, "as-of", "", "") },
		run:   func(ctx context.Context, _ []string) int { return r.privacyRetention(ctx, asOf) },
	}
	cmds["privacy breaches"] = command{run: func(ctx context.Context, _ []string) int { return r.privacyBreaches(ctx) }}
	cmds["privacy breach report"] = command{
		args:  1,
		flags: func(fs *flag.FlagSet) { fs.StringVar(&output, "o", "", "") },
		run:   func(ctx context.Context, args []string) int { return r.privacyBreachReport(ctx, args[0], output) },
	}
}

// privacyRetention shows what is due at a date: a planning preview that
// changes nothing.
func (r *runner) privacyRetention(ctx context.Context, asOf string) int {
	at := time.Now()
	if asOf != "" {
		d, err := time.ParseInLocation(time.DateOnly, asOf, time.Local)
		if err != nil {
			return r.usage(r.errorf("cli.as_of", nil))
		}
		at = d.Add(12 * time.Hour)
	}
	c, done, err := r.core(ctx)
	if err != nil {
		return r.fail(err)
	}
	defer done()
	// A read: core has no use case for it, as in the window (app.Retention).
	sw, err := retention.New(c.DB(), c.Now, r.i18n).Due(ctx, at)
	if err != nil {
		return r.fail(err)
	}
	return r.output(sw, func(w io.Writer) {
		for _, g := range sw.Groups {
			period := r.t("retention.period.months", map[string]any{"count": g.Months})
			if g.Months%12 == 0 {
				period = r.t("retention.period.years", map[string]any{"count": g.Months / 12})
			}
			fmt.Fprintf(w, "%s\t%d\t%d\n", r.t("retention.group."+g.Key, map[string]any{"period": period}), len(g.Due), len(g.Soon))
			for _, it := range g.Due {
				fmt.Fprintf(w, "  %s\t%s\t%s\n", it.Name, r.dayOf(it.DueAt), it.Detail)
			}
		}
	})
}

func (r *runner) privacyBreaches(ctx context.Context) int {
	c, done, err := r.core(ctx)
	if err != nil {
		return r.fail(err)
	}
	defer done()
	// A read: core has no use case for it, as in the window (app.Breaches).
	list, err := breach.New(c.DB(), c.Now, r.i18n).Breaches(ctx)
	if err != nil {
		return r.fail(err)
	}
	return r.output(list, func(w io.Writer) {
		for _, b := range list {
			clock := r.t("breach.clock."+b.Clock, nil)
			switch {
			case b.Clock == "running" && b.Late:
				clock = r.t("breach.clock.late", map[string]any{"count": -b.HoursLeft})
			case b.Clock == "running":
				clock = r.t("breach.clock.running", map[string]any{"count": b.HoursLeft})
			}
			risk := r.t("breach.risk_unassessed", nil)
			if b.Risk != "" {
				risk = r.t("breach.risk."+b.Risk, nil)
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%d\n", b.Reference, r.dayOf(b.DiscoveredAt), clock, risk, b.Counts.People)
		}
	})
}

// privacyBreachReport writes a breach's report as PDF; the breach is named
// by id or reference (V-2026-0003).
func (r *runner) privacyBreachReport(ctx context.Context, which, output string) int {
	if output == "" {
		return r.usage(r.errorf("cli.output_required", map[string]any{"name": "privacy breach report"}))
	}
	c, done, err := r.core(ctx)
	if err != nil {
		return r.fail(err)
	}
	defer done()
	id, err := strconv.ParseInt(which, 10, 64)
	if err != nil {
		list, err := breach.New(c.DB(), c.Now, r.i18n).Breaches(ctx)
		if err != nil {
			return r.fail(err)
		}
		for _, b := range list {
			if b.Reference == which {
				id = b.ID
			}
		}
	}
	if err := c.SaveBreachReport(ctx, id, output); err != nil {
		return r.fail(err)
	}
	if r.json {
		r.writeJSON(map[string]any{"ok": true, "file": output})
	} else {
		fmt.Fprintln(r.env.Stdout, r.t("cli.breach_report_done", map[string]any{"file": output}))
	}
	return ExitOK
}
