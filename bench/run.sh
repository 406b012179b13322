#!/usr/bin/env bash
# Relay Cluster load benchmark: direct-to-mock vs through one relay node, interleaved and repeated.
#   bash bench/run.sh            full run (about 10 minutes), writes bench/RESULTS.md
#   bash bench/run.sh --quick    smoke check (about 3 minutes): 1 repetition, short runs, 1,000 idle streams
#   bash bench/run.sh --ab OLD_JAR [NEW_JAR]   old relay jar against new, interleaved (scripts/ab.sh, about 18 minutes)
# Options: --rebuild (build the jars even if present), --no-idle, --no-profile, --no-cluster, --no-client-compare.
# Ports (env): BENCH_MOCK_PORT (18089), BENCH_RELAY_PORT (13900), BENCH_CLUSTER_PORT (25590); RELAY_HEAP (512m).
# Output (env): BENCH_RESULTS_DIR (bench/results), BENCH_REPORT (bench/RESULTS.md), e.g. to smoke-test elsewhere.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
# bash bench/run.sh --ab OLD_JAR [NEW_JAR] [--quick] [--reps N] [--no-responses]: two relay jars against
# each other instead of the full run (bench/scripts/ab.sh).
if [[ ${1:-} == --ab ]]; then shift; exec bash "$BENCH_DIR/scripts/ab.sh" "$@"; fi
for f in common build relay load ttfb startup idle profile usage cluster; do source "$BENCH_DIR/scripts/$f.sh"; done

QUICK=0 REBUILD=0 IDLE=1 PROFILE=1 CLUSTER=1 COMPARE_CLIENTS=1
for arg in "$@"; do
  case $arg in
    --quick) QUICK=1 ;;
    --rebuild) REBUILD=1 ;;
    --no-idle) IDLE=0 ;;
    --no-profile) PROFILE=0 ;;
    --no-cluster) CLUSTER=0 ;;
    --no-client-compare) COMPARE_CLIENTS=0 ;;
    *) die "unknown option $arg (use --quick, --rebuild, --no-idle, --no-profile, --no-cluster, --no-client-compare)" ;;
  esac
done

if (( QUICK )); then
  STARTUP_REPS=1 REPS=1 RUN_SECONDS=3 WARMUP_SECONDS=5 TTFB_SAMPLES=5 IDLE_COUNT=1000 IDLE_HOLD=5 PROFILE_SECONDS=5 MOCK_ALONE_SECONDS=3
  CLIENT_REPS=1 CLIENT_WARMUP_SECONDS=5
else
  STARTUP_REPS=3 REPS=3 RUN_SECONDS=10 WARMUP_SECONDS=60 TTFB_SAMPLES=20 IDLE_COUNT=10000 IDLE_HOLD=20 PROFILE_SECONDS=20 MOCK_ALONE_SECONDS=10
  CLIENT_REPS=2 CLIENT_WARMUP_SECONDS=60
fi
CONNECTIONS=(1 16 64 256)
# Paced runs at 64 connections: each connection waits 0.5-1.5 x this many ms before each request, so the
# offered load (at most 64 / 0.1 s = 640 req/s) stays under what the relay serves, and the latency is the
# relay's own work rather than the queue of a saturated machine.
PACED_THINK_MS=${BENCH_PACED_THINK_MS:-100}
CHUNK_DELAY_MS=10            # the delayed stream: 20 deltas, one every 10 ms (about 200 ms)
KEY_CONCURRENCY=20000        # the key's concurrency limit: admission is on, set above any load here
MOCK_PORT=${BENCH_MOCK_PORT:-18089}
RELAY_PORT=${BENCH_RELAY_PORT:-13900}
CLUSTER_PORT=${BENCH_CLUSTER_PORT:-25590}
RELAY_HEAP=${RELAY_HEAP:-512m}
# The idle-streams node gets room to show what it needs; the target is judged on its live heap after a full GC.
IDLE_RELAY_HEAP=${IDLE_RELAY_HEAP:-2g}
RELAY_JAR=$ROOT/relay-node/target/relay-node.jar
BENCH_JAR=$BENCH_DIR/target/bench.jar
# Settings a node needs to hold 10,000 streams; pekko-http's defaults (1,024 server connections,
# 256 pooled connections per upstream host) would refuse most of them. Used for the idle-streams node only.
IDLE_NODE_OPTS=("-Xmx$IDLE_RELAY_HEAP" -Drelay.http.max-connections=30000
  -Dpekko.http.host-connection-pool.max-connections=16384
  -Dpekko.http.host-connection-pool.max-open-requests=32768)

