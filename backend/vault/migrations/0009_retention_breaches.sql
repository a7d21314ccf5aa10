-- Retention (how long data are kept, after the CNIL's recommendations) and
-- the register of personal data breaches (GDPR Art. 33 and 34).

-- An archived contact ("archivage intermédiaire") is kept only for a legal
-- need once its active period is over: sealed, read-only, out of every
-- list, search, mail and export, until erased at the end of the archive
-- period.
ALTER TABLE contacts ADD COLUMN archived_at TEXT;
ALTER TABLE contacts ADD COLUMN archive_reason TEXT NOT NULL DEFAULT '';

-- The list's indexes leave out archived contacts too, as the default list
-- does (crm.Filter.where states the same condition, term for term).
DROP INDEX contacts_sort;
DROP INDEX contacts_created;
CREATE INDEX contacts_sort ON contacts (sort_name, id, relationships, owner)
	WHERE deleted_at IS NULL AND restricted_at IS NULL AND archived_at IS NULL;
CREATE INDEX contacts_created ON contacts (created_at, id, relationships, owner)
	WHERE deleted_at IS NULL AND restricted_at IS NULL AND archived_at IS NULL;
CREATE INDEX contacts_archived ON contacts (archived_at) WHERE archived_at IS NOT NULL;

-- The end of a customer relationship is read from the last issued invoice:
-- one probe per contact in the retention sweep.
CREATE INDEX documents_contact_invoiced ON documents (contact_id, issue_date)
	WHERE kind = 'invoice' AND issued_at <> '' AND contact_id IS NOT NULL;

-- Requests to confirm (re-permission) sent to people whose retention
-- period has run: a yes restarts the clock; no yes by the deadline and the
-- contact is due for erasure. Ids and dates only: no personal data.
CREATE TABLE retention_repermissions (
	id           INTEGER PRIMARY KEY,
	contact_id   INTEGER NOT NULL,            -- stays after erasure, as in the ledger
	asked_at     TEXT NOT NULL,               -- RFC 3339
	deadline     TEXT NOT NULL,               -- RFC 3339
	answer       TEXT NOT NULL DEFAULT '' CHECK (answer IN ('', 'yes', 'no')),
	answered_at  TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX retention_repermissions_contact ON retention_repermissions (contact_id, id);

-- Personal data breaches, every one documented (Art. 33(5)), notified or
-- not. The 72-hour clock runs from discovered_at. A breach is never
-- deleted: corrections are edits (logged) and complements (appended).
CREATE TABLE breaches (
	id                      INTEGER PRIMARY KEY,
	occurred_at             TEXT NOT NULL DEFAULT '',   -- RFC 3339, '' when not known
	discovered_at           TEXT NOT NULL,              -- RFC 3339
	nature                  TEXT NOT NULL,              -- JSON array: confidentiality, integrity, availability
	description             TEXT NOT NULL,
	scope                   TEXT NOT NULL DEFAULT '{}', -- JSON: how the people concerned are chosen (breach.Scope)
	counts                  TEXT NOT NULL DEFAULT '{}', -- JSON: people and records per category, as counted
	consequences            TEXT NOT NULL DEFAULT '',
	measures_taken          TEXT NOT NULL DEFAULT '',
	measures_planned        TEXT NOT NULL DEFAULT '',
	risk                    TEXT NOT NULL DEFAULT '' CHECK (risk IN ('', 'none', 'risk', 'high')),
	risk_note               TEXT NOT NULL DEFAULT '',
	notified_at             TEXT NOT NULL DEFAULT '',   -- initial notification to the CNIL
	notice_reference        TEXT NOT NULL DEFAULT '',   -- the number the CNIL gave
	late_reason             TEXT NOT NULL DEFAULT '',   -- Art. 33(1): why after 72 hours
	no_notice_reason        TEXT NOT NULL DEFAULT '',   -- why not notified (no risk)
	people_told_at          TEXT NOT NULL DEFAULT '',   -- Art. 34: people informed
	people_not_told_reason  TEXT NOT NULL DEFAULT '',   -- Art. 34(3) exception relied on
	created_at              TEXT NOT NULL,
	updated_at              TEXT NOT NULL
) STRICT;
CREATE INDEX breaches_open ON breaches (discovered_at) WHERE notified_at = '' AND no_notice_reason = '';
CREATE TRIGGER breaches_no_delete BEFORE DELETE ON breaches
BEGIN
	SELECT RAISE(ABORT, 'a breach stays documented (Art. 33(5))');
END;

-- Information sent to the CNIL after the initial notification, in phases
-- (Art. 33(4)). Append-only.
CREATE TABLE breach_complements (
	id          INTEGER PRIMARY KEY,
	breach_id   INTEGER NOT NULL REFERENCES breaches (id),
	sent_at     TEXT NOT NULL,   -- RFC 3339
	summary     TEXT NOT NULL,
	created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX breach_complements_breach ON breach_complements (breach_id, id);
CREATE TRIGGER breach_complements_no_update BEFORE UPDATE ON breach_complements
BEGIN
	SELECT RAISE(ABORT, 'a complement sent to the CNIL cannot be changed');
END;
CREATE TRIGGER breach_complements_no_delete BEFORE DELETE ON breach_complements
BEGIN
	SELECT RAISE(ABORT, 'a complement sent to the CNIL cannot be changed');
END;
