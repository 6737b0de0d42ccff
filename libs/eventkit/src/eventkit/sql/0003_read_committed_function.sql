-- Gap-safe log tailing (see eventkit/tailing.py) as a function, so that the plan can be pinned:
-- with a fresh checkpoint every row qualifies and the planner would pick a full scan + sort
-- per batch (O(n²) over a replay). Walking the (tx_id, global_position) index is always right
-- for a keyset read: it returns the next batch in order and stops at the LIMIT.
-- Columns are in the order of eventkit.store.records.RecordedEvent.
CREATE OR REPLACE FUNCTION eventkit_read_committed(p_tx xid8, p_position bigint, p_limit integer)
RETURNS TABLE (
    global_position bigint,
    stream_id       text,
    stream_version  integer,
    event_id        uuid,
    event_type      text,
    schema_version  integer,
    payload         jsonb,
    metadata        text,
    occurred_at     timestamptz,
    recorded_at     timestamptz,
    tx_id           bigint
)
LANGUAGE sql STABLE
SET enable_seqscan = off
SET enable_sort = off
AS $$
    SELECT e.global_position, e.stream_id, e.stream_version, e.event_id, e.event_type,
           e.schema_version, e.payload, e.metadata::text, e.occurred_at, e.recorded_at,
           e.tx_id::text::bigint
      FROM events e
     WHERE (e.tx_id, e.global_position) > (p_tx, p_position)
       AND e.tx_id < pg_snapshot_xmin(pg_current_snapshot())
     ORDER BY e.tx_id, e.global_position
     LIMIT p_limit
$$;
