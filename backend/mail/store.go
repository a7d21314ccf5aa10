package mail

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ncruces/go-sqlite3"

	"carnet/backend/crm"
	"carnet/backend/txn"
)

// Store reads and writes the mail tables of an unlocked vault.
type Store struct {
	db  *sql.DB
	now func() time.Time
}

// New returns a store on an open vault database; now may be nil.
func New(db *sql.DB, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: db, now: now}
}

func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return inTxn(txn.Write, ctx, s.db, fn)
}

func (s *Store) read(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return inTxn(txn.Read, ctx, s.db, fn)
}

// inTxn runs fn through run (txn.Write or txn.Read): fn's errors come back
// as they are, those of beginning and committing with the package's name.
func inTxn(run func(context.Context, txn.Beginner, func(*sql.Tx) error) error, ctx context.Context, on txn.Beginner, fn func(tx *sql.Tx) error) error {
	var fnErr error
	err := run(ctx, on, func(tx *sql.Tx) error {
		fnErr = fn(tx)
		return fnErr
	})
	if err != nil && err != fnErr {
		return fmt.Errorf("mail: %w", err)
	}
	return err
}

// writeTx is a write transaction held on one pooled connection, so that a
// message's bytes can go into its row through SQLite's incremental blob
// I/O, a piece at a time. Bound whole as a parameter, a message is copied
// into the connection's wasm memory, which never shrinks and has a
// ceiling: ten 20 MB messages in one transaction ran SQLite out of memory.
type writeTx struct {
	*sql.Tx
	conn *sql.Conn // nil: every message written is at most rawPiece bytes
}

// rawPiece is what goes through the driver's memory at a time.
const rawPiece = 1 << 20

// ErrRawInTransaction is a programming error: writing messages' bytes
// takes a connection of its own, so it cannot join a transaction carried
// by the context (the sync and the outbox commit in chunks of their own).
var ErrRawInTransaction = errors.New("mail: writing messages cannot run inside another transaction")

// writeRaw runs fn in a write transaction that can write messages' bytes.
func (s *Store) writeRaw(ctx context.Context, fn func(tx *writeTx) error) error {
	if txn.From(ctx) != nil {
		// Its own connection would wait on the write lock the caller's
		// transaction holds, until the busy timeout.
		return ErrRawInTransaction
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("mail: connection: %w", err)
	}
	defer conn.Close()
	return inTxn(txn.Write, ctx, conn, func(tx *sql.Tx) error {
		return fn(&writeTx{Tx: tx, conn: conn})
	})
}

// sqliteConn is what the driver's connections offer besides database/sql.
type sqliteConn interface{ Raw() *sqlite3.Conn }

var errNoBlobIO = errors.New("mail: the database driver offers no incremental blob I/O")

// putRaw fills message id's raw column, written as a zero blob of the same
// length, with raw.
func (tx *writeTx) putRaw(id int64, raw []byte) error {
	if tx.conn == nil {
		return errNoBlobIO
	}
	return tx.conn.Raw(func(dc any) error {
		c, ok := dc.(sqliteConn)
		if !ok {
			return errNoBlobIO
		}
		b, err := c.Raw().OpenBlob("main", "mail_messages", "raw", id, true)
		if err != nil {
			return err
		}
		_, err = b.ReadFrom(bytes.NewReader(raw)) // a MiB at a time
		if cerr := b.Close(); err == nil {
			err = cerr
		}
		return err
	})
}

