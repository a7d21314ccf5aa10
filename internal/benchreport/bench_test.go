package benchreport

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"

	"carnet/backend/crm"
	"carnet/backend/i18n"
	"carnet/backend/vault"
)

// The go test benchmarks run the report's operations one by one, for
// profiling:
//
//	go test -run '^$' -bench Search -cpuprofile cpu.out ./internal/benchreport
//
// The vault is built once per run, as make bench builds it
// (CARNET_BENCH_QUICK=1: the QUICK one, faster to build); make bench
// itself gives the figures.

var (
	fixtureOnce sync.Once
	fixture     [2]*Vault // encrypted, unencrypted
	fixtureDir  string
	fixtureErr  error
)

func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == MemoryChildArg { // TestRunMeasuresEveryFigure's memory child
		if err := MemoryChild(context.Background(), os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	if len(os.Args) > 1 && os.Args[1] == BigMailChildArg {
		if err := BigMailChild(context.Background(), os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	code := m.Run()
	for _, v := range fixture {
		if v != nil {
			v.Close()
		}
	}
	if fixtureDir != "" {
		os.RemoveAll(fixtureDir)
	}
	os.Exit(code)
}

func sizes() Sizes {
	if os.Getenv("CARNET_BENCH_QUICK") != "" {
		return Quick()
	}
	return Full()
}

func vaults(b *testing.B) [2]*Vault {
	fixtureOnce.Do(func() {
		var tr *i18n.Bundle
		if tr, fixtureErr = i18n.Load(); fixtureErr != nil {
			return
		}
		if fixtureDir, fixtureErr = os.MkdirTemp("", "carnet-bench-"); fixtureErr == nil {
			fixture[0], fixture[1], fixtureErr = BuildBoth(context.Background(), fixtureDir, sizes(), vault.KDFParams{}, tr)
		}
	})
	if fixtureErr != nil {
		b.Fatal(fixtureErr)
	}
	return fixture
}

// loop runs an operation on the encrypted vault and on the baseline.
func loop(b *testing.B, mk func(v *Vault) (op, error)) {
	for i, name := range []string{"encrypted", "unencrypted"} {
		b.Run(name, func(b *testing.B) {
			fn, err := mk(vaults(b)[i])
			if err != nil {
				b.Fatal(err)
			}
			for n := 0; b.Loop(); n++ {
				if err := fn(n); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

var ctx = context.Background()

func BenchmarkSearch(b *testing.B) {
	loop(b, func(v *Vault) (op, error) { return v.searchOp(ctx), nil })
}

func BenchmarkListPage(b *testing.B) {
	loop(b, func(v *Vault) (op, error) { return v.pageOp(ctx) })
}

func BenchmarkListFirstPage(b *testing.B) {
	loop(b, func(v *Vault) (op, error) { return v.firstPageOp(ctx), nil })
}

func BenchmarkOpenMessage(b *testing.B) {
	loop(b, func(v *Vault) (op, error) { return v.openOp(ctx, sizes().Messages), nil })
}

func BenchmarkMailSearch(b *testing.B) {
	loop(b, func(v *Vault) (op, error) { return v.mailSearchOp(ctx), nil })
}

func BenchmarkRetentionSweep(b *testing.B) {
	loop(b, func(v *Vault) (op, error) { return v.sweepOp(ctx), nil })
}

func BenchmarkSubjectExport(b *testing.B) {
	loop(b, func(v *Vault) (op, error) { return v.exportOp(ctx, b.TempDir(), sizes().Person), nil })
}

func BenchmarkIssueInvoice(b *testing.B) {
	for i, name := range []string{"encrypted", "unencrypted"} {
		b.Run(name, func(b *testing.B) {
			prepare, issue := vaults(b)[i].issueOp(ctx)
			for n := 0; b.Loop(); n++ {
				b.StopTimer()
				id, err := prepare(n)
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				if err := issue(id); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// The imports and the sync fill an empty vault each time: no fixture.
func BenchmarkImportCSV(b *testing.B) {
	data, _ := crm.DemoImportFiles(sizes().ImportRows)
	benchImport(b, parseCSV(data))
}

func BenchmarkImportVCard(b *testing.B) {
	_, data := crm.DemoImportFiles(sizes().ImportRows)
	benchImport(b, parseVCards(data))
}

func benchImport(b *testing.B, parse func() ([]crm.Candidate, error)) {
	rows := sizes().ImportRows
	for _, encrypted := range []bool{true, false} {
		b.Run(map[bool]string{true: "encrypted", false: "unencrypted"}[encrypted], func(b *testing.B) {
			var rate float64
			for b.Loop() {
				r, _, _, err := importRate(ctx, b.TempDir(), encrypted, 1, rows, parse)
				if err != nil {
					b.Fatal(err)
				}
				rate += r
			}
			b.ReportMetric(rate/float64(b.N), "rows/s")
		})
	}
}

func BenchmarkInitialSync(b *testing.B) {
	mb, err := NewMailbox(sizes().Sync)
	if err != nil {
		b.Fatal(err)
	}
	defer mb.Close()
	var ours, theirs float64
	for b.Loop() {
		r, err := mb.SyncInto(ctx, b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		ours += r
		b.StopTimer()
		if r, err = mb.Mbsync(b.TempDir()); err != nil {
			b.Fatal(err)
		}
		theirs += r
		b.StartTimer()
	}
	b.ReportMetric(ours/float64(b.N), "msg/s")
	b.ReportMetric(theirs/float64(b.N), "mbsync-msg/s")
}
