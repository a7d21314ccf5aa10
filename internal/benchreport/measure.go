package benchreport

import (
	"slices"
	"syscall"
	"time"
)

// op is one unit of a figure's work; i counts the calls, so an op can walk
// through its queries or its pages.
type op func(i int) error

// span is how long some work took on the wall clock, and how much CPU time
// this process spent meanwhile. On a busy machine the wall time grows with
// the others' load; the CPU time is what the work costs, and about what it
// would take alone on an idle machine when it runs on one core.
type span struct{ Wall, CPU time.Duration }

// mark is a moment to measure a span from.
type mark struct {
	wall time.Time
	cpu  time.Duration
}

func start() mark { return mark{time.Now(), cpuTime()} }

func (m mark) span() span { return span{time.Since(m.wall), cpuTime() - m.cpu} }

// timed runs fn and measures it.
func timed(fn func() error) (span, error) {
	m := start()
	err := fn()
	return m.span(), err
}

// Timings are spans of repeated work, each clock sorted on its own.
type Timings struct{ Wall, CPU []time.Duration }

func (t *Timings) add(s span) {
	t.Wall = append(t.Wall, s.Wall)
	t.CPU = append(t.CPU, s.CPU)
}

func (t *Timings) sort() {
	slices.Sort(t.Wall)
	slices.Sort(t.CPU)
}

// N is the number of samples.
func (t Timings) N() int { return len(t.Wall) }

// P is the q-quantile (nearest rank) of the wall and CPU times, in
// milliseconds.
func (t Timings) P(q float64) (wall, cpu float64) {
	if len(t.Wall) == 0 {
		return 0, 0
	}
	i := int(q*float64(len(t.Wall)-1) + 0.5)
	return ms(t.Wall[i]), ms(t.CPU[i])
}

// Median is the middle run, in seconds.
func (t Timings) Median() (wall, cpu float64) {
	w, c := t.P(0.5)
	return w / 1000, c / 1000
}

// latencies times n calls of fn after one untimed call per warm item
// (caches filled, statements prepared, as in an app that has been used).
func latencies(n, warm int, fn op) (Timings, error) {
	var t Timings
	for i := range warm {
		if err := fn(i); err != nil {
			return t, err
		}
	}
	for i := range n {
		s, err := timed(func() error { return fn(warm + i) })
		if err != nil {
			return t, err
		}
		t.add(s)
	}
	t.sort()
	return t, nil
}

func ms(d time.Duration) float64 { return float64(d) / 1e6 }

// cpuTime is the process's CPU time so far, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
