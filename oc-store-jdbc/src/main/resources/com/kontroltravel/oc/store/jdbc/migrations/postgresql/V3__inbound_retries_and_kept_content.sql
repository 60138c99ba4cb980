-- Transient failures are tried again: the attempt count and the time of the next try.
ALTER TABLE oc_inbound ADD COLUMN attempts integer NOT NULL DEFAULT 1;
ALTER TABLE oc_inbound ADD COLUMN next_attempt_at timestamptz;
CREATE INDEX oc_inbound_due ON oc_inbound (next_attempt_at) WHERE outcome = 'RETRYING';
CREATE INDEX oc_inbound_recorded ON oc_inbound (recorded_at DESC, seq DESC);

-- The kept copy of quarantined, ignored, reviewed and retrying messages (for inspection and
-- reprocessing), dropped after the retention period.
CREATE TABLE oc_inbound_content (
  inbound_key text PRIMARY KEY,
  content     bytea NOT NULL,
  stored_at   timestamptz NOT NULL
);
CREATE INDEX oc_inbound_content_stored ON oc_inbound_content (stored_at);
