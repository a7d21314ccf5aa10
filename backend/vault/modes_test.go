//go:build unix

package vault

import (
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
)

// modes maps every path under dir to its permission bits.
func modes(t *testing.T, dir string) map[string]fs.FileMode {
	t.Helper()
	m := map[string]fs.FileMode{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		fi, err := d.Info()
		if err != nil {
			t.Fatal(err)
		}
		m[p] = fi.Mode().Perm()
		return nil
	})
	return m
}

func requirePrivate(t *testing.T, when, dir string) {
	t.Helper()
	for p, mode := range modes(t, dir) {
		want := fs.FileMode(privateFileMode)
		if fi, _ := os.Stat(p); fi.IsDir() {
			want = privateDirMode
		}
		if mode != want {
			t.Errorf("%s: %s is %v, want %v", when, p, mode, want)
		}
	}
}

// Under the usual umask (022) every file Carnet and SQLite create in the
// vault folder is 0600 and every folder 0700; modes loosened from outside
// are tightened at the next Open.
func TestVaultFilesArePrivate(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "vault")
	v := openTest(t, dir)
	if _, err := v.Create(ctx, pass); err != nil {
		t.Fatal(err)
	}
	addRows(t, v, "row", 5)
	if _, err := os.Stat(filepath.Join(dir, dbFileName+"-wal")); err != nil {
		t.Fatalf("no -wal while unlocked: %v", err)
	}
	requirePrivate(t, "unlocked", dir)
	if _, err := v.Rekey(ctx, pass, RekeyOptions{}); err != nil {
		t.Fatal(err)
	}
	requirePrivate(t, "after a re-key", dir)
	backup := filepath.Join(t.TempDir(), "b"+BackupExtension)
	if _, err := v.Backup(ctx, backup, "test"); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(backup); fi.Mode().Perm() != privateFileMode {
		t.Errorf("backup file is %v", fi.Mode().Perm())
	}
	if _, err := v.Restore(ctx, backup, pass, false, nil); err != nil {
		t.Fatal(err)
	}
	requirePrivate(t, "after a restore (replaced/ included)", dir)
	v.Close()

	os.Chmod(dir, 0o755)
	for _, n := range []string{dbFileName, keyFileName, keyBackupName} {
		os.Chmod(filepath.Join(dir, n), 0o644)
	}
	os.Chmod(filepath.Join(dir, ReplacedDirName), 0o755)
	v = openTest(t, dir)
	requirePrivate(t, "reopened after modes were loosened", dir)
	if err := v.Unlock(ctx, pass); err != nil {
		t.Fatal(err)
	}
	requirePrivate(t, "unlocked again", dir)
}

// A file Carnet may not chmod (root's after a `sudo carnet`, or immutable
// as here, which root cannot chmod either) does not stop the vault from
// opening: it is logged and left as it is; the others are still made
// private.
func TestAFileThatCannotBeChmoddedDoesNotStopOpen(t *testing.T) {
	chattr, err := exec.LookPath("chattr")
	if err != nil {
		t.Skip("no chattr here")
	}
	dir, _ := createTest(t)
	stuck := filepath.Join(dir, "notes.txt")
	os.WriteFile(stuck, []byte("x"), 0o600)
	os.Chmod(stuck, 0o644)
	os.Chmod(filepath.Join(dir, keyBackupName), 0o644)
	if out, err := exec.Command(chattr, "+i", stuck).CombinedOutput(); err != nil {
		t.Skipf("chattr +i: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command(chattr, "-i", stuck).Run() })
	if err := os.Chmod(stuck, 0o600); err == nil {
		t.Skip("chmod works on an immutable file here")
	}
	v, err := Open(dir, Options{KDF: fastKDF})
	if err != nil {
		t.Fatalf("Open with a file it cannot chmod: %v", err)
	}
	defer v.Close()
	if fi, _ := os.Stat(filepath.Join(dir, keyBackupName)); fi.Mode().Perm() != privateFileMode {
		t.Errorf("the key file's backup is %v", fi.Mode().Perm())
	}
	if err := v.Unlock(context.Background(), pass); err != nil {
		t.Fatal(err)
	}
}
