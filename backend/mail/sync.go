package mail

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/emersion/go-imap"

	"carnet/backend/settings"
	"carnet/backend/txn"
)

// Progress tells how far the sync of one folder is.
type Progress struct {
	AccountID int64  `json:"accountId"`
	Folder    string `json:"folder"`
	Done      int    `json:"done"`
	Total     int    `json:"total"`
}

// SyncResult counts what a sync changed.
type SyncResult struct {
	New     int `json:"new"`
	Updated int `json:"updated"` // flags changed
	Deleted int `json:"deleted"` // gone from the server
	Reset   int `json:"reset"`   // folders copied again after a UIDVALIDITY change
}

func (r *SyncResult) add(o SyncResult) {
	r.New += o.New
	r.Updated += o.Updated
	r.Deleted += o.Deleted
	r.Reset += o.Reset
}

// Folder is a server folder Carnet follows.
type Folder struct {
	ID        int64  `json:"id"`
	AccountID int64  `json:"accountId"`
	Name      string `json:"name"`
	Role      string `json:"role"`
	Sync      bool   `json:"sync"`
	SyncedAt  string `json:"syncedAt"`
	Messages  int    `json:"messages"`
	Unread    int    `json:"unread"`

	uidValidity, lastUID, uidNext, modseq uint64
}

// Folders lists an account's followed folders, inbox first.
func (s *Store) Folders(ctx context.Context, accountID int64) ([]Folder, error) {
	const q = `SELECT f.id, f.account_id, f.name, f.role, f.sync, f.synced_at, f.uid_validity, f.last_uid, f.uid_next, f.highest_modseq,
		(SELECT count(*) FROM mail_messages m WHERE m.folder_id = f.id),
		(SELECT count(*) FROM mail_messages m WHERE m.folder_id = f.id AND m.flags & 1 = 0)
		FROM mail_folders f WHERE f.account_id = ?
		ORDER BY f.role = 'inbox' DESC, f.role = 'sent' DESC, f.name`
	rows, err := txn.On(ctx, s.db).QueryContext(ctx, q, accountID)
	if err != nil {
		return nil, fmt.Errorf("mail: folders: %w", err)
	}
	defer rows.Close()
	out := []Folder{}
	for rows.Next() {
		var f Folder
		if err := rows.Scan(&f.ID, &f.AccountID, &f.Name, &f.Role, &f.Sync, &f.SyncedAt, &f.uidValidity, &f.lastUID, &f.uidNext, &f.modseq, &f.Messages, &f.Unread); err != nil {
			return nil, fmt.Errorf("mail: folders: %w", err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// SetFolderSync chooses whether a folder is synced. Turning it off keeps
// what was copied.
func (s *Store) SetFolderSync(ctx context.Context, accountID int64, name string, on bool) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO mail_folders (account_id, name, sync) VALUES (?, ?, ?)
			ON CONFLICT (account_id, name) DO UPDATE SET sync = excluded.sync`, accountID, name, on)
		return err
	})
}

// ServerFolders lists the folders on the server, for the folder picker.
func ServerFolders(ctx context.Context, a Account) ([]string, error) {
	c, err := DialIMAP(ctx, &a)
	if err != nil {
		return nil, err
	}
	defer c.Logout()
	boxes, err := listFolders(c)
	if err != nil {
		return nil, classify("imap", a.IMAPHost, c.cause(err))
	}
	names := make([]string, 0, len(boxes))
	for _, b := range boxes {
		names = append(names, b.Name)
	}
	return names, nil
}

func listFolders(c *IMAPClient) ([]*imap.MailboxInfo, error) {
	ch := make(chan *imap.MailboxInfo, 16)
	done := make(chan error, 1)
	go func() { done <- safely(func() error { return c.List("", "*", ch) }) }()
	var out []*imap.MailboxInfo
	for b := range ch {
		if !slices.Contains(b.Attributes, imap.NoSelectAttr) {
			out = append(out, b)
		}
	}
	return out, <-done
}

// sentFolderNames are names servers give the Sent folder when they do not
// mark it with the \Sent attribute.
var sentFolderNames = []string{"Sent", "Sent Items", "Sent Messages", "Envoyés", "Éléments envoyés", "Messages envoyés", "INBOX.Sent", "[Gmail]/Sent Mail"}

// findSent records the server's Sent folder the first time it is seen.
func (s *Store) findSent(ctx context.Context, c *IMAPClient, accountID int64) error {
	var n int
	if err := txn.On(ctx, s.db).QueryRowContext(ctx, `SELECT count(*) FROM mail_folders WHERE account_id = ? AND role = 'sent'`, accountID).Scan(&n); err != nil || n > 0 {
		return err
	}
	boxes, err := listFolders(c)
	if err != nil {
		return err
	}
	name := ""
	for _, b := range boxes {
		if slices.Contains(b.Attributes, imap.SentAttr) {
			name = b.Name
		}
	}
	for _, want := range sentFolderNames {
		for _, b := range boxes {
			if name == "" && strings.EqualFold(b.Name, want) {
				name = b.Name
			}
		}
	}
	if name == "" {
		return nil
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO mail_folders (account_id, name, role) VALUES (?, ?, 'sent')
			ON CONFLICT (account_id, name) DO UPDATE SET role = 'sent'`, accountID, name)
		return err
	})
}

