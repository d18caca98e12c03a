-- The report of a past night (issue 12; docs/reports.md, "Cost of a night"). Its facts concern
-- the cases with an event in the period and those open at its end. The second set was read as
-- "every case with an event since the period began, and every case open now": for a night of
-- last January that is nearly every case of the year (7.7 M events, 920 k cases on the
-- 1,000,000-case bench), so storing a year of nights took hours. A case's lifetime, from its
-- receipt until it last reached its final status (closed or rejected; closed_at, NULL while it
-- is open), holds every instant it was open: received before the end, and not closed for good
-- before it. A reopened case's lifetime also holds the time it spent closed, which only adds a
-- case the facts then show as closed at that end. This index finds the cases whose lifetime
-- holds an instant, for an old night as for last night.
-- The lower bound is the earlier of the two: a closed_at before received_at (a backdated data fix,
-- or two server clocks up to 1 s apart closing a case within a second of its receipt) gives an
-- empty lifetime instead of failing the write that sets it.
CREATE INDEX cases_lifetime_idx ON cases
  USING gist (tstzrange(least(received_at, closed_at), closed_at, '(]'));
