// Package fsutil holds the few file-system primitives Carnet needs to never
// leave a half-written file behind.
package fsutil

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// WriteFileAtomic replaces name with data so that a reader (or a crash) sees
// either the old content or the new one, never a mix: the bytes go to a
// temporary file in the same folder, are synced, then renamed over name, and
// the folder itself is synced so the rename survives a power cut.
func WriteFileAtomic(name string, data []byte, perm fs.FileMode) error {
	dir := filepath.Dir(name)
	f, err := os.CreateTemp(dir, "."+filepath.Base(name)+".*.tmp")
	if err != nil {
		return fmt.Errorf("fsutil: create temporary file for %s: %w", name, err)
	}
	tmp := f.Name()
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err := f.Chmod(perm); err != nil {
		return fmt.Errorf("fsutil: chmod %s: %w", tmp, err)
	}
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("fsutil: write %s: %w", tmp, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("fsutil: sync %s: %w", tmp, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("fsutil: close %s: %w", tmp, err)
	}
	if err := os.Rename(tmp, name); err != nil {
		return fmt.Errorf("fsutil: rename %s: %w", tmp, err)
	}
	ok = true
	return SyncDir(dir)
}

// SyncDir flushes a folder's entries (new names, renames) to disk.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("fsutil: open folder %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return fmt.Errorf("fsutil: sync folder %s: %w", dir, err)
	}
	return nil
}

// Exists reports whether name exists. Errors other than "not found" count as
// existing, so that callers never treat an unreadable file as absent and
// overwrite it.
func Exists(name string) bool {
	_, err := os.Lstat(name)
	return err == nil || !errors.Is(err, fs.ErrNotExist)
}

// CheckWritable proves that dir accepts new files by creating and removing
// one. Permission bits alone do not tell (root ignores them, read-only mounts
// ignore them).
func CheckWritable(dir string) error {
	f, err := os.CreateTemp(dir, ".carnet-write-test-*")
	if err != nil {
		return err
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

// Overwrite writes zeros over the whole length of the file name and syncs
// it, so that a removal afterwards leaves no readable content in the blocks
// the file system gave back. What it cannot reach: an SSD's flash
// translation layer and copy-on-write file systems (btrfs, ZFS, APFS) write
// the zeros elsewhere and keep the old blocks until they reuse them. A
// missing file returns an error that errors.Is fs.ErrNotExist.
func Overwrite(name string) error {
	f, err := os.OpenFile(name, os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("fsutil: overwrite %s: %w", filepath.Base(name), err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("fsutil: overwrite %s: %w", filepath.Base(name), err)
	}
	zeros := make([]byte, 1<<20)
	for off := int64(0); off < st.Size(); off += int64(len(zeros)) {
		n := min(int64(len(zeros)), st.Size()-off)
		if _, err := f.WriteAt(zeros[:n], off); err != nil {
			return fmt.Errorf("fsutil: overwrite %s: %w", filepath.Base(name), err)
		}
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("fsutil: overwrite %s: %w", filepath.Base(name), err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("fsutil: overwrite %s: %w", filepath.Base(name), err)
	}
	return nil
}