// Sync copies new mail of every followed folder of an account into the
// vault, then applies flag changes and deletions. It can stop anywhere —
// a dropped connection, a crash — and the next sync resumes after the last
// stored message, with no duplicates and no gaps.
func (s *Store) Sync(ctx context.Context, accountID int64, progress func(Progress)) (SyncResult, error) {
	var res SyncResult
	a, err := s.Account(ctx, accountID)
	if err != nil {
		return res, err
	}
	mb, err := settings.New(s.db).MailMaxMessageMB(ctx)
	if err != nil {
		return res, err
	}
	limit := int64(mb) * 1e6
	c, err := DialIMAP(ctx, &a)
	if err != nil {
		return res, err
	}
	defer c.Logout()
	c.screen.limitLiterals(wholeCap(limit)) // no message asked for whole may be more
	stop := context.AfterFunc(ctx, func() { c.Terminate() })
	defer stop()
	if err := s.findSent(ctx, c, a.ID); err != nil {
		return res, s.netErr(ctx, &a, c.cause(err))
	}
	folders, err := s.Folders(ctx, a.ID)
	if err != nil {
		return res, err
	}
	condstore, _ := c.Support("CONDSTORE")
	for _, f := range folders {
		if !f.Sync {
			continue
		}
		r, err := s.syncFolder(ctx, c, &a, &f, condstore, limit, progress)
		res.add(r)
		if err != nil {
			return res, s.netErr(ctx, &a, fmt.Errorf("folder %s: %w", f.Name, c.cause(err)))
		}
	}
	return res, nil
}

// netErr reports a cancelled sync as such and a broken link as a ConnError.
func (s *Store) netErr(ctx context.Context, a *Account, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if errors.Is(err, ErrUnreadableResponse) {
		return &ConnError{Kind: ConnProtocol, Server: "imap", Host: a.IMAPHost, Err: err}
	}
	var ce *ConnError
	if errors.As(err, &ce) || !isTransport(err) {
		return err
	}
	return &ConnError{Kind: ConnNetwork, Server: "imap", Host: a.IMAPHost, Err: err}
}

func isTransport(err error) bool { return !isIMAPNo(err) }

// fetchBatch is one chunk of new messages, or the error that cut it short.
type fetchBatch struct {
	uids    []uint32 // what was asked for, ascending
	bytes   int64    // the bytes received, as counted against fetchBudget
	msgs    []incoming
	err     error
	refused *tooBigError // why the screen ended the chunk, if for a message's size
}

// A chunk is at most fetchChunk messages and fetchChunkBytes of message
// data (a bigger message is a chunk of its own), and at most fetchBudget
// bytes are held between the network and the database: the next chunk is
// fetched while one is written, unless together they would go over.
const (
	fetchChunk      = 250
	fetchChunkBytes = 32 << 20
	fetchBudget     = 2 * fetchChunkBytes
)

// headerCost is what a message copied as its header alone counts for in a
// chunk: headers are small, and the screen bounds a hostile one to
// headerCap, and all of a chunk's to what chunkCap allows.
const headerCost = 64 << 10