RESULTS_DIR=${BENCH_RESULTS_DIR:-$BENCH_DIR/results}   # raw measurements, profiles
REPORT=${BENCH_REPORT:-$BENCH_DIR/RESULTS.md}
WORK=$(mktemp -d /tmp/relay-bench.XXXXXX)
DATA_DIR=$WORK/data
ADMIN_PASSWORD="bench-$(date +%s)-admin"
RESULTS_JSONL=$RESULTS_DIR/measurements.jsonl
MOCK_PID=
STARTED=$(date -u +%Y-%m-%dT%H:%M:%SZ)

cleanup() {
  stop_relay
  if [[ -n $MOCK_PID ]]; then kill "$MOCK_PID" 2>/dev/null || true; wait "$MOCK_PID" 2>/dev/null || true; fi
}
trap cleanup EXIT

for port in "$MOCK_PORT" "$RELAY_PORT"; do
  curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/" && die "port $port is already in use; set BENCH_MOCK_PORT / BENCH_RELAY_PORT"
done
ensure_wrk
raise_nofile 65536
DAMON=$(damon_state)
[[ $DAMON == off ]] || log "the kernel's DAMON is $DAMON (recorded with the runs; see bench/what-bounds-it.md)"
build_if_needed "$REBUILD"
snapshot_jars
train_class_archive
mkdir -p "$RESULTS_DIR"
# Only what this run writes: other profiles in results/ (profile-batch.md) are cited by what-bounds-it.md.
rm -f "$RESULTS_DIR"/measurements.jsonl "$RESULTS_DIR"/profile-early.md "$RESULTS_DIR"/profile-late.md "$RESULTS_DIR"/relay*.jfr
log "work dir $WORK; results in $RESULTS_DIR"

