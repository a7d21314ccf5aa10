package vault

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sync"
	"time"

	"carnet/backend/fsutil"
)

// Unlock throttling. The first FreeTries failures cost nothing more than the
// key derivation; each failure after that imposes a pause that doubles, up to
// MaxPause.
//
// The count and the end of the pause live in carnet.keys.tries beside the
// key file, written atomically, so that a new process (each `carnet verify`
// is one) does not start afresh. What that file is worth, honestly: before
// an unlock nothing secret is available to key a MAC on, so it carries a
// checksum, not a signature. The checksum catches damage and a careless
// edit; a damaged or unreadable file counts as a pause (it fails closed).
// Someone who can write the folder can delete the file and reset the count
// — but that person can also copy carnet.keys and guess offline at full
// speed, where only Argon2id's cost protects the passphrase. The pause
// slows down guessing through Carnet itself (a stolen unlocked session
// left at a locked screen, a script driving the command line).
const (
	FreeTries  = 5
	FirstPause = 30 * time.Second
	MaxPause   = 15 * time.Minute

	triesFileName   = keyFileName + ".tries"
	triesFileFormat = "carnet-tries/1"
)

type throttle struct {
	mu   sync.Mutex
	now  func() time.Time
	path string // the tries file
	// mem is what this process counted, kept beside the file: a file that
	// cannot be written (disk full, read-only) must not reset the count.
	// The stricter of the two applies.
	mem triesState
}

// stricter merges s with what this process counted.
func (t *throttle) stricter(s triesState) triesState {
	s.Failures = max(s.Failures, t.mem.Failures)
	if t.mem.Until.After(s.Until) {
		s.Until = t.mem.Until
	}
	// As in load: a clock moved back does not lengthen a pause.
	s.Until = minTime(s.Until, t.now().Add(MaxPause))
	return s
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// triesState is the tries file's content.
type triesState struct {
	Format   string    `json:"format"`
	Failures int       `json:"failures"`
	Until    time.Time `json:"until"`
	// Sum is SHA-256 over the fields above (see triesSum): a checksum
	// against damage, not a MAC (nothing secret exists before an unlock).
	Sum string `json:"sum"`
}

func triesSum(s triesState) string {
	h := sha256.Sum256(fmt.Appendf(nil, "%s|%d|%s", s.Format, s.Failures, s.Until.UTC().Format(time.RFC3339Nano)))
	return hex.EncodeToString(h[:])
}

// load reads the tries file. A missing file is no failure; a damaged one
// is replaced by a fresh pause starting now, written so that it ends.
func (t *throttle) load() (triesState, error) {
	b, err := os.ReadFile(t.path)
	if errors.Is(err, fs.ErrNotExist) {
		return triesState{}, nil
	}
	var s triesState
	if err == nil {
		err = json.Unmarshal(b, &s)
	}
	if err == nil && (s.Format != triesFileFormat || s.Sum != triesSum(s) || s.Failures < 0) {
		err = errors.New("checksum mismatch")
	}
	if err != nil {
		s = triesState{Failures: FreeTries, Until: t.now().Add(FirstPause)}
		return s, t.store(s)
	}
	// A clock moved back must not turn a pause into a year-long lock-out.
	if s.Until.Sub(t.now()) > MaxPause {
		s.Until = t.now().Add(MaxPause)
		return s, t.store(s)
	}
	return s, nil
}

func (t *throttle) store(s triesState) error {
	s.Format = triesFileFormat
	s.Until = s.Until.UTC()
	s.Sum = triesSum(s)
	b, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("vault: tries file: %w", err)
	}
	if err := fsutil.WriteFileAtomic(t.path, append(b, '\n'), privateFileMode); err != nil {
		return fmt.Errorf("vault: tries file: %w", err)
	}
	return nil
}

// wait returns how long the caller must still wait before trying. When the
// tries file cannot be read or rewritten, it says to wait: fail closed.
func (t *throttle) wait() (time.Duration, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	s, err := t.load()
	if err != nil {
		return max(FirstPause, t.stricter(triesState{}).Until.Sub(t.now())), err
	}
	if d := t.stricter(s).Until.Sub(t.now()); d > 0 {
		return d, nil
	}
	return 0, nil
}

// fail records a failure and returns the tries left and the pause imposed.
func (t *throttle) fail() (left int, pause time.Duration, err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	// An unreadable file counts as a pause (load); the failure is still
	// counted in memory.
	s, lerr := t.load()
	s = t.stricter(s)
	s.Failures++
	if s.Failures < FreeTries {
		t.mem = s
		if lerr != nil {
			return 0, FirstPause, lerr
		}
		return FreeTries - s.Failures, 0, t.store(s)
	}
	pause = FirstPause
	for i := FreeTries; i < s.Failures && pause < MaxPause; i++ {
		pause *= 2
	}
	pause = min(pause, MaxPause)
	s.Until = t.now().Add(pause)
	t.mem = s
	if lerr != nil {
		return 0, pause, lerr
	}
	return 0, pause, t.store(s)
}

// reset forgets the failures after a success.
func (t *throttle) reset() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.mem = triesState{}
	if err := os.Remove(t.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("vault: tries file: %w", err)
	}
	return nil
}
