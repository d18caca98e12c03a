-- wrk script for bench/upload: one POST /api/v1/attachments per request, the bench photo
-- ($BENCH_PHOTO) with a trailer of its own after the JPEG's end, so that no two requests share
-- their SHA-256 and each is processed.
dofile("bench/wrk_common.lua")

local photo
local sent = 0

function prepare()
  local file = assert(io.open(os.getenv("BENCH_PHOTO"), "rb"))
  photo = file:read("*a")
  file:close()
  wrk.headers["Content-Type"] = "image/jpeg"
end

function request()
  sent = sent + 1
  local trailer = string.format("bench-%d-%d-%d-%d", os.time(), id, sent, math.random(1, 1e9))
  return wrk.format("POST", "/api/v1/attachments", nil, photo .. trailer)
end
