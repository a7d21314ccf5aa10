-- The CRM core: companies, contacts and what the business knows of them.
-- Timestamps are RFC 3339 UTC text; dates are YYYY-MM-DD.

CREATE TABLE companies (
	id          INTEGER PRIMARY KEY,
	name        TEXT NOT NULL,
	siren       TEXT NOT NULL DEFAULT '',
	siret       TEXT NOT NULL DEFAULT '',
	vat_number  TEXT NOT NULL DEFAULT '',
	website     TEXT NOT NULL DEFAULT '',
	sector      TEXT NOT NULL DEFAULT '',
	notes       TEXT NOT NULL DEFAULT '',
	owner       TEXT NOT NULL DEFAULT '',
	created_at  TEXT NOT NULL,
	updated_at  TEXT NOT NULL,
	deleted_at  TEXT
) STRICT;
CREATE INDEX companies_name ON companies (name COLLATE NOCASE) WHERE deleted_at IS NULL;

CREATE TABLE contacts (
	id              INTEGER PRIMARY KEY,
	given_name      TEXT NOT NULL DEFAULT '',
	family_name     TEXT NOT NULL DEFAULT '',
	-- sort_name is family then given name, folded (lower case, no accents),
	-- so the list sorts as people expect and uses an index.
	sort_name       TEXT NOT NULL DEFAULT '',
	job_title       TEXT NOT NULL DEFAULT '',
	website         TEXT NOT NULL DEFAULT '',
	birthday        TEXT NOT NULL DEFAULT '',
	language        TEXT NOT NULL DEFAULT '',
	notes           TEXT NOT NULL DEFAULT '',
	owner           TEXT NOT NULL DEFAULT '',
	-- relationships is a bit set: 1 prospect, 2 customer, 4 supplier,
	-- 8 partner, 16 other (see crm.Relationship).
	relationships   INTEGER NOT NULL DEFAULT 0,
	-- How and from whom the data was obtained (GDPR Art. 14(2)(f)).
	source          TEXT NOT NULL DEFAULT '',
	-- The last time the person reached out; never an e-mail open.
	last_inbound_at TEXT NOT NULL DEFAULT '',
	created_at      TEXT NOT NULL,
	updated_at      TEXT NOT NULL,
	deleted_at      TEXT
) STRICT;
-- The list's indexes cover the filter columns, so paging through a
-- filtered list never visits the table for rows it skips.
CREATE INDEX contacts_sort ON contacts (sort_name, id, relationships, owner) WHERE deleted_at IS NULL;
CREATE INDEX contacts_created ON contacts (created_at, id, relationships, owner) WHERE deleted_at IS NULL;
CREATE INDEX contacts_deleted ON contacts (deleted_at) WHERE deleted_at IS NOT NULL;

-- E-mails and phones are stored in contact order, keyed by contact:
-- one B-tree each plus the lookup index.
CREATE TABLE contact_emails (
	contact_id  INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
	position    INTEGER NOT NULL,
	address     TEXT NOT NULL,
	label       TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (contact_id, position)
) STRICT, WITHOUT ROWID;
CREATE INDEX contact_emails_address ON contact_emails (address COLLATE NOCASE);

CREATE TABLE contact_phones (
	contact_id  INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
	position    INTEGER NOT NULL,
	number      TEXT NOT NULL,
	-- normalized is the number in international digits (33612345678), to
	-- match whatever formatting was typed.
	normalized  TEXT NOT NULL,
	label       TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (contact_id, position)
) STRICT, WITHOUT ROWID;
CREATE INDEX contact_phones_normalized ON contact_phones (normalized);

