-- Typed attention reasons: the code beside the text shown to people. Older flags read as OTHER.
ALTER TABLE oc_reservation ADD COLUMN attention_code text;
UPDATE oc_reservation SET attention_code = 'OTHER' WHERE attention_reason IS NOT NULL;

-- Deployment-wide values the engine keeps (the key of its Message-IDs).
CREATE TABLE oc_setting (
  name  text PRIMARY KEY,
  value text NOT NULL
);

-- A gateway's opaque position (a Microsoft Graph delta link) beside the IMAP numbers.
ALTER TABLE oc_cursor ADD COLUMN sync_state text;
