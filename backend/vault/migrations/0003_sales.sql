-- Sales: the seller's profile, the catalogue, quotes, invoices, credit
-- notes and payments. Money is integer cents, rates basis points,
-- quantities thousandths (see backend/sales/money.go).

-- The seller. One row today (id 1); documents point to it so that several
-- companies in one vault stay possible.
CREATE TABLE seller_profiles (
	id                   INTEGER PRIMARY KEY,
	legal_name           TEXT NOT NULL DEFAULT '',
	legal_form           TEXT NOT NULL DEFAULT '',   -- SARL, SAS, EI…
	share_capital        INTEGER NOT NULL DEFAULT 0, -- cents
	street               TEXT NOT NULL DEFAULT '',
	postal_code          TEXT NOT NULL DEFAULT '',
	city                 TEXT NOT NULL DEFAULT '',
	country              TEXT NOT NULL DEFAULT 'FR',
	siren                TEXT NOT NULL DEFAULT '',
	siret                TEXT NOT NULL DEFAULT '',
	registry             TEXT NOT NULL DEFAULT '',   -- "RCS Lyon", "RM 69"
	vat_number           TEXT NOT NULL DEFAULT '',
	vat_franchise        INTEGER NOT NULL DEFAULT 0, -- art. 293 B du CGI
	vat_on_debits        INTEGER NOT NULL DEFAULT 0, -- option pour le paiement de la TVA d'après les débits
	sole_trader          INTEGER NOT NULL DEFAULT 0, -- "EI" after the name
	email                TEXT NOT NULL DEFAULT '',
	phone                TEXT NOT NULL DEFAULT '',
	logo                 TEXT NOT NULL DEFAULT '',  -- sha256 of the image in logos
	iban                 TEXT NOT NULL DEFAULT '',
	bic                  TEXT NOT NULL DEFAULT '',
	payment_days         INTEGER NOT NULL DEFAULT 30,
	late_penalty_rate    INTEGER NOT NULL DEFAULT 1200, -- basis points per year
	quote_validity_days  INTEGER NOT NULL DEFAULT 30,
	quote_pattern        TEXT NOT NULL DEFAULT 'D-{YYYY}-{NNNN}',
	invoice_pattern      TEXT NOT NULL DEFAULT 'F-{YYYY}-{NNNN}',
	credit_pattern       TEXT NOT NULL DEFAULT 'A-{YYYY}-{NNNN}'
) STRICT;
INSERT INTO seller_profiles (id) VALUES (1);

-- Logos by content hash: an issued document keeps the hash of the logo it
-- was issued with, so changing the logo never changes past documents and
-- a logo is stored once however many documents show it.
CREATE TABLE logos (
	sha256  TEXT PRIMARY KEY,
	mime    TEXT NOT NULL CHECK (mime IN ('image/png', 'image/jpeg')),
	data    BLOB NOT NULL
) STRICT;

CREATE TABLE products (
	id           INTEGER PRIMARY KEY,
	reference    TEXT NOT NULL DEFAULT '',
	label        TEXT NOT NULL,
	description  TEXT NOT NULL DEFAULT '',
	unit         TEXT NOT NULL DEFAULT '',
	unit_price   INTEGER NOT NULL CHECK (unit_price >= 0),
	vat_rate     INTEGER NOT NULL CHECK (vat_rate IN (2000, 1000, 550, 210, 0)),
	exemption    TEXT NOT NULL DEFAULT '',
	archived     INTEGER NOT NULL DEFAULT 0,
	created_at   TEXT NOT NULL,
	updated_at   TEXT NOT NULL
) STRICT;
CREATE INDEX products_label ON products (archived, label COLLATE NOCASE);

