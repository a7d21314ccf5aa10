package benchreport

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"carnet/backend/crm"
	"carnet/backend/i18n"
	"carnet/backend/vault"
)

// Options of a run.
type Options struct {
	Sizes Sizes
	Quick bool
	Dir   string          // the vaults are built in a new folder here, removed at the end
	Self  []string        // the command that runs MemoryChild (this program, re-run); Self[0] with BigMailChildArg runs BigMailChild
	Only  string          // "memory.mail.big": measure that figure alone, without building the vault
	Log   io.Writer       // progress, a line per step
	KDF   vault.KDFParams // the vault's key derivation costs; zero: the app's
}

const (
	plainName = "unencrypted"
	mbsync    = "mbsync"
)

// Run builds the vaults, measures every figure and returns the report.
func Run(ctx context.Context, o Options) (*Report, error) {
	r := &Report{Quick: o.Quick, Sizes: o.Sizes, Started: time.Now(), CPUs: runtime.NumCPU(), Load: [2]string{loadAverage()},
		Baseline: "unencrypted SQLite with the same data and schema for storage figures, mbsync for the mail sync"}
	m := &run{Report: r, sz: o.Sizes, log: o.Log, runs: max(1, o.Sizes.Runs), self: o.Self}
	cpu0 := cpuTime()
	dir, err := os.MkdirTemp(o.Dir, "carnet-bench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	switch o.Only {
	case "":
	case "memory.mail.big":
		if err := m.bigMail(ctx, dir); err != nil {
			return nil, err
		}
		r.Took = time.Since(r.Started)
		r.CPUSeconds = round((cpuTime() - cpu0).Seconds(), 1)
		r.Load[1] = loadAverage()
		return r, nil
	default:
		return nil, fmt.Errorf("benchreport: no figure %q to measure alone (only memory.mail.big)", o.Only)
	}
	tr, err := i18n.Load()
	if err != nil {
		return nil, err
	}

	m.logf("building the vault, encrypted and unencrypted side by side: %s", m.sz.describe())
	enc, plain, err := BuildBoth(ctx, dir, m.sz, o.KDF, tr)
	if err != nil {
		return nil, err
	}
	defer plain.Close()
	defer enc.Close()
	for _, v := range []*Vault{enc, plain} {
		name := map[bool]string{true: "encrypted", false: "unencrypted"}[v.Encrypted]
		for i, step := range []string{"contacts, companies and notes", "invoices", "e-mails"} {
			r.Built = append(r.Built, Step{name + ": " + step, round(v.Built[i].Seconds(), 1)})
		}
	}
	m.logf("built")
	m.enc, m.plain = enc, plain

	// Memory, in a process of its own while the vault is closed here; then
	// the unlock, here.
	if err := enc.Close(); err != nil {
		return nil, err
	}
	if err := m.memory(ctx, o.Self, enc.Dir); err != nil {
		return nil, err
	}
	if err := m.unlock(ctx); err != nil {
		return nil, err
	}
	for _, step := range []func(context.Context, string) error{m.contacts, m.invoices, m.mail, m.bigMail, m.backup, m.rights} {
		if err := step(ctx, dir); err != nil {
			return nil, err
		}
	}
	r.Took = time.Since(r.Started)
	r.CPUSeconds = round((cpuTime() - cpu0).Seconds(), 1)
	r.Load[1] = loadAverage()
	return r, nil
}

// run is one run's state.
type run struct {
	*Report
	sz         Sizes
	runs       int // repeats of one-off figures
	log        io.Writer
	enc, plain *Vault
	self       []string
}

func (m *run) logf(format string, args ...any) {
	fmt.Fprintf(m.log, "bench %4.0fs: %s\n", time.Since(m.Started).Seconds(), fmt.Sprintf(format, args...))
}

func (m *run) add(f Figure) {
	m.Figures = append(m.Figures, f)
	m.logf("%s: %s", f.Name, amount(f.Measured, f.Unit))
}

// both times the same work on the vault and on the baseline.
func (m *run) both(name string, fn func(v *Vault) (Timings, error)) ([2]Timings, error) {
	var t [2]Timings
	for i, v := range []*Vault{m.enc, m.plain} {
		var err error
		if t[i], err = fn(v); err != nil {
			if !v.Encrypted {
				name += " (baseline)"
			}
			return t, fmt.Errorf("%s: %w", name, err)
		}
	}
	return t, nil
}

