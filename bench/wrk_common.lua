-- Shared by the wrk scripts of bench/ (loaded with dofile from the repository root): one random
-- seed per thread, and one machine-readable result line at the end that bench/lib.sh reads.
-- A script may define `prepare()` to run once per thread after seeding (e.g. to set headers),
-- and count answers of 500 and above in a thread global `server_errors` (reported as such).

local threads = {}

-- A 12345-hotline intake at (lon, lat), as bench/intake and bench/soak send it; `tag` ends the
-- description.
function intake_body(lon, lat, tag)
  return string.format(
    '{"channel":"hotline_12345","description":"路边占道经营 %s","lon":%.6f,"lat":%.6f,' ..
    '"category":"event:0101","reporter":{"name":"张三","phone":"13812345678"},' ..
    '"call":{"started_at":"2026-11-30T01:00:00Z","ended_at":"2026-11-30T01:03:00Z","operator":"op-07"}}',
    tag, lon, lat)
end

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() * 1000 + id)
  if prepare then prepare() end
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors
  local server_errors = 0
  for _, thread in ipairs(threads) do server_errors = server_errors + (thread:get("server_errors") or 0) end
  io.write(string.format(
    "WRK requests=%d seconds=%.3f rps=%.1f mean_ms=%.3f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f " ..
    "non2xx=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d server_errors=%d\n",
    summary.requests, seconds, summary.requests / seconds, latency.mean / 1000,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    errors.status, errors.connect, errors.read, errors.write, errors.timeout, server_errors))
end
