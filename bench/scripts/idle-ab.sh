#!/usr/bin/env bash
# Heap per open stream, jar against jar: for each jar given (e.g. the old one and the new one), a fresh node
# (embedded H2, -Xmx$IDLE_RELAY_HEAP and the settings run.sh gives its idle-streams node), one account on the
# mock and one key, then IDLE_COUNT idle streams held open (scripts/idle.sh: live heap after a full GC, RSS,
# threads, the class histogram), then the node is stopped. Each jar's results go to results/idle-<name>.*.
#   bash bench/scripts/idle-ab.sh NAME=JAR [NAME=JAR …]      (IDLE_COUNT, default 10000, capped by open files)
#   (IDLE_NODE_EXTRA="-Dsome.setting=x": extra JVM options for every node of the run)
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROOT=$(dirname "$BENCH_DIR")
for f in common build relay load idle; do source "$BENCH_DIR/scripts/$f.sh"; done
(( $# )) || die "usage: bash bench/scripts/idle-ab.sh NAME=JAR [NAME=JAR ...]"

IDLE_COUNT=${IDLE_COUNT:-10000} IDLE_HOLD=${IDLE_HOLD:-20}
KEY_CONCURRENCY=20000
MOCK_PORT=${BENCH_MOCK_PORT:-18089}
RELAY_PORT=${BENCH_RELAY_PORT:-13900}
CLUSTER_PORT=${BENCH_CLUSTER_PORT:-25590}
IDLE_RELAY_HEAP=${IDLE_RELAY_HEAP:-2g}
RELAY_HEAP=$IDLE_RELAY_HEAP
BENCH_JAR=$BENCH_DIR/target/bench.jar
RESULTS_DIR=${BENCH_RESULTS_DIR:-$BENCH_DIR/results}
WORK=$(mktemp -d /tmp/relay-idle.XXXXXX)
ADMIN_PASSWORD="bench-$(date +%s)-admin"
MOCK_PID=
IDLE_NODE_OPTS=(-Drelay.http.max-connections=30000 -Dpekko.http.host-connection-pool.max-connections=16384
  -Dpekko.http.host-connection-pool.max-open-requests=32768)
# IDLE_NODE_EXTRA: more JVM options for every node of the run (a setting tried against the default).
read -r -a IDLE_EXTRA <<< "${IDLE_NODE_EXTRA:-}"
IDLE_NODE_OPTS+=("${IDLE_EXTRA[@]}")

cleanup() {
  stop_relay
  if [[ -n $MOCK_PID ]]; then kill "$MOCK_PID" 2>/dev/null || true; wait "$MOCK_PID" 2>/dev/null || true; fi
}
trap cleanup EXIT

raise_nofile 65536
mkdir -p "$RESULTS_DIR"
java -Xmx512m -XX:+UseParallelGC -jar "$BENCH_JAR" --port "$MOCK_PORT" --threads 2 > "$WORK/mock.log" 2>&1 &
MOCK_PID=$!
wait_http "http://127.0.0.1:$MOCK_PORT/health" 30 || die "the mock did not start"

for named in "$@"; do
  name=${named%%=*} RELAY_JAR=${named#*=}
  mkdir -p "$WORK/$name"
  cp -p "$RELAY_JAR" "$WORK/$name/relay-node.jar"
  RELAY_JAR=$WORK/$name/relay-node.jar RELAY_CLASS_ARCHIVE=off DATA_DIR=$WORK/data-$name
  RESULTS_JSONL=$RESULTS_DIR/idle-$name.jsonl
  : > "$RESULTS_JSONL"
  start_relay "relay-$name" "${IDLE_NODE_OPTS[@]}"
  wait_http "http://127.0.0.1:$RELAY_PORT/health" 120 || die "the $name node did not start"
  admin_setup
  [[ $(relay_request /v1/messages '{"model":"claude-sonnet-4-5-20250929","max_tokens":16,"messages":[{"role":"user","content":"hi"}]}') == 200 ]] \
    || die "a first request through the $name node failed"
  log "== $name ($named)"
  idle_streams "$IDLE_COUNT" "$IDLE_HOLD"
  cp "$RESULTS_DIR/idle-histogram.txt" "$RESULTS_DIR/idle-$name-histogram.txt"
  stop_relay
  rm -rf "$DATA_DIR"
done
log "done: $RESULTS_DIR/idle-*.jsonl (logs $WORK)"
