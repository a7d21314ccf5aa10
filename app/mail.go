package app

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"log/slog"
	"sync"
	"time"

	"carnet/backend/core"
	"carnet/backend/fsutil"
	"carnet/backend/i18n"
	"carnet/backend/mail"
)

// Events sent by the mail service.
const (
	EventMailProgress = "mail:progress" // data: mail.Progress, during a sync
	EventMailChanged  = "mail:changed"  // data: MailStatus, after a sync or a send changed something
)

// MailStatus is the state of the background work, for the status line.
type MailStatus struct {
	Syncing  bool                      `json:"syncing"`
	LastSync string                    `json:"lastSync"`
	Errors   map[int64]*core.UserError `json:"errors"` // per account: the last sync failure
	Outbox   int                       `json:"outbox"` // messages waiting to leave
}

// Mail is bound to the frontend: reading the mail copied from the
// accounts (MailAccounts sets them up, Outbox writes and sends).
type Mail struct {
	vault   *Vault
	i18n    *i18n.Bundle
	lang    func() string
	dialogs func() Dialogs
	// The background loop, shared with MailAccounts and Outbox: one per
	// window, started at unlock and stopped at lock through Mail.
	*mailLoop
}

// Messages returns one page of a folder, newest first.
func (m *Mail) Messages(folderID int64, offset, limit int) (_ mail.Page, err error) {
	defer guard(&err)
	return useDB(m.vault, func(ctx context.Context, db *sql.DB) (mail.Page, error) {
		return mail.New(db, nil).List(ctx, folderID, offset, min(max(limit, 1), 500))
	})
}

// ForContact lists the mail exchanged with a contact.
func (m *Mail) ForContact(contactID int64) (_ []mail.Summary, err error) {
	defer guard(&err)
	return useDB(m.vault, func(ctx context.Context, db *sql.DB) ([]mail.Summary, error) {
		return mail.New(db, nil).ForContact(ctx, contactID, 200)
	})
}

// Search finds messages by subject, people and text.
func (m *Mail) Search(query string) (_ []mail.Summary, err error) {
	defer guard(&err)
	return useDB(m.vault, func(ctx context.Context, db *sql.DB) ([]mail.Summary, error) {
		return mail.New(db, nil).Search(ctx, query, 50)
	})
}

// Open reads a message and marks it read. Remote content stays blocked
// unless loadRemote or the sender was allowed.
func (m *Mail) Open(id int64, loadRemote bool) (_ mail.Message, err error) {
	defer guard(&err)
	return useCore(m.vault, func(ctx context.Context, c *core.Core) (mail.Message, error) { return c.OpenMail(ctx, id, loadRemote) })
}

// MarkSeen marks a message read or unread (told to the server at the next sync).
func (m *Mail) MarkSeen(id int64, seen bool) (err error) {
	defer guard(&err)
	return doCore(m.vault, func(ctx context.Context, c *core.Core) error { return c.MarkMailSeen(ctx, id, seen) })
}

// AllowRemote always loads (or stops loading) the remote content of the
// sender of message id; allowing needs a sender the provider verified.
func (m *Mail) AllowRemote(id int64, allow bool) (err error) {
	defer guard(&err)
	return doCore(m.vault, func(ctx context.Context, c *core.Core) error { return c.AllowMailRemote(ctx, id, allow) })
}

// SaveAttachment asks where to save an attachment and writes it there.
// The name offered is the neutralised one. Returns "" when cancelled.
func (m *Mail) SaveAttachment(id int64, index int) (_ string, err error) {
	defer guard(&err)
	return useDB(m.vault, func(ctx context.Context, db *sql.DB) (string, error) {
		s := mail.New(db, nil)
		raw, err := s.Raw(ctx, id)
		if err != nil {
			return "", err
		}
		at, data, err := mail.AttachmentData(raw, index)
		if err != nil {
			return "", err
		}
		path, err := m.dialogs().SaveFile(ctx, m.i18n.T(m.lang(), "mail.save_attachment", nil), at.Filename)
		if err != nil || path == "" {
			return "", err
		}
		return path, fsutil.WriteFileAtomic(path, data, 0o600)
	})
}

// ImportFile adds a message file (.eml, base64) to an account's inbox.
func (m *Mail) ImportFile(accountID int64, contentBase64 string) (_ int64, err error) {
	defer guard(&err)
	raw, err := base64.StdEncoding.DecodeString(contentBase64)
	if err != nil {
		return 0, core.ForUser(mail.ErrNotMessage)
	}
	return useCore(m.vault, func(ctx context.Context, c *core.Core) (int64, error) { return c.ImportMailFile(ctx, accountID, raw) })
}

// CreateContact makes a contact of someone on a message, with the message
// as the source and their last message as last inbound contact.
func (m *Mail) CreateContact(address, name string) (_ int64, err error) {
	defer guard(&err)
	return useCore(m.vault, func(ctx context.Context, c *core.Core) (int64, error) { return c.ContactFromMail(ctx, address, name) })
}

// mailLoop syncs and sends in the background while the vault is
// unlocked, and keeps the state the status line shows.
type mailLoop struct {
	vault *Vault

	mu       sync.Mutex
	cancel   context.CancelFunc // of the background loop while unlocked
	loopDone chan struct{}      // closed when that loop has returned
	wake     chan struct{}
	watching map[int64]bool // accounts with an IDLE connection open
	syncing  sync.Mutex     // one sync or send round at a time (loop and button)
	status   MailStatus
	offline  bool // tests: no background loop
}