CREATE TABLE addresses (
	id          INTEGER PRIMARY KEY,
	contact_id  INTEGER REFERENCES contacts (id) ON DELETE CASCADE,
	company_id  INTEGER REFERENCES companies (id) ON DELETE CASCADE,
	position    INTEGER NOT NULL,
	label       TEXT NOT NULL DEFAULT '',
	street      TEXT NOT NULL DEFAULT '',
	postal_code TEXT NOT NULL DEFAULT '',
	city        TEXT NOT NULL DEFAULT '',
	region      TEXT NOT NULL DEFAULT '',
	country     TEXT NOT NULL DEFAULT '',
	CHECK ((contact_id IS NULL) <> (company_id IS NULL))
) STRICT;
CREATE INDEX addresses_contact ON addresses (contact_id, position) WHERE contact_id IS NOT NULL;
CREATE INDEX addresses_company ON addresses (company_id, position) WHERE company_id IS NOT NULL;

CREATE TABLE contact_companies (
	contact_id  INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
	company_id  INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
	role        TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (contact_id, company_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX contact_companies_company ON contact_companies (company_id, contact_id);

CREATE TABLE tags (
	id    INTEGER PRIMARY KEY,
	name  TEXT NOT NULL UNIQUE COLLATE NOCASE
) STRICT;

CREATE TABLE contact_tags (
	contact_id  INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
	tag_id      INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
	PRIMARY KEY (contact_id, tag_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX contact_tags_tag ON contact_tags (tag_id, contact_id);

CREATE TABLE company_tags (
	company_id  INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
	tag_id      INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
	PRIMARY KEY (company_id, tag_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX company_tags_tag ON company_tags (tag_id, company_id);

-- The timeline: notes, calls, meetings and tasks about a contact and/or a
-- company.
CREATE TABLE activities (
	id          INTEGER PRIMARY KEY,
	contact_id  INTEGER REFERENCES contacts (id) ON DELETE CASCADE,
	company_id  INTEGER REFERENCES companies (id) ON DELETE CASCADE,
	kind        TEXT NOT NULL CHECK (kind IN ('note', 'call', 'meeting', 'task')),
	title       TEXT NOT NULL DEFAULT '',
	body        TEXT NOT NULL DEFAULT '',
	occurred_at TEXT NOT NULL,
	due_on      TEXT NOT NULL DEFAULT '',   -- tasks: YYYY-MM-DD
	remind_at   TEXT NOT NULL DEFAULT '',   -- tasks: RFC 3339
	done_at     TEXT NOT NULL DEFAULT '',   -- tasks: RFC 3339 once done
	created_at  TEXT NOT NULL,
	updated_at  TEXT NOT NULL,
	CHECK (contact_id IS NOT NULL OR company_id IS NOT NULL)
) STRICT;
CREATE INDEX activities_contact ON activities (contact_id, occurred_at) WHERE contact_id IS NOT NULL;
CREATE INDEX activities_company ON activities (company_id, occurred_at) WHERE company_id IS NOT NULL;
CREATE INDEX activities_open_tasks ON activities (due_on) WHERE kind = 'task' AND done_at = '';

CREATE TABLE segments (
	id      INTEGER PRIMARY KEY,
	name    TEXT NOT NULL UNIQUE COLLATE NOCASE,
	filter  TEXT NOT NULL   -- JSON of crm.Filter
) STRICT;

-- Full-text search over contacts, companies and notes. The rowid encodes
-- what a row is about: ref * 4 + kind (1 contact, 2 company, 3 note), so a
-- document is replaced or removed by rowid. The tokenizer folds case and
-- accents ("helene" finds "Hélène"); phone numbers are added as digit
-- strings in their usual forms. Prefix indexes make short prefixes fast.
CREATE VIRTUAL TABLE search USING fts5 (
	title,   -- names
	body,    -- e-mails, phones, companies, tags, note text
	tokenize = "unicode61 remove_diacritics 2",
	prefix = '2',
	-- Only the index is kept: results are described from their own tables,
	-- so the text is not stored twice. Search needs which column matched,
	-- not where in it: a smaller index, faster to write.
	content = '',
	contentless_delete = 1,
	detail = column
);