// sample times n calls of an operation on both, after warm untimed ones.
func (m *run) sample(name string, n, warm int, mk func(v *Vault) (op, error)) ([2]Timings, error) {
	return m.both(name, func(v *Vault) (Timings, error) {
		fn, err := mk(v)
		if err != nil {
			return Timings{}, err
		}
		return latencies(n, warm, fn)
	})
}

// percentile is a figure in milliseconds from timings of the vault and of
// the baseline.
func percentile(key, name string, target, q float64, t [2]Timings) Figure {
	w, c := t[0].P(q)
	b, _ := t[1].P(q)
	return Figure{Key: key, Name: name, Unit: "ms", Want: AtMost, Target: target, Measured: round(w, 2), CPU: round(c, 2),
		Samples: t[0].N(), Baseline: round(b, 2), BaseName: plainName}
}

// median is a figure in unit ("s" or "ms") from the median run of the
// vault and of the baseline.
func median(key, name, unit string, target float64, t [2]Timings) Figure {
	scale, digits := 1.0, 2
	if unit == "ms" {
		scale, digits = 1000, 0
	}
	w, c := t[0].Median()
	b, _ := t[1].Median()
	return Figure{Key: key, Name: name, Unit: unit, Want: AtMost, Target: target, Measured: round(w*scale, digits),
		CPU: round(c*scale, digits), Samples: t[0].N(), Baseline: round(b*scale, digits), BaseName: plainName}
}

func (m *run) memory(ctx context.Context, self []string, dir string) error {
	mem, err := MeasureMemory(ctx, self, dir, m.sz.Messages)
	if err != nil {
		return err
	}
	m.add(Figure{Key: "memory.open", Name: "peak RSS, the vault open and in use", Unit: "MB", Want: AtMost, Target: 150,
		Measured: round(mem.OpenPeakMB, 1),
		Note: fmt.Sprintf("VmHWM of a process of its own, counted from just after the unlock: the retention sweep and, meanwhile, %d sessions "+
			"(one per pooled connection) scrolling the contact list, searching, opening contacts and their timelines, e-mails, the sales screen; "+
			"at the end %.0f MB resident, of which %.0f MB the Go runtime's and the rest SQLite's (page caches)", sessions, mem.EndMB, mem.GoMB)})
	m.add(Figure{Key: "memory.unlock", Name: "peak RSS during the unlock", Unit: "MB", Want: AtMost, Measured: round(mem.UnlockPeakMB, 1),
		Note: fmt.Sprintf("the same process from its start to the end of the unlock: Argon2id's 128 MiB, given back at once (%.0f MB resident after it)", mem.UnlockedMB)})
	return nil
}

func (m *run) unlock(ctx context.Context) error {
	var t Timings
	s, err := m.enc.Reopen(ctx)
	for err == nil {
		t.add(s)
		if t.N() == max(3, m.runs) {
			break
		}
		s, err = m.enc.Relock(ctx)
	}
	if err != nil {
		return fmt.Errorf("unlock: %w", err)
	}
	t.sort()
	w, c := t.Median()
	m.add(Figure{Key: "vault.unlock", Name: "unlock (Argon2id, open, migrations)", Unit: "s", Want: AtMost, Target: 1,
		Measured: round(w, 2), CPU: round(c/float64(runtime.GOMAXPROCS(0)), 2), Samples: t.N(),
		Note: "CPU: the process's CPU time shared by the cores, as Argon2id's two lanes run in parallel"})
	return nil
}

