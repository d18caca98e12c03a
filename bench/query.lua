-- wrk script for bench/query: one GET /api/v1/cases?grid=<street>&limit=50 per request (a street's
-- first page, newest first), the street drawn uniformly from the demo district's twelve urban
-- streets 150203001–150203012, as bench/query draws it for pgbench.
dofile("bench/wrk_common.lua")

function request()
  return wrk.format("GET", string.format("/api/v1/cases?grid=%d&limit=50", 150203000 + math.random(1, 12)))
end
