package app

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"carnet/backend/backup"
	"carnet/backend/core"
	"carnet/backend/prefs"
	"carnet/backend/privacy/rights"
	"carnet/backend/vault"
)

// Backups is bound to the frontend: the backup folder, automatic and manual
// backups, and restoring one. The folder is a preference of this computer
// (prefs.json, outside the vault): it is needed on the unlock screen, to
// offer the backups it holds, and an external disk's path means nothing on
// another machine.
type Backups struct {
	vault   *Vault
	dataDir string
	dialogs func() Dialogs
	now     func() time.Time

	mu sync.Mutex // one backup at a time; a lock waits for it
	// written is the state of the vault's files after this session's last
	// backup: a lock with nothing written since does not back up again.
	written string
	daily   chan struct{} // closed to stop the daily timer
}

// BackupStatus is the backup panel: folder, what it holds, what failed.
type BackupStatus struct {
	Folder    string `json:"folder"`
	Automatic bool   `json:"automatic"`
	// FolderProblem is set when the folder cannot take backups now (an
	// unplugged disk): automatic backups are skipped and this is shown.
	FolderProblem *core.UserError `json:"folderProblem,omitempty"`
	Backups       []backup.Entry  `json:"backups"`
	// LastError is the last automatic backup's failure, cleared by the next
	// success.
	LastError   *core.UserError `json:"lastError,omitempty"`
	LastErrorAt string          `json:"lastErrorAt,omitempty"`
	Daily       int             `json:"daily"`
	Weekly      int             `json:"weekly"`
	Monthly     int             `json:"monthly"`
}

// Status describes the backup folder; it works locked or unlocked.
func (b *Backups) Status() (_ BackupStatus, err error) {
	defer guard(&err)
	p := prefs.Load(b.dataDir)
	st := BackupStatus{Folder: p.BackupFolder, Automatic: p.AutoBackup, Backups: []backup.Entry{},
		Daily: backup.Daily, Weekly: backup.Weekly, Monthly: backup.Monthly}
	if p.BackupError != "" {
		st.LastError = &core.UserError{Key: p.BackupError}
		st.LastErrorAt = p.BackupErrorAt.Format(time.RFC3339)
	}
	if p.BackupFolder == "" {
		return st, nil
	}
	if err := backup.CheckFolder(p.BackupFolder, b.dataDir); err != nil {
		st.FolderProblem = describeBackup(err, p.BackupFolder)
		return st, nil
	}
	list, err := backup.List(p.BackupFolder, b.vaultID())
	if err != nil {
		st.FolderProblem = describeBackup(err, p.BackupFolder)
		return st, nil
	}
	st.Backups = list
	return st, nil
}

// vaultID is the vault's id; "" when there is no vault here yet (backups
// are then listed by their headers).
func (b *Backups) vaultID() string {
	v, err := b.vault.vault()
	if err != nil {
		return ""
	}
	id, _ := v.ID()
	return id
}

// ChooseFolder asks for a backup folder; "" when the user cancels.
func (b *Backups) ChooseFolder() (_ string, err error) {
	defer guard(&err)
	return b.dialogs().ChooseFolder(b.vault.ctx, "Carnet")
}

// ChooseFile asks for a backup file to restore; "" when cancelled.
func (b *Backups) ChooseFile() (_ string, err error) {
	defer guard(&err)
	return b.dialogs().OpenFile(b.vault.ctx, "Carnet", vault.BackupExtension)
}

// SetFolder chooses where backups go and whether they are made
// automatically (at lock and daily). The folder must exist, accept files
// and lie outside the data folder.
func (b *Backups) SetFolder(folder string, automatic bool) (err error) {
	defer guard(&err)
	c, err := b.vault.core()
	if err != nil {
		return core.ForUser(err)
	}
	if err := c.SetBackupFolder(b.vault.ctx, folder, automatic); err != nil {
		return describeBackup(err, folder)
	}
	return nil
}

// BackUpNow writes a backup into the folder and applies the rotation.
func (b *Backups) BackUpNow() (_ backup.Result, err error) {
	defer guard(&err)
	p := prefs.Load(b.dataDir)
	if p.BackupFolder == "" {
		return backup.Result{}, &core.UserError{Key: "backup.error.no_folder"}
	}
	res, err := b.run(p.BackupFolder, false)
	if err != nil {
		return res, describeBackup(err, p.BackupFolder)
	}
	return res, nil
}

