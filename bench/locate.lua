-- wrk script for bench/locate: one GET /api/v1/grid/locate per request at a uniformly random
-- point of the demo extent (lon 109.78–109.86, lat 40.61–40.67) on a 1e-6° lattice, the same
-- distribution bench/locate gives pgbench. Prints one machine-readable line at the end.

local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() * 1000 + id)
end

function request()
  local lon = 109.78 + math.random(0, 80000) / 1000000.0
  local lat = 40.61 + math.random(0, 60000) / 1000000.0
  return wrk.format("GET", string.format("/api/v1/grid/locate?lon=%.6f&lat=%.6f", lon, lat))
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors
  io.write(string.format(
    "WRK requests=%d seconds=%.3f rps=%.1f mean_ms=%.3f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f " ..
    "non2xx=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d\n",
    summary.requests, seconds, summary.requests / seconds, latency.mean / 1000,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    errors.status, errors.connect, errors.read, errors.write, errors.timeout))
end
