package app

import (
	"context"
	"database/sql"

	"carnet/backend/core"
	"carnet/backend/mail"
)

// MailAccounts is bound to the frontend: setting up the mail accounts and
// their folders, syncing now, and the background work's status.
type MailAccounts struct {
	vault *Vault
	loop  *mailLoop // Mail's, not a copy: one loop and one status per window
}

// Presets lists the server settings of common providers.
func (m *MailAccounts) Presets() (_ []mail.Preset, err error) {
	defer guard(&err)
	return mail.Presets(), nil
}

// Accounts lists the accounts; passwords never leave the backend.
func (m *MailAccounts) Accounts() (_ []mail.Account, err error) {
	defer guard(&err)
	return useDB(m.vault, func(ctx context.Context, db *sql.DB) ([]mail.Account, error) {
		s := mail.New(db, nil)
		list, err := s.Accounts(ctx)
		for i := range list {
			list[i].Password = ""
		}
		return list, err
	})
}

// SaveAccount creates or updates an account (an empty password keeps the
// stored one) and starts syncing it.
func (m *MailAccounts) SaveAccount(a mail.Account) (_ int64, err error) {
	defer guard(&err)
	id, err := useCore(m.vault, func(ctx context.Context, c *core.Core) (int64, error) { return c.SaveMailAccount(ctx, a) })
	if err == nil {
		m.loop.poke()
	}
	return id, err
}

// DeleteAccount removes an account and the mail copied from it.
func (m *MailAccounts) DeleteAccount(id int64) (err error) {
	defer guard(&err)
	return doCore(m.vault, func(ctx context.Context, c *core.Core) error { return c.DeleteMailAccount(ctx, id) })
}

// TestAccount connects to both servers and logs in. An empty password
// with an existing account uses the stored one.
func (m *MailAccounts) TestAccount(a mail.Account) (err error) {
	defer guard(&err)
	return doCore(m.vault, func(ctx context.Context, c *core.Core) error { return c.TestMailAccount(ctx, a) })
}

// Folders lists an account's followed folders with their counts.
func (m *MailAccounts) Folders(accountID int64) (_ []mail.Folder, err error) {
	defer guard(&err)
	return useDB(m.vault, func(ctx context.Context, db *sql.DB) ([]mail.Folder, error) {
		return mail.New(db, nil).Folders(ctx, accountID)
	})
}

// ServerFolders lists the folders on the server (needs the network).
func (m *MailAccounts) ServerFolders(accountID int64) (_ []string, err error) {
	defer guard(&err)
	return useDB(m.vault, func(ctx context.Context, db *sql.DB) ([]string, error) {
		s := mail.New(db, nil)
		a, err := s.Account(ctx, accountID)
		if err != nil {
			return nil, err
		}
		return mail.ServerFolders(ctx, a)
	})
}

// SetFolderSync follows or stops following a server folder.
func (m *MailAccounts) SetFolderSync(accountID int64, name string, on bool) (err error) {
	defer guard(&err)
	err = doCore(m.vault, func(ctx context.Context, c *core.Core) error { return c.SetMailFolderSync(ctx, accountID, name, on) })
	if err == nil && on {
		m.loop.poke()
	}
	return err
}

// SyncNow syncs one account (0: all) and sends what waits, now.
func (m *MailAccounts) SyncNow(accountID int64) (_ mail.SyncResult, err error) {
	defer guard(&err)
	res, err := m.loop.syncAll(m.vault.ctx, accountID)
	return res, core.ForUser(err)
}

// Status is the state of the background sync and the outbox.
func (m *MailAccounts) Status() (_ MailStatus, err error) {
	defer guard(&err)
	return m.loop.currentStatus(), nil
}
