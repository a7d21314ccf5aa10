package app

import (
	"log/slog"
	"time"

	"carnet/backend/backup"
	"carnet/backend/privacy"
	"carnet/backend/privacy/rights"
)

// EventErasuresReapplied tells the frontend that erasures were carried out
// again on a vault that had gone back in time (a restored backup).
const EventErasuresReapplied = "privacy:reapplied" // data: rights.Reapplied

// erasureCopies lists the backups and replaced vaults that may hold a
// person first recorded at since and erased at until ("" for a preview).
func (a *Vault) erasureCopies(since, until string) *backup.Copies {
	c := backup.HoldingFrom(a.cfg.DataDir, a.vaultID(), since, until, time.Now())
	return &c
}

// vaultID is the open vault's id, "" when there is none.
func (a *Vault) vaultID() string {
	v, err := a.vault()
	if err != nil {
		return ""
	}
	id, _ := v.ID()
	return id
}

// recordErasures updates the record kept outside the vault; failures are
// logged (the next unlock writes it again from the database).
func (a *Vault) recordErasures() {
	db, err := a.db()
	if err != nil {
		return
	}
	if err := rights.SyncRecord(a.ctx, db, a.cfg.DataDir, a.vaultID()); err != nil {
		slog.Error("recording erasures outside the vault", "err", err)
	}
}

// reapplyErasures runs at each unlock: a database put back from an older
// copy, by a restore or by hand, gets its erasures back. The result is
// kept for the restore that caused it and sent to the frontend.
func (a *Vault) reapplyErasures(words privacy.Words) {
	db, err := a.db()
	if err != nil {
		return
	}
	// Art. 17: a restored backup must not bring anyone back.
	re, err := rights.New(db, nil, words).Reapply(a.ctx, a.cfg.DataDir, a.vaultID(), a.actor())
	if err != nil {
		slog.Error("applying erasures again", "err", err)
		return
	}
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
