-- A webhook as the admin API shows it (GET /api/v1/webhooks, /api/v1/webhooks/{id}): never its
-- secret; its deliveries counted by state, the oldest pending one's time (how far behind the
-- receiver is) and the latest failure.
CREATE OR REPLACE FUNCTION gridcase_webhook_json(w webhooks) RETURNS json
LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'id', w.id, 'account', w.account, 'url', w.url, 'events', to_json(w.events),
    'active', w.active, 'created_at', gridcase_iso(w.created_at), 'created_by', w.created_by,
    'updated_at', gridcase_iso(w.updated_at),
    'deliveries', (SELECT json_build_object(
                     'pending', count(*) FILTER (WHERE d.state = 'pending'),
                     'delivered', count(*) FILTER (WHERE d.state = 'delivered'),
                     'dead', count(*) FILTER (WHERE d.state = 'dead'),
                     'oldest_pending_at',
                       gridcase_iso(min(d.tried_since) FILTER (WHERE d.state = 'pending')))
                   FROM webhook_deliveries d WHERE d.webhook_id = w.id),
    'last_failure', (SELECT json_build_object(
                       'delivery', d.id, 'at', gridcase_iso(d.last_attempt_at),
                       'status', d.last_status, 'error', d.last_error)
                     FROM webhook_deliveries d
                     WHERE d.webhook_id = w.id AND d.last_error IS NOT NULL
                     ORDER BY d.last_attempt_at DESC, d.id DESC LIMIT 1))
$$;
