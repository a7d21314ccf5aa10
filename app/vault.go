package app

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"carnet/backend/core"
	"carnet/backend/i18n"
	"carnet/backend/privacy/rights"
	"carnet/backend/settings"
	"carnet/backend/vault"
)

// Vault is bound to the frontend: creating, unlocking and locking the vault.
type Vault struct {
	cfg  Config
	ctx  context.Context
	emit Emitter

	mu      sync.Mutex
	v       *vault.Vault // nil when the folder could not be taken
	openErr error
	auto    *vault.AutoLock
	idle    int // auto-lock minutes in force
	// onLock drops what other services hold in memory from the vault
	// (files being imported, list snapshots).
	onLock func()
	// onUnlock starts background work (the mail loop).
	onUnlock func()
	// beforeLock runs once background work has stopped and before the
	// database closes (the automatic backup at lock).
	beforeLock func()
	// i18n and lang make the use cases' Core (core): the interface
	// language can change while the window runs.
	i18n *i18n.Bundle
	lang func() string
	// reapplied is what the last unlock erased again, for the restore
	// that led to it (takeReapplied).
	reapplied *rights.Reapplied
	// erasureRecord is what the last unlock found wrong with the record
	// of erasures kept outside the vault (rights.RecordUnreadable or
	// rights.RecordRejected), "" when nothing: shown until the lock.
	erasureRecord string
	// notRecorded is why the last action done could not be recorded in
	// the audit log (core.ErrNotRecorded), nil when nothing: shown until
	// the lock (Status().NotRecorded).
	notRecorded *core.UserError
	// restore is a restore made with the recovery code, recorded in the
	// audit log once the new passphrase opens the vault (SetNewPassphrase).
	restore *pendingRestore
}

// pendingRestore is a restore waiting for its audit entry.
type pendingRestore struct {
	res      vault.RestoreResult
	recovery bool
}

// VaultStatus is what the frontend needs to choose a screen.
type VaultStatus struct {
	// State is "absent", "locked", "unlocked" or "unavailable" (the folder
	// could not be taken: in use, not writable).
	State                string          `json:"state"`
	Problem              *core.UserError `json:"problem,omitempty"`
	MustChangePassphrase bool            `json:"mustChangePassphrase"`
	DataDir              string          `json:"dataDir"`
	Version              string          `json:"version"`
	MinPassphraseLength  int             `json:"minPassphraseLength"`
	// Rollback is set when the database opened is older than the anchor in
	// its key file (an earlier copy was put in its place): the app warns
	// until the user keeps this copy (AcceptRollback) or restores a backup.
	Rollback *vault.Rollback `json:"rollback,omitempty"`
	// ErasureRecord is set when the last unlock could not apply the record
	// of erasures kept outside the vault: "unreadable" (this copy predates
	// it) or "rejected" (altered or damaged: ignored, written again).
	ErasureRecord string `json:"erasureRecord,omitempty"`
	// NotRecorded is set when an action was done (a restore, a backup, a
	// rollback accepted, replaced vaults purged) but its audit entry could
	// not be written: why, for the user to know the log misses it.
	NotRecorded *core.UserError `json:"notRecorded,omitempty"`
}

// RekeyProgress is the data of EventRekeyProgress.
type RekeyProgress struct {
	Done  int64 `json:"done"`
	Total int64 `json:"total"`
}

// LockedEvent tells the frontend why the vault locked itself.
type LockedEvent struct {
	Reason  string `json:"reason"`  // "idle", "suspend" or "screen_lock"
	Minutes int    `json:"minutes"` // the idle time, for "idle"
}

func (a *Vault) start(ctx context.Context, emit Emitter) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.ctx, a.emit = ctx, emit
	a.auto = vault.NewAutoLock(func() { recovered("auto-lock", a.idleLock) })
	a.v, a.openErr = vault.Open(a.cfg.DataDir, vault.Options{KDF: a.cfg.KDF})
	if a.openErr != nil {
		slog.Warn("vault folder unavailable", "err", a.openErr)
	}
}

