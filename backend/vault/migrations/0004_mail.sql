-- E-mail: accounts, the folders Carnet follows, the messages it keeps (raw,
-- inside the encrypted vault) and the outbox.

CREATE TABLE mail_accounts (
	id             INTEGER PRIMARY KEY,
	name           TEXT NOT NULL UNIQUE COLLATE NOCASE,
	address        TEXT NOT NULL,                 -- the user's own address
	display_name   TEXT NOT NULL DEFAULT '',
	imap_host      TEXT NOT NULL,
	imap_port      INTEGER NOT NULL,
	imap_security  TEXT NOT NULL CHECK (imap_security IN ('tls', 'starttls', 'none')),
	smtp_host      TEXT NOT NULL,
	smtp_port      INTEGER NOT NULL,
	smtp_security  TEXT NOT NULL CHECK (smtp_security IN ('tls', 'starttls', 'none')),
	username       TEXT NOT NULL,
	password       TEXT NOT NULL,                 -- only ever stored here, in the vault
	-- The only exceptions to certificate verification the user made: a CA
	-- (PEM) to trust for this account, or one certificate pinned by its
	-- SHA-256 fingerprint.
	ca_pem         TEXT NOT NULL DEFAULT '',
	pinned_cert    TEXT NOT NULL DEFAULT '',
	signature      TEXT NOT NULL DEFAULT '',
	created_at     TEXT NOT NULL
) STRICT;

-- A folder on the server and how far Carnet has copied it. Every message
-- with a UID up to last_uid is stored: sync resumes at last_uid + 1.
CREATE TABLE mail_folders (
	id              INTEGER PRIMARY KEY,
	account_id      INTEGER NOT NULL REFERENCES mail_accounts (id) ON DELETE CASCADE,
	name            TEXT NOT NULL,                -- the server's name
	role            TEXT NOT NULL DEFAULT '' CHECK (role IN ('', 'inbox', 'sent')),
	sync            INTEGER NOT NULL DEFAULT 1,
	uid_validity    INTEGER NOT NULL DEFAULT 0,
	last_uid        INTEGER NOT NULL DEFAULT 0,
	uid_next        INTEGER NOT NULL DEFAULT 0,   -- the server's, at the last full sync
	highest_modseq  INTEGER NOT NULL DEFAULT 0,   -- CONDSTORE servers only
	synced_at       TEXT NOT NULL DEFAULT '',
	UNIQUE (account_id, name)
) STRICT;

CREATE TABLE mail_messages (
	id               INTEGER PRIMARY KEY,
	folder_id        INTEGER NOT NULL REFERENCES mail_folders (id) ON DELETE CASCADE,
	-- NULL for a sent message stored before the server's copy is known.
	uid              INTEGER,
	message_id       TEXT NOT NULL DEFAULT '',
	in_reply_to      TEXT NOT NULL DEFAULT '',
	subject          TEXT NOT NULL DEFAULT '',
	from_address     TEXT NOT NULL DEFAULT '',
	from_name        TEXT NOT NULL DEFAULT '',
	sent_at          TEXT NOT NULL DEFAULT '',    -- the Date header, RFC 3339 UTC
	-- 1 seen, 2 answered, 4 flagged, 8 draft
	flags            INTEGER NOT NULL DEFAULT 0,
	-- 1 when the seen flag was changed here and the server has not been told.
	flags_pending    INTEGER NOT NULL DEFAULT 0,
	inbound          INTEGER NOT NULL,            -- 1 when written by someone else
	has_attachments  INTEGER NOT NULL DEFAULT 0,
	broken           INTEGER NOT NULL DEFAULT 0,  -- MIME not readable: shown as raw text
	size             INTEGER NOT NULL,
	snippet          TEXT NOT NULL DEFAULT '',
	raw              BLOB NOT NULL,               -- the message as received
	UNIQUE (folder_id, uid)
) STRICT;
CREATE INDEX mail_messages_folder_date ON mail_messages (folder_id, sent_at);
CREATE INDEX mail_messages_message_id ON mail_messages (message_id) WHERE message_id <> '';

-- Who a message is from and to. Contacts are matched by address when
-- read, so a contact created later finds its past mail.
CREATE TABLE mail_addresses (
	message_id  INTEGER NOT NULL REFERENCES mail_messages (id) ON DELETE CASCADE,
	role        TEXT NOT NULL CHECK (role IN ('from', 'to', 'cc', 'bcc', 'reply-to')),
	position    INTEGER NOT NULL,
	address     TEXT NOT NULL,
	name        TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (message_id, role, position)
) STRICT, WITHOUT ROWID;
CREATE INDEX mail_addresses_address ON mail_addresses (address COLLATE NOCASE, message_id);

CREATE TABLE mail_attachments (
	message_id    INTEGER NOT NULL REFERENCES mail_messages (id) ON DELETE CASCADE,
	position      INTEGER NOT NULL,               -- mail.Attachment.Index
	filename      TEXT NOT NULL,
	content_type  TEXT NOT NULL,
	size          INTEGER NOT NULL,
	PRIMARY KEY (message_id, position)
) STRICT, WITHOUT ROWID;

-- Senders whose remote content (images, fonts, CSS) the user chose to load.
CREATE TABLE mail_remote_senders (
	address  TEXT PRIMARY KEY COLLATE NOCASE
) STRICT, WITHOUT ROWID;

-- Messages waiting to be sent, or sent. Nothing leaves this table without
-- a server's acceptance; a failing message waits with its error shown.
CREATE TABLE mail_outbox (
	id               INTEGER PRIMARY KEY,
	account_id       INTEGER NOT NULL REFERENCES mail_accounts (id),
	raw              BLOB NOT NULL,
	recipients       TEXT NOT NULL,               -- JSON array: envelope recipients, Bcc included
	subject          TEXT NOT NULL DEFAULT '',
	state            TEXT NOT NULL CHECK (state IN ('queued', 'failed', 'sent')),
	attempts         INTEGER NOT NULL DEFAULT 0,
	next_attempt_at  TEXT NOT NULL DEFAULT '',
	last_error       TEXT NOT NULL DEFAULT '',
	appended         INTEGER NOT NULL DEFAULT 0,  -- copy stored in the server's Sent folder
	created_at       TEXT NOT NULL,
	sent_at          TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX mail_outbox_due ON mail_outbox (state, next_attempt_at);

-- Full-text search over mail: rowid is mail_messages.id.
CREATE VIRTUAL TABLE mail_search USING fts5 (
	subject,
	people,  -- names and addresses of sender and recipients
	body,
	tokenize = "unicode61 remove_diacritics 2",
	prefix = '2',
	content = '',
	contentless_delete = 1,
	detail = column
);
