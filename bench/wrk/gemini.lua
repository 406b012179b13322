-- wrk script for the Gemini API's streamGenerateContent as Gemini CLI in API-key mode calls it
-- (x-goog-api-key, a systemInstruction, the user's turn, generationConfig with thinking).
-- wrk ... -s bench/wrk/gemini.lua <url> -- <api-key> <stream:true|false> <sessions-per-thread> <run-id>
-- The stream flag is in the URL (:streamGenerateContent?alt=sse or :generateContent), chosen by load.sh.
-- The Gemini API has no session header: the relay keys the session on a hash of the request's cacheable
-- prefix, so each session's first user turn names the session (one session per connection when
-- sessions-per-thread = connections / threads). BENCH_THINK_MS paces the requests as in messages.lua.
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

local function body(session)
  return '{"contents":[{"role":"user","parts":[{"text":"Session ' .. session .. '. Explain what this repository does. ' ..
    string.rep("Context line for a realistic request body size. ", 20) .. '"}]}],' ..
    '"systemInstruction":{"role":"user","parts":[{"text":"You are an interactive CLI agent specializing in ' ..
    'software engineering tasks."}]},' ..
    '"generationConfig":{"temperature":0,"topP":1,"thinkingConfig":{"includeThoughts":true,"thinkingBudget":-1}}}'
end

function init(args)
  local key = args[1] or ""
  count = tonumber(args[3] or "1")
  local run = args[4] or "run"
  for n = 1, count do
    local session = string.format("bench-%s-%d-%d", run, thread_id, n)
    local headers = {
      ["content-type"] = "application/json",
      ["user-agent"] = "GeminiCLI/0.61.0 (linux; x64)",
      ["x-goog-api-client"] = "google-genai-sdk/1.30.0 gl-node/v20.20.2",
    }
    if key ~= "" then headers["x-goog-api-key"] = key end
    requests[n] = wrk.format("POST", nil, headers, body(session))
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
