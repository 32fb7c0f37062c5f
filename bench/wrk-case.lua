-- wrk script for bench/response.sh: the case page (GET /api/cases/{id}).
--
-- Environment:
--   QORGAU_TOKEN   bearer token of an account that may read the case (required)
--   CASE_ID        the case's id (required)
--
-- Counts answers by class (a 404 or 401 would make the figures meaningless)
-- and prints lines the shell script parses:
--   BENCH answered / accepted / rejected N
--   BENCH p50_ms / p90_ms / p95_ms / p99_ms / max_ms
--   BENCH requests_per_s, socket_errors, bytes_per_answer

local token = os.getenv("QORGAU_TOKEN") or error("QORGAU_TOKEN is not set")
local case_id = os.getenv("CASE_ID") or error("CASE_ID is not set")

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   answered = 0
   accepted = 0
   rejected = 0
   wrk.method = "GET"
   wrk.path = "/api/cases/" .. case_id
   wrk.headers["Authorization"] = "Bearer " .. token
end

function response(status, hdrs, body)
   answered = answered + 1
   if status >= 200 and status < 300 then
      accepted = accepted + 1
   else
      rejected = rejected + 1
   end
end

function done(summary, latency, requests)
   local sums = { answered = 0, accepted = 0, rejected = 0 }
   for _, thread in ipairs(threads) do
      for k, _ in pairs(sums) do
         sums[k] = sums[k] + thread:get(k)
      end
   end
   for _, k in ipairs({ "answered", "accepted", "rejected" }) do
      io.write(string.format("BENCH %s %d\n", k, sums[k]))
   end
   for _, p in ipairs({ 50, 90, 95, 99 }) do
      io.write(string.format("BENCH p%d_ms %.2f\n", p, latency:percentile(p) / 1000))
   end
   io.write(string.format("BENCH max_ms %.2f\n", latency.max / 1000))
   io.write(string.format("BENCH requests_per_s %.1f\n", summary.requests / (summary.duration / 1e6)))
   io.write(string.format("BENCH socket_errors %d\n",
      summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
   if summary.requests > 0 then
      io.write(string.format("BENCH bytes_per_answer %d\n", summary.bytes / summary.requests))
   end
end
