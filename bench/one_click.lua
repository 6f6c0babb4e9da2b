-- wrk script: RFC 8058 one-click POSTs, each over a distinct token read from the file in env TOKENS.
-- env PACE_MS: delay before each request on a connection (paces the rate: connections / (PACE_MS + latency)).
local paths = {}
for line in io.lines(os.getenv("TOKENS")) do paths[#paths + 1] = line end
local pace = tonumber(os.getenv("PACE_MS") or "0")
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  -- Each wrk thread walks its own stride of the token list, so no token is used twice.
  nthreads = tonumber(os.getenv("WRK_THREADS") or "2")
  index = id
  non2xx = 0
  reused = 0
end

function delay()
  return pace
end

function request()
  local path = paths[index]
  index = index + nthreads
  if path == nil then
    -- Out of distinct tokens: replay the first one (idempotent) and count it, so the report says so.
    path = paths[1]
    reused = reused + 1
  end
  return wrk.format("POST", path, { ["Content-Type"] = "application/x-www-form-urlencoded" },
    "List-Unsubscribe=One-Click")
end

function response(status, headers, body)
  if status ~= 200 then non2xx = non2xx + 1 end
end

function done(summary, latency, requests)
  local bad, again = 0, 0
  for _, t in ipairs(threads) do
    bad = bad + (t:get("non2xx") or 0)
    again = again + (t:get("reused") or 0)
  end
  io.write(string.format("requests: %d  non-200: %d  replayed tokens: %d  rate: %.0f/s\n", summary.requests, bad, again,
    summary.requests / (summary.duration / 1e6)))
  for _, p in ipairs({ 50, 90, 99, 99.9 }) do
    io.write(string.format("p%s: %.2f ms\n", p, latency:percentile(p) / 1000))
  end
end