-- Quotes, invoices and credit notes. A draft has no number; issuing
-- assigns one and freezes the document (triggers below refuse any change).
-- The buyer and seller are copied at issue so the document never changes
-- when a contact or the profile does.
CREATE TABLE documents (
	id              INTEGER PRIMARY KEY,
	kind            TEXT NOT NULL CHECK (kind IN ('quote', 'invoice', 'credit_note')),
	seller_id       INTEGER NOT NULL DEFAULT 1 REFERENCES seller_profiles (id),
	number          TEXT UNIQUE,
	state           TEXT NOT NULL DEFAULT 'draft',
	contact_id      INTEGER REFERENCES contacts (id) ON DELETE SET NULL,
	company_id      INTEGER REFERENCES companies (id) ON DELETE SET NULL,
	quote_id        INTEGER REFERENCES documents (id),  -- invoice made from a quote
	invoice_id      INTEGER REFERENCES documents (id),  -- credit note's invoice
	b2c             INTEGER NOT NULL DEFAULT 0,
	operation       TEXT NOT NULL DEFAULT 'services' CHECK (operation IN ('goods', 'services', 'both')),
	issue_date      TEXT NOT NULL DEFAULT '',
	sale_date       TEXT NOT NULL DEFAULT '',
	due_date        TEXT NOT NULL DEFAULT '',
	valid_until     TEXT NOT NULL DEFAULT '',
	discount_rate   INTEGER NOT NULL DEFAULT 0,
	discount_amount INTEGER NOT NULL DEFAULT 0,
	notes           TEXT NOT NULL DEFAULT '',
	terms           TEXT NOT NULL DEFAULT '',
	delivery        TEXT NOT NULL DEFAULT '',  -- delivery address when not the billing one
	buyer           TEXT NOT NULL DEFAULT '{}',  -- JSON snapshot at issue
	seller          TEXT NOT NULL DEFAULT '{}',  -- JSON snapshot at issue
	total_net       INTEGER NOT NULL DEFAULT 0,
	total_vat       INTEGER NOT NULL DEFAULT 0,
	total_gross     INTEGER NOT NULL DEFAULT 0,
	created_at      TEXT NOT NULL,
	updated_at      TEXT NOT NULL,
	issued_at       TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX documents_kind ON documents (kind, issue_date, id);
CREATE INDEX documents_contact ON documents (contact_id) WHERE contact_id IS NOT NULL;
CREATE INDEX documents_company ON documents (company_id) WHERE company_id IS NOT NULL;

CREATE TABLE document_lines (
	document_id     INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
	position        INTEGER NOT NULL,
	product_id      INTEGER REFERENCES products (id) ON DELETE SET NULL,
	description     TEXT NOT NULL,
	quantity        INTEGER NOT NULL CHECK (quantity >= 0),
	unit            TEXT NOT NULL DEFAULT '',
	unit_price      INTEGER NOT NULL CHECK (unit_price >= 0),
	discount_rate   INTEGER NOT NULL DEFAULT 0,
	discount_amount INTEGER NOT NULL DEFAULT 0,
	vat_rate        INTEGER NOT NULL,
	exemption       TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (document_id, position)
) STRICT, WITHOUT ROWID;

CREATE TABLE payments (
	id           INTEGER PRIMARY KEY,
	document_id  INTEGER NOT NULL REFERENCES documents (id),
	paid_on      TEXT NOT NULL,
	amount       INTEGER NOT NULL CHECK (amount > 0),
	method       TEXT NOT NULL DEFAULT '',
	note         TEXT NOT NULL DEFAULT '',
	created_at   TEXT NOT NULL
) STRICT;
CREATE INDEX payments_document ON payments (document_id);

-- Gapless counters, one per document kind and period ("2026", or "" when
-- the pattern has no year).
CREATE TABLE sequences (
	kind    TEXT NOT NULL,
	period  TEXT NOT NULL,
	last    INTEGER NOT NULL,
	PRIMARY KEY (kind, period)
) STRICT, WITHOUT ROWID;

-- Issued invoices and credit notes never change and are never deleted:
-- corrections are credit notes. The application refuses first; these
-- triggers make it true for any SQL.
CREATE TRIGGER documents_frozen_update BEFORE UPDATE ON documents
WHEN OLD.issued_at <> '' AND OLD.kind IN ('invoice', 'credit_note')
	AND (NEW.number IS NOT OLD.number OR NEW.kind <> OLD.kind OR NEW.issue_date <> OLD.issue_date
	  OR NEW.sale_date <> OLD.sale_date OR NEW.due_date <> OLD.due_date OR NEW.buyer <> OLD.buyer
	  OR NEW.seller <> OLD.seller OR NEW.total_net <> OLD.total_net OR NEW.total_vat <> OLD.total_vat
	  OR NEW.total_gross <> OLD.total_gross OR NEW.discount_rate <> OLD.discount_rate
	  OR NEW.discount_amount <> OLD.discount_amount OR NEW.notes <> OLD.notes OR NEW.terms <> OLD.terms
	  OR NEW.issued_at <> OLD.issued_at OR NEW.invoice_id IS NOT OLD.invoice_id OR NEW.b2c <> OLD.b2c
	  OR NEW.delivery <> OLD.delivery
	  OR NEW.operation <> OLD.operation)
BEGIN
	SELECT RAISE(ABORT, 'issued documents are frozen');
END;

CREATE TRIGGER documents_frozen_delete BEFORE DELETE ON documents
WHEN OLD.issued_at <> '' AND OLD.kind IN ('invoice', 'credit_note')
BEGIN
	SELECT RAISE(ABORT, 'issued documents are frozen');
END;

CREATE TRIGGER document_lines_frozen_insert BEFORE INSERT ON document_lines
WHEN (SELECT issued_at <> '' AND kind IN ('invoice', 'credit_note') FROM documents WHERE id = NEW.document_id)
BEGIN
	SELECT RAISE(ABORT, 'issued documents are frozen');
END;

CREATE TRIGGER document_lines_frozen_update BEFORE UPDATE ON document_lines
WHEN (SELECT issued_at <> '' AND kind IN ('invoice', 'credit_note') FROM documents WHERE id = OLD.document_id)
BEGIN
	SELECT RAISE(ABORT, 'issued documents are frozen');
END;

CREATE TRIGGER document_lines_frozen_delete BEFORE DELETE ON document_lines
WHEN (SELECT issued_at <> '' AND kind IN ('invoice', 'credit_note') FROM documents WHERE id = OLD.document_id)
BEGIN
	SELECT RAISE(ABORT, 'issued documents are frozen');
END;
