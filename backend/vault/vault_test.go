package vault

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fastKDF keeps tests quick; the defaults are measured by make bench.
var fastKDF = KDFParams{Time: 1, MemKiB: 8 * 1024, Threads: 1}

const pass = "correct horse battery"

func openTest(t *testing.T, dir string) *Vault {
	t.Helper()
	v, err := Open(dir, Options{KDF: fastKDF})
	if err != nil {
		t.Fatalf("Open(%s): %v", dir, err)
	}
	t.Cleanup(func() { v.Close() })
	return v
}

func createTest(t *testing.T) (dir string, code string) {
	t.Helper()
	dir = t.TempDir()
	v := openTest(t, dir)
	code, err := v.Create(context.Background(), pass)
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	if err := v.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	return dir, code
}

// snapshot maps every file name in dir to its content.
func snapshot(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	m := map[string][]byte{}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		if !d.IsDir() {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			m[p] = b
		}
		return nil
	})
	return m
}

func sameFiles(t *testing.T, before, after map[string][]byte) {
	t.Helper()
	if len(before) != len(after) {
		t.Fatalf("files changed: %d before, %d after", len(before), len(after))
	}
	for name, b := range before {
		if !bytes.Equal(b, after[name]) {
			t.Fatalf("%s changed", filepath.Base(name))
		}
	}
}

func TestCreateThenReopenWithPassphrase(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	v := openTest(t, dir)
	if st := v.Status(); st.State != StateAbsent || st.Problem != nil {
		t.Fatalf("new folder: status %+v, want absent", st)
	}
	code, err := v.Create(ctx, pass)
	if err != nil {
		t.Fatal(err)
	}
	if len(code) != 29 || strings.Count(code, "-") != 5 {
		t.Fatalf("recovery code %q is not six groups of four", code)
	}
	db, err := v.DB()
	if err != nil {
		t.Fatalf("DB after Create: %v", err)
	}
	if _, err := db.Exec(`INSERT INTO settings (key, value) VALUES ('k', 'v')`); err != nil {
		t.Fatal(err)
	}
	if err := v.Lock(); err != nil {
		t.Fatal(err)
	}
	if _, err := v.DB(); !errors.Is(err, ErrLocked) {
		t.Fatalf("DB after Lock: %v, want ErrLocked", err)
	}
	if st := v.Status(); st.State != StateLocked || st.Problem != nil {
		t.Fatalf("status after lock %+v", st)
	}
	if err := v.Unlock(ctx, pass); err != nil {
		t.Fatalf("Unlock: %v", err)
	}
	db, _ = v.DB()
	var got string
	if err := db.QueryRow(`SELECT value FROM settings WHERE key = 'k'`).Scan(&got); err != nil || got != "v" {
		t.Fatalf("row after reopen: %q, %v", got, err)
	}
	for _, name := range []string{keyFileName, keyBackupName} {
		if fi, err := os.Stat(filepath.Join(dir, name)); err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("%s: %v, mode %v; want 0600", name, err, fi.Mode())
		}
	}
}

func TestCreateRefusesShortPassphraseAndExistingVault(t *testing.T) {
	ctx := context.Background()
	v := openTest(t, t.TempDir())
	if _, err := v.Create(ctx, "short"); !errors.Is(err, ErrPassphraseTooShort) {
		t.Fatalf("short passphrase: %v", err)
	}
	// Ten characters, counted as characters not bytes.
	if _, err := v.Create(ctx, "Ærø Çüñ Ðæ"); err != nil {
		t.Fatalf("ten accented characters: %v", err)
	}
	v.Lock()
	if _, err := v.Create(ctx, pass); !errors.Is(err, ErrVaultExists) {
		t.Fatalf("second Create: %v, want ErrVaultExists", err)
	}
}

func TestWrongPassphraseChangesNothingButTheTriesFile(t *testing.T) {
	dir, _ := createTest(t)
	before := snapshot(t, dir)
	v := openTest(t, dir)
	err := v.Unlock(context.Background(), "not the passphrase")
	var se *SecretError
	if !errors.As(err, &se) || !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("Unlock with wrong passphrase: %v", err)
	}
	if se.TriesLeft != FreeTries-1 || se.RetryAfter != 0 {
		t.Fatalf("after one failure: %+v", se)
	}
	v.Close()
	after := snapshot(t, dir)
	delete(before, filepath.Join(dir, lockFileName))
	delete(after, filepath.Join(dir, lockFileName))
	// The key files and the database are untouched; the tries file is the
	// one that changes, recording the failure.
	sameFilesButTries(t, dir, before, after, 1)
}

