-- Typed attention reasons: the code beside the text shown to people. Older flags read as OTHER.
ALTER TABLE oc_reservation ADD COLUMN attention_code text;
UPDATE oc_reservation SET attention_code = 'OTHER' WHERE attention_reason IS NOT NULL;
