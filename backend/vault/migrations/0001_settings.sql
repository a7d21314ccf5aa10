-- Settings stored inside the vault (the ones that may say something about
-- the user's business). Preferences needed before unlock, such as the
-- interface language, live outside in prefs.json.
CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) STRICT;
