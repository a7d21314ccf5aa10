package pdf

import (
	"io"
	"testing"
	"time"

	"carnet/backend/i18n"
)

// The renderer alone, for profiling; make bench (internal/benchreport)
// reports these figures on the benchmark vault.

// BenchmarkOnePageInvoice: target ≥ 100 PDFs per second, rendered on
// every core as a batch export does.
func BenchmarkOnePageInvoice(b *testing.B) {
	_, d := issued(b, 8)
	bundle, _ := i18n.Load()
	r := New(bundle, "fr")
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := r.Document(io.Discard, d, nil); err != nil {
				b.Error(err)
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "pdf/s")
}

// BenchmarkInvoice500Lines: target ≤ 1 s.
func BenchmarkInvoice500Lines(b *testing.B) {
	_, d := issued(b, 500)
	bundle, _ := i18n.Load()
	r := New(bundle, "fr")
	for b.Loop() {
		if err := r.Document(io.Discard, d, nil); err != nil {
			b.Fatal(err)
		}
	}
}
