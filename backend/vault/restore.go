package vault

import (
	"context"
	"crypto/hmac"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"carnet/backend/fsutil"
)

// Restoring never touches the current vault until the backup has been
// proven whole: the file's MAC is checked, its database passes SQLite's
// integrity check and is re-encrypted under the vault key it came from into
// carnet-restored.db, next to its key file carnet-restored.keys. Only then is
// a small journal written and the swap made: the current files move to
// replaced/<time>/ (kept, never deleted), the restored ones take their
// names. A crash during the swap is finished at the next Open.
const (
	restoredDBName    = "carnet-restored.db"
	restoredKeysName  = "carnet-restored.keys"
	restoreJournal    = "carnet-restore.journal"
	restoreTempPrefix = "carnet-restore-"
	ReplacedDirName   = "replaced"
	// ReplacedTimeLayout names a folder of replaced/ (a suffix "-N" may follow).
	ReplacedTimeLayout = "2006-01-02-150405"
)

// RestoreResult tells what a restore did.
type RestoreResult struct {
	Backup BackupInfo
	// Replaced is the folder the previous vault's files were moved to; empty
	// when the folder held no vault.
	Replaced string
	// MustChangePassphrase is set when the recovery code was used.
	MustChangePassphrase bool
}

// Restore replaces the vault with the backup at path, opened with secret
// (the passphrase, or the recovery code when recovery is set, in force when
// the backup was made). On success the vault is unlocked on the restored
// data. On any failure (wrong secret: *SecretError; damaged file:
// ErrBackupDamaged; not a backup: ErrNotBackup) nothing in the vault folder
// has changed. beforeSwap, when not nil, runs once the backup is proven and
// staged, just before the open vault (if any) is closed: the caller stops
// what uses the database there.
func (v *Vault) Restore(ctx context.Context, path, secret string, recovery bool, beforeSwap func()) (RestoreResult, error) {
	if !v.restoring.TryLock() {
		return RestoreResult{}, ErrRestoreRunning
	}
	defer v.restoring.Unlock()
	if err := v.throttled(); err != nil {
		return RestoreResult{}, err
	}
	staged, err := v.stageRestore(ctx, path, secret, recovery)
	if err != nil {
		return RestoreResult{}, err
	}
	defer clear(staged.vaultKey)
	if beforeSwap != nil {
		beforeSwap()
	}

	v.mu.Lock()
	defer v.mu.Unlock()
	if err := v.closeLocked(); err != nil {
		return RestoreResult{}, err
	}
	replaced := v.replacedDir()
	if err := fsutil.WriteFileAtomic(v.path(restoreJournal), []byte(filepath.Base(replaced)), privateFileMode); err != nil {
		return RestoreResult{}, fmt.Errorf("vault: restore: %w", err)
	}
	moved, err := v.finishRestore()
	if err != nil {
		return RestoreResult{}, err
	}
	if err := v.openLocked(ctx, staged.keys, append([]byte(nil), staged.vaultKey...)); err != nil {
		return RestoreResult{}, err
	}
	// A restore goes back in time on purpose: the anchor starts again
	// from the restored database.
	v.rollback, v.anchor = nil, nil
	if err := v.anchorNow(ctx); err != nil {
		return RestoreResult{}, err
	}
	v.mustChange = recovery
	res := RestoreResult{Backup: staged.info, MustChangePassphrase: recovery}
	if moved {
		res.Replaced = replaced
	}
	return res, nil
}

// WithoutRestore runs f while no restore (nor re-key) can start: for work
// on replaced/, such as a purge, which could otherwise delete the folder a
// restore is moving the previous vault into. It refuses with
// ErrRestoreRunning while one runs or its journal waits to be finished.
func (v *Vault) WithoutRestore(f func() error) error {
	if !v.restoring.TryLock() {
		return ErrRestoreRunning
	}
	defer v.restoring.Unlock()
	if fsutil.Exists(v.path(restoreJournal)) {
		return ErrRestoreRunning
	}
	return f()
}

// replacedDir names the folder of replaced/ the current vault moves to: its
// time to the second, with "-2", "-3"… when a restore in the same second
// already took that name (it must never be overwritten).
func (v *Vault) replacedDir() string {
	base := filepath.Join(v.dir, ReplacedDirName, v.opts.Now().Format(ReplacedTimeLayout))
	dir := base
	for n := 2; ; n++ {
		if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) {
			return dir
		}
		dir = fmt.Sprintf("%s-%d", base, n)
	}
}

type stagedRestore struct {
	info     BackupInfo
	keys     *keyFile
	vaultKey []byte
}