// What the screen lets the messages of a chunk bring (fetchGuard): a
// header fetched alone at most headerCap; a whole message what the server
// announced plus an eighth, as literalCap, and sizeSlack for the smallest.
const (
	headerCap = 1 << 20
	sizeSlack = 4 << 10
)

func wholeCap(size int64) int64 { return literalCap(size) + sizeSlack }

// chunkCap bounds the bytes of all a chunk's messages: what was counted
// for them, plus an eighth, plus one header at its cap.
func chunkCap(ch chunk) int64 {
	return literalCap(ch.bytes) + int64(len(ch.msgs))*sizeSlack + headerCap
}

// newMessage is a message on the server Carnet does not have yet.
type newMessage struct {
	uid     uint32
	size    int64 // RFC822.SIZE, or what the server began to send if refused
	refused bool  // once refused for its size (mail_size_refused)
}

// headerOnly says whether only the message's header is fetched: it is over
// the limit, or its content once came bigger than the server said.
func (m newMessage) headerOnly(limit int64) bool { return m.refused || m.size > limit }

// chunk is a run of new messages fetched and stored together.
type chunk struct {
	msgs  []newMessage
	bytes int64
}

// planChunks cuts the new messages, in UID order, into chunks; a message
// over limit counts as its header, the only part fetched.
func planChunks(msgs []newMessage, limit int64) []chunk {
	var out []chunk
	var cur chunk
	for _, m := range msgs {
		cost := m.size
		if m.headerOnly(limit) {
			cost = headerCost
		}
		if len(cur.msgs) > 0 && (len(cur.msgs) == fetchChunk || cur.bytes+cost > fetchChunkBytes) {
			out = append(out, cur)
			cur = chunk{}
		}
		cur.msgs = append(cur.msgs, m)
		cur.bytes += cost
	}
	if len(cur.msgs) > 0 {
		out = append(out, cur)
	}
	return out
}

// literalCap is size plus an eighth, as servers count a message's size in
// slightly different ways (RFC822.SIZE against the bytes really sent).
// Anything bigger is a lie or an estimate gone wrong, and ends the
// connection.
func literalCap(size int64) int64 { return size + size/8 }

func (s *Store) syncFolder(ctx context.Context, c *IMAPClient, a *Account, f *Folder, condstore bool, limit int64, progress func(Progress)) (SyncResult, error) {
	var res SyncResult
	var modseq uint64
	if condstore {
		// STATUS before SELECT: go-imap v1 does not read HIGHESTMODSEQ from SELECT.
		if st, err := c.Status(f.Name, []imap.StatusItem{"HIGHESTMODSEQ"}); err == nil {
			modseq, _ = strconv.ParseUint(fmt.Sprint(st.Items["HIGHESTMODSEQ"]), 10, 64)
		}
	}
	mbox, err := c.Select(f.Name, false)
	if err != nil {
		if isIMAPNo(err) {
			return res, nil // the folder is gone from the server: keep what was copied
		}
		return res, err
	}
	if f.uidValidity != uint64(mbox.UidValidity) {
		if f.uidValidity != 0 {
			res.Reset++
		}
		// UIDs from before mean nothing now: copy the folder again.
		err := s.write(ctx, func(tx *sql.Tx) error {
			if err := unindexWhere(ctx, tx, `folder_id = ? AND uid IS NOT NULL`, f.ID); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM mail_size_refused WHERE folder_id = ?`, f.ID); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `UPDATE mail_folders SET uid_validity = ?, last_uid = 0, uid_next = 0, highest_modseq = 0 WHERE id = ?`, mbox.UidValidity, f.ID)
			return err
		})
		if err != nil {
			return res, err
		}
		f.uidValidity, f.lastUID, f.uidNext, f.modseq = uint64(mbox.UidValidity), 0, 0, 0
	}

	var local int
	if err := txn.On(ctx, s.db).QueryRowContext(ctx, `SELECT count(*) FROM mail_messages WHERE folder_id = ? AND uid IS NOT NULL`, f.ID).Scan(&local); err != nil {
		return res, err
	}
	unchanged := condstore && modseq != 0 && modseq == f.modseq && uint64(mbox.UidNext) == f.uidNext && int(mbox.Messages) == local
	pushed, err := s.pushSeen(ctx, c, f)
	if err != nil {
		return res, err
	}
	if f.lastUID > 0 && (!unchanged || pushed) {
		r, err := s.syncFlags(ctx, c, f)
		res.add(r)
		if err != nil {
			return res, err
		}
	}

	var news []newMessage
	if mbox.Messages > 0 {
		if news, err = listNew(c, f.lastUID); err != nil {
			return res, err
		}
		if err := s.markRefused(ctx, f, news); err != nil {
			return res, err
		}
	}
	if progress != nil {
		progress(Progress{AccountID: a.ID, Folder: f.Name, Total: len(news)})
	}
	if len(news) > 0 {
		n, err := s.fetchNew(ctx, c, a, f, news, limit, progress)
		res.New += n
		if err != nil {
			return res, err
		}
	}
	if err := s.completeHeaders(ctx, c, f, limit); err != nil {
		return res, err
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE mail_folders SET uid_next = ?, highest_modseq = ?, synced_at = ? WHERE id = ?`,
			mbox.UidNext, modseq, stamp(s.now()), f.ID)
		return err
	})
	return res, err
}

