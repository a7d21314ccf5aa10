package cli

import (
	"context"
	"fmt"
	"io"
)

// salesPDF saves a numbered document's PDF; core records the export.
func (r *runner) salesPDF(ctx context.Context, number, output string) int {
	if output == "" {
		return r.usage(r.errorf("cli.output_required", map[string]any{"name": "sales pdf"}))
	}
	c, done, err := r.core(ctx)
	if err != nil {
		return r.fail(err)
	}
	defer done()
	d, err := c.DocumentByNumber(ctx, number)
	if err != nil {
		return r.fail(err)
	}
	if err := c.SaveDocumentPDF(ctx, d.ID, output); err != nil {
		return r.fail(err)
	}
	if r.json {
		r.writeJSON(map[string]any{"ok": true, "file": output, "number": d.Number})
	} else {
		fmt.Fprintln(r.env.Stdout, r.t("cli.pdf_done", map[string]any{"number": d.Number, "file": output}))
	}
	return ExitOK
}

func (r *runner) salesList(ctx context.Context, kind string) int {
	c, done, err := r.core(ctx)
	if err != nil {
		return r.fail(err)
	}
	defer done()
	list, err := c.Documents(ctx, kind)
	if err != nil {
		return r.fail(err)
	}
	return r.output(list, func(tw io.Writer) {
		for _, d := range list {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", d.Number, r.t("sales.status."+d.Status, nil), r.dayOf(d.IssueDate), d.Customer, r.i18n.Format(r.lang).Money(d.Gross, "EUR"))
		}
	})
}
