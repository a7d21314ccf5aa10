package crashtest

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"carnet/backend/vault"
	"carnet/backend/vault/vaulttest"
)

// The parent tells its children what to do through the environment.
const (
	envRole  = "CARNET_CRASH_CHILD" // set in a child: the workload it runs
	envVault = "CARNET_CRASH_VAULT" // the vault folder
	envRun   = "CARNET_CRASH_RUN"   // the run's number in its workload, 0 for the measuring run
	envArgs  = "CARNET_CRASH_ARGS"  // the workload's arguments, URL-encoded
	envSeed  = "CARNET_CRASH_SEED"  // replays a run of the harness (kill delays, generated data)
	envRuns  = "CARNET_CRASH_RUNS"  // kills in total, 100 by default

	passphrase = "crash test passphrase"
	// progressFD is the child's descriptor for its reports: the test
	// framework owns stdout.
	progressFD = 3
)

var ctx = context.Background()

// workload is one kind of write the harness interrupts. The parent calls
// setup once on a new vault, then before, a child's work and check for
// every run, and finish after the last; the child rebuilds the workload
// from args and calls work.
type workload interface {
	name() string
	setup(t *testing.T, db *sql.DB, seed uint64)
	args() url.Values
	load(args url.Values) error
	before(t *testing.T, run int)
	// work writes, calling rep.commit after each transaction that committed.
	work(db *sql.DB, run int, rep *reporter) error
	// check verifies the reopened vault after run, given the commits
	// reported by every run on this vault so far; it fails t for anything
	// lost.
	check(t *testing.T, db *sql.DB, run int, commits map[int][][]string) checked
	// full reports a vault grown so large that the runs would slow down:
	// the next run starts on a new one.
	full(t *testing.T, db *sql.DB) bool
	finish(t *testing.T, db *sql.DB)
}

// checked counts what a check verified and what it found missing.
type checked struct{ items, lost int }

func TestCrashSafety(t *testing.T) {
	if os.Getenv(envRole) != "" {
		t.Skip("this is a child")
	}
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv(envSeed); s != "" {
		var err error
		if seed, err = strconv.ParseUint(s, 10, 64); err != nil {
			t.Fatalf("%s=%q: %v", envSeed, s, err)
		}
	}
	kills := 100
	if testing.Short() {
		kills = 12
	}
	if s := os.Getenv(envRuns); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 3 {
			t.Fatalf("%s=%q: want a number of kills, at least 3", envRuns, s)
		}
		kills = n
	}
	t.Logf("seed %d (replay the same delays and data with %s=%d)", seed, envSeed, seed)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	third := kills / 3
	plan := []struct {
		w     workload
		kills int
	}{
		{&importLoad{}, kills - 2*third},
		{&mailLoad{}, third},
		{&invoiceLoad{}, third},
	}
	// The workloads are independent: they run side by side, one vault each.
	results := make([]stats, len(plan))
	t.Run("workloads", func(t *testing.T) {
		for i, p := range plan {
			t.Run(p.w.name(), func(t *testing.T) {
				t.Parallel()
				h := &harness{exe: exe, w: p.w, rng: rand.New(rand.NewPCG(seed, uint64(i))), replay: seed}
				results[i] = h.run(t, seed+uint64(i)<<32, p.kills)
			})
		}
	})
	var total stats
	for _, s := range results {
		total.add(s)
	}
	t.Logf("crash safety: %d runs, %d SIGKILLs of which %d landed mid-work, %d commits reported, %d committed items verified, %d lost",
		total.runs, total.kills, total.midWork, total.commits, total.items, total.lost)
}

// TestCrashChild is the child's side: it runs only when the parent starts
// this test binary again with envRole set.
func TestCrashChild(t *testing.T) {
	role := os.Getenv(envRole)
	if role == "" {
		t.Skip("runs only as a child of TestCrashSafety")
	}
	var w workload
	for _, c := range []workload{&importLoad{}, &mailLoad{}, &invoiceLoad{}} {
		if c.name() == role {
			w = c
		}
	}
	if w == nil {
		t.Fatalf("unknown workload %q", role)
	}
	args, err := url.ParseQuery(os.Getenv(envArgs))
	if err != nil {
		t.Fatal(err)
	}
	if err := w.load(args); err != nil {
		t.Fatal(err)
	}
	run, err := strconv.Atoi(os.Getenv(envRun))
	if err != nil {
		t.Fatal(err)
	}
	rep := &reporter{out: os.NewFile(progressFD, "progress")}
	v, err := vault.Open(os.Getenv(envVault), vault.Options{KDF: vaulttest.FastKDF})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	if err := v.Unlock(ctx, passphrase); err != nil {
		t.Fatal(err)
	}
	db, err := v.DB()
	if err != nil {
		t.Fatal(err)
	}
	rep.line("ready")
	if err := w.work(db, run, rep); err != nil {
		t.Fatalf("%s run %d: %v", role, run, err)
	}
	rep.line("done")
}

