package vault

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"carnet/backend/fsutil"
)

// Re-keying. Changing the passphrase only rewraps the data key: a copy of
// the old key file (in a backup, in replaced/, on an SSD's spare blocks)
// with the old passphrase still opens everything written afterwards. A
// re-key draws a new data key and re-encrypts the database under it, with
// a new recovery code, so old key files and old secrets open nothing
// written from then on.
//
// It works like a restore: the database is copied with VACUUM INTO under
// the new key to carnet-rekeyed.db and the new key file is written to
// carnet-rekeyed.keys, both synced; a crash until then leaves the vault as
// it was (Open removes the staged files). Then carnet-rekey.journal is
// written and the swap made: the new key file takes the place of both key
// files, the old database (and its -wal and -shm) is renamed
// carnet-rekey-old.db, the new one takes its name, and the old one is
// overwritten with zeros, synced and removed. Unlike a restore, the old
// database is not kept: keeping it would defeat the purpose. A crash after
// the journal is finished by the next Open. The overwrite reaches the
// file's blocks as the file system sees them; an SSD or a copy-on-write
// file system may keep the old ones (the README says so).
const (
	rekeyedDBName   = "carnet-rekeyed.db"
	rekeyedKeysName = "carnet-rekeyed.keys"
	rekeyJournal    = "carnet-rekey.journal"
	rekeyOldDBName  = "carnet-rekey-old.db"
)

// RekeyOptions tune Rekey.
type RekeyOptions struct {
	// NewPassphrase replaces the passphrase; empty keeps the current one.
	NewPassphrase string
	// BeforeClose runs once the current passphrase is checked, just before
	// the database closes for the copy: the caller stops what uses it.
	BeforeClose func()
	// Progress is told, now and then during the copy, how many bytes of
	// about total are written (the copy is compacted: it may end short).
	Progress func(done, total int64)
}

// Rekey re-encrypts the open vault under a new data key, wraps it under
// the passphrase (the new one if given) and a new recovery code, which it
// returns to be shown once. The current passphrase is asked again, as for
// a passphrase change; kept, it must pass today's rule (CheckPassphrase):
// a re-key must not carry a weak passphrase over to the new key. A wrong
// one changes no file but the tries file; a failure before the swap leaves
// the vault as it was, unlocked.
//
// Once the journal is written the re-key is done (the old recovery code
// opens nothing any more): from then on the new code is returned even
// with an error (the swap or the reopening failed; the next unlock or
// Open finishes the swap), and the caller must show it. The vault is
// unlocked on the new key when Rekey returns without error.
func (v *Vault) Rekey(ctx context.Context, current string, o RekeyOptions) (code string, err error) {
	if o.NewPassphrase != "" {
		if err := CheckPassphrase(o.NewPassphrase); err != nil {
			return "", err
		}
		if o.NewPassphrase == current {
			return "", ErrSamePassphrase
		}
	}
	if !v.restoring.TryLock() {
		return "", ErrRestoreRunning
	}
	defer v.restoring.Unlock()
	if err := v.checkRekey(current, o.NewPassphrase == ""); err != nil {
		return "", err
	}
	if o.BeforeClose != nil {
		o.BeforeClose()
	}
	// A backup being written reads the database: let it finish.
	v.backingUp.Lock()
	defer v.backingUp.Unlock()

	v.mu.Lock()
	defer v.mu.Unlock()
	if v.db == nil || v.mustChange {
		return "", ErrLocked
	}
	if v.rollback != nil && v.anchor == nil {
		return "", ErrRollbackPending
	}
	next := o.NewPassphrase
	if next == "" {
		next = current
	}
	oldKey := v.dek
	v.dek = append([]byte(nil), oldKey...) // closeLocked zeroes the vault's copy
	keys := v.keys
	// The anchor moves to the new key as it stands when a rollback found
	// at unlock still waits for the user's decision (it stays reported).
	var keep heads
	if v.rollback != nil {
		keep = v.anchor
	}
	if err := v.closeLocked(); err != nil {
		clear(oldKey)
		return "", err
	}
	defer clear(oldKey)
	// Nothing is swapped yet: on a failure the vault opens again as it was.
	reopenOld := func(err error) error {
		v.removeRekeyStaging()
		if oerr := v.openLocked(context.WithoutCancel(ctx), keys, append([]byte(nil), oldKey...)); oerr != nil {
			return errors.Join(err, oerr)
		}
		return err
	}
	newKey, newKeys, code, err := v.stageRekey(ctx, oldKey, keys, keep, next, o.Progress)
	if err != nil {
		return "", reopenOld(err)
	}
	if err := fsutil.WriteFileAtomic(v.path(rekeyJournal), []byte("rekey\n"), privateFileMode); err != nil {
		clear(newKey)
		// The rename may have happened before a failed folder sync.
		os.Remove(v.path(rekeyJournal))
		return "", reopenOld(fmt.Errorf("vault: rekey: %w", err))
	}
	// The journal commits the re-key: the old code is dead, the new one
	// must reach the user whatever follows, even if the caller gave up.
	ctx = context.WithoutCancel(ctx)
	if err := v.finishRekey(); err != nil {
		clear(newKey)
		return code, err // the journal stays: the next unlock or Open finishes the swap
	}
	if err := v.openLocked(ctx, newKeys, newKey); err != nil {
		return code, err
	}
	return code, nil
}

