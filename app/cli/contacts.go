package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"carnet/backend/core"
	"carnet/backend/crm"
)

func (r *runner) contactsImport(ctx context.Context, path string, dryRun bool) int {
	data, err := os.ReadFile(path)
	if err != nil {
		return r.fail(err)
	}
	// A vCard is known by its content, whatever its name, as in the window.
	f, err := core.ReadImportFile(path, data)
	if err != nil {
		return r.fail(err)
	}
	c, done, err := r.core(ctx)
	if err != nil {
		return r.fail(err)
	}
	defer done()
	sum, err := c.ImportContacts(ctx, f, nil, core.ImportOptions{DryRun: dryRun})
	if err != nil {
		return r.fail(err)
	}
	if r.json {
		r.writeJSON(sum)
		return ExitOK
	}
	key := "cli.import_done"
	if dryRun {
		key = "cli.import_dry_run"
	}
	fmt.Fprintln(r.env.Stdout, r.t(key, map[string]any{"rows": sum.Rows, "new": sum.New, "updated": sum.Updated,
		"duplicates": sum.Duplicates, "problems": sum.Refused, "skipped": sum.SkippedValues, "companies": sum.CompaniesCreated}))
	for _, p := range sum.Problems {
		switch {
		case p.Skipped:
			fmt.Fprintf(r.env.Stdout, "  %s\n", r.t("cli.import_skipped", map[string]any{"row": p.Row, "field": r.t("field."+p.Field, nil), "value": p.Value, "reason": r.t(p.Reason, nil)}))
		case p.Field != "":
			fmt.Fprintf(r.env.Stdout, "  %s\n", r.t("cli.import_problem", map[string]any{"row": p.Row, "reason": r.t(p.Reason, nil), "detail": p.Value}))
		default:
			fmt.Fprintf(r.env.Stdout, "  %s\n", r.t("cli.import_problem", map[string]any{"row": p.Row, "reason": r.t(p.Reason, nil), "detail": p.Detail}))
		}
	}
	return ExitOK
}

func (r *runner) contactsExport(ctx context.Context, format, output, delimiter string) int {
	if output == "" {
		return r.usage(r.errorf("cli.output_required", map[string]any{"name": "contacts export"}))
	}
	if format != "csv" && format != "vcard" {
		return r.usage(r.errorf("cli.bad_flag", map[string]any{"flag": "--format", "allowed": "csv, vcard"}))
	}
	if delimiter != ";" && delimiter != "," {
		return r.usage(r.errorf("cli.bad_flag", map[string]any{"flag": "--delimiter", "allowed": "';' ','"}))
	}
	c, done, err := r.core(ctx)
	if err != nil {
		return r.fail(err)
	}
	defer done()
	// Special categories of data (Art. 9) stay out of a terminal export.
	n, err := c.ExportContacts(ctx, core.ContactExport{Format: format, Delimiter: delimiter}, output)
	if err != nil {
		return r.fail(err)
	}
	if r.json {
		r.writeJSON(map[string]any{"ok": true, "contacts": n, "file": output})
	} else {
		fmt.Fprintln(r.env.Stdout, r.t("cli.export_done", map[string]any{"count": n, "file": output}))
	}
	return ExitOK
}

func (r *runner) contactsSearch(ctx context.Context, query string) int {
	c, done, err := r.core(ctx)
	if err != nil {
		return r.fail(err)
	}
	defer done()
	hits, err := crm.New(c.DB(), nil).Search(ctx, query, 50)
	if err != nil {
		return r.fail(err)
	}
	return r.output(hits, func(tw io.Writer) {
		for _, h := range hits {
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\n", r.t("search.kind."+h.Kind, nil), h.ID, h.Title, h.Detail)
		}
	})
}

func (r *runner) contactsShow(ctx context.Context, arg string) int {
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil {
		return r.usage(r.errorf("cli.not_a_number", map[string]any{"value": arg}))
	}
	co, done, err := r.core(ctx)
	if err != nil {
		return r.fail(err)
	}
	defer done()
	// The view is in the audit log, as in the window; sensitive values stay hidden.
	c, err := co.ViewContact(ctx, id)
	if err != nil {
		return r.fail(err)
	}
	timeline, err := crm.New(co.DB(), nil).Timeline(ctx, id, 0)
	if err != nil {
		return r.fail(err)
	}
	if r.json {
		r.writeJSON(map[string]any{"contact": c, "timeline": timeline})
		return ExitOK
	}
	tw := tabwriter.NewWriter(r.env.Stdout, 0, 4, 2, ' ', 0)
	line := func(key, v string) {
		if v != "" {
			fmt.Fprintf(tw, "%s\t%s\n", r.t(key, nil), v)
		}
	}
	line("field.fullName", strings.TrimSpace(c.NamePrefix+" "+c.DisplayName()+" "+c.NameSuffix))
	line("field.jobTitle", c.JobTitle)
	for _, l := range c.Companies {
		line("field.company", strings.TrimSpace(l.CompanyName+" "+l.Role))
	}
	for _, e := range c.Emails {
		line("field.email", e.Address)
	}
	for _, p := range c.Phones {
		line("field.phone", p.Number)
	}
	for _, a := range c.Addresses {
		line("field.street", strings.Join([]string{a.Street, a.PostalCode, a.City, a.Country}, " "))
	}
	var rels []string
	for _, rel := range c.Relationships {
		rels = append(rels, r.t("relationship."+string(rel), nil))
	}
	line("field.relationship", strings.Join(rels, ", "))
	line("field.tags", strings.Join(c.Tags, ", "))
	line("field.owner", c.Owner)
	line("field.source", c.Source)
	line("field.lastInbound", r.momentOf(c.LastInboundAt))
	line("field.notes", c.Notes)
	tw.Flush()
	for _, a := range timeline {
		fmt.Fprintf(r.env.Stdout, "  %s  %s  %s\n", r.dayOf(a.OccurredAt), r.t("activity.kind."+a.Kind, nil), strings.TrimSpace(a.Title+" "+firstLine(a.Body)))
	}
	return ExitOK
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

func (r *runner) demo(ctx context.Context, contacts int, seed uint64) int {
	if contacts < 1 || contacts > 1_000_000 {
		return r.usage(r.errorf("cli.bad_flag", map[string]any{"flag": "--contacts", "allowed": "1 … 1000000"}))
	}
	c, done, err := r.core(ctx)
	if err != nil {
		return r.fail(err)
	}
	defer done()
	sum, err := c.GenerateDemo(ctx, contacts, seed)
	if err != nil {
		return r.fail(err)
	}
	ss := sum.Sales
	if r.json {
		r.writeJSON(map[string]any{"contacts": sum.Contacts, "companies": sum.Companies, "activities": sum.Activities, "sales": ss})
	} else {
		fmt.Fprintln(r.env.Stdout, r.t("cli.demo_done", map[string]any{"contacts": sum.Contacts, "companies": sum.Companies, "activities": sum.Activities}))
		fmt.Fprintln(r.env.Stdout, r.t("cli.demo_sales_done", map[string]any{"products": ss.Products, "quotes": ss.Quotes, "invoices": ss.Invoices, "credits": ss.CreditNotes}))
	}
	return ExitOK
}
