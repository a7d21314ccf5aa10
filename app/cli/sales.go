package cli

import (
	"context"
	"fmt"
	"io"

	"carnet/app"
	"carnet/backend/fsutil"
	"carnet/backend/sales"
)

func (r *runner) salesStore(ctx context.Context) (*sales.Store, func(), error) {
	db, done, err := r.db(ctx)
	if err != nil {
		return nil, nil, err
	}
	return sales.New(db, nil), done, nil
}

func (r *runner) salesPDF(ctx context.Context, number, output string) int {
	if output == "" {
		return r.usage(r.errorf("cli.output_required", map[string]any{"name": "sales pdf"}))
	}
	s, done, err := r.salesStore(ctx)
	if err != nil {
		return r.fail(err)
	}
	defer done()
	d, err := s.ByNumber(ctx, number)
	if err != nil {
		return r.fail(err)
	}
	b, err := app.DocumentPDF(ctx, s, r.i18n, r.lang, d.ID)
	if err != nil {
		return r.fail(err)
	}
	if err := fsutil.WriteFileAtomic(output, b, 0o600); err != nil {
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
	s, done, err := r.salesStore(ctx)
	if err != nil {
		return r.fail(err)
	}
	defer done()
	list, err := s.List(ctx, kind)
	if err != nil {
		return r.fail(err)
	}
	return r.output(list, func(tw io.Writer) {
		for _, d := range list {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", d.Number, r.t("sales.status."+d.Status, nil), d.IssueDate, d.Customer, r.i18n.Format(r.lang).Money(d.Gross, "EUR"))
		}
	})
}