// pushSeen tells the server about messages read or marked unread in
// Carnet since the last sync.
func (s *Store) pushSeen(ctx context.Context, c *IMAPClient, f *Folder) (bool, error) {
	var seen, unseen imap.SeqSet
	rows, err := txn.On(ctx, s.db).QueryContext(ctx, `SELECT uid, flags & 1 FROM mail_messages WHERE folder_id = ? AND flags_pending = 1 AND uid IS NOT NULL`, f.ID)
	if err != nil {
		return false, err
	}
	found := false
	for rows.Next() {
		var uid uint32
		var on bool
		if err := rows.Scan(&uid, &on); err != nil {
			rows.Close()
			return false, err
		}
		if on {
			seen.AddNum(uid)
		} else {
			unseen.AddNum(uid)
		}
		found = true
	}
	rows.Close()
	if !found {
		return false, nil
	}
	for _, op := range []struct {
		set  *imap.SeqSet
		item imap.StoreItem
	}{{&seen, imap.FormatFlagsOp(imap.AddFlags, true)}, {&unseen, imap.FormatFlagsOp(imap.RemoveFlags, true)}} {
		if op.set.Empty() {
			continue
		}
		if err := c.UidStore(op.set, op.item, []any{imap.SeenFlag}, nil); err != nil {
			return false, err
		}
	}
	return true, s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE mail_messages SET flags_pending = 0 WHERE folder_id = ? AND flags_pending = 1`, f.ID)
		return err
	})
}

// syncFlags reads the flags of every stored message of the folder: the
// changed ones are updated, those the server no longer has are deleted.
func (s *Store) syncFlags(ctx context.Context, c *IMAPClient, f *Folder) (SyncResult, error) {
	var res SyncResult
	set := new(imap.SeqSet)
	set.AddRange(1, uint32(f.lastUID))
	ch := make(chan *imap.Message, 256)
	done := make(chan error, 1)
	c.screen.expect(newFetchGuard(nil, 0)) // flags, no message's content
	defer c.screen.expect(nil)
	go func() {
		done <- safely(func() error { return c.UidFetch(set, []imap.FetchItem{imap.FetchUid, imap.FetchFlags}, ch) })
	}()
	server := map[uint32]int{}
	for m := range ch {
		server[m.Uid] = flagBits(m.Flags)
	}
	if err := <-done; err != nil {
		return res, err
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT uid, flags FROM mail_messages WHERE folder_id = ? AND uid IS NOT NULL AND flags_pending = 0`, f.ID)
		if err != nil {
			return err
		}
		var gone []uint32
		changed := map[uint32]int{}
		for rows.Next() {
			var uid uint32
			var flags int
			if err := rows.Scan(&uid, &flags); err != nil {
				rows.Close()
				return err
			}
			sf, ok := server[uid]
			switch {
			case !ok && uint64(uid) <= f.lastUID:
				gone = append(gone, uid)
			case ok && sf != flags:
				changed[uid] = sf
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for uid, fl := range changed {
			if _, err := tx.ExecContext(ctx, `UPDATE mail_messages SET flags = ? WHERE folder_id = ? AND uid = ?`, fl, f.ID, uid); err != nil {
				return err
			}
		}
		for _, uid := range gone {
			if err := unindexWhere(ctx, tx, `folder_id = ? AND uid = ?`, f.ID, uid); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM mail_size_refused WHERE folder_id = ? AND uid = ?`, f.ID, uid); err != nil {
				return fmt.Errorf("mail: delete messages: %w", err)
			}
		}
		res.Updated, res.Deleted = len(changed), len(gone)
		return nil
	})
	return res, err
}

func flagBits(flags []string) int {
	n := 0
	for _, fl := range flags {
		switch fl {
		case imap.SeenFlag:
			n |= FlagSeen
		case imap.AnsweredFlag:
			n |= FlagAnswered
		case imap.FlaggedFlag:
			n |= FlagFlagged
		case imap.DraftFlag:
			n |= FlagDraft
		}
	}
	return n
}

// listNew returns the messages above lastUID with their sizes, in UID
// order. One FETCH of "lastUID+1:*" names them and says how big they
// are, before any is downloaded.
func listNew(c *IMAPClient, lastUID uint64) ([]newMessage, error) {
	set := new(imap.SeqSet)
	set.AddRange(uint32(lastUID)+1, 0)
	ch := make(chan *imap.Message, 256)
	done := make(chan error, 1)
	c.screen.expect(newFetchGuard(nil, 0)) // sizes, no message's content
	defer c.screen.expect(nil)
	go func() {
		done <- safely(func() error { return c.UidFetch(set, []imap.FetchItem{imap.FetchUid, imap.FetchRFC822Size}, ch) })
	}()
	var out []newMessage
	for m := range ch {
		// "n:*" names the last message even when its UID is below n.
		if uint64(m.Uid) > lastUID {
			out = append(out, newMessage{uid: m.Uid, size: int64(m.Size)})
		}
	}
	if err := <-done; err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b newMessage) int { return cmp.Compare(a.uid, b.uid) })
	return slices.CompactFunc(out, func(a, b newMessage) bool { return a.uid == b.uid }), nil
}

// fetchNew downloads the new messages chunk by chunk, one chunk ahead of
// the database when the budget allows: while a chunk is written, the next
// is on the wire and being parsed. Each chunk is one transaction that also
// moves last_uid, so what is stored and where to resume never disagree.
// A message over limit is fetched as its header alone.
func (s *Store) fetchNew(ctx context.Context, c *IMAPClient, a *Account, f *Folder, news []newMessage, limit int64, progress func(Progress)) (int, error) {
	batches := make(chan fetchBatch)
	stored := make(chan int64, 16) // bytes given back; at most two sends between the fetcher's reads
	quit := make(chan struct{})
	defer close(quit)
	go func() {
		defer close(batches)
		var held int64
		for _, ch := range planChunks(news, limit) {
			// Take back what was stored meanwhile, then wait while this
			// chunk would go over the budget.
			for {
				select {
				case n := <-stored:
					held -= n
					continue
				default:
				}
				if held == 0 || held+ch.bytes <= fetchBudget {
					break
				}
				select {
				case n := <-stored:
					held -= n
				case <-quit:
					return
				}
			}
			b := fetchChunkOf(c, ch, limit)
			held += b.bytes
			select {
			case batches <- b:
			case <-quit:
				return
			}
			if b.err != nil {
				return
			}
		}
	}()
	n := 0
	for b := range batches {
		k, err := s.storeBatch(ctx, a, f, b)
		n += k
		if progress != nil {
			progress(Progress{AccountID: a.ID, Folder: f.Name, Done: n, Total: len(news)})
		}
		if err != nil {
			return n, err
		}
		if b.err != nil {
			return n, b.err
		}
		stored <- b.bytes
	}
	return n, nil
}

var (
	wholeSection  = &imap.BodySectionName{Peek: true}
	headerSection = &imap.BodySectionName{BodyPartName: imap.BodyPartName{Specifier: imap.HeaderSpecifier}, Peek: true}
)

// fetchChunkOf downloads one chunk: whole messages, then the headers of
// those fetched as their header alone. The screen holds each message's
// content to its cap and the chunk's to chunkCap before go-imap reads it:
// past them it ends the connection, and the chunk with it.
func fetchChunkOf(c *IMAPClient, ch chunk, limit int64) fetchBatch {
	var b fetchBatch
	var whole, headers imap.SeqSet
	sizes := make(map[uint32]int64, len(ch.msgs))
	caps := make(map[uint32]int64, len(ch.msgs))
	for _, m := range ch.msgs {
		b.uids = append(b.uids, m.uid)
		sizes[m.uid] = m.size
		if m.headerOnly(limit) {
			headers.AddNum(m.uid)
			caps[m.uid] = headerCap
		} else {
			whole.AddNum(m.uid)
			caps[m.uid] = wholeCap(m.size)
		}
	}
	c.screen.expect(newFetchGuard(caps, chunkCap(ch)))
	defer c.screen.expect(nil)
	for _, part := range []struct {
		set     *imap.SeqSet
		section *imap.BodySectionName
	}{{&whole, wholeSection}, {&headers, headerSection}} {
		if part.set.Empty() || b.err != nil {
			continue
		}
		items := []imap.FetchItem{imap.FetchUid, imap.FetchFlags, part.section.FetchItem()}
		msgs := make(chan *imap.Message, 64)
		done := make(chan error, 1)
		go func() { done <- safely(func() error { return c.UidFetch(part.set, items, msgs) }) }()
		for m := range msgs {
			body := m.GetBody(part.section)
			if _, asked := sizes[m.Uid]; !asked || body == nil {
				continue
			}
			raw, err := literalBytes(body)
			if err != nil {
				continue
			}
			in := incoming{uid: m.Uid, flags: flagBits(m.Flags), raw: raw, parsed: parseFetched(raw)}
			if part.section == headerSection {
				in.headersOnly, in.size = true, sizes[m.Uid]
				in.parsed.dropBody()
			}
			b.msgs = append(b.msgs, in)
			b.bytes += int64(len(raw))
		}
		b.err = <-done
	}
	if b.err != nil {
		errors.As(c.cause(b.err), &b.refused) // the screen's guard names only UIDs of this chunk
	}
	// A server sending one message twice gets it stored once.
	slices.SortStableFunc(b.msgs, func(x, y incoming) int { return cmp.Compare(x.uid, y.uid) })
	b.msgs = slices.CompactFunc(b.msgs, func(x, y incoming) bool { return x.uid == y.uid })
	return b
}

// literalBytes returns a literal's bytes, without a copy when go-imap
// holds them in a buffer, as it does: a 50 MB message is then in memory
// once, not twice.
func literalBytes(l imap.Literal) ([]byte, error) {
	if b, ok := l.(*bytes.Buffer); ok {
		return b.Bytes(), nil
	}
	return io.ReadAll(l)
}

// storeBatch writes a chunk. A chunk cut short keeps its complete prefix:
// last_uid moves only past UIDs whose message was received.
func (s *Store) storeBatch(ctx context.Context, a *Account, f *Folder, b fetchBatch) (int, error) {
	got := map[uint32]bool{}
	for _, m := range b.msgs {
		got[m.uid] = true
	}
	last := f.lastUID
	if b.err == nil {
		last = uint64(b.uids[len(b.uids)-1]) // the server sent all it still has
	} else {
		for _, u := range b.uids {
			if !got[u] {
				break
			}
			last = uint64(u)
		}
	}
	n := 0
	err := s.writeRaw(ctx, func(tx *writeTx) error {
		var docs searchDocs
		for i := range b.msgs {
			m := &b.msgs[i]
			if uint64(m.uid) > last || uint64(m.uid) <= f.lastUID {
				continue
			}
			if f.Role == "sent" && m.parsed.MessageID != "" {
				// Our own copy, stored when it was sent, now has its UID.
				res, err := tx.ExecContext(ctx, `UPDATE mail_messages SET uid = ?, flags = ? WHERE folder_id = ? AND uid IS NULL AND message_id = ?`,
					m.uid, m.flags, f.ID, m.parsed.MessageID)
				if err != nil {
					return fmt.Errorf("mail: store message %d: %w", m.uid, err)
				}
				if k, _ := res.RowsAffected(); k > 0 {
					n++
					continue
				}
			}
			if _, err := insertMessage(ctx, tx, f.ID, a.Address, m, &docs); err != nil {
				return err
			}
			n++
		}
		if err := docs.flush(ctx, tx.Tx); err != nil {
			return err
		}
		if err := recordRefused(ctx, tx.Tx, f, b.refused); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE mail_folders SET last_uid = ? WHERE id = ?`, last, f.ID); err != nil {
			return fmt.Errorf("mail: folder %s: %w", f.Name, err)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	f.lastUID = last
	return n, nil
}

// recordRefused remembers a message whose content came bigger than the
// server announced, so that the next syncs fetch its header alone and the
// folder goes on past it, instead of failing on it for ever.
func recordRefused(ctx context.Context, tx *sql.Tx, f *Folder, tb *tooBigError) error {
	if tb == nil {
		return nil
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO mail_size_refused (folder_id, uid, size) VALUES (?, ?, ?)
		ON CONFLICT (folder_id, uid) DO UPDATE SET size = max(size, excluded.size)`, f.ID, tb.uid, tb.size)
	if err != nil {
		return fmt.Errorf("mail: folder %s: remember message %d as too big: %w", f.Name, tb.uid, err)
	}
	return nil
}

// markRefused marks the new messages once refused for their size, with
// the size the server began to send: they are fetched as their header.
func (s *Store) markRefused(ctx context.Context, f *Folder, news []newMessage) error {
	rows, err := txn.On(ctx, s.db).QueryContext(ctx, `SELECT uid, size FROM mail_size_refused WHERE folder_id = ? AND uid > ?`, f.ID, f.lastUID)
	if err != nil {
		return fmt.Errorf("mail: folder %s: messages refused for their size: %w", f.Name, err)
	}
	defer rows.Close()
	refused := map[uint32]int64{}
	for rows.Next() {
		var uid uint32
		var size int64
		if err := rows.Scan(&uid, &size); err != nil {
			return fmt.Errorf("mail: folder %s: messages refused for their size: %w", f.Name, err)
		}
		refused[uid] = size
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("mail: folder %s: messages refused for their size: %w", f.Name, err)
	}
	for i := range news {
		if size, ok := refused[news[i].uid]; ok {
			news[i].refused, news[i].size = true, max(news[i].size, size)
		}
	}
	return nil
}

// completeHeaders fetches whole the messages kept as their header while
// they were over the size limit and no longer are (the limit was raised),
// chunk by chunk as new mail is, and puts each in place of its header:
// its id, flags and place in lists stay. A message once refused for its
// size is not asked for again.
func (s *Store) completeHeaders(ctx context.Context, c *IMAPClient, f *Folder, limit int64) error {
	const q = `SELECT id, uid, size FROM mail_messages
		WHERE folder_id = ? AND headers_only = 1 AND uid IS NOT NULL AND uid <= ? AND size <= ?
		AND uid NOT IN (SELECT uid FROM mail_size_refused WHERE folder_id = ?)
		ORDER BY uid`
	rows, err := txn.On(ctx, s.db).QueryContext(ctx, q, f.ID, f.lastUID, limit, f.ID)
	if err != nil {
		return fmt.Errorf("mail: folder %s: messages kept as their header: %w", f.Name, err)
	}
	ids := map[uint32]int64{}
	var todo []newMessage
	for rows.Next() {
		var id int64
		var m newMessage
		if err := rows.Scan(&id, &m.uid, &m.size); err != nil {
			rows.Close()
			return fmt.Errorf("mail: folder %s: messages kept as their header: %w", f.Name, err)
		}
		ids[m.uid] = id
		todo = append(todo, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("mail: folder %s: messages kept as their header: %w", f.Name, err)
	}
	for _, ch := range planChunks(todo, limit) {
		b := fetchChunkOf(c, ch, limit)
		err := s.writeRaw(ctx, func(tx *writeTx) error {
			var docs searchDocs
			for i := range b.msgs {
				if m := &b.msgs[i]; !m.headersOnly {
					if err := completeMessage(ctx, tx, ids[m.uid], m, &docs); err != nil {
						return err
					}
				}
			}
			if err := docs.flush(ctx, tx.Tx); err != nil {
				return err
			}
			return recordRefused(ctx, tx.Tx, f, b.refused)
		})
		if err != nil {
			return err
		}
		if b.err != nil {
			return b.err
		}
	}
	return nil
}