// run writes one backup now, serialised with the others and with locking;
// an automatic one is recorded as Carnet's own (core.ViaApp).
func (b *Backups) run(folder string, automatic bool) (backup.Result, error) {
	c, err := b.vault.coreWith(b.now)
	if err != nil {
		return backup.Result{}, err
	}
	if automatic {
		c = c.AsApp()
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	res, err := c.BackUp(b.vault.ctx, folder)
	err = b.vault.logged(err)
	if res.Backup.Path != "" {
		b.written = b.fingerprint() // after the audit entry: it is no news
		b.recordError(nil)
	}
	return res, err
}

// automatic backs up when automatic backups are on and there is something
// new (why: "lock" or "daily"). Failures are kept for the panel and the
// log; they never stop a lock.
func (b *Backups) automatic(why string) {
	p := prefs.Load(b.dataDir)
	if !p.AutoBackup || p.BackupFolder == "" {
		return
	}
	v, err := b.vault.vault()
	if err != nil {
		return
	}
	if st := v.Status(); st.State != vault.StateUnlocked || st.MustChangePassphrase {
		return
	}
	switch why {
	case "lock":
		b.mu.Lock()
		same := b.written != "" && b.written == b.fingerprint()
		b.mu.Unlock()
		if same {
			return
		}
	case "daily":
		list, err := backup.List(p.BackupFolder, b.vaultID())
		if err == nil && !backup.Due(list, b.now()) {
			return
		}
	}
	if _, err := b.run(p.BackupFolder, true); err != nil {
		slog.Error("automatic backup", "when", why, "err", err)
		b.recordError(err)
	}
}

// recordError keeps the last automatic failure (its message key only) in
// the preferences, so that it is shown even after the program restarts.
func (b *Backups) recordError(err error) {
	p := prefs.Load(b.dataDir)
	if err == nil && p.BackupError == "" {
		return
	}
	p.BackupError, p.BackupErrorAt = "", time.Time{}
	if err != nil {
		p.BackupError, p.BackupErrorAt = describeBackup(err, p.BackupFolder).Key, b.now()
	}
	if err := prefs.Save(b.dataDir, p); err != nil {
		slog.Error("saving backup state", "err", err)
	}
}

// fingerprint is the size and time of the database and its log: it changes
// with every committed write.
func (b *Backups) fingerprint() string {
	var s string
	for _, n := range []string{"carnet.db", "carnet.db-wal"} {
		if st, err := os.Stat(filepath.Join(b.dataDir, n)); err == nil {
			s += fmt.Sprintf("%s:%d:%d;", n, st.Size(), st.ModTime().UnixNano())
		}
	}
	return s
}

// startDaily checks every quarter of an hour while the vault is unlocked
// whether a day has passed since the newest backup.
func (b *Backups) startDaily() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.daily != nil {
		return
	}
	stop := make(chan struct{})
	b.daily = stop
	go recovered("daily backup", func() {
		first := time.NewTimer(time.Minute)
		defer first.Stop()
		tick := time.NewTicker(15 * time.Minute)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-first.C:
			case <-tick.C:
			}
			b.automatic("daily")
		}
	})
}

func (b *Backups) stopDaily() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.daily != nil {
		close(b.daily)
		b.daily = nil
	}
}

// Inspect reads a backup file's date before its passphrase is asked.
func (b *Backups) Inspect(path string) (_ vault.BackupInfo, err error) {
	defer guard(&err)
	info, err := vault.ReadBackupInfo(path)
	if err != nil {
		return info, describeBackup(err, path)
	}
	return info, nil
}

// RestoreResult is what the frontend shows after a restore.
type RestoreResult struct {
	Created              string `json:"created"`
	Replaced             string `json:"replaced"`
	MustChangePassphrase bool   `json:"mustChangePassphrase"`
	// Reapplied is what was erased again in the restored vault; nil until
	// the vault is open (after a new passphrase, the unlock sends it as an
	// event).
	Reapplied *rights.Reapplied `json:"reapplied,omitempty"`
}

// Restore replaces the vault with the backup at path, opened with the
// passphrase (or recovery code) in force when it was made. The current
// vault's files are kept in the data folder's replaced/ folder. Nothing
// changes when the file is damaged or the secret wrong.
func (b *Backups) Restore(path, secret string, recovery bool) (_ RestoreResult, err error) {
	defer guard(&err)
	v, err := b.vault.vault()
	if err != nil {
		return RestoreResult{}, core.ForUser(err)
	}
	// The latest erasures recorded before the vault goes; the unlock below
	// applies them to the restored one.
	b.vault.recordErasures()
	res, _, err := core.Restore(b.vault.ctx, b.vault.options(v, nil), path, secret, recovery, func() {
		// The swap closes the database: background work stops first.
		b.stopDaily()
		b.vault.auto.Stop()
		b.vault.forget()
	})
	if err := b.vault.logged(err); err != nil {
		return RestoreResult{}, describeBackup(err, path)
	}
	// With the recovery code, the restored vault opens after a new
	// passphrase: the restore is recorded then (Vault.SetNewPassphrase).
	b.vault.pendRestore(res, recovery)
	b.mu.Lock()
	b.written = ""
	b.mu.Unlock()
	b.vault.takeReapplied()
	b.vault.unlocked()
	return RestoreResult{Created: res.Backup.Created.Format(time.RFC3339), Replaced: res.Replaced, MustChangePassphrase: res.MustChangePassphrase,
		Reapplied: b.vault.takeReapplied()}, nil
}

// describeBackup maps backup errors to messages naming the path involved.
func describeBackup(err error, path string) *core.UserError {
	var ue *core.UserError
	if errors.As(err, &ue) {
		return ue
	}
	ue = core.Describe(err)
	if ue.Params == nil {
		ue.Params = map[string]any{}
	}
	ue.Params["path"] = path
	return ue
}

// Replaced lists the vaults set aside by restores in the data folder,
// newest first: the user's way back after restoring the wrong backup.
func (b *Backups) Replaced() (_ []backup.Replaced, err error) {
	defer guard(&err)
	list, err := backup.ListReplaced(b.dataDir)
	return list, core.ForUser(err)
}

// PurgeReplaced deletes the named replaced vaults (every one when names is
// empty), overwriting their files first, and returns how many went. They
// hold the people erased since they were set aside.
func (b *Backups) PurgeReplaced(names []string) (_ int, err error) {
	defer guard(&err)
	c, err := b.vault.core()
	if err != nil {
		return 0, core.ForUser(err)
	}
	purged, err := c.PurgeReplaced(b.vault.ctx, names)
	return len(purged), core.ForUser(b.vault.logged(err))
}
