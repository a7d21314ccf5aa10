package vault

import (
	"errors"
	"fmt"
	"time"
)

// Errors a caller can act on. The app layer maps each to a translated
// message; none of them carries personal data.
var (
	ErrNoVault                   = errors.New("vault: no vault in this folder")
	ErrVaultExists               = errors.New("vault: a vault already exists in this folder")
	ErrLocked                    = errors.New("vault: locked")
	ErrAlreadyUnlocked           = errors.New("vault: already unlocked")
	ErrWrongPassphrase           = errors.New("vault: wrong passphrase")
	ErrWrongRecoveryCode         = errors.New("vault: wrong recovery code")
	ErrPassphraseTooShort        = fmt.Errorf("vault: passphrase shorter than %d characters", MinPassphraseLen)
	ErrPassphraseWeak            = errors.New("vault: passphrase too easy to guess")
	ErrSamePassphrase            = errors.New("vault: the new passphrase is the current one")
	ErrInUse                     = errors.New("vault: another Carnet is using this vault")
	ErrKeyFileDamaged            = errors.New("vault: key file and its backup are damaged")
	ErrKeyFileMissing            = errors.New("vault: key file missing")
	ErrDatabaseMissing           = errors.New("vault: database missing next to its key file")
	ErrNotCarnet                 = errors.New("vault: the database is not a Carnet vault or is damaged")
	ErrNewerSchema               = errors.New("vault: the vault was written by a newer Carnet")
	ErrReadOnly                  = errors.New("vault: the folder is not writable")
	ErrNoPassphraseChangePending = errors.New("vault: no new passphrase is required")
	// ErrRollbackPending refuses a re-key while a forged anchor is
	// reported: the new key file could not keep the warning.
	ErrRollbackPending = errors.New("vault: a rollback warning waits for the user's decision")
)

// WeakPassphraseError refuses a passphrase that is too easy to guess and
// says why, so the user can choose a better one.
type WeakPassphraseError struct {
	Weakness Weakness
	Hint     Hint
	// Current is set when the passphrase refused is the one in force,
	// kept by a re-key: the user must choose a new one.
	Current bool
}

func (e *WeakPassphraseError) Error() string {
	return fmt.Sprintf("%v (%s)", ErrPassphraseWeak, e.Weakness)
}

func (e *WeakPassphraseError) Unwrap() error { return ErrPassphraseWeak }

// SecretError reports a wrong passphrase or recovery code together with the
// throttle's state, so the user can be told how many tries remain.
type SecretError struct {
	Err        error         // ErrWrongPassphrase or ErrWrongRecoveryCode
	TriesLeft  int           // tries before the next pause; 0 when paused
	RetryAfter time.Duration // pause imposed now; 0 when none
}

func (e *SecretError) Error() string {
	if e.RetryAfter > 0 {
		return fmt.Sprintf("%v (retry in %s)", e.Err, e.RetryAfter.Round(time.Second))
	}
	return fmt.Sprintf("%v (%d tries left)", e.Err, e.TriesLeft)
}

func (e *SecretError) Unwrap() error { return e.Err }

// ThrottledError is returned, without trying the secret, while a pause
// imposed by earlier failures runs.
type ThrottledError struct {
	RetryAfter time.Duration
}

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("vault: too many wrong tries, retry in %s", e.RetryAfter.Round(time.Second))
}
