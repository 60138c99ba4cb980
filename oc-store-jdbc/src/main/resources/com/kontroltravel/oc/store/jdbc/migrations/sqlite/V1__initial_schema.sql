-- oc-store-jdbc schema version 1 (SQLite). Applied by JdbcStore inside BEGIN EXCLUSIVE.
-- Instants are INTEGER microseconds since the epoch, texts ISO TEXT, decimals exact TEXT, integers 0/1.

CREATE TABLE oc_reservation (
  id                       text PRIMARY KEY,
  internal_locator         text,
  internal_locator_lc      text,
  locator                  text,
  agency_name              text,
  agency_key               text NOT NULL,
  booking_status           text,
  issue_date               text,
  hotel_name               text,
  check_in                 text,
  check_out                text,
  nights                   integer,
  rooms                    integer,
  total_amount             text,
  currency                 text,
  cancellation_deadline    text,
  state                    text NOT NULL,
  day_zero                 text NOT NULL,
  tracked_at               integer NOT NULL,
  last_step                text,
  last_message_at          integer,
  next_action_at           integer,
  paused                   integer NOT NULL,
  attention_reason         text,
  confirmation_document_id text,
  po_present               integer NOT NULL,
  po_number                text,
  po_document_id           text,
  po_received_from         text,
  po_received_at           integer,
  po_actor                 text,
  version                  integer NOT NULL,
  updated_at               integer NOT NULL,
  claim_owner              text,
  claim_until              integer
);
-- Claiming due work reads this index only: its cost follows the number due, not the number tracked.
-- claim_owner/claim_until are deliberately not indexed: a claim then changes no indexed column, so PostgreSQL
-- can update the row in place (HOT) instead of adding entries to every index. releaseClaims(owner), run when
-- an engine stops, scans the table instead.
CREATE INDEX oc_reservation_due ON oc_reservation (next_action_at) WHERE next_action_at IS NOT NULL;
CREATE INDEX oc_reservation_internal_locator ON oc_reservation (internal_locator_lc);
CREATE INDEX oc_reservation_locator ON oc_reservation (locator);
CREATE INDEX oc_reservation_day_zero ON oc_reservation (day_zero DESC, id);
CREATE INDEX oc_reservation_agency ON oc_reservation (agency_key, day_zero DESC, id);
CREATE INDEX oc_reservation_state ON oc_reservation (state, day_zero DESC, id);
CREATE INDEX oc_reservation_attention ON oc_reservation (day_zero DESC, id) WHERE attention_reason IS NOT NULL;

CREATE TABLE oc_agency (
  agency_key    text PRIMARY KEY,
  name          text NOT NULL,
  aliases       text NOT NULL,
  email_domains text NOT NULL,
  requires_oc   integer NOT NULL,
  contacts      text NOT NULL,
  cc            text NOT NULL,
  schedule      text,
  locale        text NOT NULL,
  active        integer NOT NULL
);

CREATE TABLE oc_agency_alias (
  agency_key text NOT NULL REFERENCES oc_agency (agency_key) ON DELETE CASCADE,
  alias_key  text NOT NULL,
  PRIMARY KEY (agency_key, alias_key)
);
CREATE INDEX oc_agency_alias_key ON oc_agency_alias (alias_key);

CREATE TABLE oc_timeline (
  seq            INTEGER PRIMARY KEY AUTOINCREMENT,
  reservation_id text NOT NULL,
  at             integer NOT NULL,
  kind           text NOT NULL,
  detail         text NOT NULL,
  actor          text NOT NULL
);
CREATE INDEX oc_timeline_reservation ON oc_timeline (reservation_id, seq);

CREATE TABLE oc_inbound (
  seq            INTEGER PRIMARY KEY AUTOINCREMENT,
  inbound_key    text NOT NULL UNIQUE,
  message_id     text,
  sender         text,
  subject        text,
  received_at    integer,
  recorded_at    integer NOT NULL,
  outcome        text NOT NULL,
  reason         text,
  reservation_id text,
  document_ids   text NOT NULL
);
CREATE INDEX oc_inbound_outcome ON oc_inbound (outcome, recorded_at DESC, seq DESC);

CREATE TABLE oc_outbox (
  seq             INTEGER PRIMARY KEY AUTOINCREMENT,
  id              text NOT NULL UNIQUE,
  reservation_id  text,
  step            text NOT NULL,
  generation      integer NOT NULL,
  message_id      text NOT NULL,
  in_reply_to     text,
  refs            text NOT NULL,
  to_addrs        text NOT NULL,
  cc_addrs        text NOT NULL,
  subject         text,
  text_body       text,
  html_body       text,
  attachment_ids  text NOT NULL,
  status          text NOT NULL,
  attempts        integer NOT NULL,
  next_attempt_at integer,
  last_error      text,
  created_at      integer NOT NULL,
  sent_at         integer,
  claim_owner     text,
  claim_until     integer
);
CREATE INDEX oc_outbox_due ON oc_outbox (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX oc_outbox_message_id ON oc_outbox (message_id);
CREATE INDEX oc_outbox_reservation ON oc_outbox (reservation_id, seq);

CREATE TABLE oc_cursor (
  mailbox      text PRIMARY KEY,
  uid_validity integer NOT NULL,
  uid          integer NOT NULL
);

CREATE TABLE oc_document (
  seq            INTEGER PRIMARY KEY AUTOINCREMENT,
  id             text NOT NULL UNIQUE,
  reservation_id text,
  kind           text NOT NULL,
  original_name  text,
  safe_name      text NOT NULL,
  content_type   text,
  sha256         text NOT NULL,
  size           integer NOT NULL,
  content        blob NOT NULL,
  stored_at      integer NOT NULL
);
CREATE INDEX oc_document_reservation ON oc_document (reservation_id, seq);
