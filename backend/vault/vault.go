// Package vault opens, creates and locks Carnet's encrypted database.
//
// A vault is a folder holding carnet.db (SQLite encrypted page by page with
// Adiantum under a random data key) and carnet.keys (that data key wrapped
// by Argon2id(passphrase) and by a one-time recovery code), plus a backup of
// the key file. See ARCHITECTURE.md, "The vault".
package vault

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
	"unicode/utf8"

	"carnet/backend/fsutil"
)

// File names inside the vault folder.
const (
	dbFileName       = "carnet.db"
	newDBFileName    = "carnet-new.db" // a vault being created, renamed once its keys are safe
	keyFileName      = "carnet.keys"
	keyBackupName    = "carnet.keys.bak"
	lockFileName     = "carnet.lock"
	MinPassphraseLen = 10
)

// State is what the unlock screen must show.
type State string

const (
	StateAbsent   State = "absent"   // no vault yet: offer to create one
	StateLocked   State = "locked"   // ask for the passphrase
	StateUnlocked State = "unlocked" // open
)

// Status describes the vault folder. Problem is set when the folder holds
// something that cannot be unlocked as it stands (damaged key file, a file
// that is not Carnet's…); the UI explains it instead of asking for a secret.
type Status struct {
	State   State
	Problem error
	// MustChangePassphrase is set after an unlock with the recovery code:
	// the user has to choose a new passphrase before anything else.
	MustChangePassphrase bool
	// Rollback is set while unlocked when the database was found older
	// than the anchor in its key file (see anchor.go).
	Rollback *Rollback
}

// Options tune a vault; the zero value gives the defaults.
type Options struct {
	KDF KDFParams        // Argon2id costs for new wraps; DefaultKDF when zero
	Now func() time.Time // clock, for tests
}

// Vault is one vault folder, held exclusively by this process.
type Vault struct {
	dir  string
	opts Options
	lock *dirLock
	thr  throttle

	// One backup and one restore at a time.
	backingUp sync.Mutex
	restoring sync.Mutex

	mu         sync.Mutex
	db         *sql.DB
	dek        []byte
	keys       *keyFile
	mustChange bool
	anchor     heads     // the heads in the key file's anchor, nil when none
	rollback   *Rollback // found at unlock and not yet accepted
}

// Open takes the vault folder dir (creating it if needed) for this process.
// It fails with ErrInUse when another Carnet holds it and ErrReadOnly when
// the folder cannot be written.
func Open(dir string, opts Options) (*Vault, error) {
	if opts.KDF == (KDFParams{}) {
		opts.KDF = DefaultKDF
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("vault: folder %s: %w", dir, err)
	}
	if err := os.MkdirAll(abs, privateDirMode); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrReadOnly, err)
	}
	if err := fsutil.CheckWritable(abs); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrReadOnly, err)
	}
	l, err := lockDir(abs)
	if err != nil {
		return nil, err
	}
	v := &Vault{dir: abs, opts: opts, lock: l}
	v.thr.now = opts.Now
	v.thr.path = v.path(triesFileName)
	// A restore or a re-key interrupted during its swap is finished;
	// leftovers of an interrupted backup, restore or re-key go.
	if _, err := v.finishRestore(); err != nil {
		l.release()
		return nil, err
	}
	if err := v.finishRekey(); err != nil {
		l.release()
		return nil, err
	}
	if err := enforceModes(abs); err != nil {
		l.release()
		return nil, err
	}
	return v, nil
}

// ID is the vault's identifier (not secret, not personal), read from the
// key file when the vault is locked.
func (v *Vault) ID() (string, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.keys != nil {
		return v.keys.VaultID, nil
	}
	files, _, err := v.keyFiles()
	if err != nil {
		return "", err
	}
	return files[0].VaultID, nil
}

// Dir is the vault folder.
func (v *Vault) Dir() string { return v.dir }

func (v *Vault) path(name string) string { return filepath.Join(v.dir, name) }

// Status inspects the folder without changing it.
func (v *Vault) Status() Status {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.db != nil {
		st := Status{State: StateUnlocked, MustChangePassphrase: v.mustChange}
		if v.rollback != nil {
			r := *v.rollback
			st.Rollback = &r
		}
		return st
	}
	return v.statusLocked()
}

