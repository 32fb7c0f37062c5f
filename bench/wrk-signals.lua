-- wrk script for bench/response.sh: signal intake (POST /api/signals).
--
-- Every request is a distinct signal: its resource URL and its Telegram
-- handle carry the run's tag, the wrk thread's number and a per-thread
-- counter, so no report joins an earlier signal and each accepted request
-- must add exactly one row to signal_reports.
--
-- Environment:
--   QORGAU_TOKEN     bearer token of a partner_system account (required)
--   BENCH_TAG        distinguishes runs against the same database (default "run")
--   BENCH_IDS_FILE   if set, the signal ids of all 2xx answers are written
--                    there, one a line, so the script can look each one up
--                    in the database (nothing accepted and then lost)
--
-- The `response` callback counts answers by class and keeps the ids; `done`
-- sums the threads and prints lines the shell script parses:
--   BENCH sent N          requests written (each counter value used once)
--   BENCH answered N      answers read
--   BENCH accepted N      2xx answers (201 new signal; 200 would mean a join)
--   BENCH created N       201 answers
--   BENCH rejected N      non-2xx answers
--   BENCH p50_ms / p90_ms / p95_ms / p99_ms / max_ms    latency percentiles

local token = os.getenv("QORGAU_TOKEN") or error("QORGAU_TOKEN is not set")
local tag = os.getenv("BENCH_TAG") or "run"

local threads = {}
local next_thread = 0

function setup(thread)
   next_thread = next_thread + 1
   thread:set("tid", next_thread)
   table.insert(threads, thread)
end

function init(args)
   counter = 0
   answered = 0
   accepted = 0
   created = 0
   rejected = 0
   ids = {}
   headers = {
      ["Content-Type"] = "application/json",
      ["Authorization"] = "Bearer " .. token,
   }
end

function request()
   counter = counter + 1
   local key = string.format("%s-%d-%d", tag, tid, counter)
   local body = string.format(
      '{"resource":"https://bench.example.kz/ad/%s",' ..
      '"identifiers":[{"kind":"handle","value":"telegram:@bench_%s"}],' ..
      '"summary":"Synthetic benchmark signal %s: job abroad, free flight, write in Telegram",' ..
      '"scenario":"labour","risk":0.5}',
      key, string.gsub(key, "-", "_"), key)
   return wrk.format("POST", "/api/signals", headers, body)
end

function response(status, hdrs, body)
   answered = answered + 1
   if status >= 200 and status < 300 then
      accepted = accepted + 1
      if status == 201 then
         created = created + 1
      end
      local id = string.match(body, '"signal":"([^"]+)"')
      if id then
         ids[#ids + 1] = id
      end
   else
      rejected = rejected + 1
   end
end

function done(summary, latency, requests)
   local sums = { sent = 0, answered = 0, accepted = 0, created = 0, rejected = 0 }
   local file = nil
   local path = os.getenv("BENCH_IDS_FILE")
   if path and path ~= "" then
      file = assert(io.open(path, "w"))
   end
   for _, thread in ipairs(threads) do
      sums.sent = sums.sent + thread:get("counter")
      sums.answered = sums.answered + thread:get("answered")
      sums.accepted = sums.accepted + thread:get("accepted")
      sums.created = sums.created + thread:get("created")
      sums.rejected = sums.rejected + thread:get("rejected")
      if file then
         for _, id in ipairs(thread:get("ids")) do
            file:write(id, "\n")
         end
      end
   end
   if file then
      file:close()
   end
   for _, k in ipairs({ "sent", "answered", "accepted", "created", "rejected" }) do
      io.write(string.format("BENCH %s %d\n", k, sums[k]))
   end
   for _, p in ipairs({ 50, 90, 95, 99 }) do
      io.write(string.format("BENCH p%d_ms %.2f\n", p, latency:percentile(p) / 1000))
   end
   io.write(string.format("BENCH max_ms %.2f\n", latency.max / 1000))
   io.write(string.format("BENCH requests_per_s %.1f\n", summary.requests / (summary.duration / 1e6)))
   io.write(string.format("BENCH socket_errors %d\n",
      summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
