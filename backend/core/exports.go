package core

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"carnet/backend/fsutil"
	"carnet/backend/txn"
)

// entry is one audit entry a use case writes.
type entry struct {
	action, kind string
	id           int64
	detail       map[string]any
}

// exportFile is how every export reaches the user's disk (contacts,
// documents, the register, evidence, access bundles, certificates, breach
// reports). render runs in a read transaction: a snapshot that does not
// hold SQLite's only write lock, so rendering 50,000 contacts does not make
// every other write wait and fail on "database is locked". What an export
// must write (a document's first printing) is written before, in a change
// of its own. The bytes go to a temporary file beside path; then one short
// change writes the audit entry and renames the file into place. A refused
// entry leaves no file and a file that cannot be written leaves no entry
// (GDPR Art. 5(2): no export goes unrecorded). Should the commit itself
// fail, the file is removed again.
func (c *Core) exportFile(ctx context.Context, path string, render func(ctx context.Context) ([]byte, entry, error)) error {
	var data []byte
	var e entry
	if err := txn.Read(ctx, c.db, func(tx *sql.Tx) (err error) {
		data, e, err = render(txn.With(ctx, tx))
		return err
	}); err != nil {
		return err
	}
	tmp, err := writeTemp(path, data)
	if err != nil {
		return fmt.Errorf("core: %s: %w", e.action, err)
	}
	renamed := false
	err = c.change(ctx, func(ctx context.Context) error {
		if err := c.audit(ctx, e.action, e.kind, e.id, e.detail); err != nil {
			return err
		}
		if err := os.Rename(tmp, path); err != nil {
			return fmt.Errorf("core: %s: %w", e.action, err)
		}
		renamed = true
		if err := fsutil.SyncDir(filepath.Dir(path)); err != nil {
			return fmt.Errorf("core: %s: %w", e.action, err)
		}
		return nil
	})
	if err == nil {
		return nil
	}
	left := tmp
	if renamed {
		left = path
	}
	if rmErr := os.Remove(left); rmErr != nil && !errors.Is(rmErr, os.ErrNotExist) {
		return errors.Join(err, rmErr)
	}
	return err
}

// writeTemp writes data, synced, to a new file only the user can read in
// path's folder (so the rename into place is atomic) and returns its name.
// Nothing is left behind on failure.
func writeTemp(path string, data []byte) (name string, err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return "", err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err = f.Chmod(0o600); err != nil {
		return "", err
	}
	if _, err = f.Write(data); err != nil {
		return "", err
	}
	if err = f.Sync(); err != nil {
		return "", err
	}
	if err = f.Close(); err != nil {
		return "", err
	}
	return f.Name(), nil
}

// writeExport is exportFile for data rendered beforehand.
func (c *Core) writeExport(ctx context.Context, path string, data []byte, action, kind string, id int64, detail map[string]any) error {
	return c.exportFile(ctx, path, func(context.Context) ([]byte, entry, error) {
		return data, entry{action, kind, id, detail}, nil
	})
}
