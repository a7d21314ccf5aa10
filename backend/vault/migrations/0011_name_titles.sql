-- A contact's honorific prefix and suffix ("Dr", "Me", "Mr." / "Jr.",
-- "III"), as vCard's N property carries them, so that an address book
-- imported and exported again loses nothing. Erasure blanks them with the
-- rest of the name (crm.Store.Erase).
ALTER TABLE contacts ADD COLUMN name_prefix TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN name_suffix TEXT NOT NULL DEFAULT '';
