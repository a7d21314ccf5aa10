-- Requests from people exercising their rights (Art. 12, 15–21), with the
-- legal clock: one calendar month from receipt, extendable by two more
-- with a reason the person was told within the first month.
CREATE TABLE privacy_requests (
	id                INTEGER PRIMARY KEY,
	kind              TEXT NOT NULL CHECK (kind IN ('access', 'rectification', 'erasure', 'restriction', 'objection', 'portability', 'withdrawal')),
	contact_id        INTEGER,                    -- the matched contact, NULL until matched
	requester         TEXT NOT NULL,              -- who asked, as they identified themselves
	channel           TEXT NOT NULL CHECK (channel IN ('letter', 'email', 'phone', 'in_person', 'form')),
	received_on       TEXT NOT NULL,              -- YYYY-MM-DD
	id_check_method   TEXT NOT NULL DEFAULT '',
	id_check_on       TEXT NOT NULL DEFAULT '',
	id_check_result   TEXT NOT NULL DEFAULT '' CHECK (id_check_result IN ('', 'verified', 'failed', 'not_needed')),
	status            TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'refused', 'withdrawn')),
	extension_months  INTEGER NOT NULL DEFAULT 0 CHECK (extension_months BETWEEN 0 AND 2),
	extension_reason  TEXT NOT NULL DEFAULT '',
	person_told_on    TEXT NOT NULL DEFAULT '',   -- when the person was told of the extension
	decision          TEXT NOT NULL DEFAULT '',
	reasons           TEXT NOT NULL DEFAULT '',
	documents         TEXT NOT NULL DEFAULT '[]', -- JSON: what was sent
	closed_on         TEXT NOT NULL DEFAULT '',
	created_at        TEXT NOT NULL,
	updated_at        TEXT NOT NULL
) STRICT;
CREATE INDEX privacy_requests_open ON privacy_requests (status, received_on);
CREATE INDEX privacy_requests_contact ON privacy_requests (contact_id) WHERE contact_id IS NOT NULL;
