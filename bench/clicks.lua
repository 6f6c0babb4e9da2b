-- wrk script: GETs of tracked links (/r/<token>), each token read from the file in env TOKENS used once, with a
-- browser's user agent; counts answers other than 302.
local paths = {}
for line in io.lines(os.getenv("TOKENS")) do paths[#paths + 1] = line end
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end

function init(args)
  nthreads = tonumber(os.getenv("WRK_THREADS") or "2")
  index = id
  wrong = 0
end

function request()
  local path = paths[index]
  index = index + nthreads
  if path == nil then
    index = id
    path = paths[index]
  end
  return wrk.format("GET", path, {["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36"})
end

function response(status, headers, body)
  if status ~= 302 then wrong = wrong + 1 end
end

function done(summary, latency, requests)
  io.write(string.format("requests %d, p50 %.2f ms, p99 %.2f ms\n", summary.requests,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