func TestThrottleGrowsAfterFiveFailures(t *testing.T) {
	dir, _ := createTest(t)
	now := time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)
	v, err := Open(dir, Options{KDF: fastKDF, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	ctx := context.Background()
	var se *SecretError
	for i := 1; i <= FreeTries; i++ {
		err := v.Unlock(ctx, "wrong passphrase")
		if !errors.As(err, &se) {
			t.Fatalf("try %d: %v", i, err)
		}
	}
	if se.RetryAfter != FirstPause {
		t.Fatalf("fifth failure pause %v, want %v", se.RetryAfter, FirstPause)
	}
	var te *ThrottledError
	if err := v.Unlock(ctx, pass); !errors.As(err, &te) {
		t.Fatalf("during pause, even the right passphrase must wait: %v", err)
	}
	now = now.Add(FirstPause)
	if err := v.Unlock(ctx, "still wrong"); !errors.As(err, &se) || se.RetryAfter != 2*FirstPause {
		t.Fatalf("sixth failure: %v, want a %v pause", err, 2*FirstPause)
	}
	now = now.Add(2 * FirstPause)
	if err := v.Unlock(ctx, pass); err != nil {
		t.Fatalf("right passphrase after the pause: %v", err)
	}
	v.Lock()
	if err := v.Unlock(ctx, "wrong again"); !errors.As(err, &se) || se.TriesLeft != FreeTries-1 {
		t.Fatalf("a success resets the count: %v", err)
	}
}

func TestRecoveryCodeUnlocksAndForcesNewPassphrase(t *testing.T) {
	ctx := context.Background()
	dir, code := createTest(t)
	v := openTest(t, dir)
	if err := v.UnlockWithRecovery(ctx, "0000-0000-0000-0000-0000-0000"); !errors.Is(err, ErrWrongRecoveryCode) {
		t.Fatalf("wrong code: %v", err)
	}
	// Typed loosely: lower case, spaces instead of dashes.
	typed := strings.ToLower(strings.ReplaceAll(code, "-", " "))
	if err := v.UnlockWithRecovery(ctx, typed); err != nil {
		t.Fatalf("recovery unlock: %v", err)
	}
	if !v.Status().MustChangePassphrase {
		t.Fatal("recovery unlock must require a new passphrase")
	}
	if _, err := v.DB(); !errors.Is(err, ErrLocked) {
		t.Fatalf("database reachable before the new passphrase: %v", err)
	}
	if err := v.SetNewPassphrase(ctx, "short"); !errors.Is(err, ErrPassphraseTooShort) {
		t.Fatalf("short new passphrase: %v", err)
	}
	if err := v.SetNewPassphrase(ctx, "a brand new passphrase"); err != nil {
		t.Fatal(err)
	}
	if _, err := v.DB(); err != nil {
		t.Fatalf("database after new passphrase: %v", err)
	}
	v.Lock()
	if err := v.Unlock(ctx, pass); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("old passphrase after recovery: %v", err)
	}
	if err := v.Unlock(ctx, "a brand new passphrase"); err != nil {
		t.Fatalf("new passphrase: %v", err)
	}
	v.Lock()
	if err := v.UnlockWithRecovery(ctx, code); err != nil {
		t.Fatalf("the recovery code keeps working: %v", err)
	}
}

func TestChangePassphraseIsInstantAndOldOneStops(t *testing.T) {
	ctx := context.Background()
	dir, _ := createTest(t)
	v := openTest(t, dir)
	if err := v.Unlock(ctx, pass); err != nil {
		t.Fatal(err)
	}
	dbBefore, _ := os.ReadFile(filepath.Join(dir, dbFileName))
	if err := v.ChangePassphrase(ctx, "wrong current one", "another passphrase"); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("wrong current: %v", err)
	}
	if err := v.ChangePassphrase(ctx, pass, pass); !errors.Is(err, ErrSamePassphrase) {
		t.Fatalf("same passphrase: %v", err)
	}
	if err := v.ChangePassphrase(ctx, pass, "another passphrase"); err != nil {
		t.Fatal(err)
	}
	dbAfter, _ := os.ReadFile(filepath.Join(dir, dbFileName))
	if !bytes.Equal(dbBefore, dbAfter) {
		t.Fatal("changing the passphrase rewrote the database")
	}
	v.Close()
	v = openTest(t, dir)
	if err := v.Unlock(ctx, pass); !errors.Is(err, ErrWrongPassphrase) {
		t.Fatalf("old passphrase: %v", err)
	}
	if err := v.Unlock(ctx, "another passphrase"); err != nil {
		t.Fatalf("new passphrase: %v", err)
	}
}