// readRaw returns message id's raw column, read a piece at a time for the
// same reason putRaw writes it so. The row is looked up first, in the same
// read transaction as the blob is read, so a missing one is ErrNotFound.
func (s *Store) readRaw(ctx context.Context, id int64) ([]byte, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("mail: message %d: %w", id, err)
	}
	defer conn.Close()
	var buf bytes.Buffer
	err = inTxn(txn.Read, ctx, conn, func(tx *sql.Tx) error {
		var size int
		err := tx.QueryRowContext(ctx, `SELECT length(raw) FROM mail_messages WHERE id = ?`, id).Scan(&size)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%w: message %d", ErrNotFound, id)
		}
		if err != nil {
			return fmt.Errorf("mail: message %d: %w", id, err)
		}
		buf.Grow(size)
		err = conn.Raw(func(dc any) error {
			c, ok := dc.(sqliteConn)
			if !ok {
				return errNoBlobIO
			}
			b, err := c.Raw().OpenBlob("main", "mail_messages", "raw", id, false)
			if err != nil {
				return err
			}
			defer b.Close()
			_, err = b.WriteTo(&buf) // a MiB at a time
			return err
		})
		if err != nil {
			return fmt.Errorf("mail: message %d: %w", id, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Message flags, as stored.
const (
	FlagSeen     = 1
	FlagAnswered = 2
	FlagFlagged  = 4
	FlagDraft    = 8
)

// incoming is one message to store, already parsed.
type incoming struct {
	uid    uint32 // 0: not on the server yet
	flags  int
	raw    []byte // the header block alone when headersOnly
	parsed Parsed

	headersOnly bool  // over the size limit: not copied whole
	size        int64 // the server's size when headersOnly
}

// searchDocs holds search documents back until the end of a transaction:
// FTS5 writes its pending terms at every statement savepoint, so adding
// all the documents in a row costs a fraction of interleaving them with
// the other inserts.
type searchDocs []searchDoc

type searchDoc struct {
	id                  int64
	topic, people, body string
}

func (d *searchDocs) flush(ctx context.Context, tx *sql.Tx) error {
	for _, doc := range *d {
		if _, err := tx.ExecContext(ctx, `INSERT INTO mail_search (rowid, subject, people, body) VALUES (?, ?, ?, ?)`,
			doc.id, doc.topic, doc.people, doc.body); err != nil {
			return fmt.Errorf("mail: index message %d: %w", doc.id, err)
		}
	}
	*d = (*d)[:0]
	return nil
}

// insertMessage stores a message in a folder with its addresses and
// attachments list, and adds its search document to docs (flushed by the
// caller before commit). Inbound mail moves the last inbound contact of
// the contacts who wrote it.
func insertMessage(ctx context.Context, tx *writeTx, folderID int64, own string, m *incoming, docs *searchDocs) (int64, error) {
	p := &m.parsed
	from := Addr{}
	if len(p.From) > 0 {
		from = p.From[0]
	}
	inbound := !strings.EqualFold(from.Address, own)
	date := ""
	if !p.Date.IsZero() {
		date = stamp(p.Date)
	}
	var uid any
	if m.uid != 0 {
		uid = int64(m.uid)
	}
	size := int64(len(m.raw))
	if m.headersOnly {
		size = max(m.size, size)
	}
	raw := putMessageRaw(m.raw) // filled by putRaw below when big
	const q = `INSERT INTO mail_messages (folder_id, uid, message_id, in_reply_to, subject, from_address, from_name,
		sent_at, flags, inbound, has_attachments, broken, size, snippet, raw, headers_only)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	res, err := tx.ExecContext(ctx, q, folderID, uid, p.MessageID, p.InReplyTo, p.Topic, from.Address, from.Name,
		date, m.flags, inbound, len(p.Attachments) > 0, p.Broken, size, snippet(p.Text), raw, m.headersOnly)
	if err != nil {
		return 0, fmt.Errorf("mail: store message %d: %w", m.uid, err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	if len(m.raw) > rawPiece {
		if err := tx.putRaw(id, m.raw); err != nil {
			return 0, fmt.Errorf("mail: store message %d: %w", m.uid, err)
		}
	}
	for _, set := range addressSets(p) {
		for i, a := range set.addrs {
			if a.Address == "" {
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO mail_addresses (message_id, role, position, address, name) VALUES (?, ?, ?, ?, ?)`,
				id, set.role, i, a.Address, a.Name); err != nil {
				return 0, fmt.Errorf("mail: store message %d address: %w", m.uid, err)
			}
		}
	}
	if err := insertAttachments(ctx, tx.Tx, id, m); err != nil {
		return 0, err
	}
	*docs = append(*docs, searchDocOf(id, p))
	if inbound && date != "" && from.Address != "" {
		// The person reached out: their last inbound contact moves, never back.
		if err := crm.NoteInbound(ctx, tx.Tx, from.Address, date); err != nil {
			return 0, err
		}
	}
	return id, nil
}