func (a *Vault) shutdown() {
	if _, err := a.vault(); err == nil {
		// Closing the window is the user's lock, backup included.
		if err := a.lock(lockByUser, true); err != nil {
			slog.Error("lock at exit", "err", err)
		}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.auto != nil {
		a.auto.Stop()
	}
	if a.v != nil {
		if err := a.v.Close(); err != nil {
			slog.Error("closing vault", "err", err)
		}
	}
}

// vault returns the opened folder or the reason it is unavailable.
func (a *Vault) vault() (*vault.Vault, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.v == nil {
		if a.openErr == nil {
			return nil, vault.ErrLocked
		}
		return nil, a.openErr
	}
	return a.v, nil
}

// core returns the use cases on the unlocked vault, as done from the
// window. Every bound method that changes something or must be audited
// goes through it.
func (a *Vault) core() (*core.Core, error) {
	return a.coreWith(nil)
}

// coreWith is core on another clock (nil: the real one), for the backups'.
func (a *Vault) coreWith(now func() time.Time) (*core.Core, error) {
	v, err := a.vault()
	if err != nil {
		return nil, err
	}
	return core.New(a.options(v, now))
}

func (a *Vault) options(v *vault.Vault, now func() time.Time) core.Options {
	return core.Options{Vault: v, I18n: a.i18n, Lang: a.lang, Via: core.ViaWindow, Now: now}
}

// db returns the unlocked database, for the other bound services.
func (a *Vault) db() (*sql.DB, error) {
	v, err := a.vault()
	if err != nil {
		return nil, err
	}
	return v.DB()
}

// Status reports the vault's state.
func (a *Vault) Status() (_ VaultStatus, err error) {
	defer guard(&err)
	return a.status(), nil
}

func (a *Vault) status() VaultStatus {
	st := VaultStatus{DataDir: a.cfg.DataDir, Version: core.Version, MinPassphraseLength: vault.MinPassphraseLen}
	v, err := a.vault()
	if err != nil {
		st.State = "unavailable"
		st.Problem = core.Describe(err)
		if errors.Is(err, vault.ErrReadOnly) {
			st.Problem.Params = map[string]any{"path": a.cfg.DataDir}
		}
		return st
	}
	s := v.Status()
	st.State = string(s.State)
	st.MustChangePassphrase = s.MustChangePassphrase
	st.Rollback = s.Rollback
	if s.State == vault.StateUnlocked {
		a.mu.Lock()
		st.ErasureRecord, st.NotRecorded = a.erasureRecord, a.notRecorded
		a.mu.Unlock()
	}
	if s.Problem != nil {
		st.Problem = core.Describe(s.Problem)
	}
	return st
}

// PassphraseEstimate is what the strength meter shows while the user types:
// the same estimate that Create and the passphrase changes enforce.
type PassphraseEstimate struct {
	Score      int  `json:"score"`      // 0 too short, 1 refused, 2 to 4
	Acceptable bool `json:"acceptable"` // the passphrase may be set
	// Warning and Suggestion are translation keys, empty when acceptable.
	Warning    string `json:"warning,omitempty"`
	Suggestion string `json:"suggestion,omitempty"`
}

// PassphraseStrength estimates how hard a passphrase is to guess.
func (a *Vault) PassphraseStrength(passphrase string) (_ PassphraseEstimate, err error) {
	defer guard(&err)
	e := vault.EstimatePassphrase(passphrase)
	pe := PassphraseEstimate{Score: e.Score, Acceptable: e.Acceptable()}
	if !pe.Acceptable {
		pe.Warning, pe.Suggestion = core.WeaknessKeys(e.Weakness, e.Hint)
	}
	return pe, nil
}

// Create makes the vault and returns the recovery code to show once.
func (a *Vault) Create(passphrase string) (_ string, err error) {
	defer guard(&err)
	v, err := a.vault()
	if err != nil {
		return "", core.ForUser(err)
	}
	code, err := v.Create(a.ctx, passphrase)
	if err != nil {
		return "", core.ForUser(err)
	}
	a.unlocked()
	return code, nil
}

// Unlock opens the vault with the passphrase.
func (a *Vault) Unlock(passphrase string) (err error) {
	defer guard(&err)
	v, err := a.vault()
	if err != nil {
		return core.ForUser(err)
	}
	if err := v.Unlock(a.ctx, passphrase); err != nil {
		return core.ForUser(err)
	}
	a.unlocked()
	return nil
}

// UnlockWithRecovery opens the vault with the recovery code; the frontend
// must then ask for a new passphrase (Status().MustChangePassphrase).
func (a *Vault) UnlockWithRecovery(code string) (err error) {
	defer guard(&err)
	v, err := a.vault()
	if err != nil {
		return core.ForUser(err)
	}
	if err := v.UnlockWithRecovery(a.ctx, code); err != nil {
		return core.ForUser(err)
	}
	a.unlocked()
	return nil
}

// SetNewPassphrase sets the passphrase after a recovery unlock.
func (a *Vault) SetNewPassphrase(passphrase string) (err error) {
	defer guard(&err)
	v, err := a.vault()
	if err != nil {
		return core.ForUser(err)
	}
	if err := v.SetNewPassphrase(a.ctx, passphrase); err != nil {
		return core.ForUser(err)
	}
	a.recordRestore()
	a.unlocked()
	return nil
}

// pendRestore keeps a restore whose vault waits for a new passphrase, to
// record it then (core.Restore records the others itself).
func (a *Vault) pendRestore(res vault.RestoreResult, recovery bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.restore = nil
	if res.MustChangePassphrase {
		a.restore = &pendingRestore{res: res, recovery: recovery}
	}
}

// recordRestore records the restore made with the recovery code, now
// that the restored vault is open; a failure is told (logged).
func (a *Vault) recordRestore() {
	a.mu.Lock()
	p := a.restore
	a.restore = nil
	a.mu.Unlock()
	if p == nil {
		return
	}
	c, err := a.core()
	if err == nil {
		err = c.RecordRestore(a.ctx, p.res, p.recovery)
	}
	if err != nil {
		a.logged(fmt.Errorf("%w: %w", core.ErrNotRecorded, err))
	}
}

// ChangePassphrase replaces the passphrase; instant.
func (a *Vault) ChangePassphrase(current, next string) (err error) {
	defer guard(&err)
	v, err := a.vault()
	if err != nil {
		return core.ForUser(err)
	}
	return core.ForUser(v.ChangePassphrase(a.ctx, current, next))
}

// Rekey re-encrypts the vault under a new data key and returns the new
// recovery code to show once; next replaces the passphrase, "" keeps it.
// Background work stops for the copy and starts again on the new key.
// Progress goes out as EventRekeyProgress.
//
// A failure after the re-key is committed (the swap or the reopening; the
// next unlock finishes it) still returns the code without an error: the
// old code is dead, and the frontend shows only a code it receives. The
// failure is logged, and the vault's status says whether it is open.
func (a *Vault) Rekey(current, next string) (_ string, err error) {
	defer guard(&err)
	c, err := a.core()
	if err != nil {
		return "", core.ForUser(err)
	}
	closed := false
	code, err := c.Rekey(a.ctx, current, vault.RekeyOptions{
		NewPassphrase: next,
		BeforeClose: func() {
			closed = true
			a.auto.Stop()
			a.forget()
		},
		Progress: func(done, total int64) {
			a.emitEvent(EventRekeyProgress, RekeyProgress{Done: done, Total: total})
		},
	})
	if closed && c.Vault().Status().State == vault.StateUnlocked {
		// Open again, on the new key or (after a failure) the old one:
		// the work the unlock started goes on, nothing else of an unlock.
		a.restartBackground()
	}
	if code == "" {
		return "", core.ForUser(err)
	}
	if err != nil {
		slog.Error("re-key done, then", "err", err)
	}
	return code, nil
}

// AcceptRollback keeps the database as it is after a rollback was
// reported at unlock, and records the decision.
func (a *Vault) AcceptRollback() (err error) {
	defer guard(&err)
	c, err := a.core()
	if err != nil {
		return core.ForUser(err)
	}
	_, err = c.AcceptRollback(a.ctx)
	return core.ForUser(a.logged(err))
}

// logged reports as done an action that is done but could not be
// recorded (core.ErrNotRecorded: a file written or deleted, a decision in
// force), and tells the user: it is logged, and Status().NotRecorded says
// why until the lock (Art. 5(2): the log misses it, the user must know).
// Other errors come back as they are.
func (a *Vault) logged(err error) error {
	if !errors.Is(err, core.ErrNotRecorded) {
		return err
	}
	slog.Error("audit log", "err", err)
	a.mu.Lock()
	a.notRecorded = core.Describe(err)
	a.mu.Unlock()
	return nil
}

// NewRecoveryCode replaces the recovery code and returns the new one.
func (a *Vault) NewRecoveryCode(passphrase string) (_ string, err error) {
	defer guard(&err)
	v, err := a.vault()
	if err != nil {
		return "", core.ForUser(err)
	}
	code, err := v.NewRecoveryCode(a.ctx, passphrase)
	return code, core.ForUser(err)
}

// Lock closes the vault now (Ctrl+L, the lock button).
func (a *Vault) Lock() (err error) {
	defer guard(&err)
	return core.ForUser(a.lock(lockByUser, true))
}

// Why the vault locks, as EventLocked tells the frontend; the session's
// reasons are sessionlock.Suspend and sessionlock.ScreenLock.
const (
	lockByUser = ""     // the window asked: it knows, no event
	lockIdle   = "idle" // the auto-lock timer
)

// lock is the one lock sequence: the auto-lock timer stopped, background
// work and what the services hold dropped, the automatic backup when
// backUp (it reads the open database, so it comes before the close), the
// database closed and its keys zeroed, then the frontend told why. A vault
// already locked is left alone, without an event.
func (a *Vault) lock(reason string, backUp bool) error {
	v, err := a.vault()
	if err != nil {
		return err
	}
	if v.Status().State != vault.StateUnlocked {
		return nil
	}
	a.mu.Lock()
	auto, minutes := a.auto, a.idle
	a.mu.Unlock()
	auto.Stop()
	a.forget()
	if backUp {
		a.backUpBeforeLock()
	}
	err = v.Lock()
	if reason != lockByUser {
		ev := LockedEvent{Reason: reason}
		if reason == lockIdle {
			ev.Minutes = minutes
		}
		a.emitEvent(EventLocked, ev)
	}
	return err
}

func (a *Vault) forget() {
	a.mu.Lock()
	a.erasureRecord, a.notRecorded = "", nil
	a.mu.Unlock()
	if a.onLock != nil {
		a.onLock()
	}
}

func (a *Vault) backUpBeforeLock() {
	if a.beforeLock != nil {
		recovered("backup at lock", a.beforeLock)
	}
}

// Touch reports user activity, postponing the auto-lock.
func (a *Vault) Touch() (err error) {
	defer guard(&err)
	a.mu.Lock()
	auto := a.auto
	a.mu.Unlock()
	if auto != nil {
		auto.Touch()
	}
	return nil
}

// unlocked does what each unlock does: the housekeeping (core, erasures
// applied again included), then the background work.
func (a *Vault) unlocked() {
	c, err := a.core()
	if err != nil {
		return // a new passphrase is still required: no auto-lock yet
	}
	h, err := c.Housekeep(a.ctx)
	if err != nil {
		slog.Error("housekeeping at unlock", "err", err)
	}
	a.noteReapplied(h.Reapplied)
	a.restartBackground()
}

// restartBackground arms the auto-lock with the vault's setting and starts
// the background work (the mail loop): at unlock, and when the database
// opens again after a re-key stopped them.
func (a *Vault) restartBackground() {
	db, err := a.v.DB()
	if err != nil {
		return
	}
	minutes, err := settings.New(db).AutoLockMinutes(a.ctx)
	if err != nil {
		slog.Error("reading auto-lock setting", "err", err)
	}
	a.armAutoLock(minutes)
	if a.onUnlock != nil {
		a.onUnlock()
	}
}

func (a *Vault) armAutoLock(minutes int) {
	a.mu.Lock()
	a.idle = minutes
	a.mu.Unlock()
	a.auto.Start(time.Duration(minutes) * time.Minute)
}

// emitEvent sends an event to the frontend, if one is attached.
func (a *Vault) emitEvent(name string, data any) {
	a.mu.Lock()
	emit := a.emit
	a.mu.Unlock()
	if emit != nil {
		emit.Emit(name, data)
	}
}

// idleLock is what the auto-lock timer calls.
func (a *Vault) idleLock() {
	if _, err := a.vault(); err != nil {
		return
	}
	if err := a.lock(lockIdle, true); err != nil {
		slog.Error("auto-lock", "err", err)
	}
}