func TestNewRecoveryCodeReplacesTheOld(t *testing.T) {
	ctx := context.Background()
	dir, old := createTest(t)
	v := openTest(t, dir)
	v.Unlock(ctx, pass)
	code, err := v.NewRecoveryCode(ctx, pass)
	if err != nil || code == old {
		t.Fatalf("NewRecoveryCode: %q, %v", code, err)
	}
	v.Lock()
	if err := v.UnlockWithRecovery(ctx, old); !errors.Is(err, ErrWrongRecoveryCode) {
		t.Fatalf("old code: %v", err)
	}
	if err := v.UnlockWithRecovery(ctx, code); err != nil {
		t.Fatalf("new code: %v", err)
	}
}

func TestDamagedKeyFileFallsBackToBackupAndIsRepaired(t *testing.T) {
	ctx := context.Background()
	dir, _ := createTest(t)
	main := filepath.Join(dir, keyFileName)
	good, _ := os.ReadFile(main)
	os.WriteFile(main, []byte(`{"format": "carnet-keys", garbage`), 0o600)
	v := openTest(t, dir)
	if st := v.Status(); st.Problem != nil {
		t.Fatalf("status with a good backup: %+v", st)
	}
	if err := v.Unlock(ctx, pass); err != nil {
		t.Fatalf("unlock from backup: %v", err)
	}
	repaired, _ := os.ReadFile(main)
	if !bytes.Equal(repaired, good) {
		t.Fatal("the damaged key file was not rewritten from its backup")
	}
}

func TestBothKeyFilesDamagedOrMissing(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		spoil func(dir string)
		want  error
	}{
		{"damaged key file and backup", func(dir string) {
			os.WriteFile(filepath.Join(dir, keyFileName), []byte("x"), 0o600)
			os.WriteFile(filepath.Join(dir, keyBackupName), []byte("y"), 0o600)
		}, ErrKeyFileDamaged},
		{"one flipped byte in both", func(dir string) {
			for _, n := range []string{keyFileName, keyBackupName} {
				b, _ := os.ReadFile(filepath.Join(dir, n))
				b[bytes.Index(b, []byte(`"box": "`))+9] ^= 1
				os.WriteFile(filepath.Join(dir, n), b, 0o600)
			}
		}, ErrKeyFileDamaged},
		{"both key files deleted", func(dir string) {
			os.Remove(filepath.Join(dir, keyFileName))
			os.Remove(filepath.Join(dir, keyBackupName))
		}, ErrKeyFileMissing},
		{"database deleted", func(dir string) {
			os.Remove(filepath.Join(dir, dbFileName))
		}, ErrDatabaseMissing},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir, _ := createTest(t)
			tc.spoil(dir)
			before := snapshot(t, dir)
			v := openTest(t, dir)
			if st := v.Status(); !errors.Is(st.Problem, tc.want) {
				t.Fatalf("status problem %v, want %v", st.Problem, tc.want)
			}
			if err := v.Unlock(ctx, pass); !errors.Is(err, tc.want) {
				t.Fatalf("Unlock: %v, want %v", err, tc.want)
			}
			if _, err := v.Create(ctx, pass); !errors.Is(err, ErrVaultExists) {
				t.Fatalf("Create over a damaged vault: %v, want ErrVaultExists", err)
			}
			v.Close()
			after := snapshot(t, dir)
			delete(after, filepath.Join(dir, lockFileName))
			delete(before, filepath.Join(dir, lockFileName))
			sameFiles(t, before, after)
		})
	}
}

func TestForeignDatabaseIsRefused(t *testing.T) {
	ctx := context.Background()
	dir, _ := createTest(t)
	// Someone else's plain SQLite file in place of the vault.
	plain := append([]byte("SQLite format 3\x00"), make([]byte, 4080)...)
	os.WriteFile(filepath.Join(dir, dbFileName), plain, 0o600)
	v := openTest(t, dir)
	if st := v.Status(); !errors.Is(st.Problem, ErrNotCarnet) {
		t.Fatalf("plain SQLite: status %+v", st)
	}
	v.Close()

	// Random bytes: the key unwraps but the database does not open.
	dir2, _ := createTest(t)
	junk := make([]byte, 8192)
	rand.Read(junk)
	os.WriteFile(filepath.Join(dir2, dbFileName), junk, 0o600)
	v = openTest(t, dir2)
	if err := v.Unlock(ctx, pass); !errors.Is(err, ErrNotCarnet) {
		t.Fatalf("random database: %v, want ErrNotCarnet", err)
	}
	if _, err := v.DB(); !errors.Is(err, ErrLocked) {
		t.Fatalf("after a failed open the vault must stay locked: %v", err)
	}
}