func (m *run) contacts(ctx context.Context, dir string) error {
	t, err := m.sample("search", m.sz.Samples, len(searchQueries), func(v *Vault) (op, error) { return v.searchOp(ctx), nil })
	if err != nil {
		return err
	}
	m.add(percentile("crm.search.p50", "search, prefixes of 2–6 letters, p50", 5, 0.5, t))
	m.add(percentile("crm.search.p95", "search, prefixes of 2–6 letters, p95", 15, 0.95, t))
	if t, err = m.sample("list page", m.sz.Samples, 10, func(v *Vault) (op, error) { return v.pageOp(ctx) }); err != nil {
		return err
	}
	f := percentile("crm.page.p95", "a page of a sorted, filtered list, p95", 10, 0.95, t)
	w, _ := t[0].P(0.5)
	f.Note = fmt.Sprintf("50 customers sorted by name, anywhere in the list, from its snapshot of ids as the app pages; p50 %.2f ms", w)
	m.add(f)
	if t, err = m.sample("first page", max(10, m.sz.Samples/10), 1, func(v *Vault) (op, error) { return v.firstPageOp(ctx), nil }); err != nil {
		return err
	}
	f = percentile("crm.firstpage.p50", "first page of a new filter, p50", 0, 0.5, t)
	f.Note = "takes the list's snapshot of ids too"
	m.add(f)

	csvData, vcfData := crm.DemoImportFiles(m.sz.ImportRows)
	for _, imp := range []struct {
		key, name, unit string
		target          float64
		parse           func() ([]crm.Candidate, error)
		note            string
	}{
		{"crm.import.csv", "CSV import", "rows/s", 20_000, parseCSV(csvData), "a French Excel file: name, e-mail, phone, company, city, two tags, source, last contact"},
		{"crm.import.vcard", "vCard import", "cards/s", 10_000, parseVCards(vcfData), "vCard 3.0: name, e-mail, mobile, organisation"},
	} {
		var rate [2][2]float64
		var checkpoint time.Duration
		for i, v := range []*Vault{m.enc, m.plain} {
			w, c, cp, err := importRate(ctx, dir, v.Encrypted, m.runs, m.sz.ImportRows, imp.parse)
			if err != nil {
				return fmt.Errorf("%s: %w", imp.name, err)
			}
			rate[i] = [2]float64{w, c}
			if v.Encrypted {
				checkpoint = cp
			}
		}
		m.add(Figure{Key: imp.key, Name: imp.name, Unit: imp.unit, Want: AtLeast, Target: imp.target, Measured: round(rate[0][0], 0),
			CPU: round(rate[0][1], 0), Samples: m.runs, Baseline: round(rate[1][0], 0), BaseName: plainName,
			Note: fmt.Sprintf("%s people parsed and imported into an empty vault in one transaction; %s; the write-ahead log is folded into the file after the commit, in the background in the app (%d ms)",
				thousands(int64(m.sz.ImportRows)), imp.note, checkpoint.Milliseconds())})
	}
	return nil
}

func (m *run) invoices(ctx context.Context, _ string) error {
	t, err := m.both("issuing", func(v *Vault) (Timings, error) { return v.issueTimings(ctx, max(20, m.sz.Samples/4)) })
	if err != nil {
		return err
	}
	f := percentile("sales.issue.p95", "issuing an invoice (number, freeze), p95", 20, 0.95, t)
	f.Note = fmt.Sprintf("after %s invoices", thousands(int64(m.sz.Invoices)))
	m.add(f)
	w, c, err := m.enc.pdfRate(ctx, m.sz.Samples)
	if err != nil {
		return fmt.Errorf("invoice PDFs: %w", err)
	}
	m.add(Figure{Key: "pdf.onepage", Name: fmt.Sprintf("one-page invoice PDFs on %d cores", runtime.GOMAXPROCS(0)), Unit: "PDF/s",
		Want: AtLeast, Target: 100, Measured: round(w, 0), CPU: round(c, 0), Samples: m.sz.Samples,
		Note: "CPU: PDFs per second of the process's CPU time shared by the cores"})
	long, err := m.enc.longInvoice(ctx, m.runs)
	if err != nil {
		return fmt.Errorf("500-line invoice: %w", err)
	}
	w, c = long.Median()
	m.add(Figure{Key: "pdf.500lines", Name: "500-line invoice PDF", Unit: "ms", Want: AtMost, Target: 1000,
		Measured: round(w*1000, 0), CPU: round(c*1000, 0), Samples: long.N()})
	return nil
}

