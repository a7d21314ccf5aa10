-- A message whose content the server started to send bigger than it said
-- (RFC822.SIZE, plus an eighth) ended the connection. It is fetched as its
-- header alone from then on, and never again whole, so that one message
-- cannot stop a folder's sync for ever. size is what the server was about
-- to send; the row goes with the folder, or when the message is deleted.
CREATE TABLE mail_size_refused (
	folder_id  INTEGER NOT NULL REFERENCES mail_folders (id) ON DELETE CASCADE,
	uid        INTEGER NOT NULL,
	size       INTEGER NOT NULL,
	PRIMARY KEY (folder_id, uid)
) STRICT, WITHOUT ROWID;