func TestSecondInstanceIsRefused(t *testing.T) {
	dir := t.TempDir()
	openTest(t, dir)
	if _, err := Open(dir, Options{KDF: fastKDF}); !errors.Is(err, ErrInUse) {
		t.Fatalf("second Open: %v, want ErrInUse", err)
	}
}

func TestUnwritableFolderIsRefused(t *testing.T) {
	// A path under a regular file can never be created, even by root.
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o600)
	if _, err := Open(filepath.Join(file, "vault"), Options{}); !errors.Is(err, ErrReadOnly) {
		t.Fatalf("Open under a file: %v, want ErrReadOnly", err)
	}
}

func TestInterruptedCreationIsFinishedOrDiscarded(t *testing.T) {
	ctx := context.Background()
	// Keys written, rename not done: the vault is complete, unlock finishes it.
	dir, _ := createTest(t)
	os.Rename(filepath.Join(dir, dbFileName), filepath.Join(dir, newDBFileName))
	v := openTest(t, dir)
	if st := v.Status(); st.State != StateLocked || st.Problem != nil {
		t.Fatalf("status %+v", st)
	}
	if err := v.Unlock(ctx, pass); err != nil {
		t.Fatalf("unlock of an interrupted creation: %v", err)
	}
	// Database begun, no keys: nothing the user saw; Create starts over.
	dir2 := t.TempDir()
	os.WriteFile(filepath.Join(dir2, newDBFileName), []byte("partial"), 0o600)
	v2 := openTest(t, dir2)
	if st := v2.Status(); st.State != StateAbsent {
		t.Fatalf("status %+v, want absent", st)
	}
	if _, err := v2.Create(ctx, pass); err != nil {
		t.Fatalf("Create over leftovers: %v", err)
	}
}

func TestMigrationsAreRecordedAndNewerSchemaRefused(t *testing.T) {
	ctx := context.Background()
	dir, _ := createTest(t)
	v := openTest(t, dir)
	v.Unlock(ctx, pass)
	db, _ := v.DB()
	var n, max int
	db.QueryRow(`SELECT count(*), max(version) FROM schema_migrations`).Scan(&n, &max)
	if n != SchemaVersion() || max != SchemaVersion() {
		t.Fatalf("schema_migrations has %d rows up to %d, want %d", n, max, SchemaVersion())
	}
	// Unlocking again applies nothing twice.
	v.Lock()
	v.Unlock(ctx, pass)
	db, _ = v.DB()
	db.QueryRow(`SELECT count(*) FROM schema_migrations`).Scan(&n)
	if n != SchemaVersion() {
		t.Fatalf("after a second unlock: %d rows", n)
	}
	db.Exec(`INSERT INTO schema_migrations VALUES (9999, 'from_the_future', '2030-01-01')`)
	v.Lock()
	if err := v.Unlock(ctx, pass); !errors.Is(err, ErrNewerSchema) {
		t.Fatalf("newer schema: %v", err)
	}
}

// TestNoPlaintextAtRest writes a unique marker, closes the vault and looks for
// the marker in every file of the folder, in clear, hex and UTF-16.
func TestNoPlaintextAtRest(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	v := openTest(t, dir)
	if _, err := v.Create(ctx, pass); err != nil {
		t.Fatal(err)
	}
	marker := make([]byte, 8)
	rand.Read(marker)
	m := "MARKER-" + hex.EncodeToString(marker)
	db, _ := v.DB()
	for i := range 500 {
		if _, err := db.Exec(`INSERT INTO settings (key, value) VALUES (?, ?)`, m+"-"+string(rune('a'+i%26))+hex.EncodeToString([]byte{byte(i), byte(i >> 8)}), strings.Repeat(m, 20)); err != nil {
			t.Fatal(err)
		}
	}
	// Leave the WAL in place for part of the check, then close.
	checkNoMarker(t, dir, m)
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	checkNoMarker(t, dir, m)
}

func checkNoMarker(t *testing.T, dir, m string) {
	t.Helper()
	utf16 := make([]byte, 0, 2*len(m))
	for _, c := range []byte(m) {
		utf16 = append(utf16, c, 0)
	}
	needles := [][]byte{[]byte(m), []byte(strings.ToLower(m)), []byte(hex.EncodeToString([]byte(m))), utf16}
	files := snapshot(t, dir)
	if len(files) < 3 {
		t.Fatalf("expected the database and key files, found %d files", len(files))
	}
	for name, b := range files {
		for _, n := range needles {
			if bytes.Contains(b, n) {
				t.Fatalf("marker found in clear in %s", filepath.Base(name))
			}
		}
	}
}
