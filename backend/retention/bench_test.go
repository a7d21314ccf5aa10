package retention_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"carnet/backend/crm"
	"carnet/backend/i18n"
	"carnet/backend/retention"
	"carnet/backend/vault"
	"carnet/backend/vault/vaulttest"
)

// The benchmark vault: the CRM's demo data (100,000 contacts by default,
// CARNET_BENCH_CONTACTS for another size) collected over six years, an
// issued invoice for a third of the customers, and 20,000 e-mails of which
// half name no contact. Built once per run.
var (
	benchOnce  sync.Once
	benchStore *retention.Store
)

func benchContacts() int {
	if n, err := strconv.Atoi(os.Getenv("CARNET_BENCH_CONTACTS")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

func benchVault(b *testing.B) *retention.Store {
	benchOnce.Do(func() {
		ctx := context.Background()
		dir, err := os.MkdirTemp("", "carnet-bench-")
		if err != nil {
			b.Fatal(err)
		}
		v, err := vault.Open(dir, vault.Options{KDF: vaulttest.FastKDF})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := v.Create(ctx, "benchmark passphrase"); err != nil {
			b.Fatal(err)
		}
		db, _ := v.DB()
		start := time.Now()
		n := benchContacts()
		if _, err := crm.New(db, nil).GenerateDemo(ctx, crm.DemoOptions{Contacts: n, Seed: 2026}); err != nil {
			b.Fatal(err)
		}
		for _, q := range []string{
			// Collected over the last six years.
			`UPDATE contacts SET created_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-' || (id * 7919 % 2190) || ' days')`,
			`INSERT INTO documents (kind, number, state, contact_id, b2c, issue_date, created_at, updated_at, issued_at)
			 SELECT 'invoice', 'F-BENCH-' || id, 'issued', id, 1, date('now', '-' || (id * 31 % 1800) || ' days'),
			        created_at, created_at, created_at
			 FROM contacts WHERE relationships & 2 <> 0 AND id % 3 = 0`,
			`INSERT INTO mail_accounts (name, address, imap_host, imap_port, imap_security, smtp_host, smtp_port, smtp_security,
			     username, password, created_at)
			 VALUES ('Bureau', 'moi@atelier.test', 'localhost', 993, 'tls', 'localhost', 465, 'tls', 'u', 'p', '2020-01-01T00:00:00Z')`,
			`INSERT INTO mail_folders (account_id, name, role) VALUES (1, 'INBOX', 'inbox')`,
			`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
			 INSERT INTO mail_messages (folder_id, uid, subject, from_address, sent_at, inbound, size, raw)
			 SELECT 1, i, 'Message ' || i, '', strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-' || (i * 13 % 1500) || ' days'), 1, 10, x'00' FROM n`,
			`INSERT INTO mail_addresses (message_id, role, position, address)
			 SELECT m.id, 'from', 0, CASE WHEN m.id % 2 = 0
			     THEN (SELECT address FROM contact_emails WHERE contact_id = 1 + m.id * 7 % ` + strconv.Itoa(n) + `)
			     ELSE 'inconnu' || m.id || '@ailleurs.test' END
			 FROM mail_messages m`,
			`INSERT INTO mail_addresses (message_id, role, position, address) SELECT id, 'to', 0, 'moi@atelier.test' FROM mail_messages`,
		} {
			if _, err := db.ExecContext(ctx, q); err != nil {
				b.Fatalf("%v\n%s", err, q)
			}
		}
		tr, err := i18n.Load()
		if err != nil {
			b.Fatal(err)
		}
		benchStore = retention.New(db, nil, tr)
		fmt.Fprintf(os.Stderr, "benchmark vault: %d contacts built in %v\n", n, time.Since(start).Round(time.Second))
	})
	if benchStore == nil {
		b.Fatal("benchmark vault not built")
	}
	return benchStore
}

// BenchmarkRetentionSweep: the whole sweep (every group, one query each)
// with every item listed, here some 18,000 due. Target ≤ 250 ms of CPU
// for 100,000 contacts.
func BenchmarkRetentionSweep(b *testing.B) {
	s := benchVault(b)
	ctx := context.Background()
	var sw retention.Sweep
	cpu := cpuTime()
	for b.Loop() {
		var err error
		if sw, err = s.Due(ctx, time.Now()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N)/1e6, "cpu-ms/op")
	b.ReportMetric(float64(sw.DueNow), "due")
	b.ReportMetric(float64(sw.DueSoon), "soon")
}
