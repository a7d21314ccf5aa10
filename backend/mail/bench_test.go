package mail

import (
	"fmt"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"carnet/backend/mail/mailtest"
	"carnet/backend/vault/vaulttest"
)

// benchSize reads a size from the environment (make bench QUICK=1 sets
// smaller ones), else the figure.
func benchSize(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// BenchmarkInitialSync: 10,000 messages from a local Dovecot into an
// empty encrypted vault; target ≥ 1,000 messages/s and no slower than
// mbsync copying the same mailbox into a Maildir.
func BenchmarkInitialSync(b *testing.B) {
	n := benchSize("CARNET_BENCH_MESSAGES", 10_000)
	srv := mailtest.Dovecot(b)
	from := []string{"helene.dupont@example.fr", "paul.martin@example.com", "compta@fournisseur.fr"}
	for start := 0; start < n; start += 1000 {
		srv.Deliver(b, "INBOX", "S", mailtest.GenerateMessages(int64(start), min(1000, n-start), from)...)
	}
	var ours, theirs time.Duration
	for b.Loop() {
		b.StopTimer()
		db := vaulttest.DB(b)
		s := New(db, nil)
		id, err := s.SaveAccount(ctx, Account{Name: "bench", Address: "moi@example.org", IMAPHost: srv.Host, IMAPPort: srv.Port,
			IMAPSecurity: None, SMTPHost: "127.0.0.1", SMTPPort: 25, SMTPSecurity: None, Username: srv.User, Password: srv.Password})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		res, err := s.Sync(ctx, id, nil)
		if err != nil || res.New != n {
			b.Fatalf("sync: %+v, %v", res, err)
		}
		ours += time.Since(start)
		b.StopTimer()
		d, err := mailtest.Mbsync(b, srv, b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		theirs += d
		b.StartTimer()
	}
	b.ReportMetric(float64(n)*float64(b.N)/ours.Seconds(), "msg/s")
	b.ReportMetric(float64(n)*float64(b.N)/theirs.Seconds(), "mbsync-msg/s")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkOpenAndSearch: a vault with 50,000 messages; opening one
// (read, parse, sanitise) target ≤ 20 ms, search p95 ≤ 30 ms.
func BenchmarkOpenAndSearch(b *testing.B) {
	n := benchSize("CARNET_BENCH_MAILBOX", 50_000)
	db := vaulttest.DB(b)
	s := New(db, nil)
	id, err := s.SaveAccount(ctx, Account{Name: "bench", Address: "moi@example.org", IMAPHost: "127.0.0.1", IMAPPort: 143,
		IMAPSecurity: None, SMTPHost: "127.0.0.1", SMTPPort: 25, SMTPSecurity: None, Username: "u", Password: "p"})
	if err != nil {
		b.Fatal(err)
	}
	var folder int64
	db.QueryRow(`SELECT id FROM mail_folders WHERE account_id = ?`, id).Scan(&folder)
	start := time.Now()
	from := []string{"helene.dupont@example.fr", "paul.martin@example.com", "compta@fournisseur.fr", "jean@exemple.fr"}
	for i := 0; i < n; i += 1000 {
		msgs := mailtest.GenerateMessages(int64(i+7), min(1000, n-i), from)
		tx, err := db.Begin()
		if err != nil {
			b.Fatal(err)
		}
		var docs searchDocs
		for j, raw := range msgs {
			m := incoming{uid: uint32(i + j + 1), raw: raw, parsed: Parse(raw)}
			if _, err := insertMessage(ctx, tx, folder, "moi@example.org", &m, &docs); err != nil {
				b.Fatal(err)
			}
		}
		if err := docs.flush(ctx, tx); err != nil {
			b.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	fmt.Fprintf(os.Stderr, "mail benchmark vault: %d messages stored in %v\n", n, time.Since(start).Round(time.Second))

	queries := []string{"facture", "devis", "hélène", "paul", "rendez", "livraison", "compta", "merci", "relance", "commande", "du", "pro"}
	var open, search []time.Duration
	i := 0
	for b.Loop() {
		t0 := time.Now()
		if _, err := s.Open(ctx, int64(1+(i*7919)%n), false, nil); err != nil {
			b.Fatal(err)
		}
		open = append(open, time.Since(t0))
		t0 = time.Now()
		if _, err := s.Search(ctx, queries[i%len(queries)], 50); err != nil {
			b.Fatal(err)
		}
		search = append(search, time.Since(t0))
		i++
	}
	pct := func(lat []time.Duration, q float64) float64 {
		slices.Sort(lat)
		return float64(lat[int(q*float64(len(lat)-1))]) / 1e6
	}
	b.ReportMetric(pct(open, 0.95), "open-p95-ms")
	b.ReportMetric(pct(search, 0.50), "search-p50-ms")
	b.ReportMetric(pct(search, 0.95), "search-p95-ms")
	b.ReportMetric(0, "ns/op")
}