# Machine and run description.
emit "$(BENCH_DAMON=$DAMON python3 - "$QUICK" "$REPS" "$RUN_SECONDS" "$RELAY_HEAP" "$STARTED" "$*" "$RELAY_JAR" "$ROOT" "$IDLE_RELAY_HEAP" "$PACED_THINK_MS" <<'PY'
import json, os, platform, subprocess, sys
quick, reps, secs, heap, started, args, jar, root, idle_heap, think = sys.argv[1:]
def sh(c):
    try: return subprocess.run(c, shell=True, capture_output=True, text=True, cwd=root).stdout.strip()
    except Exception: return ""
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
mem = next((int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal")), 0)
print(json.dumps({"kind": "meta", "started": started, "quick": quick == "1", "reps": int(reps),
  "run_seconds": int(secs), "paced_think_ms": int(think), "relay_heap": heap, "idle_relay_heap": idle_heap, "command": ("bash bench/run.sh " + args).strip(),
  "nproc": os.cpu_count(), "cpu": cpu, "mem_gib": round(mem / 1048576, 1), "kernel": platform.release(),
  "java": sh("java -version 2>&1 | head -1"), "wrk": sh("wrk -v 2>&1 | head -1"),
  "git": sh("git rev-parse --short HEAD") + (" + uncommitted changes" if sh("git status --porcelain -- relay-node protocol") else ""),
  "jar_built": sh("date -u -r " + jar + " +%Y-%m-%dT%H:%M:%SZ"), "loadavg_start": open("/proc/loadavg").read().split()[:3], "damon": os.environ.get("BENCH_DAMON", ""),
  "key_limits": os.environ.get("BENCH_KEY_LIMITS", "")}))
PY
)"

# 1. The mock, measured alone before any relay runs.
java -Xmx512m -XX:+UseParallelGC -jar "$BENCH_JAR" --port "$MOCK_PORT" --threads 2 > "$WORK/mock.log" 2>&1 &
MOCK_PID=$!
wait_http "http://127.0.0.1:$MOCK_PORT/health" 30 || die "the mock did not start: $(cat "$WORK/mock.log")"
log "$(head -1 "$WORK/mock.log")"
KEY=""
run_wrk warmup direct 64 true "$WARMUP_SECONDS" 0
run_wrk mock-alone direct 64 true "$MOCK_ALONE_SECONDS" 1
run_wrk mock-alone direct 256 true "$MOCK_ALONE_SECONDS" 1

# 2. A fresh node: admin login, one account pointing at the mock, one key; then restart it and time
#    the start-up to the first served relay request.
start_relay relay-setup
wait_http "http://127.0.0.1:$RELAY_PORT/health" 60 || die "the relay did not start: $(tail -20 "$WORK/relay-setup.log")"
admin_setup
[[ $(relay_request /v1/messages '{"model":"claude-sonnet-4-5-20250929","max_tokens":16,"messages":[{"role":"user","content":"hi"}]}') == 200 ]] \
  || die "a first relay request failed; log: $WORK/relay-setup.log"
stop_relay
# Start-up, three times each, alternating: as `java -jar` alone, and with the class-data archive as the
# README and the image start it. The last (archived) node stays up for the runs below.
ARCHIVE_TRAINED=$RELAY_CLASS_ARCHIVE
for ((rep = 1; rep <= STARTUP_REPS; rep++)); do
  RELAY_CLASS_ARCHIVE=off
  measure_startup small-journal-no-archive "relay-plain-$rep" || die "the relay did not come back"
  stop_relay
  RELAY_CLASS_ARCHIVE=$ARCHIVE_TRAINED
  [[ $RELAY_CLASS_ARCHIVE != off ]] || continue
  measure_startup small-journal "relay-main-$rep" || die "the relay did not come back"
  (( rep == STARTUP_REPS )) || stop_relay
done
[[ -n $RELAY_PID ]] || measure_startup small-journal-no-archive relay-main || die "the relay did not come back"

# 3. Warm-up, a profile of the request path while the journal is still small, then the interleaved
#    matrix: direct, relay, direct, relay…, each configuration REPS times.
run_wrk warmup relay 64 true "$WARMUP_SECONDS" 0
(( PROFILE )) && profile_relay early "$PROFILE_SECONDS" 64
run_wrk warmup direct 64 true 3 0
for ((rep = 1; rep <= REPS; rep++)); do
  for c in "${CONNECTIONS[@]}"; do
    run_wrk matrix direct "$c" true "$RUN_SECONDS" "$rep"
    run_wrk matrix relay "$c" true "$RUN_SECONDS" "$rep"
  done
  run_wrk matrix direct 64 false "$RUN_SECONDS" "$rep"
  run_wrk matrix relay 64 false "$RUN_SECONDS" "$rep"
  BENCH_THINK_MS=$PACED_THINK_MS run_wrk paced direct 64 true "$RUN_SECONDS" "$rep"
  BENCH_THINK_MS=$PACED_THINK_MS run_wrk paced relay 64 true "$RUN_SECONDS" "$rep"
done

# 4. Time to first byte of the delayed stream (20 chunks over about 200 ms).
ttfb_probe "$TTFB_SAMPLES" "$CHUNK_DELAY_MS"

# 5. The relay recorded usage for what it served.
sleep 3
usage_latest

# 6. Where the relay spends its time under the same load once the journal holds the whole run (JFR).
(( PROFILE )) && profile_relay late "$PROFILE_SECONDS" 64
stop_relay

# 7. Restart on the journal the run has written, then hold many idle streams open on that node.
measure_startup full-journal relay-idle "${IDLE_NODE_OPTS[@]}" || die "the relay did not restart on the full journal"
(( IDLE )) && idle_streams "$IDLE_COUNT" "$IDLE_HOLD"
sleep 5
stop_relay

# 7b. The two upstream clients on the same node and journal, alternately: the direct client (the default)
#     and pekko-http's pooled one, each warmed up alike and measured.
if (( COMPARE_CLIENTS )); then
  for ((rep = 1; rep <= CLIENT_REPS; rep++)); do
    for client in direct pekko; do
      opt=-Drelay.upstream.client=direct
      [[ $client == pekko ]] && opt=-Drelay.upstream.client=pekko-http
      start_relay "relay-client-$client-$rep" "$opt"
      wait_http "http://127.0.0.1:$RELAY_PORT/health" 60 || die "the relay did not start: $(tail -20 "$WORK/relay-client-$client-$rep.log")"
      run_wrk warmup "relay-$client" 64 true "$CLIENT_WARMUP_SECONDS" "$rep"
      run_wrk client-compare "relay-$client" 64 true "$RUN_SECONDS" "$rep"
      stop_relay
    done
  done
fi

# 8. Three nodes on PostgreSQL and Redis behind nginx, against the same mock.
(( CLUSTER )) && cluster_bench "$REPS" "$RUN_SECONDS"

# 9. Count what was persisted and what the node's logs complain about, then write the report.
usage_count
relay_log_counts
python3 "$BENCH_DIR/scripts/report.py" "$RESULTS_DIR" "$REPORT" "$BENCH_DIR/what-bounds-it.md"
log "done: $REPORT (raw measurements $RESULTS_JSONL, logs $WORK)"
