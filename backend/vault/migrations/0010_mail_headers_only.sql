-- A message over the size limit (Settings › Mail) is kept with its header
-- only: raw holds the header block, size the server's RFC822.SIZE, and the
-- reader says to open it on the server.
ALTER TABLE mail_messages ADD COLUMN headers_only INTEGER NOT NULL DEFAULT 0;
