-- wrk script for bench/intake: one POST /api/v1/cases per request, a 12345-hotline report at a
-- uniformly random point of the demo extent (the same distribution bench/intake gives pgbench),
-- submitted by the demo integration account.
dofile("bench/wrk_common.lua")

function prepare()
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  local lon = 109.78 + math.random(0, 80000) / 1000000.0
  local lat = 40.61 + math.random(0, 60000) / 1000000.0
  return wrk.format("POST", "/api/v1/cases", nil, intake_body(lon, lat, "bench"))
end
