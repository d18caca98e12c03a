-- What the admin audit log keeps of a thing before and after a change (docs/security.md,
-- "Records a regulator will ask for"): `subject` names the kind, `subject_keys` the things. NULL when
-- none of them exists. Secrets never appear: a user shows whether they have a password, not its
-- hash; a token its id, owner and times, not its digest; a webhook its target and events,
-- not its signing secret; a case whether its reporter's name and
-- phone are still kept, never what they are. An officer's work phone is staff data, shown as
-- GET /api/v1/officers shows it. The category catalogue is rendered by
-- src/storage/queries/list_categories.sql, as GET /api/v1/categories shows it.
CREATE OR REPLACE FUNCTION gridcase_audit_snapshot(subject text, subject_keys text[]) RETURNS jsonb
LANGUAGE sql STABLE AS $$
  SELECT CASE subject
    WHEN 'user' THEN (
      SELECT jsonb_build_object(
               'username', u.username, 'display_name', u.display_name, 'roles', to_jsonb(u.roles),
               'scope', jsonb_build_object('kind', u.scope_kind, 'code', u.scope_code),
               'channels', to_jsonb(u.channels), 'active', u.active,
               'has_password', u.password_hash IS NOT NULL,
               'unrevoked_tokens', (SELECT count(*) FROM auth_tokens t
                                    WHERE t.user_id = u.id AND t.revoked_at IS NULL))
      FROM users u WHERE u.username = subject_keys[1])
    WHEN 'token' THEN (
      SELECT jsonb_build_object(
               'id', t.id, 'username', u.username, 'kind', t.kind, 'label', t.label,
               'created_at', gridcase_iso(t.created_at), 'expires_at', gridcase_iso(t.expires_at),
               'revoked_at', gridcase_iso(t.revoked_at))
      FROM auth_tokens t JOIN users u ON u.id = t.user_id
      WHERE t.id = CASE WHEN subject_keys[1] ~ '^[0-9]{1,18}$' THEN subject_keys[1]::bigint END)
    WHEN 'grid' THEN (
      SELECT jsonb_build_object(
               'nodes', sum(n),
               'by_level', jsonb_object_agg(level, n),
               'codes', (SELECT jsonb_agg(g.code ORDER BY g.code) FROM grid_nodes g
                         WHERE g.code = ANY (subject_keys)),
               -- a retirement changes nothing but the end date: the retired ones, with theirs
               'retired', (SELECT coalesce(jsonb_object_agg(g.code, to_char(g.valid_to, 'YYYY-MM-DD')),
                                           '{}'::jsonb)
                           FROM grid_nodes g WHERE g.code = ANY (subject_keys) AND g.valid_to IS NOT NULL))
      FROM (SELECT level, count(*) AS n FROM grid_nodes WHERE code = ANY (subject_keys) GROUP BY level) l
      HAVING count(*) > 0)
    WHEN 'officers' THEN (
      SELECT jsonb_agg(jsonb_build_object(
               'code', o.code, 'name', o.name, 'phone', o.phone, 'active', o.active,
               'cells', (SELECT count(*) FROM officer_cells oc WHERE oc.officer_id = o.id),
               -- the duties not yet ended: what an assignment, handover or end changes (left
               -- out of a bulk load's record, which would otherwise hold the whole district)
               'duties', CASE WHEN cardinality(subject_keys) <= 20 THEN (
                 SELECT coalesce(jsonb_agg(jsonb_build_object(
                          'id', oc.id, 'duty', oc.duty, 'cell', oc.cell_code,
                          'from', to_char(oc.valid_from, 'YYYY-MM-DD'),
                          'to', to_char(oc.valid_to, 'YYYY-MM-DD')) ORDER BY oc.id), '[]'::jsonb)
                 FROM officer_cells oc
                 WHERE oc.officer_id = o.id
                   AND gridcase_not_ended(oc.valid_to)) END)
             ORDER BY o.code)
      FROM officers o WHERE o.code = ANY (subject_keys))
    WHEN 'units' THEN (
      SELECT jsonb_agg(jsonb_build_object(
               'code', u.code, 'name', u.name, 'type', u.type, 'scope', u.scope_code,
               'active', u.active) ORDER BY u.code)
      FROM units u WHERE u.code = ANY (subject_keys))
    WHEN 'calendar' THEN (
      SELECT jsonb_build_object(
               'utc_offset_minutes', w.utc_offset_minutes,
               'working_periods', (
                 SELECT coalesce(jsonb_agg(jsonb_build_object(
                          'weekday', (ARRAY['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'])[p.weekday + 1],
                          'start', lpad((p.start_minute / 60)::text, 2, '0') || ':' ||
                                   lpad((p.start_minute % 60)::text, 2, '0'),
                          'end', lpad((p.end_minute / 60)::text, 2, '0') || ':' ||
                                 lpad((p.end_minute % 60)::text, 2, '0'))
                        ORDER BY p.weekday, p.start_minute), '[]'::jsonb)
                 FROM work_calendar_periods p),
               'fixed_holidays', (
                 SELECT coalesce(jsonb_agg(lpad(f.month::text, 2, '0') || '-' || lpad(f.day::text, 2, '0')
                                           ORDER BY f.month, f.day), '[]'::jsonb)
                 FROM work_calendar_fixed_holidays f),
               'holidays', (
                 SELECT coalesce(jsonb_agg(to_char(d.day, 'YYYY-MM-DD') ORDER BY d.day), '[]'::jsonb)
                 FROM work_calendar_dates d WHERE d.kind = 'holiday'),
               'swapped_working_days', (
                 SELECT coalesce(jsonb_agg(to_char(d.day, 'YYYY-MM-DD') ORDER BY d.day), '[]'::jsonb)
                 FROM work_calendar_dates d WHERE d.kind = 'working_day'))
      FROM work_calendar w WHERE w.id = 1)
    WHEN 'reporter' THEN (
      SELECT jsonb_build_object(
               'case_no', c.case_no, 'status', c.status, 'closed_at', gridcase_iso(c.closed_at),
               'name_kept', c.reporter_name IS NOT NULL, 'phone_kept', c.reporter_phone IS NOT NULL)
      FROM cases c WHERE c.case_no = subject_keys[1])
    WHEN 'webhook' THEN (
      SELECT jsonb_build_object(
               'id', w.id, 'account', w.account, 'url', w.url, 'events', to_jsonb(w.events),
               'active', w.active)
      FROM webhooks w
      WHERE w.id = CASE WHEN subject_keys[1] ~ '^[0-9]{1,18}$' THEN subject_keys[1]::bigint END)
  END
$$;
