-- wrk script for POST /v1/responses (OpenAI Responses) with the headers Codex CLI 0.171.0 sends
-- (`codex exec`, see relay-node/src/test/resources/codex-cli/README.md).
-- wrk ... -s bench/wrk/responses.lua <url> -- <api-key> <stream:true|false> <sessions-per-thread> <run-id>
-- Each thread rotates through its own sessions (session-id = thread-id = x-client-request-id = body
-- prompt_cache_key, as Codex sends them), so the run has one session per connection when
-- sessions-per-thread = connections / threads. The key goes as Authorization: Bearer <key>.
-- BENCH_THINK_MS paces the requests as in messages.lua.
-- done() prints one JSON line (latencies in microseconds) after a line "BENCH_JSON".

local next_id = 0

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

-- One Codex request body: the developer message, the user's prompt, one tool, unstored and (usually) streamed.
local function body(stream, session)
  return '{"model":"gpt-5-codex","stream":' .. tostring(stream) .. ',"store":false,' ..
    '"input":[{"type":"message","role":"developer","content":[{"type":"input_text","text":' ..
    '"You are Codex, a coding agent based on GPT-5. You and the user share the same workspace."}]},' ..
    '{"type":"message","role":"user","content":[{"type":"input_text","text":"Explain what this repository does. ' ..
    string.rep("Context line for a realistic request body size. ", 20) .. '"}]}],' ..
    '"tools":[{"type":"function","name":"exec_command","description":"Runs a command in a PTY.",' ..
    '"strict":false,"parameters":{"type":"object","properties":{"cmd":{"type":"string"},' ..
    '"workdir":{"type":"string"}},"required":["cmd"],"additionalProperties":false}}],' ..
    '"tool_choice":"auto","parallel_tool_calls":false,"reasoning":{"effort":"medium"},' ..
    '"include":["reasoning.encrypted_content"],"prompt_cache_key":"' .. session .. '"}'
end

function init(args)
  local key = args[1] or ""
  local stream = (args[2] or "true") == "true"
  count = tonumber(args[3] or "1")
  local run = args[4] or "run"
  for n = 1, count do
    local session = string.format("bench-%s-%d-%d", run, thread_id, n)
    local headers = {
      ["content-type"] = "application/json",
      ["accept"] = "text/event-stream",
      ["accept-encoding"] = "zstd,gzip",
      ["originator"] = "codex_exec",
      ["user-agent"] = "codex_exec/0.171.0 (Debian 12.0.0; x86_64) xterm (codex_exec; 0.171.0)",
      ["session-id"] = session,
      ["thread-id"] = session,
      ["x-client-request-id"] = session,
      ["x-codex-window-id"] = session .. ":0",
      ["x-codex-beta-features"] = "remote_compaction_v2",
    }
    if key ~= "" then headers["authorization"] = "Bearer " .. key end
    requests[n] = wrk.format("POST", nil, headers, body(stream, session))
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
