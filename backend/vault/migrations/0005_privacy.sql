-- The GDPR assistant: purposes of processing, the consent ledger and the
-- audit log. Ledger and log are append-only (triggers refuse changes) and
-- hash-chained (each entry stores the hash of the one before), so an edit
-- made behind Carnet's back is found by `carnet verify`.

CREATE TABLE privacy_purposes (
	id                    INTEGER PRIMARY KEY,
	key                   TEXT NOT NULL UNIQUE,   -- stable: used by code ("prospecting_email")
	name                  TEXT NOT NULL,
	description           TEXT NOT NULL DEFAULT '',
	lawful_basis          TEXT NOT NULL CHECK (lawful_basis IN ('consent', 'contract', 'legal_obligation',
	                          'vital_interests', 'public_task', 'legitimate_interests')),
	balancing_note        TEXT NOT NULL DEFAULT '', -- legitimate interests: why they prevail
	-- JSON arrays: of strings, or of {name, kind, country} for recipients
	-- and {country, safeguard} for transfers.
	data_categories       TEXT NOT NULL DEFAULT '[]',
	people_categories     TEXT NOT NULL DEFAULT '[]',
	recipients            TEXT NOT NULL DEFAULT '[]',
	transfers             TEXT NOT NULL DEFAULT '[]',
	security              TEXT NOT NULL DEFAULT '[]',
	retention_months      INTEGER NOT NULL DEFAULT 0,
	retention_from        TEXT NOT NULL DEFAULT '', -- the event the period runs from
	retention_note        TEXT NOT NULL DEFAULT '',
	sensitive_condition   TEXT NOT NULL DEFAULT '', -- Art. 9(2) condition, when sensitive data is processed
	consent_valid_months  INTEGER NOT NULL DEFAULT 0, -- 0: a consent does not expire
	created_at            TEXT NOT NULL,
	updated_at            TEXT NOT NULL
) STRICT;

CREATE TABLE consent_ledger (
	id               INTEGER PRIMARY KEY,
	contact_id       INTEGER NOT NULL,           -- an id, not personal data: stays after erasure
	purpose_key      TEXT NOT NULL,
	channel          TEXT NOT NULL CHECK (channel IN ('email', 'phone', 'sms', 'post')),
	action           TEXT NOT NULL CHECK (action IN ('grant', 'refuse', 'withdraw')),
	wording          TEXT NOT NULL,              -- the exact text shown to the person
	wording_version  TEXT NOT NULL,
	method           TEXT NOT NULL CHECK (method IN ('form', 'paper', 'phone', 'email', 'in_person', 'import')),
	-- Evidence may hold personal data: the chain covers its SHA-256, so it
	-- can be erased later without breaking the chain.
	evidence         TEXT NOT NULL DEFAULT '',
	evidence_name    TEXT NOT NULL DEFAULT '',   -- an attached scan's file name
	evidence_file    BLOB,
	evidence_message INTEGER,                    -- mail_messages.id
	evidence_sha256  TEXT NOT NULL,
	recorded_by      TEXT NOT NULL,
	occurred_at      TEXT NOT NULL,              -- when the person said so
	recorded_at      TEXT NOT NULL,
	prev_hash        TEXT NOT NULL,
	hash             TEXT NOT NULL
) STRICT;
CREATE INDEX consent_ledger_contact ON consent_ledger (contact_id, purpose_key, channel, id);
CREATE INDEX consent_ledger_purpose ON consent_ledger (purpose_key, channel, contact_id, id);
CREATE TRIGGER consent_ledger_no_update BEFORE UPDATE ON consent_ledger
	WHEN NEW.evidence <> '' OR NEW.evidence_file IS NOT NULL OR NEW.evidence_name <> ''
	  OR NEW.id IS NOT OLD.id OR NEW.contact_id IS NOT OLD.contact_id OR NEW.purpose_key IS NOT OLD.purpose_key
	  OR NEW.channel IS NOT OLD.channel OR NEW.action IS NOT OLD.action OR NEW.wording IS NOT OLD.wording
	  OR NEW.wording_version IS NOT OLD.wording_version OR NEW.method IS NOT OLD.method
	  OR NEW.evidence_message IS NOT OLD.evidence_message AND NEW.evidence_message IS NOT NULL
	  OR NEW.evidence_sha256 IS NOT OLD.evidence_sha256 OR NEW.recorded_by IS NOT OLD.recorded_by
	  OR NEW.occurred_at IS NOT OLD.occurred_at OR NEW.recorded_at IS NOT OLD.recorded_at
	  OR NEW.prev_hash IS NOT OLD.prev_hash OR NEW.hash IS NOT OLD.hash
BEGIN
	SELECT RAISE(ABORT, 'consent ledger entries cannot be changed (only their evidence erased)');
END;
CREATE TRIGGER consent_ledger_no_delete BEFORE DELETE ON consent_ledger
BEGIN
	SELECT RAISE(ABORT, 'consent ledger entries cannot be deleted');
END;

-- Who did what to which record. No personal data: record ids, field
-- names, counts and formats only, so erasure never rewrites history.
CREATE TABLE audit_log (
	id            INTEGER PRIMARY KEY,
	at            TEXT NOT NULL,
	actor         TEXT NOT NULL,     -- the local user label
	action        TEXT NOT NULL,     -- "contact.view", "contact.edit", "export.csv", "vault.unlock"…
	subject_kind  TEXT NOT NULL DEFAULT '', -- contact, company, document, message, purpose
	subject_id    INTEGER NOT NULL DEFAULT 0,
	detail        TEXT NOT NULL DEFAULT '{}', -- JSON: field names, counts, formats
	prev_hash     TEXT NOT NULL,
	hash          TEXT NOT NULL
) STRICT;
CREATE INDEX audit_log_subject ON audit_log (subject_kind, subject_id, id);
CREATE INDEX audit_log_action ON audit_log (action, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'the audit log cannot be changed');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'the audit log cannot be changed');
END;
