package vault

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// clockVault opens the vault in dir with a clock the test moves.
func clockVault(t *testing.T, dir string) (*Vault, *time.Time) {
	t.Helper()
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	v, err := Open(dir, Options{KDF: fastKDF, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { v.Close() })
	return v, &now
}

func secretErr(t *testing.T, err error, want error) *SecretError {
	t.Helper()
	var se *SecretError
	if !errors.As(err, &se) || !errors.Is(err, want) {
		t.Fatalf("got %v, want a SecretError for %v", err, want)
	}
	return se
}

func throttled(t *testing.T, err error) time.Duration {
	t.Helper()
	var te *ThrottledError
	if !errors.As(err, &te) {
		t.Fatalf("got %v, want a ThrottledError", err)
	}
	return te.RetryAfter
}

func TestWrongTriesCountDownThenPausesDoubleUpToTheMaximum(t *testing.T) {
	ctx := context.Background()
	dir, _ := createTest(t)
	before := snapshot(t, dir)
	v, now := clockVault(t, dir)

	for left := FreeTries - 1; left > 0; left-- {
		if se := secretErr(t, v.Unlock(ctx, "wrong passphrase"), ErrWrongPassphrase); se.TriesLeft != left || se.RetryAfter != 0 {
			t.Fatalf("want %d tries left and no pause, got %+v", left, se)
		}
	}
	want := FirstPause
	for i := 0; i < 8; i++ {
		se := secretErr(t, v.Unlock(ctx, "wrong passphrase"), ErrWrongPassphrase)
		if se.TriesLeft != 0 || se.RetryAfter != want {
			t.Fatalf("failure %d: %+v, want a %v pause", FreeTries+i, se, want)
		}
		// While it runs, nothing is tried, not even the right passphrase,
		// and a try does not count: the wait just shrinks with time.
		*now = now.Add(want / 3)
		for _, p := range []string{pass, "wrong passphrase"} {
			if left := throttled(t, v.Unlock(ctx, p)); left != want-want/3 {
				t.Fatalf("during a %v pause, %v after its start: wait %v", want, want/3, left)
			}
		}
		*now = now.Add(want - want/3)
		want = min(2*want, MaxPause)
	}
	if want != MaxPause {
		t.Fatalf("the pause stopped growing at %v before reaching %v", want, MaxPause)
	}
	if err := v.Unlock(ctx, pass); err != nil {
		t.Fatalf("right passphrase after the pause: %v", err)
	}
	if err := v.Lock(); err != nil {
		t.Fatal(err)
	}
	if se := secretErr(t, v.Unlock(ctx, "wrong passphrase"), ErrWrongPassphrase); se.TriesLeft != FreeTries-1 {
		t.Fatalf("a success must reset the count: %+v", se)
	}
	v.Close()
	after := snapshot(t, dir)
	// Only the unlock rewrote nothing either: the key file was healthy.
	// The tries file holds the one failure since the success.
	delete(before, filepath.Join(dir, lockFileName))
	delete(after, filepath.Join(dir, lockFileName))
	sameFilesButTries(t, dir, before, after, 1)
}

func TestRecoveryCodesShareTheThrottle(t *testing.T) {
	ctx := context.Background()
	dir, code := createTest(t)
	before := snapshot(t, dir)
	v, _ := clockVault(t, dir)

	// Wrong codes, a string that is not even a code, and wrong passphrases
	// all count against the same tries.
	if se := secretErr(t, v.UnlockWithRecovery(ctx, "0000-0000-0000-0000-0000-0000"), ErrWrongRecoveryCode); se.TriesLeft != FreeTries-1 {
		t.Fatalf("first wrong code: %+v", se)
	}
	if se := secretErr(t, v.UnlockWithRecovery(ctx, "not a code"), ErrWrongRecoveryCode); se.TriesLeft != FreeTries-2 {
		t.Fatalf("a malformed code counts: %+v", se)
	}
	if se := secretErr(t, v.Unlock(ctx, "wrong passphrase"), ErrWrongPassphrase); se.TriesLeft != FreeTries-3 {
		t.Fatalf("passphrase after two codes: %+v", se)
	}
	secretErr(t, v.UnlockWithRecovery(ctx, "1111-1111-1111-1111-1111-1111"), ErrWrongRecoveryCode)
	if se := secretErr(t, v.UnlockWithRecovery(ctx, "2222-2222-2222-2222-2222-2222"), ErrWrongRecoveryCode); se.RetryAfter != FirstPause {
		t.Fatalf("fifth failure: %+v", se)
	}
	// The right code waits too.
	if left := throttled(t, v.UnlockWithRecovery(ctx, code)); left != FirstPause {
		t.Fatalf("right code during the pause: wait %v", left)
	}
	v.Close()
	after := snapshot(t, dir)
	delete(before, filepath.Join(dir, lockFileName))
	delete(after, filepath.Join(dir, lockFileName))
	sameFilesButTries(t, dir, before, after, FreeTries)

	// The pause outlives the process: a new one waits for its end.
	v, now := clockVault(t, dir)
	if left := throttled(t, v.UnlockWithRecovery(ctx, code)); left != FirstPause {
		t.Fatalf("right code in a new process during the pause: wait %v", left)
	}
	*now = now.Add(FirstPause)
	if err := v.UnlockWithRecovery(ctx, code); err != nil {
		t.Fatalf("right code: %v", err)
	}
	if err := v.SetNewPassphrase(ctx, "a brand new passphrase"); err != nil {
		t.Fatal(err)
	}
	v.Lock()
	if se := secretErr(t, v.Unlock(ctx, pass), ErrWrongPassphrase); se.TriesLeft != FreeTries-1 {
		t.Fatalf("a recovery unlock must reset the count: %+v", se)
	}
}

// sameFilesButTries requires the files of before and after to be the same
// but for the tries file, which must record failures (or be absent for 0).
func sameFilesButTries(t *testing.T, dir string, before, after map[string][]byte, failures int) {
	t.Helper()
	p := filepath.Join(dir, triesFileName)
	if got := triesIn(t, dir).Failures; got != failures {
		t.Fatalf("tries file records %d failures, want %d", got, failures)
	}
	delete(before, p)
	delete(after, p)
	sameFiles(t, before, after)
}

// triesIn reads the tries file in dir as the throttle does.
func triesIn(t *testing.T, dir string) triesState {
	t.Helper()
	th := throttle{now: time.Now, path: filepath.Join(dir, triesFileName)}
	s, err := th.load()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The pause is kept in the tries file: a new Vault value (a new process,
// as each command line run is) waits for it, and a success removes it.
func TestThePauseSurvivesANewProcess(t *testing.T) {
	ctx := context.Background()
	dir, _ := createTest(t)
	before := snapshot(t, dir)
	v, now := clockVault(t, dir)
	for range FreeTries {
		secretErr(t, v.Unlock(ctx, "wrong passphrase"), ErrWrongPassphrase)
	}
	v.Close()
	again, _ := Open(dir, Options{KDF: fastKDF, Now: func() time.Time { return *now }})
	if left := throttled(t, again.Unlock(ctx, pass)); left != FirstPause {
		t.Fatalf("a new process during the pause: wait %v", left)
	}
	*now = now.Add(FirstPause)
	// The sixth failure, in the new process, doubles the pause.
	if se := secretErr(t, again.Unlock(ctx, "wrong passphrase"), ErrWrongPassphrase); se.RetryAfter != 2*FirstPause {
		t.Fatalf("sixth failure in a new process: %+v", se)
	}
	*now = now.Add(2 * FirstPause)
	if err := again.Unlock(ctx, pass); err != nil {
		t.Fatal(err)
	}
	again.Close()
	if _, err := os.Stat(filepath.Join(dir, triesFileName)); !os.IsNotExist(err) {
		t.Fatalf("a success must remove the tries file: %v", err)
	}
	after := snapshot(t, dir)
	delete(before, filepath.Join(dir, lockFileName))
	delete(after, filepath.Join(dir, lockFileName))
	sameFiles(t, before, after)
}

// A tries file that was damaged or edited imposes a pause (fail closed),
// which then ends like any other.
func TestADamagedTriesFileCountsAsAPause(t *testing.T) {
	ctx := context.Background()
	for name, content := range map[string]string{
		"garbage":               "not json at all",
		"count lowered by hand": `{"format":"carnet-tries/1","failures":0,"until":"0001-01-01T00:00:00Z","sum":"00"}`,
		"empty":                 "",
	} {
		t.Run(name, func(t *testing.T) {
			dir, _ := createTest(t)
			os.WriteFile(filepath.Join(dir, triesFileName), []byte(content), 0o600)
			v, now := clockVault(t, dir)
			if left := throttled(t, v.Unlock(ctx, pass)); left != FirstPause {
				t.Fatalf("damaged tries file: wait %v, want %v", left, FirstPause)
			}
			*now = now.Add(FirstPause)
			if err := v.Unlock(ctx, pass); err != nil {
				t.Fatalf("after the pause: %v", err)
			}
		})
	}
}

// Changing the passphrase or the recovery code asks for the passphrase
// again: those tries are throttled like unlocking, and a wrong one
// rewrites no key file.
func TestPassphraseChecksWhileUnlockedAreThrottled(t *testing.T) {
	ctx := context.Background()
	dir, _ := createTest(t)
	v, now := clockVault(t, dir)
	if err := v.Unlock(ctx, pass); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dir)
	for i := 1; i <= FreeTries; i++ {
		var err error
		if i%2 == 0 {
			_, err = v.NewRecoveryCode(ctx, "wrong passphrase")
		} else {
			err = v.ChangePassphrase(ctx, "wrong passphrase", "another passphrase")
		}
		se := secretErr(t, err, ErrWrongPassphrase)
		if i < FreeTries && se.TriesLeft != FreeTries-i || i == FreeTries && se.RetryAfter != FirstPause {
			t.Fatalf("try %d: %+v", i, se)
		}
	}
	if left := throttled(t, v.ChangePassphrase(ctx, pass, "another passphrase")); left != FirstPause {
		t.Fatalf("change during the pause: wait %v", left)
	}
	if _, err := v.NewRecoveryCode(ctx, pass); throttled(t, err) != FirstPause {
		t.Fatalf("new recovery code during the pause: %v", err)
	}
	after := snapshot(t, dir)
	for _, name := range []string{keyFileName, keyBackupName} {
		p := filepath.Join(dir, name)
		if string(before[p]) != string(after[p]) {
			t.Fatalf("%s rewritten by a wrong passphrase", name)
		}
	}
	*now = now.Add(FirstPause)
	if err := v.ChangePassphrase(ctx, pass, "another passphrase"); err != nil {
		t.Fatalf("after the pause: %v", err)
	}
	if _, err := v.NewRecoveryCode(ctx, "wrong passphrase"); secretErr(t, err, ErrWrongPassphrase).TriesLeft != FreeTries-1 {
		t.Fatal("a right passphrase must reset the count")
	}
}

// A tries file that cannot be written (disk full, read-only folder: here
// its folder does not exist, so it also reads as absent) must not reset
// the count: the process keeps its own, and the stricter one applies.
func TestThePauseHoldsWhenTheTriesFileCannotBeWritten(t *testing.T) {
	ctx := context.Background()
	dir, _ := createTest(t)
	v, now := clockVault(t, dir)
	v.thr.path = filepath.Join(t.TempDir(), "missing", triesFileName)
	for range FreeTries {
		secretErr(t, v.Unlock(ctx, "not the passphrase"), ErrWrongPassphrase)
	}
	if d := throttled(t, v.Unlock(ctx, pass)); d != FirstPause {
		t.Fatalf("pause %v, want %v", d, FirstPause)
	}
	*now = now.Add(FirstPause)
	se := secretErr(t, v.Unlock(ctx, "not the passphrase"), ErrWrongPassphrase)
	if se.RetryAfter != 2*FirstPause {
		t.Fatalf("the next failure imposes %v, want %v", se.RetryAfter, 2*FirstPause)
	}
	*now = now.Add(2 * FirstPause)
	if err := v.Unlock(ctx, pass); err != nil {
		t.Fatal(err)
	}
	v.Lock()
	// A success forgets the count held in memory too.
	secretErr(t, v.Unlock(ctx, "not the passphrase"), ErrWrongPassphrase)
	if err := v.Unlock(ctx, pass); err != nil {
		t.Fatalf("one failure after a success: %v", err)
	}
}
