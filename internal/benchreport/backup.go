package benchreport

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"carnet/backend/vault"
)

// backup measures a backup of the whole vault, which a lock writes when
// anything changed, and its restore into an empty folder (checks included:
// MAC, integrity check, re-encryption). Neither has a target in the issues.
func (m *run) backup(ctx context.Context, dir string) error {
	path := filepath.Join(dir, "bench"+vault.BackupExtension)
	defer os.Remove(path)
	w, err := timed(func() error { _, err := m.enc.V.Backup(ctx, path, "bench"); return err })
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	size := float64(st.Size()) / 1e6
	m.add(Figure{Key: "backup.write", Name: fmt.Sprintf("backup of the whole vault (%.0f MB)", size), Unit: "s", Want: AtMost,
		Measured: round(w.Wall.Seconds(), 2), CPU: round(w.CPU.Seconds(), 2), Samples: 1,
		Note: "no target; written when the app locks after a change, and daily"})

	into := filepath.Join(dir, "restored")
	other, err := vault.Open(into, vault.Options{})
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	defer os.RemoveAll(into)
	defer other.Close()
	r, err := timed(func() error { _, err := other.Restore(ctx, path, Passphrase, false, nil); return err })
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	m.add(Figure{Key: "backup.restore", Name: "restore of that backup into an empty folder", Unit: "s", Want: AtMost,
		Measured: round(r.Wall.Seconds(), 2), CPU: round(r.CPU.Seconds(), 2), Samples: 1,
		Note: "no target; MAC, integrity check and re-encryption included"})

	// The restored copy is the whole vault: re-keying it is what "change the
	// passphrase and re-encrypt" costs on this vault.
	k, err := timed(func() error { _, err := other.Rekey(ctx, Passphrase, vault.RekeyOptions{}); return err })
	if err != nil {
		return fmt.Errorf("re-key: %w", err)
	}
	m.add(Figure{Key: "vault.rekey", Name: "re-key of the whole vault (new data key, database re-encrypted)", Unit: "s", Want: AtMost,
		Measured: round(k.Wall.Seconds(), 2), CPU: round(k.CPU.Seconds(), 2), Samples: 1,
		Note: "no target; passphrase check, VACUUM INTO under the new key, the swap with its fsyncs, the old file overwritten"})
	return nil
}