func (m *run) mail(ctx context.Context, dir string) error {
	t, err := m.sample("open a message", m.sz.Samples, 10, func(v *Vault) (op, error) { return v.openOp(ctx, m.sz.Messages), nil })
	if err != nil {
		return err
	}
	f := percentile("mail.open.p95", "opening a message, p95", 20, 0.95, t)
	f.Note = fmt.Sprintf("read, parse, sanitise, among %s", thousands(int64(m.sz.Messages)))
	m.add(f)
	if t, err = m.sample("mail search", m.sz.Samples, len(mailQueries), func(v *Vault) (op, error) { return v.mailSearchOp(ctx), nil }); err != nil {
		return err
	}
	f = percentile("mail.search.p95", "mail search, p95", 30, 0.95, t)
	w, _ := t[0].P(0.5)
	f.Note = fmt.Sprintf("across %s messages; p50 %.2f ms", thousands(int64(m.sz.Messages)), w)
	m.add(f)

	m.logf("filling a Dovecot mailbox with %s messages", thousands(int64(m.sz.Sync)))
	mb, err := NewMailbox(m.sz.Sync)
	if err != nil {
		return err
	}
	defer mb.Close()
	ours, err := mb.SyncInto(ctx, dir)
	if err != nil {
		return fmt.Errorf("mail sync: %w", err)
	}
	theirs, err := mb.Mbsync(dir)
	if err != nil {
		return fmt.Errorf("mbsync: %w", err)
	}
	m.add(Figure{Key: "mail.sync", Name: "initial mail sync from Dovecot", Unit: "msg/s", Want: AtLeast, Target: 1000, MinRatio: 1,
		Measured: round(ours, 0), Baseline: round(theirs, 0), BaseName: mbsync,
		Note: fmt.Sprintf("%s messages over loopback into an empty vault; then mbsync into a Maildir (FSync at its default), "+
			"after Carnet's sync has paid Dovecot's first indexing", thousands(int64(m.sz.Sync)))})
	return nil
}

// rights measures the retention sweep, then the person's rights: the
// erasure last, as it changes the vaults.
func (m *run) rights(ctx context.Context, dir string) error {
	t, err := m.both("retention sweep", func(v *Vault) (Timings, error) { return v.sweepTimings(ctx, m.runs) })
	if err != nil {
		return err
	}
	f := median("retention.sweep", "retention sweep", "ms", 0, t)
	f.Note = "every group, every due item listed, as at unlock and daily; no issue names a target"
	m.add(f)
	if t, err = m.both("access export", func(v *Vault) (Timings, error) { return v.exportTimings(ctx, dir, m.sz.Person, m.runs) }); err != nil {
		return err
	}
	f = median("subject.export", "subject-access export (ZIP with PDF)", "s", 3, t)
	f.Note = fmt.Sprintf("a person with %s e-mails, %d invoices, %s notes; CPU: of every core (the invoice PDFs render in parallel)",
		thousands(int64(m.sz.Person.Messages)), m.sz.Person.Invoices, thousands(int64(m.sz.Person.Notes)))
	m.add(f)
	var erase, compact [2]Timings
	for i, v := range []*Vault{m.enc, m.plain} {
		e, c, err := v.erase(ctx)
		if err != nil {
			return fmt.Errorf("erasure: %w", err)
		}
		erase[i].add(e)
		compact[i].add(c)
	}
	m.add(median("subject.erase", "erasure of that person (committed)", "s", 2, erase))
	m.add(median("subject.compact", "then the index compaction (background)", "s", 0, compact))
	return nil
}

// BuildBoth builds the encrypted vault and the unencrypted baseline side by
// side (one core each), in folders under dir.
func BuildBoth(ctx context.Context, dir string, sz Sizes, kdf vault.KDFParams, tr *i18n.Bundle) (enc, plain *Vault, err error) {
	var plainErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		plain, plainErr = Build(ctx, filepath.Join(dir, "plain"), sz, false, kdf, tr)
	}()
	enc, err = Build(ctx, filepath.Join(dir, "vault"), sz, true, kdf, tr)
	<-done
	if err == nil && plainErr != nil {
		err = fmt.Errorf("the baseline: %w", plainErr)
	}
	if err != nil {
		if enc != nil {
			enc.Close()
		}
		if plain != nil {
			plain.Close()
		}
		return nil, nil, fmt.Errorf("build the vault: %w", err)
	}
	return enc, plain, nil
}

// loadAverage is the first three fields of /proc/loadavg.
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(data))
	return strings.Join(f[:min(3, len(f))], " ")
}
