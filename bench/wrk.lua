-- kesu benchmark request script for wrk: method, body and headers come from
-- the environment; done() prints one JSON line the harness parses.
local method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
local cookie = os.getenv("BENCH_COOKIE")
local token = os.getenv("BENCH_TOKEN")
local counter = 0
local threads = 0

setup = function(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

request = function()
  local headers = {}
  headers["Accept-Language"] = "zh-hans"
  if cookie and cookie ~= "" then headers["Cookie"] = cookie end
  if token and token ~= "" then headers["Authorization"] = "Bearer " .. token end
  local b = nil
  if body and body ~= "" then
    counter = counter + 1
    headers["Content-Type"] = "application/json"
    b = string.gsub(body, "__N__", tostring(tid or 0) .. "x" .. tostring(counter))
  end
  return wrk.format(method, nil, headers, b)
end

done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
                 + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"seconds":%.3f,"errors":%d,"p50_ms":%.2f,"p95_ms":%.2f,"p99_ms":%.2f}\n',
    summary.requests, summary.duration / 1e6, errors,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000))
end
