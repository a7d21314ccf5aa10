package mail

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"carnet/backend/crm"
	"carnet/backend/txn"
)

// Summary is a message as lists show it.
type Summary struct {
	ID             int64  `json:"id"`
	AccountID      int64  `json:"accountId"`
	FolderID       int64  `json:"folderId"`
	FolderRole     string `json:"folderRole"`
	Topic          string `json:"subject"` // the Subject header
	FromAddress    string `json:"fromAddress"`
	FromName       string `json:"fromName"`
	To             string `json:"toNames"` // the first recipients, for sent mail
	Date           string `json:"date"`
	Flags          int    `json:"flags"`
	Inbound        bool   `json:"inbound"`
	HasAttachments bool   `json:"hasAttachments"`
	Snippet        string `json:"snippet"`
}

const summaryColumns = `m.id, f.account_id, m.folder_id, f.role, m.subject, m.from_address, m.from_name,
	coalesce((SELECT group_concat(coalesce(nullif(a.name, ''), a.address), ', ') FROM
		(SELECT name, address FROM mail_addresses WHERE message_id = m.id AND role = 'to' ORDER BY position LIMIT 3) a), ''),
	m.sent_at, m.flags, m.inbound, m.has_attachments, m.snippet`

func scanSummaries(rows *sql.Rows) ([]Summary, error) {
	defer rows.Close()
	out := []Summary{}
	for rows.Next() {
		var m Summary
		if err := rows.Scan(&m.ID, &m.AccountID, &m.FolderID, &m.FolderRole, &m.Topic, &m.FromAddress, &m.FromName,
			&m.To, &m.Date, &m.Flags, &m.Inbound, &m.HasAttachments, &m.Snippet); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Page is one page of a message list.
type Page struct {
	Messages []Summary `json:"messages"`
	Total    int       `json:"total"`
}

// List returns a folder's messages, newest first.
func (s *Store) List(ctx context.Context, folderID int64, offset, limit int) (Page, error) {
	var p Page
	err := s.read(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM mail_messages WHERE folder_id = ?`, folderID).Scan(&p.Total); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+summaryColumns+` FROM mail_messages m JOIN mail_folders f ON f.id = m.folder_id
			WHERE m.folder_id = ? ORDER BY m.sent_at DESC, m.id DESC LIMIT ? OFFSET ?`, folderID, limit, offset)
		if err != nil {
			return err
		}
		p.Messages, err = scanSummaries(rows)
		return err
	})
	if err != nil {
		return p, fmt.Errorf("mail: list: %w", err)
	}
	return p, nil
}

// ForContact lists the mail where one of the contact's addresses appears
// in From, To or Cc, newest first: what the contact's timeline shows.
func (s *Store) ForContact(ctx context.Context, contactID int64, limit int) ([]Summary, error) {
	q := txn.On(ctx, s.db)
	addrs, err := crm.EmailsOf(ctx, q, contactID)
	if err != nil {
		return nil, fmt.Errorf("mail: contact %d: %w", contactID, err)
	}
	list, _ := json.Marshal(addrs)
	rows, err := q.QueryContext(ctx, `SELECT `+summaryColumns+` FROM mail_messages m JOIN mail_folders f ON f.id = m.folder_id
		WHERE m.id IN (SELECT a.message_id FROM json_each(?) j JOIN mail_addresses a ON a.address = j.value COLLATE NOCASE
			WHERE a.role IN ('from', 'to', 'cc'))
		ORDER BY m.sent_at DESC, m.id DESC LIMIT ?`, string(list), limit)
	if err != nil {
		return nil, fmt.Errorf("mail: contact %d: %w", contactID, err)
	}
	out, err := scanSummaries(rows)
	if err != nil {
		return nil, fmt.Errorf("mail: contact %d: %w", contactID, err)
	}
	return out, nil
}

// Search finds messages by subject, people and text: words are prefixes,
// accents and case ignored. The newest stored matches come first: ranking
// every match of a common word across years of mail costs more than the
// 30 ms a keystroke may take, and recent mail is what people look for.
func (s *Store) Search(ctx context.Context, query string, limit int) ([]Summary, error) {
	match := crm.MatchQuery(query)
	if match == "" {
		return []Summary{}, nil
	}
	rows, err := txn.On(ctx, s.db).QueryContext(ctx, `SELECT `+summaryColumns+` FROM mail_messages m JOIN mail_folders f ON f.id = m.folder_id
		WHERE m.id IN (SELECT rowid FROM mail_search WHERE mail_search MATCH ? ORDER BY rowid DESC LIMIT ?)
		ORDER BY m.sent_at DESC`, match, limit)
	if err != nil {
		return nil, fmt.Errorf("mail: search: %w", err)
	}
	out, err := scanSummaries(rows)
	if err != nil {
		return nil, fmt.Errorf("mail: search: %w", err)
	}
	return out, nil
}

// Message is one message opened for reading.
type Message struct {
	Summary
	MessageID     string `json:"messageId"`
	InReplyTo     string `json:"inReplyTo"`
	From          []Addr `json:"from"`
	To            []Addr `json:"to"`
	Cc            []Addr `json:"cc"`
	ReplyTo       []Addr `json:"replyTo"`
	Text          string `json:"text"`
	HTML          string `json:"html"` // sanitised; "" when the message has none
	RemoteBlocked int    `json:"remoteBlocked"`
	RemoteAllowed bool   `json:"remoteAllowed"` // always for this sender, who is verified
	// SenderVerified: the user's provider vouched that the From domain sent
	// it (DKIM/DMARC, see senderVerified); only then can remote content be
	// allowed for the sender rather than for this message.
	SenderVerified bool `json:"senderVerified"`
	Broken         bool `json:"broken"`
	// HeadersOnly: the message was over the size limit and only its header
	// was copied; Size is its size on the server, in bytes.
	HeadersOnly bool         `json:"headersOnly"`
	Size        int64        `json:"size"`
	Attachments []Attachment `json:"attachments"`
	Contacts    []Contact    `json:"contacts"` // the contacts whose addresses appear on it
	Unknown     []Addr       `json:"unknown"`  // senders and recipients who are no contact yet
}

// Contact is a contact a message is linked to.
type Contact struct {
	ID      int64  `json:"id"`
	Name    string `json:"name"`
	Address string `json:"address"`
}

// Open reads a message from the vault: parsed, its HTML sanitised with
// remote content blocked unless loadRemote or the sender is allowed and
// verified: a From address alone can be forged by anyone.
func (s *Store) Open(ctx context.Context, id int64, loadRemote bool, cidURL func(cid string) string) (Message, error) {
	var m Message
	var senderAllowed, delivered bool
	var own, imapHost string
	err := s.read(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+summaryColumns+` FROM mail_messages m JOIN mail_folders f ON f.id = m.folder_id WHERE m.id = ?`, id)
		if err != nil {
			return err
		}
		list, err := scanSummaries(rows)
		if err != nil {
			return err
		}
		if len(list) == 0 {
			return fmt.Errorf("%w: message %d", ErrNotFound, id)
		}
		m.Summary = list[0]
		if err := tx.QueryRowContext(ctx, `SELECT m.headers_only, m.size, `+deliveredSQL+` FROM mail_messages m
			JOIN mail_folders f ON f.id = m.folder_id WHERE m.id = ?`, id).Scan(&m.HeadersOnly, &m.Size, &delivered); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT count(*) > 0 FROM mail_remote_senders WHERE address = ?`, m.FromAddress).Scan(&senderAllowed); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT address, imap_host FROM mail_accounts WHERE id = ?`, m.AccountID).Scan(&own, &imapHost); err != nil {
			return err
		}
		return m.linkContacts(ctx, tx)
	})
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return m, err
		}
		return m, fmt.Errorf("mail: open %d: %w", id, err)
	}
	raw, err := s.readRaw(ctx, id)
	if err != nil {
		return m, err
	}
	p := Parse(raw)
	if m.HeadersOnly {
		p.dropBody()
	}
	m.MessageID, m.InReplyTo = p.MessageID, p.InReplyTo
	m.From, m.To, m.Cc, m.ReplyTo = nonNil(p.From), nonNil(p.To), nonNil(p.Cc), nonNil(p.ReplyTo)
	m.Text, m.Broken = p.Text, p.Broken
	m.Attachments = p.Attachments
	if m.Attachments == nil {
		m.Attachments = []Attachment{}
	}
	m.SenderVerified = delivered && senderVerified(p.AuthResults, imapHost, p.From)
	m.RemoteAllowed = senderAllowed && m.SenderVerified
	if p.HTML != "" {
		san := Sanitize(p.HTML, loadRemote || m.RemoteAllowed, cidURL)
		m.HTML, m.RemoteBlocked = san.HTML, san.RemoteBlocked
	}
	m.findUnknown(own)
	return m, nil
}

// dropBody makes what was parsed of a message kept as its header alone
// (headers_only) say so: no body is "broken", and there is no text nor
// attachment to show.
func (p *Parsed) dropBody() {
	p.Text, p.HTML, p.Broken, p.Attachments = "", "", false, nil
}

func nonNil(a []Addr) []Addr {
	if a == nil {
		return []Addr{}
	}
	return a
}

// linkContacts finds the contacts the message's people are: current ones
// (crm.Current), restricted and archived included since their data are
// still stored (Art. 18(1)), not those in the trash or erased. The sender
// comes first, then by contact.
func (m *Message) linkContacts(ctx context.Context, tx *sql.Tx) error {
	type person struct {
		from    bool
		address string
	}
	var people []person
	var addrs []string
	const q = `SELECT role = 'from', address FROM mail_addresses
		WHERE message_id = ? AND role IN ('from', 'to', 'cc', 'reply-to')`
	rows, err := tx.QueryContext(ctx, q, m.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var p person
		if err := rows.Scan(&p.from, &p.address); err != nil {
			rows.Close()
			return err
		}
		people, addrs = append(people, p), append(addrs, p.address)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	owners, err := crm.ContactIDsByEmail(ctx, tx, addrs, crm.Current)
	if err != nil {
		return err
	}
	var ids []int64
	for _, l := range owners {
		ids = append(ids, l...)
	}
	states, err := crm.States(ctx, tx, ids, crm.Current)
	if err != nil {
		return err
	}
	type link struct {
		from bool
		Contact
	}
	var links []link
	for _, p := range people {
		for _, id := range owners[strings.ToLower(p.address)] {
			links = append(links, link{p.from, Contact{ID: id, Name: states[id].Name, Address: p.address}})
		}
	}
	slices.SortStableFunc(links, func(a, b link) int {
		if a.from != b.from {
			if a.from {
				return -1
			}
			return 1
		}
		return cmp.Compare(a.ID, b.ID)
	})
	m.Contacts = []Contact{}
	seen := map[Contact]bool{}
	for _, l := range links {
		if !seen[l.Contact] {
			seen[l.Contact] = true
			m.Contacts = append(m.Contacts, l.Contact)
		}
	}
	return nil
}

// findUnknown lists the people on the message who are not contacts,
// leaving out the account's own address.
func (m *Message) findUnknown(own string) {
	known := map[string]bool{strings.ToLower(own): true}
	for _, c := range m.Contacts {
		known[strings.ToLower(c.Address)] = true
	}
	m.Unknown = []Addr{}
	for _, set := range [][]Addr{m.From, m.ReplyTo, m.To, m.Cc} {
		for _, a := range set {
			k := strings.ToLower(a.Address)
			if k == "" || known[k] {
				continue
			}
			known[k] = true
			m.Unknown = append(m.Unknown, a)
		}
	}
}

// Raw returns a message as received, for saving as .eml and attachments.
func (s *Store) Raw(ctx context.Context, id int64) ([]byte, error) {
	return s.readRaw(ctx, id)
}

// deliveredSQL tells, for m in mail_messages joined to its folder f,
// whether the message reached the account through the provider's delivery:
// Carnet's IMAP sync copied it (it has a UID) from a folder other than Sent.
// An imported .eml file never gets a UID, and the Sent folder holds copies
// that clients put there, never delivered: whatever Authentication-Results
// they carry was written by whoever wrote the message.
const deliveredSQL = `(m.uid IS NOT NULL AND f.role <> 'sent')`

// ErrSenderUnverified refuses to allow remote content for a sender whose
// message the provider did not verify: anyone can write that From address.
var ErrSenderUnverified = errors.New("mail: the sender of this message could not be verified")

// AllowRemote remembers (or forgets) that the sender of message id may load
// remote content. Allowing needs a verified sender (see senderVerified).
func (s *Store) AllowRemote(ctx context.Context, id int64, allow bool) error {
	var from, imapHost string
	var delivered bool
	err := txn.On(ctx, s.db).QueryRowContext(ctx, `SELECT m.from_address, a.imap_host, `+deliveredSQL+` FROM mail_messages m
		JOIN mail_folders f ON f.id = m.folder_id JOIN mail_accounts a ON a.id = f.account_id WHERE m.id = ?`, id).Scan(&from, &imapHost, &delivered)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w: message %d", ErrNotFound, id)
	}
	if err != nil {
		return fmt.Errorf("mail: allow remote content: %w", err)
	}
	if allow {
		raw, err := s.Raw(ctx, id)
		if err != nil {
			return fmt.Errorf("mail: allow remote content: %w", err)
		}
		if p := Parse(raw); !delivered || !senderVerified(p.AuthResults, imapHost, p.From) {
			return ErrSenderUnverified
		}
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		q := `INSERT OR IGNORE INTO mail_remote_senders (address) VALUES (?)`
		if !allow {
			q = `DELETE FROM mail_remote_senders WHERE address = ?`
		}
		_, err := tx.ExecContext(ctx, q, strings.TrimSpace(from))
		return err
	})
}

// MarkSeen sets or clears the seen flag in the vault; the server is told
// at the next sync, so it works offline.
func (s *Store) MarkSeen(ctx context.Context, id int64, seen bool) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		q := `UPDATE mail_messages SET flags = flags | 1, flags_pending = 1 WHERE id = ? AND flags & 1 = 0`
		if !seen {
			q = `UPDATE mail_messages SET flags = flags & ~1, flags_pending = 1 WHERE id = ? AND flags & 1 = 1`
		}
		_, err := tx.ExecContext(ctx, q, id)
		return err
	})
}

// LatestInbound returns when an address last wrote, "" if never: a contact
// created from a sender starts with it as last inbound contact.
func (s *Store) LatestInbound(ctx context.Context, address string) (string, error) {
	var at sql.NullString
	err := txn.On(ctx, s.db).QueryRowContext(ctx, `SELECT max(m.sent_at) FROM mail_messages m
		JOIN mail_addresses a ON a.message_id = m.id AND a.role = 'from'
		WHERE a.address = ? COLLATE NOCASE AND m.inbound = 1`, address).Scan(&at)
	return at.String, err
}

// ImportFile stores a message file (.eml) the user dropped in, in the
// account's inbox, as a message the server does not have.
func (s *Store) ImportFile(ctx context.Context, accountID int64, raw []byte) (int64, error) {
	ids, err := s.ImportFiles(ctx, accountID, [][]byte{raw})
	if err != nil {
		return 0, err
	}
	return ids[0], nil
}

// ImportFiles stores several message files in the account's inbox in one
// transaction: all of them, or none when one is not a message. It returns
// their ids in order.
func (s *Store) ImportFiles(ctx context.Context, accountID int64, raws [][]byte) ([]int64, error) {
	msgs := make([]incoming, len(raws))
	for i, raw := range raws {
		if len(raw) == 0 || len(raw) > MaxMessageSize {
			return nil, ErrNotMessage
		}
		p := Parse(raw)
		if p.Broken && len(p.From) == 0 && p.Topic == "" {
			return nil, ErrNotMessage
		}
		msgs[i] = incoming{raw: raw, parsed: p}
	}
	a, err := s.Account(ctx, accountID)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(msgs))
	err = s.writeRaw(ctx, func(tx *writeTx) error {
		var folder int64
		if err := tx.QueryRowContext(ctx, `SELECT id FROM mail_folders WHERE account_id = ? AND role = 'inbox'`, accountID).Scan(&folder); err != nil {
			return err
		}
		var docs searchDocs
		for i := range msgs {
			if ids[i], err = insertMessage(ctx, tx, folder, a.Address, &msgs[i], &docs); err != nil {
				return err
			}
		}
		return docs.flush(ctx, tx.Tx)
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}

// ErrNotMessage is returned for a file that is not an e-mail message.
var ErrNotMessage = errors.New("mail: the file is not an e-mail message")
