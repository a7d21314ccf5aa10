-- Rights of the people Carnet holds data about: restriction (Art. 18),
-- erasure (Art. 17) and the suppression list (objection, Art. 21).

-- A restricted contact ("mise en sommeil") is kept but not processed: out
-- of default lists, search, mail, exports and new quotes; read-only.
ALTER TABLE contacts ADD COLUMN restricted_at TEXT;
ALTER TABLE contacts ADD COLUMN restriction_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN restricted_until TEXT NOT NULL DEFAULT '';  -- YYYY-MM-DD, '' until lifted
-- An erased contact keeps only its id (so ledger and audit entries never
-- point at someone else): every field is blanked, every child row gone.
ALTER TABLE contacts ADD COLUMN erased_at TEXT;

-- The list's indexes leave out restricted contacts, as the default list does.
DROP INDEX contacts_sort;
DROP INDEX contacts_created;
CREATE INDEX contacts_sort ON contacts (sort_name, id, relationships, owner) WHERE deleted_at IS NULL AND restricted_at IS NULL;
CREATE INDEX contacts_created ON contacts (created_at, id, relationships, owner) WHERE deleted_at IS NULL AND restricted_at IS NULL;
CREATE INDEX contacts_restricted ON contacts (restricted_at) WHERE restricted_at IS NOT NULL;

-- E-mail addresses and phone numbers a contact had: a subject-access
-- export and an erasure must also find mail sent to an old address.
-- Rows are recorded when an address or number is removed from a live
-- contact (an edit rewrites them all, so current ones are recorded too;
-- readers subtract the current ones).
CREATE TABLE contact_past_identifiers (
	contact_id  INTEGER NOT NULL,
	kind        TEXT NOT NULL CHECK (kind IN ('email', 'phone')),
	value       TEXT NOT NULL,  -- e-mail lower-cased; phone normalized
	PRIMARY KEY (contact_id, kind, value)
) STRICT, WITHOUT ROWID;
CREATE TRIGGER contact_emails_past AFTER DELETE ON contact_emails
WHEN EXISTS (SELECT 1 FROM contacts WHERE id = OLD.contact_id AND erased_at IS NULL)
BEGIN
	INSERT OR IGNORE INTO contact_past_identifiers (contact_id, kind, value) VALUES (OLD.contact_id, 'email', lower(OLD.address));
END;
CREATE TRIGGER contact_phones_past AFTER DELETE ON contact_phones
WHEN EXISTS (SELECT 1 FROM contacts WHERE id = OLD.contact_id AND erased_at IS NULL)
BEGIN
	INSERT OR IGNORE INTO contact_past_identifiers (contact_id, kind, value) VALUES (OLD.contact_id, 'phone', OLD.normalized);
END;
CREATE TRIGGER contacts_past_purge AFTER DELETE ON contacts
BEGIN
	DELETE FROM contact_past_identifiers WHERE contact_id = OLD.id;
END;

-- Addresses never to import or mail again: after an erasure (every
-- purpose) or an objection (one purpose). Only a keyed hash of the
-- lower-cased address is kept (HMAC-SHA-256 with the vault's own key,
-- settings key "suppression_key").
CREATE TABLE suppression_list (
	email_hash  TEXT NOT NULL,
	purpose     TEXT NOT NULL,   -- '' for every purpose
	reason      TEXT NOT NULL CHECK (reason IN ('erasure', 'objection')),
	request_id  INTEGER,         -- privacy_requests.id, when a request led to it
	added_at    TEXT NOT NULL,
	PRIMARY KEY (email_hash, purpose)
) STRICT, WITHOUT ROWID;

-- Erasures carried out: counts and the certificate's reference only, no
-- personal data.
CREATE TABLE erasures (
	id           INTEGER PRIMARY KEY,
	contact_id   INTEGER NOT NULL,
	request_id   INTEGER,
	erased_at    TEXT NOT NULL,
	erased_by    TEXT NOT NULL,
	summary      TEXT NOT NULL,   -- JSON: what was erased and kept, counts per kind
	recipients   TEXT NOT NULL DEFAULT '[]'  -- JSON: Art. 19 recipients to inform, with informed dates
) STRICT;
CREATE INDEX erasures_contact ON erasures (contact_id);


-- The PDF of an issued invoice or credit note as it was first printed:
-- the original the customer received, kept with the frozen document (and
-- printed again from here, so a later version of Carnet cannot change it).
CREATE TABLE document_pdfs (
	document_id  INTEGER PRIMARY KEY REFERENCES documents (id),
	lang         TEXT NOT NULL,
	pdf          BLOB NOT NULL,
	created_at   TEXT NOT NULL
) STRICT;
CREATE TRIGGER document_pdfs_frozen_update BEFORE UPDATE ON document_pdfs
BEGIN
	SELECT RAISE(ABORT, 'issued documents are frozen');
END;
CREATE TRIGGER document_pdfs_frozen_delete BEFORE DELETE ON document_pdfs
BEGIN
	SELECT RAISE(ABORT, 'issued documents are frozen');
END;
