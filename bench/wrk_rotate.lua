-- wrk script: rotate over session cookies (one per line in the file given after `--`), count every
-- answer that is not 200, and print a JSON summary line the Python side parses.
local cookies = {}
local counter = 0
local non_200 = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  if args[1] then
    for line in io.lines(args[1]) do
      if #line > 0 then table.insert(cookies, line) end
    end
  end
  counter = math.random(1, 1000)
end

function request()
  if #cookies == 0 then
    return wrk.format("GET")
  end
  counter = counter + 1
  return wrk.format("GET", nil, { Cookie = cookies[(counter % #cookies) + 1] })
end

function response(status, headers, body)
  if status ~= 200 then non_200 = non_200 + 1 end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + (thread:get("non_200") or 0) end
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "non_200": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d}, ' ..
    '"latency_us": {"mean": %.1f, "p50": %d, "p90": %d, "p99": %d, "max": %d}}\n',
    summary.requests, summary.duration, bad, e.connect, e.read, e.write, e.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
