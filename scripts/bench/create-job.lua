-- wrk: POST a job for a random (customer, address) pair from PAIRS_FILE ("customer_id address_id"
-- per line) at a random hour between 2030 and 2050, so overlaps (refused by both stacks) are rare
-- and both servers do the same work: an overlap check and an insert. AUTH: optional header.
local pairs_list = {}
for line in io.lines(os.getenv("PAIRS_FILE")) do
  local c, a = line:match("^(%S+)%s+(%S+)$")
  if c then pairs_list[#pairs_list + 1] = { c, a } end
end
local auth = os.getenv("AUTH")
local path = os.getenv("JOBS_PATH") or "/jobs"
local thread_counter = 0
setup = function(thread)
  thread_counter = thread_counter + 1
  thread:set("seed", thread_counter)
end
init = function()
  -- A new sequence each run: a kept database still holds the jobs of earlier runs.
  math.randomseed(os.time() * 16 + (seed or 0))
end
request = function()
  local p = pairs_list[math.random(#pairs_list)]
  local start = os.time({ year = 2030, month = 1, day = 1, hour = 0 }) + 3600 * math.random(0, 20 * 365 * 24)
  local s = os.date("!%Y-%m-%dT%H:00:00Z", start)
  local e = os.date("!%Y-%m-%dT%H:59:00Z", start)
  local body = string.format('{"customer_id":"%s","address_id":"%s","schedule":{"scheduled_start":"%s","scheduled_end":"%s"}}', p[1], p[2], s, e)
  local headers = { ["Content-Type"] = "application/json" }
  if auth and auth ~= "" then headers["Authorization"] = auth end
  return wrk.format("POST", path, headers, body)
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT req/s=%.1f p50=%.2fms p90=%.2fms p95=%.2fms p99=%.2fms max=%.2fms n=%d errors=%d non2xx=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, summary.errors.status))
end
