package app

import (
	"context"
	"database/sql"
	"log/slog"
	"time"

	"carnet/backend/backup"
	"carnet/backend/prefs"
	"carnet/backend/privacy"
	"carnet/backend/subject"
)

// EventErasuresReapplied tells the frontend that erasures were carried out
// again on a vault that had gone back in time (a restored backup).
const EventErasuresReapplied = "privacy:reapplied" // data: subject.Reapplied

// RecordErasures writes the record of erasures and suppression list entries
// kept outside the vault (subject.RecordFile) in dataDir. The command line
// uses it too.
func RecordErasures(ctx context.Context, db *sql.DB, dataDir, vaultID string) {
	if err := subject.SyncRecord(ctx, db, dataDir, vaultID); err != nil {
		slog.Error("recording erasures outside the vault", "err", err)
	}
}

// ReapplyErasures erases again the people erased since the database was
// copied and puts their suppression list entries back (Art. 17: a restored
// backup must not bring anyone back). The command line uses it too.
func ReapplyErasures(ctx context.Context, db *sql.DB, words privacy.Words, dataDir, vaultID, actor string) (subject.Reapplied, error) {
	return subject.New(db, nil, words).Reapply(ctx, dataDir, vaultID, actor)
}

// ErasureCopies lists the backups and replaced vaults of the vault in
// dataDir that may hold a person first recorded at since (RFC 3339, "" when
// unknown) and erased at until ("" for a preview: now).
func ErasureCopies(dataDir, vaultID, since, until string, now time.Time) *backup.Copies {
	from, _ := time.Parse(time.RFC3339, since)
	to, err := time.Parse(time.RFC3339, until)
	if err != nil {
		to = now
	}
	c := backup.Holding(dataDir, prefs.Load(dataDir).BackupFolder, vaultID, from, to, now)
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
	RecordErasures(a.ctx, db, a.cfg.DataDir, a.vaultID())
}

// reapplyErasures runs at each unlock: a database put back from an older
// copy, by a restore or by hand, gets its erasures back. The result is
// kept for the restore that caused it and sent to the frontend.
func (a *Vault) reapplyErasures(words privacy.Words) {
	db, err := a.db()
	if err != nil {
		return
	}
	re, err := ReapplyErasures(a.ctx, db, words, a.cfg.DataDir, a.vaultID(), a.actor())
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
func (a *Vault) takeReapplied() *subject.Reapplied {
	a.mu.Lock()
	defer a.mu.Unlock()
	re := a.reapplied
	a.reapplied = nil
	return re
}

// Audit records an action of the command line in the audit log; a failure
// is logged, not shown: the action itself succeeded.
func Audit(ctx context.Context, db *sql.DB, actor, action string, detail map[string]any) {
	if err := privacy.New(db, nil).Log(ctx, actor, action, "", 0, detail); err != nil {
		slog.Error("audit log", "action", action, "err", err)
	}
}
