-- The webhook outbox (sql/029_webhooks.sql, docs/integrations.md "Webhooks") is written by the
-- transaction that writes the event: a trigger, so that every writer of case_events (the
-- actions, intake, the scheduler's overdue and escalated events, replies passed on to merged
-- duplicates, relocations by a grid change) feeds it and none can forget to.
--
-- A webhook of an active integration account receives
--   case.<action>      every event of a case the account submitted, when it subscribes to that
--                      type or to case.*;
--   notice.task        a dispatch or reassign of a case inside the account's scope (to a unit, for
--                      a unit-scoped account: the tasks of that unit);
--   notice.urge        an urge of a case inside its scope;
--   notice.escalation  an escalated event of a case inside its scope.
-- One delivery per webhook and event: a case.<action> type wins over a notice of the same event.
-- The body is Standard Webhooks' {type, timestamp, data}; data holds the event
-- (gridcase_public_event_json) and the case: for case.<action>, as the account reads its own
-- case (gridcase_case_json with the integration's confinement: masked reporter, no assignee,
-- officers by code only); for a notice, gridcase_notice_case_json's few public fields.
CREATE OR REPLACE FUNCTION gridcase_enqueue_webhooks() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  notice text := CASE NEW.action WHEN 'dispatch' THEN 'notice.task' WHEN 'reassign' THEN 'notice.task'
                   WHEN 'urge' THEN 'notice.urge' WHEN 'escalated' THEN 'notice.escalation' END;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM webhooks WHERE active) THEN
    RETURN NULL;  -- the common case costs one index-free look at a tiny table
  END IF;
  INSERT INTO webhook_deliveries (webhook_id, event_id, case_id, type, body)
  SELECT w.id, NEW.id, c.id, m.type,
         json_build_object(
           'type', m.type, 'timestamp', gridcase_iso(NEW.at),
           'data', json_build_object(
             'event', gridcase_public_event_json(NEW),
             'case', CASE WHEN m.type LIKE 'notice.%' THEN gridcase_notice_case_json(c)
                          ELSE gridcase_case_json(c, false, u.scope_kind, u.scope_code, u.username)
                     END))::text
  FROM cases c
  JOIN webhooks w ON w.active
  JOIN users u ON u.username = w.account AND u.active AND 'integration' = ANY (u.roles)
  CROSS JOIN LATERAL (
    SELECT CASE
      WHEN c.received_by = w.account
           AND ('case.' || NEW.action = ANY (w.events) OR 'case.*' = ANY (w.events))
        THEN 'case.' || NEW.action
      WHEN notice = ANY (w.events)
           AND gridcase_in_scope(c.grid_path, c.unit_code, c.cell_code, u.scope_kind, u.scope_code)
        THEN notice
    END AS type) m
  WHERE c.id = NEW.case_id AND m.type IS NOT NULL
  ORDER BY w.id;
  RETURN NULL;
END;
$$;
CREATE OR REPLACE TRIGGER case_events_webhooks AFTER INSERT ON case_events
  FOR EACH ROW EXECUTE FUNCTION gridcase_enqueue_webhooks();
