# Starts, stops and sets up one relay node (embedded H2, everything on). Sourced by run.sh.
# Globals used: RELAY_JAR RELAY_PORT CLUSTER_PORT DATA_DIR ADMIN_PASSWORD WORK RELAY_HEAP.
# Sets RELAY_PID; admin_setup sets ADMIN_TOKEN, KEY, KEY_ID, ACCOUNT_ID.

RELAY_PID=
RELAY_CLASS_ARCHIVE=off

# start_relay LOGNAME [extra JVM options…]: launches the node in the background through
# deploy/run-node.sh, as the README starts it (the class-data archive RELAY_CLASS_ARCHIVE, or off);
# returns at once. The options must not contain spaces (JAVA_OPTS is split on them).
start_relay() {
  local name=$1; shift
  PORT=$RELAY_PORT HOST=127.0.0.1 CLUSTER_PORT=$CLUSTER_PORT CLUSTER_HOST=127.0.0.1 \
  RELAY_DATA_DIR=$DATA_DIR ADMIN_USERNAME=admin ADMIN_PASSWORD=$ADMIN_PASSWORD \
    RELAY_JAR=$RELAY_JAR RELAY_CLASS_ARCHIVE=$RELAY_CLASS_ARCHIVE JAVA_OPTS="-Xmx$RELAY_HEAP $*" \
    "$ROOT/deploy/run-node.sh" > "$WORK/$name.log" 2>&1 &
  RELAY_PID=$!
}

stop_relay() {
  [[ -n $RELAY_PID ]] || return 0
  if kill -0 "$RELAY_PID" 2>/dev/null; then
    kill -TERM "$RELAY_PID" 2>/dev/null || true
    local i=0
    while kill -0 "$RELAY_PID" 2>/dev/null && (( i < 300 )); do sleep 0.1; i=$((i + 1)); done
    if kill -0 "$RELAY_PID" 2>/dev/null; then
      log "relay $RELAY_PID did not stop in 30 s; killing it"
      kill -KILL "$RELAY_PID" 2>/dev/null || true
    fi
  fi
  wait "$RELAY_PID" 2>/dev/null || true
  RELAY_PID=
}

# relay_request PATH BODY: one relay call with the bench key; prints the HTTP status.
relay_request() {
  curl -s -o /dev/null -w '%{http_code}' --max-time 10 "http://127.0.0.1:$RELAY_PORT$1" \
    -H 'content-type: application/json' -H 'anthropic-version: 2023-06-01' -H "x-api-key: $KEY" \
    -H 'x-claude-code-session-id: bench-probe' -d "$2" || true
}

# wait_first_served START_MS LIMIT_S: polls a non-streaming relay request every 20 ms until it is
# answered 200; prints the milliseconds from START_MS (the launch) to that answer.
wait_first_served() {
  local start=$1 limit=$2 code
  local body='{"model":"claude-sonnet-4-5-20250929","max_tokens":16,"messages":[{"role":"user","content":"ping"}]}'
  while (( $(now_ms) - start < limit * 1000 )); do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$RELAY_PORT/v1/messages" \
      -H 'content-type: application/json' -H "x-api-key: $KEY" -H 'x-claude-code-session-id: bench-startup' \
      -d "$body" || true)
    if [[ $code == 200 ]]; then echo $(( $(now_ms) - start )); return 0; fi
    kill -0 "$RELAY_PID" 2>/dev/null || return 1
    sleep 0.02
  done
  return 1
}

admin() { # admin METHOD PATH [BODY]
  curl -s --max-time 10 -X "$1" "http://127.0.0.1:$RELAY_PORT/admin/api$2" \
    -H "Authorization: Bearer $ADMIN_TOKEN" -H 'content-type: application/json' ${3:+-d "$3"}
}

# Admin sessions live in the node's memory (no Redis here): log in again after every start.
admin_login() {
  ADMIN_TOKEN=$(curl -s --max-time 10 "http://127.0.0.1:$RELAY_PORT/admin/api/login" -H 'content-type: application/json' \
    -d "{\"username\":\"admin\",\"password\":\"$ADMIN_PASSWORD\"}" | json_get token) || die "admin login failed"
}