type addressSet struct {
	role  string
	addrs []Addr
}

// addressSets are a message's addresses by their role in mail_addresses.
func addressSets(p *Parsed) []addressSet {
	return []addressSet{{"from", p.From}, {"to", p.To}, {"cc", p.Cc}, {"bcc", p.Bcc}, {"reply-to", p.ReplyTo}}
}

// searchDocOf is message id's search document.
func searchDocOf(id int64, p *Parsed) searchDoc {
	var people []string
	for _, set := range addressSets(p) {
		for _, a := range set.addrs {
			if a.Address != "" {
				people = append(people, a.Name, a.Address)
			}
		}
	}
	return searchDoc{id, p.Topic, strings.Join(people, " "), searchBody(p.Text)}
}

func insertAttachments(ctx context.Context, tx *sql.Tx, id int64, m *incoming) error {
	for _, a := range m.parsed.Attachments {
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO mail_attachments (message_id, position, filename, content_type, size) VALUES (?, ?, ?, ?, ?)`,
			id, a.Index, a.Filename, a.ContentType, a.Size); err != nil {
			return fmt.Errorf("mail: store message %d attachment: %w", m.uid, err)
		}
	}
	return nil
}

// putMessageRaw is raw as bound to an INSERT or UPDATE: small, as is; big,
// a zero blob that putRaw fills after.
func putMessageRaw(raw []byte) any {
	if len(raw) > rawPiece {
		return sqlite3.ZeroBlob(len(raw))
	}
	return raw
}

// completeMessage puts m, a whole message, in place of the header that
// message id was kept with (headers_only): its id, flags and addresses
// stay, its body, attachments and search document are added.
func completeMessage(ctx context.Context, tx *writeTx, id int64, m *incoming, docs *searchDocs) error {
	p := &m.parsed
	const q = `UPDATE mail_messages SET has_attachments = ?, broken = ?, size = ?, snippet = ?, raw = ?, headers_only = 0
		WHERE id = ? AND headers_only = 1`
	res, err := tx.ExecContext(ctx, q, len(p.Attachments) > 0, p.Broken, len(m.raw), snippet(p.Text), putMessageRaw(m.raw), id)
	if err != nil {
		return fmt.Errorf("mail: complete message %d: %w", m.uid, err)
	}
	if k, err := res.RowsAffected(); err != nil || k == 0 {
		return err // gone or completed meanwhile
	}
	if len(m.raw) > rawPiece {
		if err := tx.putRaw(id, m.raw); err != nil {
			return fmt.Errorf("mail: complete message %d: %w", m.uid, err)
		}
	}
	if err := insertAttachments(ctx, tx.Tx, id, m); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM mail_search WHERE rowid = ?`, id); err != nil {
		return fmt.Errorf("mail: complete message %d: %w", m.uid, err)
	}
	*docs = append(*docs, searchDocOf(id, p))
	return nil
}

// searchBody bounds what a long message adds to the index: the first
// 32 KiB of text is what people search for.
func searchBody(text string) string {
	const max = 32 << 10
	if len(text) <= max {
		return text
	}
	text = text[:max]
	for !utf8.ValidString(text) {
		text = text[:len(text)-1]
	}
	return text
}

// snippet is the start of the text shown under a subject in lists.
func snippet(text string) string {
	text = searchBody(text) // a huge body is not split into lines whole
	var b strings.Builder
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, ">") {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(line)
		if b.Len() >= 160 {
			break
		}
	}
	s := b.String()
	if utf8.RuneCountInString(s) > 160 {
		s = string([]rune(s)[:160]) + "…"
	}
	return s
}

// unindexWhere removes messages (and their index entries) matching a
// condition on mail_messages.
func unindexWhere(ctx context.Context, tx *sql.Tx, where string, args ...any) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM mail_search WHERE rowid IN (SELECT id FROM mail_messages WHERE `+where+`)`, args...); err != nil {
		return fmt.Errorf("mail: unindex: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM mail_messages WHERE `+where, args...); err != nil {
		return fmt.Errorf("mail: delete messages: %w", err)
	}
	return nil
}
