-- The relay's mark in the broker's log: the partition, offset and event id of the first record
-- the broker acked since the log was (re)seeded (a last-record mark would follow new records into
-- a re-created log). The relay fetches that record again now and then; if the broker no longer
-- has it there (a broker that restarted empty, a topic deleted and re-created), the log was lost
-- and the relay republishes from the first event. A record is a stable witness where a topic's
-- size is not: some brokers report end offsets per batch, not per record.
ALTER TABLE tailing_checkpoints ADD COLUMN IF NOT EXISTS log_mark jsonb;
