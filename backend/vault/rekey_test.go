package vault

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ncruces/go-sqlite3"
)

const strongPass = "Ormeau vif, glacier pourpre 1987"

// addRows writes n settings rows named prefix-i.
func addRows(t *testing.T, v *Vault, prefix string, n int) {
	t.Helper()
	db, err := v.DB()
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if _, err := db.Exec(`INSERT INTO settings (key, value) VALUES (?, ?)`, fmt.Sprintf("%s-%d", prefix, i), "x"); err != nil {
			t.Fatal(err)
		}
	}
}

func countRows(t *testing.T, v *Vault, prefix string) int {
	t.Helper()
	db, err := v.DB()
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM settings WHERE key LIKE ? || '-%'`, prefix).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// opensDatabase reports whether the key file bytes kb, opened with
// passphrase, give a key that opens the database at dbPath.
func opensDatabase(t *testing.T, kb []byte, passphrase, dbPath string) bool {
	t.Helper()
	k, err := decodeKeyFile(kb)
	if err != nil {
		t.Fatal(err)
	}
	dek, ok := k.open("passphrase", []byte(passphrase))
	if !ok {
		t.Fatal("the old key file no longer opens with its own passphrase")
	}
	// A copy, so that the probe cannot touch the vault's files.
	probe := filepath.Join(t.TempDir(), "probe.db")
	b, err := os.ReadFile(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(probe, b, 0o600)
	db, err := openDB(context.Background(), probe, dek)
	if err != nil {
		return false
	}
	defer db.Close()
	return checkApplicationID(context.Background(), db) == nil
}

func TestRekeyMakesOldKeyFilesAndSecretsUseless(t *testing.T) {
	ctx := context.Background()
	dir, oldCode := createTest(t)
	v := openTest(t, dir)
	if err := v.Unlock(ctx, pass); err != nil {
		t.Fatal(err)
	}
	addRows(t, v, "before", 50)
	oldKeys, _ := os.ReadFile(filepath.Join(dir, keyFileName))
	oldDB, _ := os.ReadFile(filepath.Join(dir, dbFileName))

	var calls int
	var last, total int64
	code, err := v.Rekey(ctx, pass, RekeyOptions{NewPassphrase: strongPass, Progress: func(d, tot int64) {
		calls++
		if d > tot {
			t.Errorf("progress %d of %d", d, tot)
		}
		last, total = d, tot
	}})
	if err != nil {
		t.Fatalf("Rekey: %v", err)
	}
	if code == oldCode || len(code) != 29 {
		t.Fatalf("new recovery code %q", code)
	}
	if calls == 0 || last != total || total == 0 {
		t.Fatalf("progress: %d calls, ended at %d of %d", calls, last, total)
	}
	// Unlocked on the new key, with everything.
	if n := countRows(t, v, "before"); n != 50 {
		t.Fatalf("%d rows after the re-key, want 50", n)
	}
	addRows(t, v, "after", 10)
	if err := v.Lock(); err != nil {
		t.Fatal(err)
	}

	// The old key file with the old passphrase opened the old database
	// and opens nothing written from now on.
	oldCopy := filepath.Join(t.TempDir(), "old.db")
	os.WriteFile(oldCopy, oldDB, 0o600)
	if !opensDatabase(t, oldKeys, pass, oldCopy) {
		t.Fatal("control: the old key file does not open the old database")
	}
	if opensDatabase(t, oldKeys, pass, filepath.Join(dir, dbFileName)) {
		t.Fatal("the old key file and the old passphrase open the re-keyed database")
	}
	newDB, _ := os.ReadFile(filepath.Join(dir, dbFileName))
	if bytes.Equal(newDB[4096:8192], oldDB[4096:8192]) {
		t.Fatal("page 2 is the same ciphertext under the new key")
	}
	// Old secrets fail on the new key file, new ones work.
	secretErr(t, v.Unlock(ctx, pass), ErrWrongPassphrase)
	secretErr(t, v.UnlockWithRecovery(ctx, oldCode), ErrWrongRecoveryCode)
	if err := v.UnlockWithRecovery(ctx, code); err != nil {
		t.Fatalf("new recovery code: %v", err)
	}
	v.Lock()
	if err := v.Unlock(ctx, strongPass); err != nil {
		t.Fatalf("new passphrase: %v", err)
	}
	if countRows(t, v, "before") != 50 || countRows(t, v, "after") != 10 {
		t.Fatal("rows lost")
	}
	// The old database is gone, not kept aside.
	for _, gone := range []string{rekeyOldDBName, rekeyedDBName, rekeyedKeysName, rekeyJournal, ReplacedDirName} {
		if _, err := os.Stat(filepath.Join(dir, gone)); !os.IsNotExist(err) {
			t.Errorf("%s left in the vault folder: %v", gone, err)
		}
	}
	if kb, _ := os.ReadFile(filepath.Join(dir, keyBackupName)); !bytes.Equal(kb, mustRead(t, filepath.Join(dir, keyFileName))) {
		t.Error("the key file's backup is not the new key file")
	}
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A re-key alone keeps the passphrase and changes the key and the code.
func TestRekeyKeepingThePassphrase(t *testing.T) {
	ctx := context.Background()
	dir, oldCode := createTest(t)
	v := openTest(t, dir)
	v.Unlock(ctx, pass)
	addRows(t, v, "row", 3)
	oldKeys := mustRead(t, filepath.Join(dir, keyFileName))
	code, err := v.Rekey(ctx, pass, RekeyOptions{})
	if err != nil {
		t.Fatal(err)
	}
	v.Lock()
	if opensDatabase(t, oldKeys, pass, filepath.Join(dir, dbFileName)) {
		t.Fatal("the old key file opens the re-keyed database")
	}
	secretErr(t, v.UnlockWithRecovery(ctx, oldCode), ErrWrongRecoveryCode)
	if err := v.Unlock(ctx, pass); err != nil {
		t.Fatalf("the same passphrase after a re-key alone: %v", err)
	}
	if countRows(t, v, "row") != 3 || code == oldCode {
		t.Fatal("rows lost or code unchanged")
	}
}

// A wrong passphrase changes neither key file nor the database: only the
// tries file, which records the failure. The vault stays unlocked.
func TestRekeyWithAWrongPassphraseChangesNothing(t *testing.T) {
	ctx := context.Background()
	dir, _ := createTest(t)
	v := openTest(t, dir)
	v.Unlock(ctx, pass)
	addRows(t, v, "row", 3)
	v.Lock()
	v.Unlock(ctx, pass)
	before := snapshot(t, dir)
	_, err := v.Rekey(ctx, "not the passphrase", RekeyOptions{NewPassphrase: strongPass, BeforeClose: func() { t.Error("BeforeClose ran for a wrong passphrase") }})
	secretErr(t, err, ErrWrongPassphrase)
	if _, err := v.DB(); err != nil {
		t.Fatalf("the vault locked after a wrong passphrase: %v", err)
	}
	after := snapshot(t, dir)
	sameFilesButTries(t, dir, before, after, 1)
	if _, err := v.Rekey(ctx, pass, RekeyOptions{NewPassphrase: pass}); !errors.Is(err, ErrSamePassphrase) {
		t.Fatalf("same passphrase: %v", err)
	}
}

// stagedRekey unlocks the vault in dir, adds rows, locks it and stages a
// re-key to strongPass as Rekey does, stopping before the journal.
func stagedRekey(t *testing.T, dir string) *Vault {
	t.Helper()
	ctx := context.Background()
	v := openTest(t, dir)
	if err := v.Unlock(ctx, pass); err != nil {
		t.Fatal(err)
	}
	addRows(t, v, "row", 20)
	keys := v.keys
	v.Lock()
	dek, _ := keys.open("passphrase", []byte(pass))
	newKey, _, _, err := v.stageRekey(ctx, dek, keys, nil, strongPass, nil)
	if err != nil {
		t.Fatal(err)
	}
	clear(newKey)
	for _, staged := range []string{rekeyedDBName, rekeyedKeysName} {
		if _, err := os.Stat(filepath.Join(dir, staged)); err != nil {
			t.Fatalf("%s not staged: %v", staged, err)
		}
	}
	return v
}

// A crash before the journal: the next Open removes the staged files and
// the vault is as it was, on the old passphrase.
func TestRekeyInterruptedBeforeTheJournalChangesNothing(t *testing.T) {
	ctx := context.Background()
	dir, _ := createTest(t)
	v := stagedRekey(t, dir)
	v.Close() // the crash: the folder lock goes with the process

	again := openTest(t, dir)
	for _, left := range []string{rekeyedDBName, rekeyedKeysName} {
		if _, err := os.Stat(filepath.Join(dir, left)); !os.IsNotExist(err) {
			t.Errorf("%s left behind", left)
		}
	}
	secretErr(t, again.Unlock(ctx, strongPass), ErrWrongPassphrase)
	if err := again.Unlock(ctx, pass); err != nil {
		t.Fatalf("old passphrase after an interrupted re-key: %v", err)
	}
	if n := countRows(t, again, "row"); n != 20 {
		t.Fatalf("%d rows, want 20", n)
	}
}

// A crash after the journal, at each step of the swap: the next Open
// finishes it, the new passphrase opens everything, the old one nothing,
// and the old database is gone.
func TestRekeyInterruptedDuringTheSwapIsFinishedAtOpen(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		crash func(dir string)
	}{
		{"right after the journal", func(string) {}},
		{"after the key file's backup", func(dir string) {
			os.WriteFile(filepath.Join(dir, keyBackupName), mustRead(t, filepath.Join(dir, rekeyedKeysName)), 0o600)
		}},
		{"after both key files", func(dir string) {
			os.WriteFile(filepath.Join(dir, keyBackupName), mustRead(t, filepath.Join(dir, rekeyedKeysName)), 0o600)
			os.Rename(filepath.Join(dir, rekeyedKeysName), filepath.Join(dir, keyFileName))
		}},
		{"with the old database moved aside", func(dir string) {
			os.WriteFile(filepath.Join(dir, keyBackupName), mustRead(t, filepath.Join(dir, rekeyedKeysName)), 0o600)
			os.Rename(filepath.Join(dir, rekeyedKeysName), filepath.Join(dir, keyFileName))
			os.Rename(filepath.Join(dir, dbFileName), filepath.Join(dir, rekeyOldDBName))
		}},
		{"with the new database in place, the old one not yet removed", func(dir string) {
			os.WriteFile(filepath.Join(dir, keyBackupName), mustRead(t, filepath.Join(dir, rekeyedKeysName)), 0o600)
			os.Rename(filepath.Join(dir, rekeyedKeysName), filepath.Join(dir, keyFileName))
			os.Rename(filepath.Join(dir, dbFileName), filepath.Join(dir, rekeyOldDBName))
			os.Rename(filepath.Join(dir, rekeyedDBName), filepath.Join(dir, dbFileName))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, _ := createTest(t)
			v := stagedRekey(t, dir)
			os.WriteFile(filepath.Join(dir, rekeyJournal), []byte("rekey\n"), 0o600)
			tc.crash(dir)
			v.Close()

			again := openTest(t, dir)
			secretErr(t, again.Unlock(ctx, pass), ErrWrongPassphrase)
			if err := again.Unlock(ctx, strongPass); err != nil {
				t.Fatalf("new passphrase after the interrupted swap: %v", err)
			}
			if n := countRows(t, again, "row"); n != 20 {
				t.Fatalf("%d rows, want 20", n)
			}
			for _, gone := range []string{rekeyJournal, rekeyedDBName, rekeyedKeysName, rekeyOldDBName, rekeyOldDBName + "-wal"} {
				if _, err := os.Stat(filepath.Join(dir, gone)); !os.IsNotExist(err) {
					t.Errorf("%s left behind", gone)
				}
			}
		})
	}
}

func TestShredOverwritesBeforeRemoving(t *testing.T) {
	name := filepath.Join(t.TempDir(), "old.db")
	os.WriteFile(name, bytes.Repeat([]byte("secret"), 500000), 0o600)
	// A second name on the same file sees what the overwrite left.
	link := name + ".link"
	if err := os.Link(name, link); err != nil {
		t.Skip("no hard links here")
	}
	if err := shredDB(name); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(name); !os.IsNotExist(err) {
		t.Fatal("not removed")
	}
	b := mustRead(t, link)
	if len(b) != 3000000 || bytes.Count(b, []byte{0}) != len(b) {
		t.Fatal("the content was not overwritten with zeros")
	}
}

// A swap that fails after the journal (here the old database cannot step
// aside) leaves the vault closed with the journal on disk. The new code
// comes back with the error (the old one is dead), the status asks for
// the passphrase rather than reporting a broken folder, and the next
// unlock in the same process finishes the swap.
func TestARekeyWhoseSwapFailedIsFinishedAtTheNextUnlock(t *testing.T) {
	ctx := context.Background()
	dir, oldCode := createTest(t)
	v := unlockedTest(t, dir, pass)
	addRows(t, v, "row", 5)
	blocker := filepath.Join(dir, rekeyOldDBName)
	if err := os.Mkdir(blocker, 0o700); err != nil {
		t.Fatal(err)
	}
	code, err := v.Rekey(ctx, pass, RekeyOptions{NewPassphrase: strongPass})
	if err == nil {
		t.Fatal("the swap did not fail")
	}
	if code == "" || code == oldCode {
		t.Fatalf("the new recovery code was not returned with the error: %q", code)
	}
	if st := v.Status(); st.State != StateLocked || st.Problem != nil {
		t.Fatalf("status with the journal on disk: %+v", st)
	}
	os.Remove(blocker)
	if err := v.Unlock(ctx, strongPass); err != nil {
		t.Fatalf("unlock after the failed swap: %v", err)
	}
	if n := countRows(t, v, "row"); n != 5 {
		t.Fatalf("%d rows, want 5", n)
	}
	for _, gone := range []string{rekeyJournal, rekeyedDBName, rekeyedKeysName, rekeyOldDBName} {
		if _, err := os.Stat(filepath.Join(dir, gone)); !os.IsNotExist(err) {
			t.Errorf("%s left behind", gone)
		}
	}
	v.Lock()
	if err := v.UnlockWithRecovery(ctx, code); err != nil {
		t.Fatalf("the code returned with the error: %v", err)
	}
}

// Once the journal is written the caller's context no longer matters
// (the CLI's Ctrl-C, the app closing): the vault reopens on the new key
// and the code is returned.
func TestARekeyCancelledAfterTheCopyStillOpensAndReturnsTheCode(t *testing.T) {
	dir, _ := createTest(t)
	v := unlockedTest(t, dir, pass)
	addRows(t, v, "row", 5)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	code, err := v.Rekey(ctx, pass, RekeyOptions{Progress: func(done, total int64) {
		if total > 0 && done == total {
			cancel() // the copy is complete: the swap comes next
		}
	}})
	if err != nil || code == "" {
		t.Fatalf("re-key cancelled after the copy: %q, %v", code, err)
	}
	if n := countRows(t, v, "row"); n != 5 {
		t.Fatalf("%d rows, want 5", n)
	}
}

// A journal that cannot be written leaves the vault as it was, unlocked on
// the old key, like a failed copy.
func TestARekeyWhoseJournalCannotBeWrittenReopensTheVault(t *testing.T) {
	ctx := context.Background()
	dir, oldCode := createTest(t)
	v := unlockedTest(t, dir, pass)
	addRows(t, v, "row", 5)
	// A folder in the journal's place makes its rename fail.
	blocker := filepath.Join(dir, rekeyJournal)
	if err := os.MkdirAll(filepath.Join(blocker, "x"), 0o700); err != nil {
		t.Fatal(err)
	}
	code, err := v.Rekey(ctx, pass, RekeyOptions{NewPassphrase: strongPass})
	if err == nil || code != "" {
		t.Fatalf("re-key without a journal: %q, %v", code, err)
	}
	if n := countRows(t, v, "row"); n != 5 {
		t.Fatalf("the vault did not reopen: %d rows", n)
	}
	os.RemoveAll(blocker)
	for _, gone := range []string{rekeyedDBName, rekeyedKeysName} {
		if _, err := os.Stat(filepath.Join(dir, gone)); !os.IsNotExist(err) {
			t.Errorf("%s left behind", gone)
		}
	}
	v.Lock()
	if err := v.UnlockWithRecovery(ctx, oldCode); err != nil {
		t.Fatalf("the old code after a re-key that did not happen: %v", err)
	}
}

// A re-key that keeps the passphrase would carry a passphrase set before
// the strength rule over to the new key: it is refused, as weak and as
// the current one (the user is told to choose a new one), and changes
// nothing. With a new passphrase it goes ahead.
func TestARekeyRefusesToKeepAWeakPassphrase(t *testing.T) {
	ctx := context.Background()
	dir, _ := createTest(t)
	v := unlockedTest(t, dir, pass)
	const weak = "soleil2024!"
	v.mu.Lock()
	err := v.rewrapLocked(weak) // as a vault from before issue 16
	v.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dir)
	_, err = v.Rekey(ctx, weak, RekeyOptions{BeforeClose: func() { t.Error("BeforeClose ran for a refused re-key") }})
	var we *WeakPassphraseError
	if !errors.As(err, &we) || !we.Current || !errors.Is(err, ErrPassphraseWeak) {
		t.Fatalf("re-key keeping a weak passphrase: %v", err)
	}
	sameFiles(t, before, snapshot(t, dir))
	if _, err := v.DB(); err != nil {
		t.Fatalf("the vault locked: %v", err)
	}
	if _, err := v.Rekey(ctx, weak, RekeyOptions{NewPassphrase: strongPass}); err != nil {
		t.Fatalf("re-key to a strong passphrase: %v", err)
	}
}

// The text of a failed VACUUM INTO names its target by URI, hexkey
// included: the error returned never holds the key.
func TestACopyThatFailsDoesNotTellTheKey(t *testing.T) {
	dir, _ := createTest(t)
	v := unlockedTest(t, dir, pass)
	key := hex.EncodeToString(v.dek)
	target := filepath.Join(t.TempDir(), "copy.db")
	if err := os.Mkdir(target, 0o700); err != nil { // SQLite cannot open a folder
		t.Fatal(err)
	}
	err := vacuumInto(context.Background(), v.db, target, v.dek)
	if err == nil {
		t.Fatal("VACUUM INTO a folder succeeded")
	}
	if strings.Contains(strings.ToLower(err.Error()), key) {
		t.Fatalf("the key is in the error: %v", err)
	}
	if !errors.Is(err, sqlite3.CANTOPEN) || !strings.Contains(err.Error(), "hexkey=<redacted>") {
		t.Fatalf("the error lost what it says: %v", err)
	}
	// Through a re-key: its copy's target taken by a folder.
	if err := os.MkdirAll(filepath.Join(dir, rekeyedDBName, "x"), 0o700); err != nil {
		t.Fatal(err)
	}
	_, err = v.Rekey(context.Background(), pass, RekeyOptions{})
	if err == nil || strings.Contains(strings.ToLower(err.Error()), key) {
		t.Fatalf("re-key error: %v", err)
	}
	os.RemoveAll(filepath.Join(dir, rekeyedDBName))
}