admin_setup() {
  admin_login
  local account key
  account=$(admin POST /accounts "{\"name\":\"bench-mock\",\"platform\":\"claude\",\"type\":\"claude-console\",\
\"baseUrl\":\"http://127.0.0.1:$MOCK_PORT\",\"apiKey\":\"sk-ant-api03-bench-mock-key\",\"priority\":10,\"maxConcurrency\":0}")
  ACCOUNT_ID=$(json_get id <<< "$account") || die "creating the account failed: $account"
  # BENCH_KEY_LIMITS: more of the key's limits, as members of the admin API's key JSON (e.g.
  # '"dailyCostLimit": 100000'), so a run measures a key whose rate window or cost limit is checked too.
  key=$(admin POST /keys "{\"name\":\"bench\",\"concurrencyLimit\":$KEY_CONCURRENCY${BENCH_KEY_LIMITS:+,$BENCH_KEY_LIMITS}}")
  KEY=$(json_get key <<< "$key") || die "creating the key failed: $key"
  KEY_ID=$(json_get id <<< "$key")
  log "account $ACCOUNT_ID -> mock :$MOCK_PORT; key $KEY_ID (concurrency limit $KEY_CONCURRENCY${BENCH_KEY_LIMITS:+, $BENCH_KEY_LIMITS})"
}

# add_openai_account: one openai-api account on the mock (the relay calls {baseUrl}/v1/responses with
# Authorization: Bearer <apiKey>); the key admin_setup made serves every pool. Sets OPENAI_ACCOUNT_ID.
add_openai_account() {
  local account
  account=$(admin POST /accounts "{\"name\":\"bench-mock-openai\",\"platform\":\"openai\",\"type\":\"openai-api\",\
\"baseUrl\":\"http://127.0.0.1:$MOCK_PORT\",\"apiKey\":\"sk-bench-mock-openai-key\",\"priority\":10,\"maxConcurrency\":0}")
  OPENAI_ACCOUNT_ID=$(json_get id <<< "$account") || die "creating the openai-api account failed: $account"
  log "openai-api account $OPENAI_ACCOUNT_ID -> mock :$MOCK_PORT"
}

# responses_request BODY: one Responses call through the relay with the bench key; prints the HTTP status.
responses_request() {
  curl -s -o /dev/null -w '%{http_code}' --max-time 10 "http://127.0.0.1:$RELAY_PORT/openai/v1/responses" \
    -H 'content-type: application/json' -H 'originator: codex_exec' -H "authorization: Bearer $KEY" \
    -H 'session-id: bench-probe' -d "$1" || true
}

# add_gemini_account: one gemini-api account on the mock (the relay calls
# {baseUrl}/v1beta/models/{model}:streamGenerateContent?alt=sse with x-goog-api-key). Sets GEMINI_ACCOUNT_ID.
add_gemini_account() {
  local account
  account=$(admin POST /accounts "{\"name\":\"bench-mock-gemini\",\"platform\":\"gemini\",\"type\":\"gemini-api\",\
\"baseUrl\":\"http://127.0.0.1:$MOCK_PORT\",\"apiKey\":\"AIza-bench-mock-gemini-key\",\"priority\":10,\"maxConcurrency\":0}")
  GEMINI_ACCOUNT_ID=$(json_get id <<< "$account") || die "creating the gemini-api account failed: $account"
  log "gemini-api account $GEMINI_ACCOUNT_ID -> mock :$MOCK_PORT"
}

# gemini_request BODY: one generateContent call through the relay with the bench key; prints the HTTP status.
gemini_request() {
  curl -s -o /dev/null -w '%{http_code}' --max-time 10 \
    "http://127.0.0.1:$RELAY_PORT/gemini/v1beta/models/gemini-2.5-pro:generateContent" \
    -H 'content-type: application/json' -H "x-goog-api-key: $KEY" -d "$1" || true
}
