package core

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"carnet/backend/backup"
	"carnet/backend/prefs"
	"carnet/backend/vault"
)

// Backups are files outside the database: writing, restoring or deleting
// one cannot share a transaction with its audit entry. Each use case below
// does the file work first and records it right after, here and nowhere
// else; the window and the command line only call them. A backup is not
// made inside a write transaction: the copy takes seconds on a big vault,
// and holding the write lock that long would stall every other change.

// ErrNotRecorded wraps the failure to write the audit entry of an action
// that is done and cannot be undone (a file written or deleted, a vault
// restored or re-keyed): the caller reports the action as done and says
// the entry is missing.
var ErrNotRecorded = errors.New("core: done, but not recorded in the audit log")

// notRecorded wraps err, the failure to record an action that is done.
func notRecorded(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%w: %w", ErrNotRecorded, err)
}

// SetBackupFolder chooses where backups go (in this computer's preferences,
// beside the vault in dataDir) and whether they are made automatically.
// The folder must exist, accept files and lie outside the data folder.
//
// The preference is a file outside the database, so it cannot commit with
// the entry: it is saved first (a failed save records nothing), then the
// entry is written; if the entry or its commit fails, the previous
// preference is put back, so that no setting is in force unrecorded. Only
// if putting it back fails too is the caller told it is in force
// (ErrNotRecorded). No file is written while the write lock is held.
func (c *Core) SetBackupFolder(ctx context.Context, folder string, automatic bool) error {
	if folder == "" && automatic {
		return &UserError{Key: "backup.error.no_folder"}
	}
	dataDir := c.vault.Dir()
	if folder != "" {
		folder = filepath.Clean(folder)
		if err := backup.CheckFolder(folder, dataDir); err != nil {
			return err
		}
	}
	old := prefs.Load(dataDir)
	p := old
	p.BackupFolder, p.AutoBackup = folder, automatic
	if err := prefs.Save(dataDir, p); err != nil {
		return err
	}
	err := c.change(ctx, func(ctx context.Context) error {
		return c.audit(ctx, "backup.settings", "", 0, map[string]any{"automatic": automatic})
	})
	if err == nil {
		return nil
	}
	if rerr := prefs.Save(dataDir, old); rerr != nil {
		return notRecorded(errors.Join(err, rerr))
	}
	return err
}

// BackUp writes a backup into folder and applies the rotation (automatic
// backups, "Back up now", carnet backup), then records it.
func (c *Core) BackUp(ctx context.Context, folder string) (backup.Result, error) {
	res, err := backup.Run(ctx, c.vault, folder, Version, c.now())
	if res.Backup.Path == "" {
		return res, err
	}
	// Written even when the rotation failed after it: the backup exists.
	if aerr := c.recordBackup(ctx, res); err == nil {
		err = notRecorded(aerr)
	}
	return res, err
}

// BackUpFile writes a backup to the file at path (carnet backup -o), then
// records it.
func (c *Core) BackUpFile(ctx context.Context, path string) (backup.Result, error) {
	var res backup.Result
	var err error
	if res.Backup, err = c.vault.Backup(ctx, path, Version); err != nil {
		return res, err
	}
	return res, notRecorded(c.recordBackup(ctx, res))
}

func (c *Core) recordBackup(ctx context.Context, res backup.Result) error {
	return c.change(ctx, func(ctx context.Context) error {
		return c.audit(ctx, "backup.write", "", 0, map[string]any{"removed": len(res.Removed)})
	})
}

// Restore replaces the vault in o with the backup at path, opened with
// secret (the passphrase, or with recovery the recovery code, in force
// when it was made); beforeSwap stops what uses the database. When the
// restored vault is open (no new passphrase to choose first), it returns
// its Core with the restore recorded in it; otherwise a nil Core, and the
// caller records it with RecordRestore once the passphrase is set. An
// error wrapping ErrNotRecorded means the vault is restored all the same.
//
// The caller then does what every unlock does: Housekeep, which applies
// the erasures recorded outside the vault again (Art. 17).
func Restore(ctx context.Context, o Options, path, secret string, recovery bool, beforeSwap func()) (vault.RestoreResult, *Core, error) {
	res, err := o.Vault.Restore(ctx, path, secret, recovery, beforeSwap)
	if err != nil {
		return res, nil, err
	}
	if res.MustChangePassphrase {
		return res, nil, nil
	}
	c, err := New(o)
	if err != nil {
		return res, nil, notRecorded(err)
	}
	return res, c, notRecorded(c.RecordRestore(ctx, res, recovery))
}

// RecordRestore records a restore in the restored vault.
func (c *Core) RecordRestore(ctx context.Context, res vault.RestoreResult, recovery bool) error {
	return c.change(ctx, func(ctx context.Context) error {
		return c.audit(ctx, "backup.restore", "", 0, map[string]any{"created": res.Backup.Created.Format(time.RFC3339), "recovery": recovery})
	})
}

// PurgeReplaced deletes the named vaults set aside by restores (all when
// names is empty), overwriting their files first, and records how many
// went: they are the way back after a restore, and hold the people erased
// since (Art. 17). The files go first: what is recorded is what is gone,
// even when a later one failed.
func (c *Core) PurgeReplaced(ctx context.Context, names []string) ([]string, error) {
	purged, err := backup.PurgeReplaced(c.vault, names)
	if len(purged) == 0 {
		return purged, err
	}
	if aerr := c.change(ctx, func(ctx context.Context) error {
		return c.audit(ctx, "backup.purge_replaced", "", 0, map[string]any{"count": len(purged)})
	}); aerr != nil && err == nil {
		err = notRecorded(aerr)
	}
	return purged, err
}