// stageRestore checks the backup and writes carnet-restored.db and
// carnet-restored.keys. It changes nothing else.
func (v *Vault) stageRestore(ctx context.Context, path, secret string, recovery bool) (*stagedRestore, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("vault: restore: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("vault: restore: %w", err)
	}
	h, keys, err := readBackupHeader(f)
	if err != nil {
		return nil, err
	}
	headEnd, err := f.Seek(0, io.SeekCurrent)
	if err != nil {
		return nil, fmt.Errorf("vault: restore: %w", err)
	}
	if st.Size() != headEnd+h.DBSize+backupMACLen {
		return nil, fmt.Errorf("%w: %d bytes, expected %d", ErrBackupDamaged, st.Size(), headEnd+h.DBSize+backupMACLen)
	}

	role, sec := secretFor(secret, recovery)
	vaultKey, ok := keys.open(role, sec)
	if !ok {
		return nil, v.wrongTry(role)
	}
	v.succeeded()
	ok = false
	defer func() {
		if !ok {
			clear(vaultKey)
		}
	}()
	wrapKey := subkey(vaultKey, backupWrapInfo)
	defer clear(wrapKey)
	gcm, err := newGCM(wrapKey)
	if err != nil {
		return nil, err
	}
	backupKey, err := gcm.Open(nil, h.KeyNonce, h.KeyBox, backupAAD(keys.VaultID, h.Created))
	if err != nil {
		return nil, fmt.Errorf("%w: backup key", ErrBackupDamaged)
	}
	defer clear(backupKey)

	// The database goes to a temporary file while the MAC of the whole
	// file is computed; nothing is opened before the MAC matches.
	tmp, err := v.tempName(restoreTempPrefix)
	if err != nil {
		return nil, err
	}
	defer removeDB(tmp)
	if err := copyVerified(ctx, f, tmp, headEnd, h.DBSize, backupKey); err != nil {
		return nil, err
	}
	db, err := openDB(ctx, tmp, backupKey)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBackupDamaged, err)
	}
	defer db.Close()
	if err := checkApplicationID(ctx, db); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBackupDamaged, err)
	}
	problems, err := IntegrityCheck(ctx, db)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBackupDamaged, err)
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%w: integrity check: %s", ErrBackupDamaged, strings.Join(problems[:min(3, len(problems))], "; "))
	}
	var schema int
	if err := db.QueryRowContext(ctx, "SELECT coalesce(max(version), 0) FROM schema_migrations").Scan(&schema); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBackupDamaged, err)
	}
	if schema > SchemaVersion() {
		return nil, fmt.Errorf("%w (schema %d, this version knows %d)", ErrNewerSchema, schema, SchemaVersion())
	}

	// Re-encrypted under the vault key from the backup's key file, the
	// restored vault opens with that key file: passphrase and recovery code
	// both keep working.
	staged := v.path(restoredDBName)
	removeDB(staged)
	if err := vacuumInto(ctx, db, staged, vaultKey); err != nil {
		removeDB(staged)
		return nil, fmt.Errorf("vault: restore: copy the database: %w", err)
	}
	if err := syncFile(staged); err != nil {
		removeDB(staged)
		return nil, fmt.Errorf("vault: restore: %w", err)
	}
	kb, err := keys.encode()
	if err != nil {
		removeDB(staged)
		return nil, err
	}
	if err := fsutil.WriteFileAtomic(v.path(restoredKeysName), kb, privateFileMode); err != nil {
		removeDB(staged)
		return nil, fmt.Errorf("vault: restore: %w", err)
	}
	ok = true
	info := BackupInfo{Path: path, Created: h.Created, AppVersion: h.AppVersion, VaultID: keys.VaultID, Size: st.Size()}
	return &stagedRestore{info: info, keys: keys, vaultKey: vaultKey}, nil
}

// copyVerified copies size bytes at offset off of f to a new file at dst
// and checks the MAC that follows them over the whole file.
func copyVerified(ctx context.Context, f *os.File, dst string, off, size int64, backupKey []byte) error {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("vault: restore: %w", err)
	}
	mac := backupMAC(backupKey)
	if _, err := io.CopyN(mac, f, off); err != nil {
		return fmt.Errorf("%w: %v", ErrBackupDamaged, err)
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, privateFileMode)
	if err != nil {
		return fmt.Errorf("vault: restore: %w", err)
	}
	defer out.Close()
	if _, err := io.CopyN(io.MultiWriter(out, mac), ctxReader{ctx, f}, size); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if errors.Is(err, io.EOF) {
			return fmt.Errorf("%w: cut short", ErrBackupDamaged)
		}
		return fmt.Errorf("vault: restore: %w", err)
	}
	tag := make([]byte, backupMACLen)
	if _, err := io.ReadFull(f, tag); err != nil {
		return fmt.Errorf("%w: cut short", ErrBackupDamaged)
	}
	if !hmac.Equal(tag, mac.Sum(nil)) {
		return fmt.Errorf("%w: the MAC does not match", ErrBackupDamaged)
	}
	return out.Close()
}

