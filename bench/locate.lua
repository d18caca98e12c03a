-- wrk script for bench/locate: one GET /api/v1/grid/locate per request at a uniformly random
-- point of the demo extent (lon 109.78–109.86, lat 40.61–40.67) on a 1e-6° lattice, the same
-- distribution bench/locate gives pgbench.
dofile("bench/wrk_common.lua")

function request()
  local lon = 109.78 + math.random(0, 80000) / 1000000.0
  local lat = 40.61 + math.random(0, 60000) / 1000000.0
  return wrk.format("GET", string.format("/api/v1/grid/locate?lon=%.6f&lat=%.6f", lon, lat))
end