// reporter writes the child's reports, one line per write so that a line
// the parent reads is whole, and only after the commit it reports returned.
type reporter struct{ out *os.File }

func (r *reporter) line(s string) {
	if _, err := r.out.WriteString(s + "\n"); err != nil {
		panic(err) // the parent is gone
	}
}

// commit reports a committed transaction: a kind and what identifies it.
func (r *reporter) commit(fields ...any) {
	s := make([]string, len(fields))
	for i, f := range fields {
		s[i] = fmt.Sprint(f)
	}
	r.line("commit " + strings.Join(s, " "))
}

// progress reports how much of the run's work is done, so that the parent
// keeps its kill delays inside the work as the vault grows.
func (r *reporter) progress(done, total int) { r.line(fmt.Sprintf("progress %d %d", done, total)) }

// harness runs one workload's children on its vault.
type harness struct {
	exe    string
	w      workload
	rng    *rand.Rand
	replay uint64 // the harness's seed
	seed   uint64 // this workload's
	dir    string
	// commits reported by each run on the current vault, checked again
	// after every later kill.
	commits map[int][][]string
	vaults  int
	last    checked // the latest check of the current vault
}

// outcome is what the parent saw of one child.
type outcome struct {
	commits   [][]string
	killed    bool
	finished  bool          // the child reported its work done
	workTime  time.Duration // from ready to done, when finished
	firstProg time.Duration // when the first progress report came: the writing starts
	progAt    time.Duration // when the last progress report came
	progDone  int
	progTotal int
}

// stats sum up runs. Items are counted once each, though every check
// verifies again what earlier runs reported.
type stats struct {
	runs, kills, midWork, commits, items, lost int
}

func (s *stats) add(o stats) {
	s.runs += o.runs
	s.kills += o.kills
	s.midWork += o.midWork
	s.commits += o.commits
	s.items += o.items
	s.lost += o.lost
}

// run measures the work with one run left alone, then kills children at
// random moments within it until kills were killed, checking the vault
// after each run.
func (h *harness) run(t *testing.T, seed uint64, kills int) stats {
	h.seed = seed
	var st stats
	h.newVault(t, &st)
	var after []int // commits reported by each killed run
	h.w.before(t, 0)
	o := h.child(t, 0, 0)
	if !o.finished {
		t.Fatalf("the measuring run did not finish")
	}
	h.verify(t, 0, o, &st)
	// Kills land between half the time the child takes to start writing
	// (opening the vault, a mail sync's login and flag check) and the end
	// of its work.
	span, lead := o.workTime, min(o.firstProg, o.workTime)/2
	t.Logf("%s: the work takes %v, its writing starts after %v", h.w.name(), span.Round(time.Millisecond), o.firstProg.Round(time.Millisecond))
	// A child that finishes before its delay was not killed: runs go on
	// until kills children were (the window shrinks after such a run).
	for run := 1; st.kills < kills; run++ {
		if run > 3*kills {
			t.Fatalf("%d runs for %d kills: the children finish before their delays", run-1, st.kills)
		}
		h.w.before(t, run)
		delay := lead + time.Duration(1+h.rng.Int64N(int64(max(span-lead, time.Millisecond))))
		o := h.child(t, run, delay)
		if o.killed {
			st.kills++
			if !o.finished {
				st.midWork++
			}
			after = append(after, len(o.commits))
		}
		if full := h.verify(t, run, o, &st); full && st.kills < kills {
			h.newVault(t, &st)
		}
		// The vault grows and the machine is shared: re-estimate the work's
		// length from how far the child got, so that the next kill lands
		// inside it too.
		switch {
		case o.finished:
			span = (span + o.workTime) / 2
		case o.progTotal > 0 && o.progDone*5 >= o.progTotal:
			span = (span + o.progAt*time.Duration(o.progTotal)/time.Duration(o.progDone)) / 2
		case len(o.commits) == 0 && delay*4 >= span*3:
			span = span * 5 / 4 // killed late in the window before its first commit: the work is longer
		}
		if o.firstProg > 0 {
			lead = (lead + min(o.firstProg, span)/2) / 2
		}
	}
	v := h.open(t, false)
	db, _ := v.DB()
	h.w.finish(t, db)
	v.Close()
	st.items += h.last.items
	slices.Sort(after)
	t.Logf("%s: %d runs on %d vault(s), %d killed (%d mid-work), %d commits reported, %d items verified, %d lost; work now ≈ %v; killed after N commits: %s",
		h.w.name(), st.runs, h.vaults, st.kills, st.midWork, st.commits, st.items, st.lost, span.Round(time.Millisecond), histogram(after))
	return st
}

