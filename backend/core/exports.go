package core

import (
	"context"
	"errors"
	"fmt"
	"os"

	"carnet/backend/fsutil"
)

// entry is one audit entry a use case writes.
type entry struct {
	action, kind string
	id           int64
	detail       map[string]any
}

// exportFile is how every export reaches the user's disk (contacts,
// documents, the register, evidence, access bundles, certificates, breach
// reports): render runs inside the use case's transaction (it reads there,
// and may write what the export changes, such as an invoice's first
// printing), then the audit entry it names is written, then the file,
// atomically. A refused entry leaves no file and a file that cannot be
// written leaves no entry (GDPR Art. 5(2): no export goes unrecorded).
// Should the commit itself fail, the file is removed again.
func (c *Core) exportFile(ctx context.Context, path string, render func(ctx context.Context) ([]byte, entry, error)) error {
	written := false
	err := c.change(ctx, func(ctx context.Context) error {
		data, e, err := render(ctx)
		if err != nil {
			return err
		}
		if err := c.audit(ctx, e.action, e.kind, e.id, e.detail); err != nil {
			return err
		}
		if err := fsutil.WriteFileAtomic(path, data, 0o600); err != nil {
			return fmt.Errorf("core: %s: %w", e.action, err)
		}
		written = true
		return nil
	})
	if err != nil && written {
		if rmErr := os.Remove(path); rmErr != nil && !errors.Is(rmErr, os.ErrNotExist) {
			return errors.Join(err, rmErr)
		}
	}
	return err
}

// writeExport is exportFile for data rendered beforehand.
func (c *Core) writeExport(ctx context.Context, path string, data []byte, action, kind string, id int64, detail map[string]any) error {
	return c.exportFile(ctx, path, func(context.Context) ([]byte, entry, error) {
		return data, entry{action, kind, id, detail}, nil
	})
}
