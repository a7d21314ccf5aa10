package benchreport

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"carnet/backend/privacy/retention"
	"carnet/backend/privacy/rights"
	"carnet/backend/privacy/rights/bundle"
)

func (v *Vault) holder() *rights.Holder { return rights.New(v.DB, nil, v.words()) }

// exportOp writes the person's access bundle (every table, e-mails,
// invoice originals, the report PDF) to a ZIP under dir, as the app's
// "save a copy of their data" does, and checks it holds all of it.
func (v *Vault) exportOp(ctx context.Context, dir string, p Person) op {
	return func(i int) error {
		d, err := v.holder().Collect(ctx, v.Person, "", "fr")
		if err != nil {
			return err
		}
		path := filepath.Join(dir, fmt.Sprintf("acces-%d.zip", i))
		defer os.Remove(path)
		man, err := bundle.WriteFile(ctx, path, v.DB, d, v.I18n)
		if err != nil {
			return err
		}
		if len(d.Messages) != p.Messages || len(d.Documents) != p.Invoices || len(d.Activities) != p.Notes || len(man.Files) < p.Messages+p.Invoices {
			return fmt.Errorf("benchreport: the export holds %d messages, %d documents, %d notes", len(d.Messages), len(d.Documents), len(d.Activities))
		}
		return nil
	}
}

// exportTimings times runs exports.
func (v *Vault) exportTimings(ctx context.Context, dir string, p Person, runs int) (Timings, error) {
	return latencies(runs, 0, v.exportOp(ctx, dir, p))
}

// erase erases the person (committed, legal holds kept), then compacts the
// search indexes as the app does in the background afterwards, timing
// both. It can run once per vault.
func (v *Vault) erase(ctx context.Context) (erase, compact span, err error) {
	h := v.holder()
	var e rights.Erasure
	erase, err = timed(func() (err error) {
		e, err = h.Erase(ctx, v.Person, rights.EraseOptions{Actor: "benchmark"})
		return err
	})
	if err != nil {
		return erase, compact, err
	}
	if len(e.Plan.Erase) == 0 {
		return erase, compact, fmt.Errorf("benchreport: the erasure erased nothing")
	}
	compact, err = timed(func() error { return h.Compact(ctx) })
	return erase, compact, err
}

// sweepOp is the retention sweep the app runs at unlock and daily: every
// group, every due item listed.
func (v *Vault) sweepOp(ctx context.Context) op {
	s := retention.New(v.DB, nil, v.I18n)
	return func(int) error {
		_, err := s.Due(ctx, time.Now())
		return err
	}
}

// sweepTimings times runs sweeps, after one that fills the caches.
func (v *Vault) sweepTimings(ctx context.Context, runs int) (Timings, error) {
	return latencies(runs, 1, v.sweepOp(ctx))
}
