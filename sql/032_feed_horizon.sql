-- The live feed's replay gap (issue 18; docs/architecture.md, "Replay"). Event ids come from a
-- sequence when the event is written, so an event can be numbered before another and commit
-- after it: a client that last saw the later one, reconnecting with its id as Last-Event-ID, was
-- never sent the earlier one. Each event now records its transaction (`xact`) and the snapshot
-- of the statement that wrote it (`snapshot`: which transactions had committed then). An event
-- numbered before event N that commits after N belongs to a transaction that N's snapshot does
-- not see (it was running, or took its id after the snapshot), so a replay after N sends the
-- events numbered after N and those numbered before it whose transaction N's snapshot does not
-- see. Transactions of other databases of the cluster, and those writing no event, never make a
-- replay longer.
--
-- Both are 64-bit transaction ids (xid8: no wrap-around) and survive a physical failover. Events
-- written before this migration have neither: they were committed long ago, and a replay after
-- one of them sends only the events numbered after it, as before. The columns are added without
-- a default first so that no stored event is rewritten.
ALTER TABLE case_events ADD COLUMN xact xid8, ADD COLUMN snapshot pg_snapshot;
ALTER TABLE case_events ALTER COLUMN xact SET DEFAULT pg_current_xact_id(),
  ALTER COLUMN snapshot SET DEFAULT pg_current_snapshot();

-- The replay's second half: the events of transactions at or after a snapshot's xmin.
CREATE INDEX case_events_xact_idx ON case_events (xact) WHERE xact IS NOT NULL;
