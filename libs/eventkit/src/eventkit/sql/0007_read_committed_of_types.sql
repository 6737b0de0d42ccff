-- The same window as eventkit_read_committed (0003), but only the events of `p_types` come with
-- their payload and metadata; the others come as heads (positions, stream, type) with NULLs.
-- A tailer that reads few of the log's types (a projection, a relay that passes over a
-- service's copies) still moves its checkpoint past every event of the window, without the
-- server sending, nor the client decoding, payloads nobody reads. NULL `p_types`: every payload.
CREATE OR REPLACE FUNCTION eventkit_read_committed(
    p_tx xid8, p_position bigint, p_limit integer, p_types text[]
)
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
           e.schema_version,
           CASE WHEN p_types IS NULL OR e.event_type = ANY(p_types) THEN e.payload END,
           CASE WHEN p_types IS NULL OR e.event_type = ANY(p_types) THEN e.metadata::text END,
           e.occurred_at, e.recorded_at, e.tx_id::text::bigint
      FROM events e
     WHERE (e.tx_id, e.global_position) > (p_tx, p_position)
       AND e.tx_id < pg_snapshot_xmin(pg_current_snapshot())
     ORDER BY e.tx_id, e.global_position
     LIMIT p_limit
$$;