// checkRekey checks the current passphrase of the unlocked vault and, when
// it is kept, that it may still be set.
func (v *Vault) checkRekey(current string, keep bool) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.db == nil || v.mustChange {
		return ErrLocked
	}
	// A forged anchor cannot be carried to the new key: a re-key would
	// anchor the current heads and silence the warning.
	if v.rollback != nil && v.anchor == nil {
		return ErrRollbackPending
	}
	if err := v.throttled(); err != nil {
		return err
	}
	if !v.passphraseOpens(current) {
		return v.wrongTry("passphrase")
	}
	v.succeeded()
	if keep {
		// Checked only once it is known to be right: a mistyped passphrase
		// is reported as wrong, not as weak.
		if err := CheckPassphrase(current); err != nil {
			var we *WeakPassphraseError
			if errors.As(err, &we) {
				we.Current = true
				return we
			}
			return &WeakPassphraseError{Weakness: WeakTooShort, Hint: HintLength, Current: true}
		}
	}
	return nil
}

// stageRekey writes carnet-rekeyed.db, the closed vault's database
// re-encrypted under a new key, and carnet-rekeyed.keys, and returns the
// new key, key file and recovery code. The new key file anchors the
// database's heads, or keep when not nil. It changes nothing else.
func (v *Vault) stageRekey(ctx context.Context, oldKey []byte, keys *keyFile, keep heads, passphrase string, progress func(done, total int64)) (newKey []byte, newKeys *keyFile, code string, err error) {
	v.removeRekeyStaging()
	newKey = make([]byte, dataKeyLen)
	rand.Read(newKey)
	defer func() {
		if err != nil {
			clear(newKey)
		}
	}()
	src, err := openDB(ctx, v.path(dbFileName), oldKey)
	if err != nil {
		return nil, nil, "", fmt.Errorf("vault: rekey: %w", err)
	}
	defer src.Close()
	src.SetMaxOpenConns(1)
	h, err := readHeads(ctx, src)
	if err != nil {
		return nil, nil, "", err
	}
	if keep != nil {
		h = keep
	}
	staged := v.path(rekeyedDBName)
	var total int64
	if fi, err := os.Stat(v.path(dbFileName)); err == nil {
		total = fi.Size()
	}
	if fi, err := os.Stat(v.path(dbFileName) + "-wal"); err == nil {
		total += fi.Size()
	}
	stop := watchSize(staged, total, progress)
	err = vacuumInto(ctx, src, staged, newKey)
	stop()
	if err != nil {
		return nil, nil, "", fmt.Errorf("vault: rekey: copy the database: %w", err)
	}
	if err := syncFile(staged); err != nil {
		return nil, nil, "", fmt.Errorf("vault: rekey: %w", err)
	}
	code = newRecoveryCode()
	k := &keyFile{Format: keyFileFormat, Version: keyFileVersion, VaultID: keys.VaultID, Created: keys.Created}
	if err := sealKeys(k, newKey, passphrase, code, v.opts.KDF); err != nil {
		return nil, nil, "", err
	}
	if k.Anchor, err = sealAnchor(h, newKey, k.VaultID); err != nil {
		return nil, nil, "", err
	}
	kb, err := k.encode()
	if err != nil {
		return nil, nil, "", err
	}
	if err := fsutil.WriteFileAtomic(v.path(rekeyedKeysName), kb, privateFileMode); err != nil {
		return nil, nil, "", fmt.Errorf("vault: rekey: %w", err)
	}
	return newKey, k, code, nil
}

