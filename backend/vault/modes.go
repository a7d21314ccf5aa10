package vault

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
)

// File modes. Everything in the vault folder is for this user alone: files
// 0600, folders 0700, whatever the umask. SQLite's VFS creates its files
// 0666 less the umask (0644 on most systems) and a folder copied from
// elsewhere may arrive 0755, so the modes are enforced at every Open (on
// what is there), at every database open (the -wal and -shm SQLite has just
// made) and on every file Carnet creates.
const (
	privateFileMode = 0o600
	privateDirMode  = 0o700
)

// enforceModes makes dir, its folders (replaced/…) and its files private.
// Symbolic links are left alone: chmod would follow them out of the folder.
// A file Carnet may not chmod (not its own: left by `sudo carnet`, or
// immutable) is logged and skipped: refusing to open the vault for it
// would lock the user out of their data over a file they can fix.
func enforceModes(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // removed meanwhile
			}
			return fmt.Errorf("vault: file modes: %w", err)
		}
		want := fs.FileMode(privateFileMode)
		switch {
		case d.IsDir():
			want = privateDirMode
		case !d.Type().IsRegular():
			return nil
		}
		if err := makePrivate(p, want); errors.Is(err, fs.ErrPermission) {
			rel, _ := filepath.Rel(dir, p)
			slog.Warn("vault: cannot make a file private, left as it is", "file", rel, "err", err)
			return nil
		} else if err != nil {
			return err
		}
		return nil
	})
}

func makePrivate(name string, want fs.FileMode) error {
	fi, err := os.Lstat(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("vault: file mode of %s: %w", filepath.Base(name), err)
	}
	if fi.Mode()&fs.ModeSymlink != 0 || fi.Mode().Perm() == want {
		return nil
	}
	if err := os.Chmod(name, want); err != nil {
		return fmt.Errorf("vault: file mode of %s: %w", filepath.Base(name), err)
	}
	return nil
}

// makeDBPrivate applies 0600 to a database and the journals beside it.
func makeDBPrivate(name string) error {
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		if err := makePrivate(name+suffix, privateFileMode); err != nil {
			return err
		}
	}
	return nil
}

// createPrivate creates name empty with mode 0600 unless it exists, so that
// SQLite (which takes an empty file for an empty database) opens a file
// that was never readable by others, not even for an instant.
func createPrivate(name string) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, privateFileMode)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("vault: create %s: %w", filepath.Base(name), err)
	}
	return f.Close()
}
