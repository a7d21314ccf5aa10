package benchreport

import (
	"context"
	"io"
	"runtime"
	"sync"

	"carnet/backend/pdf"
	"carnet/backend/sales"
)

// newInvoice saves a draft invoice of n lines to a company of the vault.
func (v *Vault) newInvoice(ctx context.Context, i, n int) (int64, error) {
	return v.Sales.SaveDraft(ctx, sales.Document{Kind: sales.KindInvoice, Operation: "services",
		CompanyID: v.Companies[(i*7919)%len(v.Companies)], Lines: invoiceLines(i, n)})
}

// issueOp issues one invoice per call: the next number and the frozen
// copy. The draft is saved first, outside the time.
func (v *Vault) issueOp(ctx context.Context) (prepare func(i int) (int64, error), issue func(id int64) error) {
	return func(i int) (int64, error) { return v.newInvoice(ctx, i, 5) },
		func(id int64) error { _, err := v.Sales.Issue(ctx, id, ""); return err }
}

// issueTimings times n issues.
func (v *Vault) issueTimings(ctx context.Context, n int) (Timings, error) {
	prepare, issue := v.issueOp(ctx)
	var t Timings
	for i := range n + 1 {
		id, err := prepare(i)
		if err != nil {
			return t, err
		}
		s, err := timed(func() error { return issue(id) })
		if err != nil {
			return t, err
		}
		if i > 0 { // the first one warms up
			t.add(s)
		}
	}
	t.sort()
	return t, nil
}

// printable issues an invoice of n lines and returns it as the PDF
// renderer gets it.
func (v *Vault) printable(ctx context.Context, n int) (*sales.Document, error) {
	id, err := v.newInvoice(ctx, n, n)
	if err != nil {
		return nil, err
	}
	if _, err := v.Sales.Issue(ctx, id, ""); err != nil {
		return nil, err
	}
	return v.Sales.Printable(ctx, id)
}

// pdfRate renders a one-page invoice n times on every core, as a batch
// export does, and returns PDFs per second, on the wall clock and per
// CPU-second of every core.
func (v *Vault) pdfRate(ctx context.Context, n int) (wall, cpu float64, err error) {
	d, err := v.printable(ctx, 8)
	if err != nil {
		return 0, 0, err
	}
	r := pdf.New(v.I18n, "fr")
	if err := r.Document(io.Discard, d, nil); err != nil { // fonts parsed once
		return 0, 0, err
	}
	jobs := make(chan struct{}, n)
	for range n {
		jobs <- struct{}{}
	}
	close(jobs)
	var wg sync.WaitGroup
	cores := runtime.GOMAXPROCS(0)
	errs := make(chan error, cores)
	m := start()
	for range cores {
		wg.Go(func() {
			for range jobs {
				if err := r.Document(io.Discard, d, nil); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	s := m.span()
	close(errs)
	if err := <-errs; err != nil {
		return 0, 0, err
	}
	return float64(n) / s.Wall.Seconds(), float64(n) / (s.CPU.Seconds() / float64(cores)), nil
}

// longInvoice renders a 500-line invoice runs times.
func (v *Vault) longInvoice(ctx context.Context, runs int) (Timings, error) {
	d, err := v.printable(ctx, 500)
	if err != nil {
		return Timings{}, err
	}
	r := pdf.New(v.I18n, "fr")
	return latencies(runs, 1, func(int) error { return r.Document(io.Discard, d, nil) })
}
