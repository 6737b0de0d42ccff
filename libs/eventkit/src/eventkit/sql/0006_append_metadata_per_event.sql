-- Each event of an append carries its own metadata (p_metadata jsonb[], one per event): a
-- consumer that copies a batch of other services' events keeps each one's provenance in one
-- round trip. The rules are those of 0002. The 0002 signature (one jsonb for every event) stays,
-- as a wrapper, for processes of the previous release during a rolling upgrade.
CREATE OR REPLACE FUNCTION eventkit_append(
    p_streams   text[],
    p_expected  integer[],
    p_event_streams text[],
    p_event_ids uuid[],
    p_types     text[],
    p_schema_versions integer[],
    p_payloads  jsonb[],
    p_metadata  jsonb[],
    p_occurred  timestamptz[]
) RETURNS SETOF bigint
LANGUAGE plpgsql AS $$
DECLARE
    me    xid8 := pg_current_xact_id();
    heads integer[] := '{}';
    head  integer;
    head_tx xid8;
BEGIN
    FOR i IN 1 .. coalesce(array_length(p_streams, 1), 0) LOOP
        head := NULL;
        head_tx := NULL;
        SELECT stream_version, tx_id INTO head, head_tx
          FROM events WHERE stream_id = p_streams[i]
         ORDER BY stream_version DESC LIMIT 1;
        head := coalesce(head, 0);
        IF head_tx IS NOT NULL AND head_tx > me THEN
            RAISE EXCEPTION 'stream % was written by a newer transaction; retry', p_streams[i]
                USING ERRCODE = 'EK409', DETAIL = p_streams[i] || E'\t' || head || E'\t';
        END IF;
        IF p_expected[i] <> -1 AND p_expected[i] <> head THEN
            RAISE EXCEPTION 'stream % is at version %, the command expected %',
                p_streams[i], head, p_expected[i]
                USING ERRCODE = 'EK409',
                      DETAIL = p_streams[i] || E'\t' || head || E'\t' || p_expected[i];
        END IF;
        heads := heads || head;
    END LOOP;

    RETURN QUERY
    INSERT INTO events (stream_id, stream_version, event_id, event_type, schema_version,
                        payload, metadata, occurred_at)
    SELECT e.sid,
           h.head + row_number() OVER (PARTITION BY e.sid ORDER BY e.ord)::integer,
           e.eid, e.etype, e.sver, e.body, e.meta, coalesce(e.occ, now())
      FROM unnest(p_event_streams, p_event_ids, p_types, p_schema_versions, p_payloads,
                  p_metadata, p_occurred)
           WITH ORDINALITY AS e(sid, eid, etype, sver, body, meta, occ, ord)
      JOIN unnest(p_streams, heads) AS h(sid, head) ON h.sid = e.sid
     ORDER BY e.ord
    RETURNING global_position;
END;
$$;


CREATE OR REPLACE FUNCTION eventkit_append(
    p_streams   text[],
    p_expected  integer[],
    p_event_streams text[],
    p_event_ids uuid[],
    p_types     text[],
    p_schema_versions integer[],
    p_payloads  jsonb[],
    p_metadata  jsonb,
    p_occurred  timestamptz[]
) RETURNS SETOF bigint
LANGUAGE sql AS $$
    SELECT eventkit_append(p_streams, p_expected, p_event_streams, p_event_ids, p_types,
                           p_schema_versions, p_payloads,
                           array_fill(p_metadata, ARRAY[cardinality(p_event_ids)]), p_occurred)
$$;