// syncFile flushes the file name to disk; callers say what for.
func syncFile(name string) error {
	f, err := os.OpenFile(name, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("sync %s: %w", filepath.Base(name), err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", filepath.Base(name), err)
	}
	return nil
}

// finishInterrupted finishes a restore or a re-key whose journal is on
// disk. Open does it, and so does every unlock: when the swap or the
// reopening failed in a running process, the vault stays closed with the
// journal on disk, and must not stay unopenable until the next start.
// It runs under v.mu: a restore writes its journal under v.mu, so a journal
// seen here is not one a restore in progress is about to carry out.
func (v *Vault) finishInterrupted() error {
	if fsutil.Exists(v.path(restoreJournal)) {
		if _, err := v.finishRestore(); err != nil {
			return err
		}
	}
	if fsutil.Exists(v.path(rekeyJournal)) {
		if err := v.finishRekey(); err != nil {
			return err
		}
	}
	return nil
}

// finishRestore carries out a restore whose journal is on disk: each step
// can be run again after a crash. It reports whether files of a previous
// vault were moved aside. Without a journal it only removes what an
// interrupted restore or backup left behind.
func (v *Vault) finishRestore() (moved bool, err error) {
	name, err := os.ReadFile(v.path(restoreJournal))
	if errors.Is(err, fs.ErrNotExist) {
		removeDB(v.path(restoredDBName))
		os.Remove(v.path(restoredKeysName))
		for _, prefix := range []string{backupTempPrefix, restoreTempPrefix} {
			old, _ := filepath.Glob(filepath.Join(v.dir, prefix+"*.tmp*"))
			for _, o := range old {
				os.Remove(o)
			}
		}
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("vault: restore journal: %w", err)
	}
	base := filepath.Base(strings.TrimSpace(string(name)))
	if base == "." || base == string(filepath.Separator) || base == "" {
		return false, fmt.Errorf("vault: restore journal names no folder")
	}
	aside := filepath.Join(v.dir, ReplacedDirName, base)
	if err := os.MkdirAll(aside, privateDirMode); err != nil {
		return false, fmt.Errorf("vault: restore: %w", err)
	}
	moveAside := func(names ...string) error {
		for _, n := range names {
			if !fsutil.Exists(v.path(n)) {
				continue
			}
			if err := os.Rename(v.path(n), filepath.Join(aside, n)); err != nil {
				return fmt.Errorf("vault: restore: move %s aside: %w", n, err)
			}
			moved = true
		}
		return nil
	}
	if fsutil.Exists(v.path(restoredDBName)) {
		if err := moveAside(dbFileName, dbFileName+"-wal", dbFileName+"-shm"); err != nil {
			return moved, err
		}
	}
	if fsutil.Exists(v.path(restoredKeysName)) {
		if err := moveAside(keyFileName, keyBackupName); err != nil {
			return moved, err
		}
		kb, err := os.ReadFile(v.path(restoredKeysName))
		if err != nil {
			return moved, fmt.Errorf("vault: restore: %w", err)
		}
		if err := fsutil.WriteFileAtomic(v.path(keyBackupName), kb, privateFileMode); err != nil {
			return moved, fmt.Errorf("vault: restore: %w", err)
		}
		if err := os.Rename(v.path(restoredKeysName), v.path(keyFileName)); err != nil {
			return moved, fmt.Errorf("vault: restore: %w", err)
		}
	}
	if fsutil.Exists(v.path(restoredDBName)) {
		os.Remove(v.path(restoredDBName) + "-wal")
		os.Remove(v.path(restoredDBName) + "-shm")
		if err := os.Rename(v.path(restoredDBName), v.path(dbFileName)); err != nil {
			return moved, fmt.Errorf("vault: restore: %w", err)
		}
	}
	if err := fsutil.SyncDir(v.dir); err != nil {
		return moved, fmt.Errorf("vault: restore: %w", err)
	}
	if !moved {
		os.Remove(aside) // empty: the folder held no vault
		os.Remove(filepath.Join(v.dir, ReplacedDirName))
	}
	if err := os.Remove(v.path(restoreJournal)); err != nil {
		return moved, fmt.Errorf("vault: restore: %w", err)
	}
	if err := fsutil.SyncDir(v.dir); err != nil {
		return moved, fmt.Errorf("vault: restore: %w", err)
	}
	return moved, nil
}
