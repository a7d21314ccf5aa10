package app

import (
	"log/slog"

	"carnet/backend/core"
	"carnet/backend/privacy/rights"
)

// EventErasuresReapplied tells the frontend that erasures were carried out
// again on a vault that had gone back in time (a restored backup).
const EventErasuresReapplied = "privacy:reapplied" // data: rights.Reapplied

// ownCore is the use cases as Carnet runs them on its own (at unlock,
// after a restore), not at the user's request.
func (a *Vault) ownCore() (*core.Core, error) {
	v, err := a.vault()
	if err != nil {
		return nil, err
	}
	return core.New(core.Options{Vault: v, I18n: a.i18n, Lang: a.lang, Via: core.ViaApp})
}

// recordErasures updates the record kept outside the vault (before a
// restore replaces the database); failures are logged: the next unlock
// writes it again from the database.
func (a *Vault) recordErasures() {
	c, err := a.ownCore()
	if err == nil {
		err = c.RecordErasures(a.ctx)
	}
	if err != nil {
		slog.Error("recording erasures outside the vault", "err", err)
	}
}

// noteReapplied keeps what the unlock's housekeeping applied again from
// the record outside the vault (core.Housekeep: a database put back from
// an older copy, by a restore or by hand, gets its erasures back) for the
// restore that caused it, and sends it to the frontend.
func (a *Vault) noteReapplied(re rights.Reapplied) {
	if re.Record != "" {
		// Not a silent success: nothing was applied from the record.
		slog.Warn("the erasure record outside the vault was not applied", "record", re.Record)
	}
	a.mu.Lock()
	a.reapplied = &re
	a.erasureRecord = re.Record
	a.mu.Unlock()
	if re.Notice() {
		a.emitEvent(EventErasuresReapplied, re)
	}
}

// takeReapplied returns what the last unlock applied again, once.
func (a *Vault) takeReapplied() *rights.Reapplied {
	a.mu.Lock()
	defer a.mu.Unlock()
	re := a.reapplied
	a.reapplied = nil
	return re
}
