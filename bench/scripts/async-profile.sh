#!/usr/bin/env bash
# A CPU and allocation profile of one relay jar with async-profiler (Maven Central's
# tools.profiler:async-profiler, loaded into the running node with jcmd), for what a JFR recording does not show:
# time in the kernel (thread wake-ups, socket calls) and every allocation site by bytes. The mock, a fresh node
# (embedded H2, -Xmx512m, as run.sh starts it), a warm-up at 64 streaming connections (180 s by default: the node
# still compiles for about two minutes), then PROFILE_SECONDS of CPU samples and as long of allocation samples,
# each at 64 connections, summarised by collapsed_top.py into results/async-NAME.md.
#   bash bench/scripts/async-profile.sh NAME JAR      (WARMUP_SECONDS 180, PROFILE_SECONDS 30)
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROOT=$(dirname "$BENCH_DIR")
for f in common build relay load; do source "$BENCH_DIR/scripts/$f.sh"; done
(( $# == 2 )) || die "usage: bash bench/scripts/async-profile.sh NAME JAR"
NAME=$1

AP_VERSION=4.1
WARMUP_SECONDS=${WARMUP_SECONDS:-180} PROFILE_SECONDS=${PROFILE_SECONDS:-30}
KEY_CONCURRENCY=20000
MOCK_PORT=${BENCH_MOCK_PORT:-18089}
RELAY_PORT=${BENCH_RELAY_PORT:-13900}
CLUSTER_PORT=${BENCH_CLUSTER_PORT:-25590}
RELAY_HEAP=${RELAY_HEAP:-512m}
BENCH_JAR=$BENCH_DIR/target/bench.jar
RESULTS_DIR=${BENCH_RESULTS_DIR:-$BENCH_DIR/results}
WORK=$(mktemp -d /tmp/relay-async.XXXXXX)
RESULTS_JSONL=$WORK/profile.jsonl
ADMIN_PASSWORD="bench-$(date +%s)-admin"
MOCK_PID=

cleanup() {
  stop_relay
  if [[ -n $MOCK_PID ]]; then kill "$MOCK_PID" 2>/dev/null || true; wait "$MOCK_PID" 2>/dev/null || true; fi
}
trap cleanup EXIT

# The profiler's native library, out of its jar in the local Maven repository.
AP_LIB=$WORK/ap/linux-x64/libasyncProfiler.so
mvn -B -q dependency:copy -Dartifact="tools.profiler:async-profiler:$AP_VERSION:jar:linux-x64" \
  -DoutputDirectory="$WORK/ap" > "$WORK/ap-fetch.log" 2>&1 || die "async-profiler $AP_VERSION could not be fetched"
python3 -m zipfile -e "$WORK/ap/async-profiler-$AP_VERSION-linux-x64.jar" "$WORK/ap"
[[ -f $AP_LIB ]] || die "no libasyncProfiler.so in async-profiler $AP_VERSION"

# jcmd reads name=value pairs out of its arguments: the agent's options go in quotes of their own.
profiler() { jcmd "$RELAY_PID" JVMTI.agent_load "$AP_LIB" "\"$1\"" > /dev/null || die "async-profiler: $1 failed"; }

ensure_wrk
raise_nofile 65536
mkdir -p "$RESULTS_DIR" "$WORK/jar"
cp -p "$2" "$WORK/jar/relay-node.jar"
RELAY_JAR=$WORK/jar/relay-node.jar RELAY_CLASS_ARCHIVE=off DATA_DIR=$WORK/data
java -Xmx512m -XX:+UseParallelGC -jar "$BENCH_JAR" --port "$MOCK_PORT" --threads 2 > "$WORK/mock.log" 2>&1 &
MOCK_PID=$!
wait_http "http://127.0.0.1:$MOCK_PORT/health" 30 || die "the mock did not start"
KEY=""
start_relay relay
wait_http "http://127.0.0.1:$RELAY_PORT/health" 120 || die "the node did not start"
admin_setup
[[ $(relay_request /v1/messages '{"model":"claude-sonnet-4-5-20250929","max_tokens":16,"messages":[{"role":"user","content":"hi"}]}') == 200 ]] \
  || die "a first request through the node failed"
run_wrk warmup relay 64 true "$WARMUP_SECONDS" 0
for event in cpu alloc; do
  profiler "start,event=$event,file=$WORK/$event.txt"
  run_wrk "async-$event-$NAME" relay 64 true "$PROFILE_SECONDS" 1
  profiler "stop,collapsed,file=$WORK/$event.collapsed"
done
python3 "$BENCH_DIR/scripts/collapsed_top.py" "$WORK/cpu.collapsed" "$WORK/alloc.collapsed" "$RESULTS_JSONL" \
  > "$RESULTS_DIR/async-$NAME.md"
log "done: $RESULTS_DIR/async-$NAME.md (stacks in $WORK)"