// start runs the background loop while the vault is unlocked: send what
// waits, sync every account, then every few minutes and whenever an
// inbox announces new mail (IDLE).
func (m *mailLoop) start() {
	if m.offline {
		return
	}
	m.mu.Lock()
	if m.cancel != nil {
		m.mu.Unlock()
		return
	}
	ctx, cancel := context.WithCancel(m.vault.ctx)
	m.cancel, m.wake, m.loopDone = cancel, make(chan struct{}, 1), make(chan struct{})
	wake, done := m.wake, m.loopDone
	m.mu.Unlock()
	go func() {
		defer close(done)
		recovered("mail loop", func() { m.loop(ctx, wake) })
	}()
}

// stop ends the background loop (at lock) and waits a little for it to
// return, so that the database is not in use while it closes. A sync the
// user started holds the loop longer: the lock does not wait for that.
func (m *mailLoop) stop() {
	m.mu.Lock()
	done := m.loopDone
	if m.cancel != nil {
		m.cancel()
		m.cancel, m.loopDone = nil, nil
	}
	m.mu.Unlock()
	if done != nil {
		select {
		case <-done:
		case <-time.After(5 * time.Second):
		}
	}
}

func (m *mailLoop) poke() {
	m.mu.Lock()
	w := m.wake
	m.mu.Unlock()
	if w != nil {
		select {
		case w <- struct{}{}:
		default:
		}
	}
}

const syncEvery = 5 * time.Minute

func (m *mailLoop) loop(ctx context.Context, wake chan struct{}) {
	for {
		db, err := m.vault.db()
		if err != nil {
			return // locked
		}
		// A round that panics is logged; the next one comes as usual.
		recovered("mail sync", func() {
			m.syncAll(ctx, 0)
			m.watch(ctx, mail.New(db, nil))
		})
		wait := syncEvery
		if m.currentStatus().Outbox > 0 {
			wait = time.Minute // the outbox's own backoff decides what is due
		}
		select {
		case <-ctx.Done():
			return
		case <-wake:
		case <-time.After(wait):
		}
	}
}

// watch keeps one IDLE connection per account, ended with the loop's
// context; a broken one is opened again at the next round.
func (m *mailLoop) watch(ctx context.Context, s *mail.Store) {
	accounts, err := s.Accounts(ctx)
	if err != nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.watching == nil {
		m.watching = map[int64]bool{}
	}
	for _, a := range accounts {
		if m.watching[a.ID] {
			continue
		}
		m.watching[a.ID] = true
		go recovered("mail inbox watch", func() {
			defer func() { // opened again at the next round, even after a panic
				m.mu.Lock()
				delete(m.watching, a.ID)
				m.mu.Unlock()
			}()
			err := mail.WatchInbox(ctx, a, m.poke)
			if err != nil && ctx.Err() == nil {
				slog.Info("mail: inbox watch ended", "account", a.ID, "err", err)
			}
		})
	}
}

// syncAll runs core's sync round (the outbox sent, the accounts synced),
// reporting progress and the outcome as events for the status line.
func (m *mailLoop) syncAll(ctx context.Context, only int64) (mail.SyncResult, error) {
	c, err := m.vault.core()
	if err != nil {
		return mail.SyncResult{}, err
	}
	accounts, err := mail.New(c.DB(), nil).Accounts(ctx)
	if err != nil || len(accounts) == 0 {
		return mail.SyncResult{}, err // no mail set up: nothing to do, nothing to tell
	}
	m.syncing.Lock()
	defer m.syncing.Unlock()
	m.setSyncing(true)
	defer m.setSyncing(false) // also after a panic: the status line must not spin on
	m.vault.emitEvent(EventMailChanged, m.currentStatus())
	res, err := c.SyncMail(ctx, only, func(p mail.Progress) { m.vault.emitEvent(EventMailProgress, p) })
	if errors.Is(err, context.Canceled) {
		return res.SyncResult, err
	}
	errs := map[int64]*core.UserError{}
	for id, e := range res.Failed {
		errs[id] = core.Describe(e)
	}
	m.mu.Lock()
	m.status.Syncing = false
	m.status.LastSync = time.Now().UTC().Format(time.RFC3339)
	m.status.Errors = errs
	m.mu.Unlock()
	m.vault.emitEvent(EventMailChanged, m.currentStatus())
	return res.SyncResult, err
}

func (m *mailLoop) setSyncing(on bool) {
	m.mu.Lock()
	m.status.Syncing = on
	m.mu.Unlock()
}

// currentStatus is the last sync's outcome with the outbox counted now.
func (m *mailLoop) currentStatus() MailStatus {
	waiting := -1
	if n, err := useDB(m.vault, func(ctx context.Context, db *sql.DB) (int, error) { return mail.New(db, nil).Waiting(ctx) }); err == nil {
		waiting = n
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if waiting >= 0 {
		m.status.Outbox = waiting
	}
	st := m.status
	st.Errors = map[int64]*core.UserError{}
	for k, v := range m.status.Errors {
		st.Errors[k] = v
	}
	return st
}
