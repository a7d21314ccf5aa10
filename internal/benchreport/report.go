// Package benchreport is make bench: it builds one realistic vault (and the
// same data unencrypted, as the baseline), measures every speed and memory
// figure the issues name against its target, and prints one table, also
// written as JSON.
//
// The figures are plain functions on the vault, so the go test benchmarks
// beside them (for profiling) run exactly the same work.
package benchreport

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf8"
)

// Direction says which way a figure is good.
type Direction string

const (
	AtMost  Direction = "at most"  // a time or a size: lower is better
	AtLeast Direction = "at least" // a rate: higher is better
)

// Figure is one row of the report.
type Figure struct {
	Key      string    `json:"key"`
	Name     string    `json:"figure"`
	Unit     string    `json:"unit"`             // ms, s, MB, rows/s, …
	Want     Direction `json:"direction"`        // which way is good
	Target   float64   `json:"target,omitempty"` // 0: reported, no target
	Measured float64   `json:"measured"`         // in Unit, on the wall clock
	// CPU is the same figure on this process's CPU time: what the work
	// costs, about what it takes alone on an idle machine. 0: not measured
	// (the mail sync, whose other half is Dovecot's).
	CPU      float64 `json:"cpu,omitempty"`
	Samples  int     `json:"samples,omitempty"`  // behind a percentile or a median
	Baseline float64 `json:"baseline,omitempty"` // the same figure on the baseline, in Unit
	BaseName string  `json:"baselineOf,omitempty"`
	// MinRatio is a second target: measured/baseline at least this much
	// (mail sync: no slower than mbsync).
	MinRatio float64 `json:"minRatio,omitempty"`
	Note     string  `json:"note,omitempty"`
}

// Ratio is measured over baseline, or 0 without a baseline. Above 1 a rate
// is faster than its baseline and a time slower.
func (f Figure) Ratio() float64 {
	if f.Baseline == 0 {
		return 0
	}
	return f.Measured / f.Baseline
}

// Verdict is "pass", "short" or "" when the figure has no target.
func (f Figure) Verdict() string {
	if f.Target == 0 && f.MinRatio == 0 {
		return ""
	}
	ok := true
	if f.Target != 0 {
		if f.Want == AtMost {
			ok = f.Measured <= f.Target
		} else {
			ok = f.Measured >= f.Target
		}
	}
	if f.MinRatio != 0 && f.Baseline != 0 && f.Ratio() < f.MinRatio {
		ok = false
	}
	if ok {
		return "pass"
	}
	return "short"
}

// TargetText is the target as the table shows it.
func (f Figure) TargetText() string {
	var parts []string
	if f.Target != 0 {
		sign := "≤"
		if f.Want == AtLeast {
			sign = "≥"
		}
		parts = append(parts, sign+" "+targetAmount(f.Target, f.Unit))
	}
	if f.MinRatio != 0 {
		parts = append(parts, fmt.Sprintf("≥ %s × %s", trim(f.MinRatio), f.BaseName))
	}
	if len(parts) == 0 {
		return "—"
	}
	return strings.Join(parts, " and ")
}

// Report is the whole run.
type Report struct {
	Quick   bool          `json:"quick"`
	Sizes   Sizes         `json:"sizes"`
	Started time.Time     `json:"started"`
	Took    time.Duration `json:"-"`
	Seconds float64       `json:"seconds"`
	// CPUSeconds is this process's CPU time (Dovecot, mbsync and the
	// memory child apart): what the run cost, building the two vaults on
	// both cores at once and then measuring on one.
	CPUSeconds float64   `json:"cpuSeconds"`
	CPUs       int       `json:"cpus"`
	Load       [2]string `json:"loadAverage"` // /proc/loadavg at the start and the end: a busy machine shows
	Built      []Step    `json:"built"`
	Figures    []Figure  `json:"figures"`
	Baseline   string    `json:"baseline"`
}

// Step is a timed part of building the vaults.
type Step struct {
	Name    string  `json:"step"`
	Seconds float64 `json:"seconds"`
}

// rowJSON is a figure as written in the JSON: with its verdict and ratio.
type rowJSON struct {
	Figure
	TargetText string  `json:"targetText"`
	Ratio      float64 `json:"ratio,omitempty"`
	Verdict    string  `json:"verdict,omitempty"`
}

