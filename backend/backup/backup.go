// Package backup keeps a folder of automatic vault backups: when one is due,
// how files are named, and which ones the rotation keeps (7 daily, 4 weekly,
// 12 monthly). Writing and restoring a backup file is the vault's job
// (vault.Backup, vault.Restore).
package backup

import (
	"context"
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

// Rotation: every backup of the last Recent hours (counted from the newest)
// is kept, then the newest backup of each of the last Daily days, Weekly ISO
// weeks and Monthly months that have one.
const (
	Recent  = 24 * time.Hour
	Daily   = 7
	Weekly  = 4
	Monthly = 12
	// Every is how old the newest backup may get before a new one is due.
	Every = 24 * time.Hour
)

// ErrFolderUnavailable is returned when the backup folder is missing or
// cannot be written (an unplugged disk, a revoked permission).
var ErrFolderUnavailable = errors.New("backup: the backup folder is not available")

// ErrFolderInsideVault refuses a backup folder inside the vault's own
// folder: a backup must survive the loss of the vault's disk or folder.
var ErrFolderInsideVault = errors.New("backup: the backup folder is inside the data folder")

const timeLayout = "2006-01-02-150405"

// FileName is the name of a backup of vault vaultID taken at t: the vault's
// short id keeps vaults sharing a folder apart, the time sorts them.
func FileName(vaultID string, t time.Time) string {
	return "carnet-" + shortID(vaultID) + "-" + t.Local().Format(timeLayout) + vault.BackupExtension
}

func shortID(vaultID string) string { return vaultID[:min(8, len(vaultID))] }

// Entry is one backup file in the folder.
type Entry struct {
	Path string    `json:"path"`
	Name string    `json:"name"`
	Time time.Time `json:"time"`
	Size int64     `json:"size"`
	// Rotated is set for files this vault's automatic backups wrote (by
	// name); only those are ever deleted by the rotation.
	Rotated bool `json:"rotated"`
}

// List returns the backups in folder, newest first: this vault's automatic
// backups by their name, any other backup file by the time its header
// gives. Files that are not backups are ignored.
func List(folder, vaultID string) ([]Entry, error) {
	des, err := os.ReadDir(folder)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFolderUnavailable, err)
	}
	prefix := "carnet-" + shortID(vaultID) + "-"
	out := []Entry{}
	for _, de := range des {
		name := de.Name()
		if de.IsDir() || !strings.HasSuffix(name, vault.BackupExtension) {
			continue
		}
		info, err := de.Info()
		if err != nil {
			continue
		}
		e := Entry{Path: filepath.Join(folder, name), Name: name, Size: info.Size()}
		if t, ok := stamp(name, prefix); vaultID != "" && ok {
			e.Time, e.Rotated = t, true
		} else if bi, err := vault.ReadBackupInfo(e.Path); err == nil {
			e.Time = bi.Created
		} else {
			continue
		}
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b Entry) int { return b.Time.Compare(a.Time) })
	return out, nil
}

// stamp reads the time in an automatic backup's name: prefix, time, an
// optional "-N" for a second backup within the same second.
func stamp(name, prefix string) (time.Time, bool) {
	s, ok := strings.CutPrefix(strings.TrimSuffix(name, vault.BackupExtension), prefix)
	if !ok || len(s) < len(timeLayout) {
		return time.Time{}, false
	}
	if rest := s[len(timeLayout):]; rest != "" {
		n, ok := strings.CutPrefix(rest, "-")
		if !ok || n == "" || strings.Trim(n, "0123456789") != "" {
			return time.Time{}, false
		}
	}
	t, err := time.ParseInLocation(timeLayout, s[:len(timeLayout)], time.Local)
	return t, err == nil
}

// Due reports whether a backup is due at now given the folder's entries.
func Due(entries []Entry, now time.Time) bool {
	for _, e := range entries {
		if e.Rotated {
			return now.Sub(e.Time) >= Every
		}
	}
	return true
}

// Prune returns the rotated entries the rotation drops. entries must be
// newest first (as List gives them).
func Prune(entries []Entry) []Entry {
	keep := map[string]bool{}
	for _, e := range entries {
		if e.Rotated {
			newest := e.Time
			for _, r := range entries {
				if r.Rotated && newest.Sub(r.Time) < Recent {
					keep[r.Path] = true
				}
			}
			break
		}
	}
	mark := func(n int, period func(time.Time) string) {
		seen := map[string]bool{}
		for _, e := range entries {
			if !e.Rotated {
				continue
			}
			p := period(e.Time)
			if seen[p] {
				continue
			}
			if len(seen) == n {
				return
			}
			seen[p] = true
			keep[e.Path] = true
		}
	}
	mark(Daily, func(t time.Time) string { return t.Format("2006-01-02") })
	mark(Weekly, func(t time.Time) string { y, w := t.ISOWeek(); return fmt.Sprintf("%d-W%02d", y, w) })
	mark(Monthly, func(t time.Time) string { return t.Format("2006-01") })
	var drop []Entry
	for _, e := range entries {
		if e.Rotated && !keep[e.Path] {
			drop = append(drop, e)
		}
	}
	return drop
}

// CheckFolder reports whether folder can hold backups of the vault in
// vaultDir.
func CheckFolder(folder, vaultDir string) error {
	if !filepath.IsAbs(folder) {
		return fmt.Errorf("%w: %s is not an absolute path", ErrFolderUnavailable, folder)
	}
	abs, err := filepath.EvalSymlinks(folder)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrFolderUnavailable, err)
	}
	if st, err := os.Stat(abs); err != nil || !st.IsDir() {
		return fmt.Errorf("%w: %s is not a folder", ErrFolderUnavailable, folder)
	}
	if vd, err := filepath.EvalSymlinks(vaultDir); err == nil {
		if rel, err := filepath.Rel(vd, abs); err == nil && (rel == "." || !strings.HasPrefix(rel, "..")) {
			return ErrFolderInsideVault
		}
	}
	if err := fsutil.CheckWritable(abs); err != nil {
		return fmt.Errorf("%w: %v", ErrFolderUnavailable, err)
	}
	return nil
}

// Result is what Run did.
type Result struct {
	Backup  vault.BackupInfo `json:"backup"`
	Removed []string         `json:"removed"` // names dropped by the rotation
}

// Run writes a backup of the open vault v into folder and applies the
// rotation. A rotation failure (a file that cannot be removed) is reported
// with the backup that was written.
func Run(ctx context.Context, v *vault.Vault, folder, appVersion string, now time.Time) (Result, error) {
	if err := CheckFolder(folder, v.Dir()); err != nil {
		return Result{}, err
	}
	id, err := v.ID()
	if err != nil {
		return Result{}, err
	}
	path := filepath.Join(folder, FileName(id, now))
	for i := 1; fsutil.Exists(path); i++ { // two backups in the same second
		path = filepath.Join(folder, strings.TrimSuffix(FileName(id, now), vault.BackupExtension)+fmt.Sprintf("-%d", i)+vault.BackupExtension)
	}
	info, err := v.Backup(ctx, path, appVersion)
	if err != nil {
		return Result{}, err
	}
	res := Result{Backup: info}
	entries, err := List(folder, id)
	if err != nil {
		return res, err
	}
	var errs []error
	for _, e := range Prune(entries) {
		if e.Path == path {
			continue
		}
		if err := os.Remove(e.Path); err != nil {
			errs = append(errs, fmt.Errorf("backup: rotation: %w", err))
			continue
		}
		res.Removed = append(res.Removed, e.Name)
	}
	return res, errors.Join(errs...)
}
