-- Fields the business adds to its contacts. A field may hold special
-- categories of data (Art. 9 GDPR: health, beliefs…): it is then marked
-- sensitive with the Art. 9(2) condition relied on, kept out of search,
-- hidden until shown (a logged action) and out of exports unless chosen.
CREATE TABLE custom_fields (
	id         INTEGER PRIMARY KEY,
	name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
	sensitive  INTEGER NOT NULL DEFAULT 0,
	category   TEXT NOT NULL DEFAULT '',  -- Art. 9(1) category, for a sensitive field
	condition  TEXT NOT NULL DEFAULT '',  -- Art. 9(2) condition: a … j
	position   INTEGER NOT NULL DEFAULT 0,
	CHECK (sensitive = 0 OR category <> '' AND condition <> '')
) STRICT;

CREATE TABLE contact_field_values (
	contact_id  INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
	field_id    INTEGER NOT NULL REFERENCES custom_fields (id) ON DELETE CASCADE,
	value       TEXT NOT NULL,
	PRIMARY KEY (contact_id, field_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX contact_field_values_field ON contact_field_values (field_id);
