package vault

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzRestore hands arbitrary bytes to the restore as a backup file: it
// must refuse them with one of the errors the user is told about, never
// panic, and never touch the vault unless the file is a genuine backup.
func FuzzRestore(f *testing.F) {
	ctx := context.Background()
	src, err := Open(f.TempDir(), Options{KDF: fastKDF})
	if err != nil {
		f.Fatal(err)
	}
	if _, err := src.Create(ctx, pass); err != nil {
		f.Fatal(err)
	}
	db, _ := src.DB()
	if _, err := db.Exec(`INSERT INTO settings (key, value) VALUES ('marker', 'fuzz seed')`); err != nil {
		f.Fatal(err)
	}
	good := filepath.Join(f.TempDir(), "good"+BackupExtension)
	if _, err := src.Backup(ctx, good, "fuzz"); err != nil {
		f.Fatal(err)
	}
	src.Close()
	b, _ := os.ReadFile(good)
	f.Add(b)
	f.Add(b[:200])
	f.Add(append([]byte(backupMagic), 0, 0, 0, 2, '{', '}'))
	f.Add([]byte("SQLite format 3\x00"))

	dir := f.TempDir()
	v, err := Open(dir, Options{KDF: fastKDF})
	if err != nil {
		f.Fatal(err)
	}
	defer v.Close()
	in := filepath.Join(f.TempDir(), "in"+BackupExtension)

	f.Fuzz(func(t *testing.T, data []byte) {
		// A header may ask for any key-derivation cost; the restore pays it
		// as the user would, so inputs asking for more than the test's
		// cheap parameters are not worth minutes each here.
		if _, keys, err := readBackupHeader(bytes.NewReader(data)); err == nil {
			for _, w := range []wrappedKey{keys.Passphrase, keys.Recovery} {
				if w.KDF.MemKiB > fastKDF.MemKiB || w.KDF.Time > fastKDF.Time || w.KDF.Threads > fastKDF.Threads {
					t.Skip("costly key derivation")
				}
			}
		}
		if err := os.WriteFile(in, data, 0o600); err != nil {
			t.Fatal(err)
		}
		ReadBackupInfo(in)
		v.thr.reset()
		_, err := v.Restore(ctx, in, pass, false, nil)
		var se *SecretError
		switch {
		case err == nil:
			// Only a genuine backup restores (fuzz workers each write their
			// own seed, so compare what it holds, not its bytes).
			if got := marker(t, v); got != "fuzz seed" {
				t.Fatalf("restored a vault holding %q", got)
			}
			if r, err := v.Verify(ctx); err != nil || len(r.Integrity) > 0 {
				t.Fatalf("restored vault: %+v %v", r, err)
			}
		case errors.Is(err, ErrNotBackup), errors.Is(err, ErrBackupDamaged), errors.Is(err, ErrBackupTooNew),
			errors.Is(err, ErrNewerSchema), errors.As(err, &se):
		default:
			t.Fatalf("restore failed with an unexpected error: %v", err)
		}
		for _, left := range []string{restoredDBName, restoredKeysName, restoreJournal} {
			if _, err := os.Stat(filepath.Join(dir, left)); !os.IsNotExist(err) {
				t.Fatalf("%s left behind", left)
			}
		}
	})
}