func (v *Vault) statusLocked() Status {
	if fsutil.Exists(v.path(restoreJournal)) || fsutil.Exists(v.path(rekeyJournal)) {
		// A swap left half done in this process: the unlock finishes it
		// (finishInterrupted), so the files as they stand say nothing.
		return Status{State: StateLocked}
	}
	hasDB := fsutil.Exists(v.path(dbFileName))
	hasNew := fsutil.Exists(v.path(newDBFileName))
	_, _, keyErr := v.keyFiles()
	switch {
	case !hasDB && !hasNew && errors.Is(keyErr, ErrKeyFileMissing):
		return Status{State: StateAbsent}
	case hasDB && keyErr == nil:
		if isPlainSQLite(v.path(dbFileName)) {
			return Status{State: StateLocked, Problem: ErrNotCarnet}
		}
		return Status{State: StateLocked}
	case keyErr == nil && hasNew:
		// A creation that stopped after its keys were written: finishing it
		// is a rename, done at unlock.
		return Status{State: StateLocked}
	case keyErr == nil:
		return Status{State: StateLocked, Problem: ErrDatabaseMissing}
	case hasDB && isPlainSQLite(v.path(dbFileName)):
		return Status{State: StateLocked, Problem: ErrNotCarnet}
	case !hasDB && hasNew:
		// A creation that stopped before its keys were written holds no
		// data the user ever saw: it can be discarded by Create.
		return Status{State: StateAbsent}
	default:
		return Status{State: StateLocked, Problem: keyErr}
	}
}

// isPlainSQLite tells an unencrypted SQLite file (someone else's database
// dropped in the folder) by its well-known header.
func isPlainSQLite(name string) bool {
	f, err := os.Open(name)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 16)
	n, _ := f.Read(head)
	return bytes.Equal(head[:n], []byte("SQLite format 3\x00"))
}

// CheckPassphrase returns ErrPassphraseTooShort or a *WeakPassphraseError
// (errors.Is ErrPassphraseWeak) for a passphrase that may not be set: fewer
// than MinPassphraseLen characters (not bytes), or fewer than
// MinPassphraseGuesses estimated guesses (issue 16).
func CheckPassphrase(p string) error {
	if utf8.RuneCountInString(p) < MinPassphraseLen {
		return ErrPassphraseTooShort
	}
	if e := EstimatePassphrase(p); !e.Acceptable() {
		return &WeakPassphraseError{Weakness: e.Weakness, Hint: e.Hint}
	}
	return nil
}

// Create makes a new vault protected by passphrase and returns its recovery
// code, which is shown once and stored nowhere in clear. The vault is left
// unlocked.
func (v *Vault) Create(ctx context.Context, passphrase string) (recoveryCode string, err error) {
	if err := CheckPassphrase(passphrase); err != nil {
		return "", err
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.db != nil {
		return "", ErrAlreadyUnlocked
	}
	if st := v.statusLocked(); st.State != StateAbsent {
		return "", ErrVaultExists
	}
	// Leftovers of a creation interrupted before its keys existed.
	removeDB(v.path(newDBFileName))

	dek := make([]byte, dataKeyLen)
	rand.Read(dek)
	id := make([]byte, 16)
	rand.Read(id)
	code := newRecoveryCode()
	k := &keyFile{Format: keyFileFormat, Version: keyFileVersion, VaultID: hex.EncodeToString(id), Created: v.opts.Now().UTC()}
	if err := sealKeys(k, dek, passphrase, code, v.opts.KDF); err != nil {
		return "", err
	}

	// The database is built under a temporary name and renamed only once the
	// key file that opens it is on disk: a crash at any point leaves either
	// nothing the user saw, or a complete vault.
	db, err := openDB(ctx, v.path(newDBFileName), dek)
	if err != nil {
		return "", err
	}
	if _, err := db.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d", applicationID)); err != nil {
		db.Close()
		return "", fmt.Errorf("vault: create: %w", err)
	}
	if _, err := migrate(ctx, db, v.opts.Now()); err != nil {
		db.Close()
		return "", err
	}
	heads, err := readHeads(ctx, db)
	if err != nil {
		db.Close()
		return "", err
	}
	if k.Anchor, err = sealAnchor(heads, dek, k.VaultID); err != nil {
		db.Close()
		return "", err
	}
	if err := db.Close(); err != nil {
		return "", fmt.Errorf("vault: create: close: %w", err)
	}
	if err := v.writeKeyFile(k); err != nil {
		return "", err
	}
	if err := v.finishCreation(); err != nil {
		return "", err
	}
	if err := v.openLocked(ctx, k, dek); err != nil {
		return "", err
	}
	return code, nil
}

// finishCreation renames a freshly created database into place.
func (v *Vault) finishCreation() error {
	if fsutil.Exists(v.path(dbFileName)) || !fsutil.Exists(v.path(newDBFileName)) {
		return nil
	}
	if err := os.Rename(v.path(newDBFileName), v.path(dbFileName)); err != nil {
		return fmt.Errorf("vault: create: %w", err)
	}
	return fsutil.SyncDir(v.dir)
}

