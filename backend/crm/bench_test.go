package crm

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"carnet/backend/vault"
	"carnet/backend/vault/vaulttest"
)

// The benchmark vault: 100,000 contacts, 20,000 companies and 200,000
// timeline entries, built once per run (about a minute). Set
// CARNET_BENCH_CONTACTS to try a smaller one.
var (
	benchOnce  sync.Once
	benchStore *Store
	benchPlain *Store
)

func benchContacts() int {
	if n, err := strconv.Atoi(os.Getenv("CARNET_BENCH_CONTACTS")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

func benchVault(b *testing.B) (*Store, *Store) {
	benchOnce.Do(func() {
		dir, err := os.MkdirTemp("", "carnet-bench-")
		if err != nil {
			b.Fatal(err)
		}
		v, err := vault.Open(dir, vault.Options{KDF: vaulttest.FastKDF})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := v.Create(context.Background(), "benchmark passphrase"); err != nil {
			b.Fatal(err)
		}
		db, _ := v.DB()
		benchStore = New(db, nil)
		o := DemoOptions{Contacts: benchContacts(), Seed: 2026}
		start := time.Now()
		if _, err := benchStore.GenerateDemo(context.Background(), o); err != nil {
			b.Fatal(err)
		}
		fmt.Fprintf(os.Stderr, "benchmark vault: %d contacts, %d companies, %d notes built in %v\n",
			o.Contacts, o.Contacts/5, 2*o.Contacts, time.Since(start).Round(time.Second))
		plain, err := vault.OpenPlainForBenchmark(context.Background(), filepath.Join(dir, "plain.db"))
		if err != nil {
			b.Fatal(err)
		}
		benchPlain = New(plain, nil)
		if _, err := benchPlain.GenerateDemo(context.Background(), o); err != nil {
			b.Fatal(err)
		}
	})
	if benchStore == nil {
		b.Fatal("benchmark vault not built")
	}
	return benchStore, benchPlain
}

// Prefix queries of 2 to 6 characters, as typed in Ctrl+K.
var benchQueries = []string{"ma", "du", "lef", "hel", "bern", "marti", "franco", "lyon", "boula", "06 1", "verand", "gar", "vip", "sop", "kerj", "muller"}

func searchLatencies(b *testing.B, s *Store) {
	var lat []time.Duration
	for b.Loop() {
		for _, q := range benchQueries {
			start := time.Now()
			if _, err := s.Search(context.Background(), q, 20); err != nil {
				b.Fatal(err)
			}
			lat = append(lat, time.Since(start))
		}
	}
	reportPercentiles(b, lat)
	b.ReportMetric(0, "ns/op")
}

func reportPercentiles(b *testing.B, lat []time.Duration) {
	slices.Sort(lat)
	p := func(q float64) float64 { return float64(lat[int(q*float64(len(lat)-1))]) / 1e6 }
	b.ReportMetric(p(0.50), "p50-ms")
	b.ReportMetric(p(0.95), "p95-ms")
}

// BenchmarkSearch: target p50 ≤ 5 ms, p95 ≤ 15 ms on the encrypted vault.
func BenchmarkSearch(b *testing.B) {
	s, _ := benchVault(b)
	searchLatencies(b, s)
}

// BenchmarkSearchUnencrypted is the same search on a plain SQLite file with
// the same data: the baseline for the cost of encryption.
func BenchmarkSearchUnencrypted(b *testing.B) {
	_, plain := benchVault(b)
	searchLatencies(b, plain)
}

// BenchmarkListPage: one page of customers sorted by name, anywhere in the
// list, as the virtual list fetches while scrolling. Target ≤ 10 ms.
func BenchmarkListPage(b *testing.B) { benchList(b, false) }

// BenchmarkListFirstPage is the first page of a newly chosen filter, which
// also counts the matches for the scroll bar.
func BenchmarkListFirstPage(b *testing.B) { benchList(b, true) }

// Pages come from a snapshot of the list's ids, as the app does; the first
// page of a new filter takes the snapshot.
func benchList(b *testing.B, first bool) {
	s, _ := benchVault(b)
	ctx := context.Background()
	q := ListQuery{Filter: Filter{Relationship: Customer}, Sort: SortName}
	sn, err := s.Snapshot(ctx, q)
	if err != nil {
		b.Fatal(err)
	}
	var lat []time.Duration
	i := 0
	for b.Loop() {
		start := time.Now()
		if first {
			if sn, err = s.Snapshot(ctx, q); err != nil {
				b.Fatal(err)
			}
		}
		p, err := s.Page(ctx, sn, (i*7919)%max(1, sn.Len()-50), 50)
		if err != nil || len(p.Rows) != 50 {
			b.Fatalf("page: %d rows, %v", len(p.Rows), err)
		}
		lat = append(lat, time.Since(start))
		i++
	}
	reportPercentiles(b, lat)
}

func benchImportData(n int) (csvData, vcfData []byte) {
	var c, v bytes.Buffer
	c.WriteString("Prénom;Nom;Adresse e-mail;Téléphone;Société;Ville;Étiquettes;Source;Dernier contact\r\n")
	for i := range n {
		g, f := demoGivenNames[i%len(demoGivenNames)], demoFamilyNames[(i/7)%len(demoFamilyNames)]
		fmt.Fprintf(&c, "%s;%s;%s.%s%d@example.fr;06 %02d %02d %02d %02d;Société %d;Lyon;client,salon;import test;2026-0%d-15\r\n",
			g, f, asciiSlug(g), asciiSlug(f), i, i%100, (i/100)%100, i%97, i%89, i%500, 1+i%9)
		fmt.Fprintf(&v, "BEGIN:VCARD\r\nVERSION:3.0\r\nN:%s;%s;;;\r\nFN:%s %s\r\nEMAIL;TYPE=WORK:%s%d@example.org\r\nTEL;TYPE=CELL:+33 7 %02d %02d %02d %02d\r\nORG:Maison %d\r\nEND:VCARD\r\n",
			f, g, g, f, asciiSlug(f), i, i%100, (i/100)%100, i%97, i%89, i%400)
	}
	return c.Bytes(), v.Bytes()
}

func benchImport(b *testing.B, rows int, parse func() ([]Candidate, error)) {
	var total time.Duration
	for b.Loop() {
		b.StopTimer()
		s, _ := newStore(b)
		b.StartTimer()
		start := time.Now()
		cands, err := parse()
		if err != nil {
			b.Fatal(err)
		}
		sum, err := s.Import(context.Background(), cands, ImportOptions{Source: "bench"})
		if err != nil || sum.New != rows {
			b.Fatalf("import: %+v, %v", sum, err)
		}
		total += time.Since(start)
	}
	b.ReportMetric(float64(rows)*float64(b.N)/total.Seconds(), "rows/s")
}

// BenchmarkImportCSV: target ≥ 20,000 rows/s.
func BenchmarkImportCSV(b *testing.B) {
	const rows = 20_000
	data, _ := benchImportData(rows)
	benchImport(b, rows, func() ([]Candidate, error) {
		f, err := ParseCSV("bench.csv", bytes.NewReader(data))
		if err != nil {
			return nil, err
		}
		return f.Candidates(f.Mapping)
	})
}

// BenchmarkImportVCard: target ≥ 10,000 cards/s.
func BenchmarkImportVCard(b *testing.B) {
	const rows = 20_000
	_, data := benchImportData(rows)
	benchImport(b, rows, func() ([]Candidate, error) { return ParseVCards(bytes.NewReader(data)) })
}
