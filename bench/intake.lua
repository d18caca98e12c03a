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
  local body = string.format(
    '{"channel":"hotline_12345","description":"路边占道经营 bench","lon":%.6f,"lat":%.6f,' ..
    '"category":"event:0101","reporter":{"name":"张三","phone":"13812345678"},' ..
    '"call":{"started_at":"2026-11-30T01:00:00Z","ended_at":"2026-11-30T01:03:00Z","operator":"op-07"}}',
    lon, lat)
  return wrk.format("POST", "/api/v1/cases", nil, body)
end
