// Package prefs keeps the few preferences needed before the vault is
// unlocked (the interface language) in prefs.json next to the vault. Nothing
// personal may go here: this file is not encrypted.
package prefs

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"carnet/backend/fsutil"
)

const fileName = "prefs.json"

// Prefs are the unencrypted preferences.
type Prefs struct {
	Language string `json:"language,omitempty"`
	// The backup folder belongs to this computer (an external disk's path)
	// and is needed on the unlock screen, to offer the backups it holds.
	BackupFolder string `json:"backup_folder,omitempty"`
	AutoBackup   bool   `json:"auto_backup,omitempty"`
	// The last automatic backup's failure, as a message key (no data).
	BackupError   string    `json:"backup_error,omitempty"`
	BackupErrorAt time.Time `json:"backup_error_at,omitzero"`
}

// Load reads the preferences in dir; a missing or unreadable file gives the
// zero Prefs, since every field has a sensible default.
func Load(dir string) Prefs {
	var p Prefs
	b, err := os.ReadFile(filepath.Join(dir, fileName))
	if err != nil {
		return p
	}
	if json.Unmarshal(b, &p) != nil {
		return Prefs{}
	}
	return p
}

// Save writes the preferences atomically. dir must be given: an empty one
// would write into whatever the working folder is.
func Save(dir string, p Prefs) error {
	if dir == "" {
		return fmt.Errorf("prefs: save: no data folder")
	}
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return fmt.Errorf("prefs: encode: %w", err)
	}
	if err := fsutil.WriteFileAtomic(filepath.Join(dir, fileName), append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("prefs: save: %w", err)
	}
	return nil
}
