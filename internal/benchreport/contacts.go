package benchreport

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"carnet/backend/crm"
	"carnet/backend/vault"
)

// searchQueries are prefixes of 2 to 6 characters, as typed in Ctrl+K.
var searchQueries = []string{"ma", "du", "lef", "hel", "bern", "marti", "franco", "lyon", "boula", "06 1", "verand", "gar", "vip", "sop", "kerj", "muller"}

// searchOp runs the global search, one query per call.
func (v *Vault) searchOp(ctx context.Context) op {
	return func(i int) error {
		_, err := v.CRM.Search(ctx, searchQueries[i%len(searchQueries)], 20)
		return err
	}
}

// customersByName is the list the page figures scroll: customers sorted by
// name.
var customersByName = crm.ListQuery{Filter: crm.Filter{Relationship: crm.Customer}, Sort: crm.SortName}

// pageOp fetches one page of 50 rows anywhere in the list, as the virtual
// list does while scrolling; pages come from the list's snapshot of ids.
func (v *Vault) pageOp(ctx context.Context) (op, error) {
	sn, err := v.CRM.Snapshot(ctx, customersByName)
	if err != nil {
		return nil, err
	}
	return func(i int) error {
		p, err := v.CRM.Page(ctx, sn, (i*7919)%max(1, sn.Len()-50), 50)
		if err == nil && len(p.Rows) != 50 {
			err = fmt.Errorf("benchreport: a page of %d rows", len(p.Rows))
		}
		return err
	}, nil
}

// firstPageOp is the first page of a newly chosen filter: it takes the
// list's snapshot too.
func (v *Vault) firstPageOp(ctx context.Context) op {
	return func(int) error {
		sn, err := v.CRM.Snapshot(ctx, customersByName)
		if err != nil {
			return err
		}
		_, err = v.CRM.Page(ctx, sn, 0, 50)
		return err
	}
}

// fastKDF keeps key derivation out of the figures that create an empty
// vault to fill (imports, sync).
var fastKDF = vault.KDFParams{Time: 1, MemKiB: 8 * 1024, Threads: 1}

// emptyStore is an empty vault (or plain file) in a new folder under dir,
// and how to throw it away.
func emptyStore(ctx context.Context, dir string, encrypted bool) (*Vault, func(), error) {
	d, err := os.MkdirTemp(dir, "empty-")
	if err != nil {
		return nil, nil, err
	}
	v := &Vault{Dir: d, Encrypted: encrypted}
	if encrypted {
		if v.V, err = vault.Open(d, vault.Options{KDF: fastKDF}); err == nil {
			if _, err = v.V.Create(ctx, Passphrase); err == nil {
				v.DB, err = v.V.DB()
			}
		}
	} else {
		v.DB, err = vault.OpenPlainForBenchmark(ctx, filepath.Join(d, "plain.db"))
	}
	if err != nil {
		v.Close()
		os.RemoveAll(d)
		return nil, nil, err
	}
	v.stores()
	return v, func() { v.Close(); os.RemoveAll(d) }, nil
}

// importRate parses a file and imports it into an empty vault, runs times;
// it returns rows per second of the median run, on the wall clock and on
// the CPU clock, and the median time of the checkpoint that follows (the
// app runs it in the background once the import is committed).
func importRate(ctx context.Context, dir string, encrypted bool, runs, rows int, parse func() ([]crm.Candidate, error)) (wall, cpu float64, checkpoint time.Duration, err error) {
	var t, cp Timings
	for range runs {
		v, done, err := emptyStore(ctx, dir, encrypted)
		if err != nil {
			return 0, 0, 0, err
		}
		s, err := timed(func() error {
			cands, err := parse()
			if err != nil {
				return err
			}
			sum, err := v.CRM.Import(ctx, cands, crm.ImportOptions{Source: "bench"})
			if err == nil && sum.New != rows {
				err = fmt.Errorf("benchreport: import made %d contacts of %d", sum.New, rows)
			}
			return err
		})
		var c span
		if err == nil {
			c, err = timed(func() error { return v.CRM.Checkpoint(ctx) })
		}
		done()
		if err != nil {
			return 0, 0, 0, err
		}
		t.add(s)
		cp.add(c)
	}
	t.sort()
	cp.sort()
	w, c := t.Median()
	cw, _ := cp.Median()
	return float64(rows) / w, float64(rows) / c, time.Duration(cw * float64(time.Second)), nil
}

// parseCSV and parseVCards read the sample import files as the import
// screen does (mapping as suggested).
func parseCSV(data []byte) func() ([]crm.Candidate, error) {
	return func() ([]crm.Candidate, error) {
		f, err := crm.ParseCSV("contacts.csv", bytes.NewReader(data))
		if err != nil {
			return nil, err
		}
		return f.Candidates(f.Mapping)
	}
}

func parseVCards(data []byte) func() ([]crm.Candidate, error) {
	return func() ([]crm.Candidate, error) { return crm.ParseVCards(bytes.NewReader(data)) }
}
