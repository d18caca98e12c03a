-- wrk script for scripts/reliability.sh soak: a mixed workload of the three benchmarked routes,
-- each as the account that uses it in production:
--   55% GET /api/v1/grid/locate at a random point of the demo extent (the demo dispatcher),
--   30% GET /api/v1/cases?limit=50 (the demo street supervisor: their street's 50 newest),
--   15% POST /api/v1/cases, a 12345-hotline report with a unique Idempotency-Key (integration).
-- Environment: SOAK_TOKEN_DISPATCHER, SOAK_TOKEN_SUPERVISOR, SOAK_TOKEN_INTEGRATION (bearer
-- tokens), SOAK_RUN (makes the keys unique across runs), SOAK_DELAY_MS (pause of each connection
-- after each answer; 0 = as fast as the server answers). Answers of 500 and above are counted.
dofile("bench/wrk_common.lua")

local locate_auth, list_auth, intake_headers, run, pause
local sent = 0
server_errors = 0

function prepare()
  locate_auth = { ["Authorization"] = "Bearer " .. os.getenv("SOAK_TOKEN_DISPATCHER") }
  list_auth = { ["Authorization"] = "Bearer " .. os.getenv("SOAK_TOKEN_SUPERVISOR") }
  intake_headers = {
    ["Authorization"] = "Bearer " .. os.getenv("SOAK_TOKEN_INTEGRATION"),
    ["Content-Type"] = "application/json",
  }
  run = os.getenv("SOAK_RUN") or "run"
  pause = tonumber(os.getenv("SOAK_DELAY_MS") or "0")
end

function request()
  local draw = math.random(1, 100)
  local lon = 109.78 + math.random(0, 80000) / 1000000.0
  local lat = 40.61 + math.random(0, 60000) / 1000000.0
  if draw <= 55 then
    return wrk.format("GET", string.format("/api/v1/grid/locate?lon=%.6f&lat=%.6f", lon, lat),
                      locate_auth)
  elseif draw <= 85 then
    return wrk.format("GET", "/api/v1/cases?limit=50", list_auth)
  end
  sent = sent + 1
  intake_headers["Idempotency-Key"] = string.format("soak-%s-%d-%d", run, id, sent)
  return wrk.format("POST", "/api/v1/cases", intake_headers, intake_body(lon, lat, "soak"))
end

function response(status, headers, body)
  if status >= 500 then server_errors = server_errors + 1 end
end

function delay()
  return pause
end
