package backup

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"carnet/backend/fsutil"
	"carnet/backend/vault"
)

// A restore moves the vault it replaces to <data folder>/replaced/<time>/
// (vault.Restore) and never deletes it: it is the user's way back if the
// backup restored was the wrong one. It is a whole vault (database and key
// file as they were), so it holds every person erased after it was set
// aside: the user is told (Copies) and may purge these folders.

// Replaced is a vault set aside by a restore.
type Replaced struct {
	Name string    `json:"name"` // the folder's name: the time of the restore
	Path string    `json:"path"`
	Time time.Time `json:"time"`
	Size int64     `json:"size"`
}

// ErrUnknownReplaced: no replaced vault has that name.
var ErrUnknownReplaced = errors.New("backup: no such replaced vault")

// ListReplaced returns the vaults set aside in dataDir, newest first.
func ListReplaced(dataDir string) ([]Replaced, error) {
	root := filepath.Join(dataDir, vault.ReplacedDirName)
	des, err := os.ReadDir(root)
	if errors.Is(err, os.ErrNotExist) {
		return []Replaced{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("backup: replaced vaults: %w", err)
	}
	out := []Replaced{}
	for _, de := range des {
		if !de.IsDir() {
			continue
		}
		t, err := replacedTime(de.Name())
		if err != nil {
			continue
		}
		r := Replaced{Name: de.Name(), Path: filepath.Join(root, de.Name()), Time: t}
		files, _ := os.ReadDir(r.Path)
		for _, f := range files {
			if info, err := f.Info(); err == nil && info.Mode().IsRegular() {
				r.Size += info.Size()
			}
		}
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b Replaced) int { return b.Time.Compare(a.Time) })
	return out, nil
}

// replacedTime reads the time a replaced/ folder is named after: the
// vault's layout, with "-N" when two restores fell in the same second.
func replacedTime(name string) (time.Time, error) {
	stamp, n, _ := strings.Cut(name[min(len(name), len(vault.ReplacedTimeLayout)):], "-")
	if stamp != "" || (n != "" && strings.Trim(n, "0123456789") != "") {
		return time.Time{}, fmt.Errorf("backup: %q is no replaced vault", name)
	}
	return time.ParseInLocation(vault.ReplacedTimeLayout, name[:min(len(name), len(vault.ReplacedTimeLayout))], time.Local)
}

// PurgeReplaced deletes the named replaced vaults of v (every one when
// names is empty) and returns the names deleted. Each file is overwritten
// with zeros and synced before it is removed: on a hard disk that destroys
// the encrypted pages; an SSD or a copy-on-write file system (btrfs, APFS)
// writes the zeros elsewhere and keeps the old blocks until it reuses them,
// so there the pages stay on the medium, encrypted, until then. It refuses
// with vault.ErrRestoreRunning while a restore runs: that restore may be
// moving the current vault into replaced/.
func PurgeReplaced(v *vault.Vault, names []string) (purged []string, err error) {
	purged = []string{}
	err = v.WithoutRestore(func() error {
		var err error
		purged, err = purgeReplaced(v.Dir(), names)
		return err
	})
	return purged, err
}

func purgeReplaced(dataDir string, names []string) ([]string, error) {
	all, err := ListReplaced(dataDir)
	if err != nil {
		return nil, err
	}
	chosen := all
	if len(names) > 0 {
		chosen = nil
		for _, n := range names {
			i := slices.IndexFunc(all, func(r Replaced) bool { return r.Name == n })
			if i < 0 {
				return nil, fmt.Errorf("%w: %q", ErrUnknownReplaced, n)
			}
			chosen = append(chosen, all[i])
		}
	}
	purged := []string{}
	for _, r := range chosen {
		if err := purgeDir(r.Path); err != nil {
			return purged, err
		}
		purged = append(purged, r.Name)
	}
	root := filepath.Join(dataDir, vault.ReplacedDirName)
	if rest, err := os.ReadDir(root); err == nil && len(rest) == 0 {
		os.Remove(root)
	}
	return purged, fsutil.SyncDir(dataDir)
}

// purgeDir overwrites and removes every file of one replaced vault, then
// the folder.
func purgeDir(dir string) error {
	files, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("backup: purge %s: %w", filepath.Base(dir), err)
	}
	for _, f := range files {
		p := filepath.Join(dir, f.Name())
		if f.Type().IsRegular() {
			if err := fsutil.Overwrite(p); err != nil {
				return fmt.Errorf("backup: purge %s: %w", filepath.Base(dir), err)
			}
		}
		if err := os.RemoveAll(p); err != nil {
			return fmt.Errorf("backup: purge %s: %w", filepath.Base(dir), err)
		}
	}
	if err := os.Remove(dir); err != nil {
		return fmt.Errorf("backup: purge %s: %w", filepath.Base(dir), err)
	}
	return nil
}