// newVault creates a vault and prepares it for the workload; what the
// last one verified is added to st.
func (h *harness) newVault(t *testing.T, st *stats) {
	st.items += h.last.items
	h.last = checked{}
	if h.dir != "" {
		os.RemoveAll(h.dir) // the vault it replaces is not looked at again
	}
	h.dir = t.TempDir()
	h.commits = map[int][][]string{}
	h.vaults++
	v := h.open(t, true)
	defer v.Close()
	db, _ := v.DB()
	h.w.setup(t, db, h.seed+uint64(h.vaults))
}

// verify reopens the vault after a run and checks it. It reports whether
// the vault is full.
func (h *harness) verify(t *testing.T, run int, o outcome, st *stats) (full bool) {
	t.Helper()
	h.commits[run] = o.commits
	st.runs++
	st.commits += len(o.commits)
	v := h.open(t, false)
	defer v.Close()
	rep, err := v.Verify(ctx)
	if err != nil {
		t.Fatalf("run %d: verify: %v", run, err)
	}
	if !rep.OK() {
		t.Fatalf("run %d: the vault is damaged after the kill: integrity %q, key files healthy %v", run, rep.Integrity, rep.KeyFilesHealthy)
	}
	db, _ := v.DB()
	fk, err := db.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		t.Fatal(err)
	}
	if fk.Next() {
		t.Errorf("run %d: a dangling reference after the kill", run)
	}
	fk.Close()
	c := h.w.check(t, db, run, h.commits)
	if c.lost > 0 {
		t.Errorf("run %d: %d committed items lost", run, c.lost)
	}
	if t.Failed() {
		// Later runs would only find the same damage again.
		t.Fatalf("%s: stopped after run %d; replay with %s=%d", h.w.name(), run, envSeed, h.replay)
	}
	// Every check verifies again what earlier ones did: count the losses
	// found, not how often they were found again.
	st.lost += max(0, c.lost-h.last.lost)
	h.last = c
	return h.w.full(t, db)
}

// open unlocks the vault (creating it first when create is set), as the
// app would after a crash.
func (h *harness) open(t *testing.T, create bool) *vault.Vault {
	t.Helper()
	v, err := vault.Open(h.dir, vault.Options{KDF: vaulttest.FastKDF})
	if err != nil {
		t.Fatal(err)
	}
	if create {
		_, err = v.Create(ctx, passphrase)
	} else {
		err = v.Unlock(ctx, passphrase)
	}
	if err != nil {
		v.Close()
		t.Fatalf("unlock after the kill: %v", err)
	}
	return v
}

// child runs one child and, when delay is not zero, kills it with SIGKILL
// that long after it started its work.
func (h *harness) child(t *testing.T, run int, delay time.Duration) outcome {
	t.Helper()
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	var output bytes.Buffer
	cmd := exec.Command(h.exe, "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(),
		envRole+"="+h.w.name(), envVault+"="+h.dir, envRun+"="+strconv.Itoa(run), envArgs+"="+h.w.args().Encode())
	cmd.ExtraFiles = []*os.File{pw}
	cmd.Stdout, cmd.Stderr = &output, &output
	if err := cmd.Start(); err != nil {
		pw.Close()
		t.Fatal(err)
	}
	pw.Close()

	var o outcome
	var start time.Time
	var timer *time.Timer
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) == 0:
		case f[0] == "ready":
			start = time.Now()
			if delay > 0 {
				timer = time.AfterFunc(delay, func() { cmd.Process.Signal(syscall.SIGKILL) })
			}
		case f[0] == "commit":
			o.commits = append(o.commits, f[1:])
		case f[0] == "progress" && len(f) == 3:
			o.progAt = time.Since(start)
			if o.firstProg == 0 {
				o.firstProg = o.progAt
			}
			o.progDone, _ = strconv.Atoi(f[1])
			o.progTotal, _ = strconv.Atoi(f[2])
		case f[0] == "done":
			o.finished, o.workTime = true, time.Since(start)
		}
	}
	if timer != nil {
		timer.Stop()
	}
	err = cmd.Wait()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		if ws, ok := exit.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL && delay > 0 {
			o.killed = true
			err = nil
		}
	}
	if err != nil || start.IsZero() {
		t.Fatalf("%s run %d: the child failed (%v):\n%s", h.w.name(), run, err, output.String())
	}
	return o
}

// histogram writes sorted counts as "0×12 1×5 3×1".
func histogram(ns []int) string {
	var b strings.Builder
	for i := 0; i < len(ns); {
		j := i
		for j < len(ns) && ns[j] == ns[i] {
			j++
		}
		fmt.Fprintf(&b, "%d×%d ", ns[i], j-i)
		i = j
	}
	return strings.TrimSpace(b.String())
}
