package benchreport

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestVerdictFollowsTheTargetsDirection(t *testing.T) {
	for _, tc := range []struct {
		name string
		f    Figure
		want string
	}{
		{"a time under its limit passes", Figure{Want: AtMost, Target: 15, Measured: 3}, "pass"},
		{"a time over its limit is short", Figure{Want: AtMost, Target: 15, Measured: 16}, "short"},
		{"a rate over its floor passes", Figure{Want: AtLeast, Target: 20_000, Measured: 20_000}, "pass"},
		{"a rate under its floor is short", Figure{Want: AtLeast, Target: 20_000, Measured: 14_500}, "short"},
		{"a figure without target has no verdict", Figure{Want: AtMost, Measured: 230}, ""},
		{"a rate over its floor but slower than its peer is short",
			Figure{Want: AtLeast, Target: 1000, MinRatio: 1, Measured: 1200, Baseline: 1500}, "short"},
		{"a rate over its floor and its peer passes",
			Figure{Want: AtLeast, Target: 1000, MinRatio: 1, Measured: 1700, Baseline: 1050}, "pass"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.f.Verdict(); got != tc.want {
				t.Errorf("verdict %q, want %q", got, tc.want)
			}
		})
	}
}

func TestTableAndJSONHoldTheSameFigures(t *testing.T) {
	r := &Report{Sizes: Full(), CPUs: 2, Baseline: "unencrypted", Figures: []Figure{
		{Key: "crm.search.p95", Name: "search, p95", Unit: "ms", Want: AtMost, Target: 15, Measured: 2.81, CPU: 2.75, Samples: 400, Baseline: 2.9, BaseName: "unencrypted"},
		{Key: "crm.import.csv", Name: "CSV import", Unit: "rows/s", Want: AtLeast, Target: 20_000, Measured: 14_512, Baseline: 15_020, BaseName: "unencrypted"},
		{Key: "retention.sweep", Name: "retention sweep", Unit: "ms", Want: AtMost, Measured: 230, Note: "no target"},
	}}
	var out bytes.Buffer
	r.Print(&out)
	table := out.String()
	for _, want := range []string{
		"search, p95", "≤ 15 ms", "2.81 ms (n=400)", "2.75 ms", "2.90 ms unencrypted", "0.97", "pass",
		"CSV import", "≥ 20,000 rows/s", "14,512 rows/s", "short",
		"retention sweep: no target.", "3 figures, 1 short",
	} {
		if !strings.Contains(table, want) {
			t.Errorf("the table lacks %q:\n%s", want, table)
		}
	}
	path := filepath.Join(t.TempDir(), "bench", "report.json")
	if err := r.WriteJSON(path); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Figures []struct {
			Key, TargetText, Verdict string
			Measured, Ratio          float64
		}
	}
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Figures) != 3 || got.Figures[1].Key != "crm.import.csv" || got.Figures[1].Verdict != "short" ||
		got.Figures[1].TargetText != "≥ 20,000 rows/s" || got.Figures[0].Ratio != 0.969 || got.Figures[2].Verdict != "" {
		t.Errorf("JSON figures: %+v", got.Figures)
	}
}

// A tiny vault, to check that make bench runs from end to end: every
// figure measured, the table and the JSON written.
func TestRunMeasuresEveryFigure(t *testing.T) {
	if testing.Short() {
		t.Skip("builds vaults and starts Dovecot")
	}
	sz := Sizes{Contacts: 300, Messages: 120, Invoices: 30, Sync: 50, ImportRows: 100,
		Person: Person{Messages: 20, Invoices: 5, Notes: 10}, Samples: 20, Runs: 1, BigMail: []int{1e6, 2e6}}
	var log bytes.Buffer
	r, err := Run(context.Background(), Options{Sizes: sz, Quick: true, Dir: t.TempDir(), Self: []string{os.Args[0], MemoryChildArg}, Log: &log, KDF: fastKDF})
	if err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	keys := map[string]bool{}
	for _, f := range r.Figures {
		keys[f.Key] = true
		if f.Measured <= 0 {
			t.Errorf("%s: measured %v", f.Key, f.Measured)
		}
		if f.BaseName != "" && f.Baseline <= 0 {
			t.Errorf("%s: baseline %v", f.Key, f.Baseline)
		}
	}
	for _, k := range []string{"memory.open", "memory.unlock", "vault.unlock", "crm.search.p50", "crm.search.p95", "crm.page.p95",
		"crm.firstpage.p50", "crm.import.csv", "crm.import.vcard", "sales.issue.p95", "pdf.onepage", "pdf.500lines",
		"mail.open.p95", "mail.search.p95", "mail.sync", "memory.mail.big", "retention.sweep", "subject.export", "subject.erase", "subject.compact", "backup.write", "backup.restore", "vault.rekey"} {
		if !keys[k] {
			t.Errorf("no figure %s", k)
		}
	}
	if len(keys) != len(r.Figures) {
		t.Errorf("%d figures for %d keys", len(r.Figures), len(keys))
	}
}