// Unlock opens the vault with its passphrase. A wrong passphrase returns a
// *SecretError wrapping ErrWrongPassphrase and changes nothing on disk.
func (v *Vault) Unlock(ctx context.Context, passphrase string) error {
	secret := []byte(passphrase)
	defer clear(secret)
	return v.unlock(ctx, "passphrase", secret)
}

// UnlockWithRecovery opens the vault with its recovery code. The user must
// then choose a new passphrase (SetNewPassphrase) before doing anything else.
func (v *Vault) UnlockWithRecovery(ctx context.Context, code string) error {
	role, secret := secretFor(code, true)
	defer clear(secret)
	return v.unlock(ctx, role, secret)
}

func (v *Vault) unlock(ctx context.Context, role string, secret []byte) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.db != nil {
		return ErrAlreadyUnlocked
	}
	// A restore or a re-key whose swap or reopening failed left its
	// journal: finished here, not only at the next start.
	if err := v.finishInterrupted(); err != nil {
		return err
	}
	if st := v.statusLocked(); st.State == StateAbsent {
		return ErrNoVault
	} else if st.Problem != nil {
		return st.Problem
	}
	if err := v.throttled(); err != nil {
		return err
	}
	files, healthy, err := v.keyFiles()
	if err != nil {
		return err
	}
	for _, k := range files {
		dek, ok := k.open(role, secret)
		if !ok {
			continue
		}
		v.succeeded()
		if err := v.finishCreation(); err != nil {
			return err
		}
		if err := v.openLocked(ctx, k, dek); err != nil {
			return err
		}
		v.mustChange = role == "recovery"
		if !healthy {
			// The key file or its backup was missing, damaged or stale:
			// rewrite both from the copy that worked.
			if err := v.writeKeyFile(k); err != nil {
				v.closeLocked()
				return err
			}
		}
		return nil
	}
	return v.wrongTry(role)
}

// throttled returns a *ThrottledError while a pause imposed by earlier
// failures runs (or while the tries file cannot be read: fail closed).
func (v *Vault) throttled() error {
	if wait, _ := v.thr.wait(); wait > 0 {
		return &ThrottledError{RetryAfter: wait}
	}
	return nil
}

// succeeded forgets earlier failures. A tries file that cannot be removed
// only keeps an old count: it never stops the success itself.
func (v *Vault) succeeded() { _ = v.thr.reset() }

// wrongTry counts a failed try with a secret of role and returns the error
// saying so, with the tries left or the pause now imposed. A tries file
// that cannot be written still gets the failure reported, as a pause.
func (v *Vault) wrongTry(role string) error {
	left, pause, _ := v.thr.fail()
	wrong := ErrWrongPassphrase
	if role == "recovery" {
		wrong = ErrWrongRecoveryCode
	}
	return &SecretError{Err: wrong, TriesLeft: left, RetryAfter: pause}
}

// openLocked opens the database with dek and brings its schema up to date.
func (v *Vault) openLocked(ctx context.Context, k *keyFile, dek []byte) error {
	db, err := openDB(ctx, v.path(dbFileName), dek)
	if err != nil {
		clear(dek)
		return fmt.Errorf("%w: %v", ErrNotCarnet, err)
	}
	if err := checkApplicationID(ctx, db); err != nil {
		db.Close()
		clear(dek)
		return err
	}
	if _, err := migrate(ctx, db, v.opts.Now()); err != nil {
		db.Close()
		clear(dek)
		return err
	}
	v.db, v.dek, v.keys = db, dek, k
	if err := v.loadAnchor(ctx, k, dek); err != nil {
		v.closeLocked()
		return err
	}
	// The -shm may have come with the first read after openDB's check.
	if err := makeDBPrivate(v.path(dbFileName)); err != nil {
		v.closeLocked()
		return err
	}
	return nil
}

// Lock closes the database and forgets the data key.
func (v *Vault) Lock() error {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.closeLocked()
}

// closeLocked closes the database and anchors its chains' heads in the key
// file. The heads are read before the close, which checkpoints the WAL into
// the database file and syncs it; the anchor is written after, so it is
// never ahead of what is on disk.
func (v *Vault) closeLocked() error {
	if v.db == nil {
		return nil
	}
	h, aerr := readHeads(context.Background(), v.db)
	err := v.db.Close()
	if aerr == nil && err == nil {
		aerr = v.anchorLocked(h)
	}
	clear(v.dek)
	v.db, v.dek, v.keys, v.mustChange, v.anchor, v.rollback = nil, nil, nil, false, nil, nil
	if err != nil {
		return fmt.Errorf("vault: lock: %w", err)
	}
	if aerr != nil {
		return fmt.Errorf("vault: lock: %w", aerr)
	}
	return nil
}