// watchSize reports the growth of the file at name to progress every
// quarter second until stop is called, then once more at the end.
func watchSize(name string, total int64, progress func(done, total int64)) (stop func()) {
	if progress == nil {
		return func() {}
	}
	done := make(chan struct{})
	finished := make(chan struct{})
	report := func() {
		if fi, err := os.Stat(name); err == nil {
			progress(min(fi.Size(), total), total)
		}
	}
	go func() {
		defer close(finished)
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				report()
			}
		}
	}()
	return func() {
		close(done)
		<-finished
		progress(total, total)
	}
}

func (v *Vault) removeRekeyStaging() {
	removeDB(v.path(rekeyedDBName))
	os.Remove(v.path(rekeyedKeysName))
}

// finishRekey carries out a re-key whose journal is on disk; each step can
// be run again after a crash. Without a journal it removes what an
// interrupted re-key left: the staged files (the vault is as it was), and
// an old database whose removal was cut short.
func (v *Vault) finishRekey() error {
	if _, err := os.Stat(v.path(rekeyJournal)); errors.Is(err, fs.ErrNotExist) {
		v.removeRekeyStaging()
		return shredDB(v.path(rekeyOldDBName))
	} else if err != nil {
		return fmt.Errorf("vault: rekey journal: %w", err)
	}
	// 1. The new key file replaces both copies (backup first: until the
	// main one is renamed, either copy may be found, and the database
	// swap below happens whatever was found, since the journal is here).
	if fsutil.Exists(v.path(rekeyedKeysName)) {
		kb, err := os.ReadFile(v.path(rekeyedKeysName))
		if err != nil {
			return fmt.Errorf("vault: rekey: %w", err)
		}
		if err := fsutil.WriteFileAtomic(v.path(keyBackupName), kb, privateFileMode); err != nil {
			return fmt.Errorf("vault: rekey: %w", err)
		}
		if err := os.Rename(v.path(rekeyedKeysName), v.path(keyFileName)); err != nil {
			return fmt.Errorf("vault: rekey: %w", err)
		}
	}
	// 2. The old database and its journals step aside, the new one takes
	// the name. A -wal left beside the new file would be replayed into it.
	if fsutil.Exists(v.path(rekeyedDBName)) {
		for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
			if !fsutil.Exists(v.path(dbFileName + suffix)) {
				continue
			}
			if err := os.Rename(v.path(dbFileName+suffix), v.path(rekeyOldDBName+suffix)); err != nil {
				return fmt.Errorf("vault: rekey: move the old database: %w", err)
			}
		}
		for _, suffix := range []string{"-wal", "-shm", "-journal"} {
			os.Remove(v.path(rekeyedDBName + suffix))
		}
		if err := os.Rename(v.path(rekeyedDBName), v.path(dbFileName)); err != nil {
			return fmt.Errorf("vault: rekey: %w", err)
		}
	}
	if err := fsutil.SyncDir(v.dir); err != nil {
		return fmt.Errorf("vault: rekey: %w", err)
	}
	// 3. The old database goes, overwritten first.
	if err := shredDB(v.path(rekeyOldDBName)); err != nil {
		return err
	}
	if err := os.Remove(v.path(rekeyJournal)); err != nil {
		return fmt.Errorf("vault: rekey: %w", err)
	}
	if err := fsutil.SyncDir(v.dir); err != nil {
		return fmt.Errorf("vault: rekey: %w", err)
	}
	return nil
}

// shredDB overwrites a database file and its journals with zeros, syncs
// them and removes them.
func shredDB(name string) error {
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		if err := shred(name + suffix); err != nil {
			return err
		}
	}
	return nil
}

func shred(name string) error {
	if err := fsutil.Overwrite(name); errors.Is(err, fs.ErrNotExist) {
		return nil
	} else if err != nil {
		return fmt.Errorf("vault: %w", err)
	}
	if err := os.Remove(name); err != nil {
		return fmt.Errorf("vault: remove %s: %w", filepath.Base(name), err)
	}
	return nil
}
