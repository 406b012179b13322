# One fresh node on the mock, for the scripts that study one jar (profile-one.sh, paced-where.sh). Sourced.
# Globals used: BENCH_DIR WORK (and relay.sh's). Sets the settings below, MOCK_PID and relay.sh's globals.

KEY_CONCURRENCY=20000
MOCK_PORT=${BENCH_MOCK_PORT:-18089}
RELAY_PORT=${BENCH_RELAY_PORT:-13900}
CLUSTER_PORT=${BENCH_CLUSTER_PORT:-25590}
RELAY_HEAP=${RELAY_HEAP:-512m}
BENCH_JAR=$BENCH_DIR/target/bench.jar
RESULTS_DIR=${BENCH_RESULTS_DIR:-$BENCH_DIR/results}
MOCK_PID=

# one_node_up JAR [extra JVM options…]: the mock, a node of JAR (embedded H2 in WORK, -Xmx$RELAY_HEAP, no
# class-data archive) with one account on the mock and one key, and a first request through it.
one_node_up() {
  local jar=$1; shift
  ensure_wrk
  raise_nofile 65536
  mkdir -p "$RESULTS_DIR" "$WORK/jar"
  cp -p "$jar" "$WORK/jar/relay-node.jar"
  RELAY_JAR=$WORK/jar/relay-node.jar RELAY_CLASS_ARCHIVE=off DATA_DIR=$WORK/data
  java -Xmx512m -XX:+UseParallelGC -jar "$BENCH_JAR" --port "$MOCK_PORT" --threads 2 > "$WORK/mock.log" 2>&1 &
  MOCK_PID=$!
  wait_http "http://127.0.0.1:$MOCK_PORT/health" 30 || die "the mock did not start"
  KEY=""
  start_relay relay "$@"
  wait_http "http://127.0.0.1:$RELAY_PORT/health" 120 || die "the node did not start"
  admin_setup
  [[ $(relay_request /v1/messages '{"model":"claude-sonnet-4-5-20250929","max_tokens":16,"messages":[{"role":"user","content":"hi"}]}') == 200 ]] \
    || die "a first request through the node failed"
}

# one_node_down: stops the node and the mock (for trap … EXIT).
one_node_down() {
  stop_relay
  if [[ -n $MOCK_PID ]]; then kill "$MOCK_PID" 2>/dev/null || true; wait "$MOCK_PID" 2>/dev/null || true; fi
}