// WriteJSON writes the report to path, making its folder.
func (r *Report) WriteJSON(path string) error {
	rows := make([]rowJSON, len(r.Figures))
	for i, f := range r.Figures {
		rows[i] = rowJSON{f, f.TargetText(), round(f.Ratio(), 3), f.Verdict()}
	}
	out := struct {
		*Report
		Figures []rowJSON `json:"figures"`
	}{r, rows}
	r.Seconds = round(r.Took.Seconds(), 1)
	data, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

// Print writes the table.
func (r *Report) Print(w io.Writer) {
	kind := "full run"
	if r.Quick {
		kind = "QUICK run, a tenth of the vault: check that everything runs, not the issues' figures"
	}
	fmt.Fprintf(w, "Carnet benchmarks (%s). Vault: %s; the person: %s e-mails, %d invoices, %s notes;\n",
		kind, r.Sizes.describe(), thousands(int64(r.Sizes.Person.Messages)), r.Sizes.Person.Invoices, thousands(int64(r.Sizes.Person.Notes)))
	fmt.Fprintf(w, "mail sync: %s messages in Dovecot; imports: files of %s people.\n\n",
		thousands(int64(r.Sizes.Sync)), thousands(int64(r.Sizes.ImportRows)))
	rows := [][]string{{"figure", "target", "measured", "CPU", "baseline", "ratio", "verdict"}}
	for _, f := range r.Figures {
		measured := amount(f.Measured, f.Unit)
		if f.Samples > 1 {
			measured += fmt.Sprintf(" (n=%d)", f.Samples)
		}
		base, ratio := "", ""
		if f.Baseline != 0 {
			base = amount(f.Baseline, f.Unit) + " " + f.BaseName
			ratio = fmt.Sprintf("%.2f", f.Ratio())
		}
		verdict := f.Verdict()
		if verdict == "" {
			verdict = "—"
		}
		cpu := ""
		if f.CPU != 0 {
			cpu = amount(f.CPU, f.Unit)
		}
		rows = append(rows, []string{f.Name, f.TargetText(), measured, cpu, base, ratio, verdict})
	}
	width := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, c := range row {
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	line := func(cells []string) {
		var b strings.Builder
		for i, c := range cells {
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
			if i == 2 || i == 3 || i == 5 { // numbers to the right
				b.WriteString(pad + c)
			} else {
				b.WriteString(c + pad)
			}
			b.WriteString("  ")
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
	line(rows[0])
	rule := make([]string, len(width))
	for i, n := range width {
		rule[i] = strings.Repeat("-", n)
	}
	line(rule)
	short := 0
	for _, row := range rows[1:] {
		line(row)
		if row[6] == "short" {
			short++
		}
	}
	fmt.Fprintln(w)
	for _, f := range r.Figures {
		if f.Note != "" {
			fmt.Fprintf(w, "%s: %s.\n", f.Name, f.Note)
		}
	}
	fmt.Fprintf(w, "\n%d figures, %d short. Ratio: measured / baseline (%s);\n", len(r.Figures), short, r.Baseline)
	fmt.Fprintf(w, "above 1, a time is slower and a rate faster than its baseline. n: samples behind a percentile, runs behind a median.\n")
	fmt.Fprintf(w, "CPU: the same figure on this process's CPU time instead of the wall clock, what the work costs: on a busy machine,\n")
	fmt.Fprintf(w, "about what it would take alone. Verdicts are on the wall clock.\n")
	fmt.Fprintf(w, "Took %.0f s (%.0f s of CPU) on %d CPUs; load average %s at the start, %s at the end.\n",
		r.Took.Seconds(), r.CPUSeconds, r.CPUs, r.Load[0], r.Load[1])
}

// amount formats a value with its unit: thousands separated for rates,
// two significant decimals for small times.
func amount(v float64, unit string) string {
	switch {
	case strings.HasSuffix(unit, "/s") || unit == "":
		if v >= 1000 {
			return thousands(int64(math.Round(v))) + " " + unit
		}
		return trim(round(v, 1)) + " " + unit
	case v >= 100:
		return fmt.Sprintf("%.0f %s", v, unit)
	case v >= 10:
		return fmt.Sprintf("%.1f %s", v, unit)
	default:
		return fmt.Sprintf("%.2f %s", v, unit)
	}
}

// targetAmount is a target without trailing zeros: "≤ 1 s", "≥ 20,000 rows/s".
func targetAmount(v float64, unit string) string {
	if v >= 1000 {
		return thousands(int64(v)) + " " + unit
	}
	return trim(v) + " " + unit
}

func thousands(n int64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func round(v float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(v*p) / p
}

func trim(v float64) string { return strings.TrimSuffix(fmt.Sprintf("%g", v), ".0") }
