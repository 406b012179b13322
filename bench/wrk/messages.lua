-- wrk script for POST /v1/messages with the headers Claude Code sends.
-- wrk ... -s bench/wrk/messages.lua <url> -- <api-key> <stream:true|false> <sessions-per-thread> <run-id>
-- Each thread rotates through its own sessions (x-claude-code-session-id), so the run has one
-- session per connection when sessions-per-thread = connections / threads.
-- done() prints one JSON line (latencies in microseconds) after a line "BENCH_JSON".

local next_id = 0

-- Paced runs: BENCH_THINK_MS set makes each connection wait a random 0.5-1.5 x that many milliseconds
-- before each request (wrk looks for delay() when it loads the script, so this is decided here, not in
-- init). The latencies wrk reports do not include the wait.
local think_ms = tonumber(os.getenv("BENCH_THINK_MS") or "0") or 0
if think_ms > 0 then
  function delay()
    return math.floor(think_ms * (0.5 + math.random()))
  end
end

function setup(thread)
  next_id = next_id + 1
  thread:set("thread_id", next_id)
end

local requests, count, i = {}, 0, 0

function init(args)
  local key = args[1] or ""
  local stream = (args[2] or "true") == "true"
  count = tonumber(args[3] or "1")
  local run = args[4] or "run"
  local body = '{"model":"claude-sonnet-4-5-20250929","max_tokens":32000,"stream":' .. tostring(stream) ..
    ',"system":[{"type":"text","text":"You are Claude Code, Anthropic\'s official CLI for Claude.",' ..
    '"cache_control":{"type":"ephemeral"}}],' ..
    '"messages":[{"role":"user","content":[{"type":"text","text":"Explain what this repository does. ' ..
    string.rep("Context line for a realistic request body size. ", 20) ..
    '","cache_control":{"type":"ephemeral"}}]}],' ..
    '"metadata":{"user_id":"user_bench_account__session_' .. run .. '"}}'
  for n = 1, count do
    local headers = {
      ["content-type"] = "application/json",
      ["anthropic-version"] = "2023-06-01",
      ["anthropic-beta"] = "claude-code-20250219,interleaved-thinking-2025-05-14",
      ["user-agent"] = "claude-cli/2.0.0 (external, cli)",
      ["x-app"] = "cli",
      ["x-claude-code-session-id"] = string.format("bench-%s-%d-%d", run, thread_id, n),
    }
    if key ~= "" then headers["x-api-key"] = key end
    requests[n] = wrk.format("POST", nil, headers, body)
  end
end

function request()
  i = i % count + 1
  return requests[i]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write("BENCH_JSON\n")
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"bytes":%d,"non2xx":%d,"connect_errors":%d,"read_errors":%d,' ..
    '"write_errors":%d,"timeouts":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