// Close locks the vault and releases the folder for other processes.
func (v *Vault) Close() error {
	err := v.Lock()
	if lerr := v.lock.release(); err == nil && lerr != nil {
		err = fmt.Errorf("vault: release folder: %w", lerr)
	}
	return err
}

// DB returns the open database, or ErrLocked. While a new passphrase is
// required after a recovery unlock, the database stays out of reach too.
func (v *Vault) DB() (*sql.DB, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.db == nil || v.mustChange {
		return nil, ErrLocked
	}
	return v.db, nil
}

// ChangePassphrase rewraps the data key under a new passphrase after
// checking the current one. It is instant for the database, which is not
// rewritten; the old passphrase stops working at once.
func (v *Vault) ChangePassphrase(ctx context.Context, current, next string) error {
	if err := CheckPassphrase(next); err != nil {
		return err
	}
	if current == next {
		return ErrSamePassphrase
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.db == nil {
		return ErrLocked
	}
	if err := v.throttled(); err != nil {
		return err
	}
	if !v.passphraseOpens(current) {
		return v.wrongTry("passphrase")
	}
	v.succeeded()
	return v.rewrapLocked(next)
}

// SetNewPassphrase sets the passphrase required after a recovery unlock.
func (v *Vault) SetNewPassphrase(ctx context.Context, next string) error {
	if err := CheckPassphrase(next); err != nil {
		return err
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.db == nil {
		return ErrLocked
	}
	if !v.mustChange {
		return ErrNoPassphraseChangePending
	}
	if err := v.rewrapLocked(next); err != nil {
		return err
	}
	v.mustChange = false
	return nil
}

// passphraseOpens reports whether p opens the key file in force; the data
// key it unwraps and the copy of p are zeroed at once.
func (v *Vault) passphraseOpens(p string) bool {
	secret := []byte(p)
	defer clear(secret)
	dek, ok := v.keys.open("passphrase", secret)
	clear(dek)
	return ok
}

func (v *Vault) rewrapLocked(next string) error {
	k := *v.keys
	secret := []byte(next)
	defer clear(secret)
	w, err := wrap(v.dek, secret, k.VaultID, "passphrase", v.opts.KDF)
	if err != nil {
		return err
	}
	k.Passphrase = w
	if err := v.writeKeyFile(&k); err != nil {
		return err
	}
	v.keys = &k
	return nil
}

// NewRecoveryCode replaces the recovery code (the old one stops working) and
// returns the new one. The passphrase is asked again because this is as
// powerful as changing it.
func (v *Vault) NewRecoveryCode(ctx context.Context, passphrase string) (string, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.db == nil {
		return "", ErrLocked
	}
	if err := v.throttled(); err != nil {
		return "", err
	}
	if !v.passphraseOpens(passphrase) {
		return "", v.wrongTry("passphrase")
	}
	v.succeeded()
	code := newRecoveryCode()
	k := *v.keys
	secret := []byte(normalizeRecoveryCode(code))
	defer clear(secret)
	w, err := wrap(v.dek, secret, k.VaultID, "recovery", v.opts.KDF)
	if err != nil {
		return "", err
	}
	k.Recovery = w
	if err := v.writeKeyFile(&k); err != nil {
		return "", err
	}
	v.keys = &k
	return code, nil
}

// Report is the result of Verify.
type Report struct {
	// Integrity lists what SQLite's integrity check found; empty when sound.
	Integrity []string
	// KeyFilesHealthy is false when the key file or its backup is missing,
	// damaged or different from the other.
	KeyFilesHealthy bool
	// Rollback is set when the database is older than the anchor in the
	// key file: an earlier copy was put in its place.
	Rollback *Rollback
}

// OK reports whether nothing was found.
func (r Report) OK() bool { return len(r.Integrity) == 0 && r.KeyFilesHealthy && r.Rollback == nil }

// Verify checks the open vault: SQLite's integrity check, both copies of
// the key file, and the anchor of the hash chains.
func (v *Vault) Verify(ctx context.Context) (Report, error) {
	v.mu.Lock()
	db := v.db
	var r Report
	if v.rollback != nil {
		rb := *v.rollback
		r.Rollback = &rb
	}
	v.mu.Unlock()
	if db == nil {
		return Report{}, ErrLocked
	}
	_, r.KeyFilesHealthy, _ = v.keyFiles()
	var err error
	r.Integrity, err = IntegrityCheck(ctx, db)
	return r, err
}
