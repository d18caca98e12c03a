-- wrk script for bench/query: one GET /api/v1/cases?limit=50 per request, as the demo supervisor
-- (scope: street 150203004): the street's 50 newest cases.
dofile("bench/wrk_common.lua")

function request()
  return wrk.format("GET", "/api/v1/cases?limit=50")
end
