-- What an integration sees of an event (domain.md §5, "the public fields"): what happened and
-- when, and the note of a `reply` (the answer sent to the reporter); no actor, internal note,
-- photos or parameters. GET /api/v1/cases/{case_no} as an integration and every webhook
-- delivery (gridcase_enqueue_webhooks) show events this way.
CREATE OR REPLACE FUNCTION gridcase_public_event_json(e case_events) RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT jsonb_build_object('id', e.id, 'at', gridcase_iso(e.at), 'action', e.action,
                            'from', e.from_status, 'to', e.to_status)
         || CASE WHEN e.action = 'reply' THEN jsonb_build_object('note', e.note) ELSE '{}'::jsonb END
$$;
