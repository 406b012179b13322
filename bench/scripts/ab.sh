#!/usr/bin/env bash
# Two relay jars on the same machine in the same run, interleaved: an old jar against a new one.
#   bash bench/scripts/ab.sh OLD_JAR [NEW_JAR]      (also: bash bench/run.sh --ab OLD_JAR [NEW_JAR])
#   NEW_JAR defaults to relay-node/target/relay-node.jar of this checkout (built if missing).
# Options (after the jars): --quick (a smoke check of the script: 1 repetition, 3 s runs; numbers not
# meaningful), --reps N (3), --no-responses (only the Claude rows).
# Per repetition, for each jar in turn (old then new, the next repetition new then old, …): a fresh node
# (embedded H2 in a new data dir, deploy/run-node.sh with -Xmx512m and the class-data archive trained for
# that jar, as run.sh starts it), one claude-console account on the mock and one key, a 60 s warm-up
# streaming at 64 connections, then streaming Claude (POST /v1/messages) at 1 and 64 connections and paced at
# 64, each run direct to the mock and through the node, interleaved. The new jar's node then also gets an
# openai-api account on the same mock and runs OpenAI Responses (POST /openai/v1/responses, wrk/responses.lua)
# after a 20 s warm-up of its own, at 1 and 64 connections, direct and relayed. Stops the node, deletes its data.
# Writes results/ab.jsonl and results/ab.md (scripts/ab_report.py) and puts ab.md at the end of RESULTS.md
# (rewritten by report.py from results/, which keeps every older section). Takes about 18 minutes.
# Environment as run.sh: BENCH_MOCK_PORT, BENCH_RELAY_PORT, BENCH_CLUSTER_PORT, RELAY_HEAP, BENCH_RESULTS_DIR,
# BENCH_REPORT, BENCH_PACED_THINK_MS; BENCH_AB_OLD_NAME / BENCH_AB_NEW_NAME name the jars in the report;
# BENCH_AB_NEW_ENV ("NAME=value ...") is set for the new jar's node only, e.g. to turn tracing on against
# scripts/otlp_sink.py: BENCH_AB_NEW_ENV="OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:14318".
# BENCH_AB_OLD_JVM / BENCH_AB_NEW_JVM ("-XX:... ...", no spaces inside an option): JVM options for that side's
# node only, after the bench's own; with the same jar on both sides they compare a JVM setting.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROOT=$(dirname "$BENCH_DIR")
for f in common build relay load nginx; do source "$BENCH_DIR/scripts/$f.sh"; done

OLD_SRC= NEW_SRC= QUICK=0 REPS=3 RESPONSES=1 POSTGRES=0
while (( $# )); do
  case $1 in
    --quick) QUICK=1 ;;
    --reps) REPS=$2; shift ;;
    --no-responses) RESPONSES=0 ;;
    --postgres) POSTGRES=1 ;;
    -*) die "unknown option $1 (use --quick, --reps N, --no-responses, --postgres)" ;;
    *) if [[ -z $OLD_SRC ]]; then OLD_SRC=$1; elif [[ -z $NEW_SRC ]]; then NEW_SRC=$1; else die "one old and one new jar"; fi ;;
  esac
  shift
done
[[ -n $OLD_SRC ]] || die "usage: bash bench/scripts/ab.sh OLD_JAR [NEW_JAR] [--quick] [--reps N] [--no-responses] [--postgres]"
[[ -f $OLD_SRC ]] || die "no old jar at $OLD_SRC"

if (( QUICK )); then
  REPS=1 RUN_SECONDS=3 WARMUP_SECONDS=5 RESPONSES_WARMUP_SECONDS=3 MOCK_WARMUP_SECONDS=3
else
  # BENCH_WARMUP_SECONDS: a node still compiles for about two minutes under load (bench/what-bounds-it.md);
  # 60 s keeps runs comparable with the earlier ones, 180 s compares warm nodes.
  RUN_SECONDS=10 WARMUP_SECONDS=${BENCH_WARMUP_SECONDS:-60} RESPONSES_WARMUP_SECONDS=20 MOCK_WARMUP_SECONDS=10
fi
PACED_THINK_MS=${BENCH_PACED_THINK_MS:-100}
KEY_CONCURRENCY=20000
MOCK_PORT=${BENCH_MOCK_PORT:-18089}
NGINX_PORT=${BENCH_NGINX_PORT:-18090}
RELAY_PORT=${BENCH_RELAY_PORT:-13900}
CLUSTER_PORT=${BENCH_CLUSTER_PORT:-25590}
RELAY_HEAP=${RELAY_HEAP:-512m}
RELAY_JAR=${NEW_SRC:-$ROOT/relay-node/target/relay-node.jar}
BENCH_JAR=$BENCH_DIR/target/bench.jar
RESULTS_DIR=${BENCH_RESULTS_DIR:-$BENCH_DIR/results}
REPORT=${BENCH_REPORT:-$BENCH_DIR/RESULTS.md}
WORK=$(mktemp -d /tmp/relay-ab.XXXXXX)
ADMIN_PASSWORD="bench-$(date +%s)-admin"
RESULTS_JSONL=$WORK/ab.jsonl
MOCK_PID=
STARTED=$(date -u +%Y-%m-%dT%H:%M:%SZ)

cleanup() {
  stop_relay
  stop_nginx
  if [[ -n $MOCK_PID ]]; then kill "$MOCK_PID" 2>/dev/null || true; wait "$MOCK_PID" 2>/dev/null || true; fi
}
trap cleanup EXIT

for port in "$MOCK_PORT" "$RELAY_PORT" "$NGINX_PORT"; do
  curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/" && die "port $port is already in use; set BENCH_MOCK_PORT / BENCH_RELAY_PORT / BENCH_NGINX_PORT"
done
ensure_wrk
raise_nofile 65536
DAMON=$(damon_state)
[[ $DAMON == off ]] || log "the kernel's DAMON is $DAMON (recorded with the runs; see bench/what-bounds-it.md)"
if [[ -n $NEW_SRC ]]; then
  [[ -f $NEW_SRC ]] || die "no new jar at $NEW_SRC"
fi
build_if_needed 0
mkdir -p "$RESULTS_DIR"
log "work dir $WORK; results in $RESULTS_DIR"

# Each jar is copied into its own directory (a jar rebuilt under a running JVM crashes it) and gets a
# class-data archive trained for that copy, as run.sh and `mvn package` do.
declare -A JAR ARCHIVE SRC
SRC[old]=$OLD_SRC SRC[new]=$RELAY_JAR
for which in old new; do
  mkdir -p "$WORK/$which"
  JAR[$which]=$WORK/$which/relay-node.jar
  tries=0
  until cp -p "${SRC[$which]}" "${JAR[$which]}" && jar_ok "${JAR[$which]}"; do
    tries=$((tries + 1)); (( tries < 30 )) || die "${SRC[$which]} is not a complete jar"; sleep 2
  done
  ARCHIVE[$which]=$WORK/$which/relay-node.jsa
  if ! java -XX:ArchiveClassesAtExit="${ARCHIVE[$which]}" -Xlog:cds=off -Xlog:cds+dynamic=off -Xmx512m \
      -cp "${JAR[$which]}" dev.relaycluster.node.ClassArchiveTraining > "$WORK/$which/class-archive-training.log" 2>&1 \
      || [[ ! -f ${ARCHIVE[$which]} ]]; then
    log "class-data archive training failed for the $which jar; its nodes start without one"
    ARCHIVE[$which]=off
  fi
done
cp -p "$BENCH_JAR" "$WORK/bench.jar"
BENCH_JAR=$WORK/bench.jar

emit "$(BENCH_DAMON=$DAMON python3 - "$QUICK" "$REPS" "$RUN_SECONDS" "$WARMUP_SECONDS" "$RESPONSES_WARMUP_SECONDS" "$RELAY_HEAP" "$POSTGRES" \
  "$STARTED" "$PACED_THINK_MS" "$ROOT" "${SRC[old]}" "${JAR[old]}" "${SRC[new]}" "${JAR[new]}" \
  "${BENCH_AB_OLD_NAME:-old}" "${BENCH_AB_NEW_NAME:-new}" "${ARCHIVE[old]}" "${ARCHIVE[new]}" <<'PY'
import hashlib, json, os, platform, subprocess, sys
(quick, reps, secs, warm, rwarm, heap, postgres, started, think, root, old_src, old_jar, new_src, new_jar,
 old_name, new_name, old_archive, new_archive) = sys.argv[1:]
def sh(c):
    try: return subprocess.run(c, shell=True, capture_output=True, text=True, cwd=root).stdout.strip()
    except Exception: return ""
def jar(src, copy, name, archive, side):
    h = hashlib.sha256(open(copy, "rb").read()).hexdigest()[:12]
    return {"name": name, "source": src, "sha256": h, "bytes": os.path.getsize(copy), "archive": archive != "off",
            "built": sh("date -u -r '" + src + "' +%Y-%m-%dT%H:%M:%SZ"), "jvm": os.environ.get("BENCH_AB_" + side + "_JVM", "")}
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
print(json.dumps({"kind": "meta", "started": started, "quick": quick == "1", "reps": int(reps), "run_seconds": int(secs),
  "warmup_seconds": int(warm), "store": "postgres" if postgres == "1" else "h2", "responses_warmup_seconds": int(rwarm), "paced_think_ms": int(think), "relay_heap": heap,
  "nproc": os.cpu_count(), "cpu": cpu, "kernel": platform.release(), "java": sh("java -version 2>&1 | head -1"),
  "wrk": sh("wrk -v 2>&1 | head -1"), "git": sh("git rev-parse --short HEAD"),
  "old": jar(old_src, old_jar, old_name, old_archive, "OLD"), "new": jar(new_src, new_jar, new_name, new_archive, "NEW"),
  "loadavg_start": open("/proc/loadavg").read().split()[:3], "damon": os.environ.get("BENCH_DAMON", ""),
  "key_limits": os.environ.get("BENCH_KEY_LIMITS", "")}))
PY
)"

java -Xmx512m -XX:+UseParallelGC -jar "$BENCH_JAR" --port "$MOCK_PORT" --threads 2 > "$WORK/mock.log" 2>&1 &
MOCK_PID=$!
wait_http "http://127.0.0.1:$MOCK_PORT/health" 30 || die "the mock did not start: $(cat "$WORK/mock.log")"
log "$(head -1 "$WORK/mock.log")"
start_nginx
KEY=""
BENCH_API=messages run_wrk warmup direct 64 true "$MOCK_WARMUP_SECONDS" 0
BENCH_API=messages run_wrk warmup nginx 64 true "$MOCK_WARMUP_SECONDS" 0
if (( RESPONSES )); then
  BENCH_API=responses run_wrk warmup direct 64 true "$MOCK_WARMUP_SECONDS" 0
  BENCH_API=gemini run_wrk warmup direct 64 true "$MOCK_WARMUP_SECONDS" 0
fi

CLAUDE_BODY='{"model":"claude-sonnet-4-5-20250929","max_tokens":16,"messages":[{"role":"user","content":"hi"}]}'
RESPONSES_BODY='{"model":"gpt-5-codex","stream":false,"store":false,"input":[{"type":"message","role":"user","content":[{"type":"input_text","text":"hi"}]}]}'
GEMINI_BODY='{"contents":[{"role":"user","parts":[{"text":"hi"}]}]}'

# With --postgres each node gets a fresh PostgreSQL database on 127.0.0.1:5432 (the cluster profile's
# journal and read tables; the TTL store stays in-process), dropped after its session.
pg_database() {
  local db=$1
  psql -h 127.0.0.1 -U postgres -d postgres -qc "drop database if exists $db" >/dev/null
  psql -h 127.0.0.1 -U postgres -d postgres -qc "create database $db" >/dev/null || die "could not create database $db"
}

# session WHICH REP: one fresh node of that jar, set up, warmed up and measured; then stopped and deleted.
session() {
  local which=$1 rep=$2 t0
  RELAY_JAR=${JAR[$which]} RELAY_CLASS_ARCHIVE=${ARCHIVE[$which]} DATA_DIR=$WORK/data-$which-$rep
  t0=$(now_ms)
  # BENCH_AB_NEW_ENV="NAME=value ...": settings for the new jar's node only (e.g. tracing on).
  local -a extra=()
  [[ $which == new ]] && read -ra extra <<<"${BENCH_AB_NEW_ENV:-}"
  local -a jvm=()
  if [[ $which == new ]]; then read -ra jvm <<<"${BENCH_AB_NEW_JVM:-}"; else read -ra jvm <<<"${BENCH_AB_OLD_JVM:-}"; fi
  for kv in "${extra[@]}"; do export "${kv?}"; done
  if (( POSTGRES )); then
    pg_database "bench_ab_${which}_$rep"
    export RELAY_DB_URL="jdbc:postgresql://127.0.0.1:5432/bench_ab_${which}_$rep" RELAY_DB_USER=postgres RELAY_DB_PASSWORD=
    export ENCRYPTION_KEY="bench-ab-encryption-key-of-32-characters-or-more"
  fi
  # The collector's pauses, logged by the JVM (scripts/gc_pauses.py reads them for the measured runs).
  start_relay "relay-$which-$rep" "-Xlog:gc:file=$WORK/gc-$which-$rep.log:time" "${jvm[@]}"
  for kv in "${extra[@]}"; do unset "${kv%%=*}"; done
  unset RELAY_DB_URL RELAY_DB_USER RELAY_DB_PASSWORD ENCRYPTION_KEY
  wait_http "http://127.0.0.1:$RELAY_PORT/health" 120 || die "the $which node did not start: $(tail -20 "$WORK/relay-$which-$rep.log")"
  admin_setup
  [[ $(relay_request /v1/messages "$CLAUDE_BODY") == 200 ]] || die "a first Claude request through the $which node failed"
  log "$which node (repetition $rep) serving $(( $(now_ms) - t0 )) ms after launch"
  BENCH_API=messages
  run_wrk warmup "$which" 64 true "$WARMUP_SECONDS" "$rep"
  local measured; measured=$(now_ms)
  run_wrk "ab-$which" direct 1 true "$RUN_SECONDS" "$rep"
  run_wrk "ab-$which" "$which" 1 true "$RUN_SECONDS" "$rep"
  # At 64 connections the floor too: the same requests through a bare nginx proxy_pass to the mock.
  run_wrk "ab-$which" direct 64 true "$RUN_SECONDS" "$rep"
  run_wrk "ab-$which" nginx 64 true "$RUN_SECONDS" "$rep"
  run_wrk "ab-$which" "$which" 64 true "$RUN_SECONDS" "$rep"
  BENCH_THINK_MS=$PACED_THINK_MS run_wrk "paced-$which" direct 64 true "$RUN_SECONDS" "$rep"
  BENCH_THINK_MS=$PACED_THINK_MS run_wrk "paced-$which" "$which" 64 true "$RUN_SECONDS" "$rep"
  emit "$(printf '{"kind":"gc","jar":"%s","rep":%d,"pauses":%s}' "$which" "$rep" \
    "$(python3 "$BENCH_DIR/scripts/gc_pauses.py" "$WORK/gc-$which-$rep.log" "$measured" "$(now_ms)")")"
  sleep 2
  emit_latest "$which" messages "$rep"
  if (( RESPONSES )); then
    # OpenAI Responses (an openai-api account) and the Gemini API (a gemini-api account) on the same mock,
    # each after a warm-up of its own, at 1 and 64 connections, direct and relayed.
    add_openai_account
    [[ $(responses_request "$RESPONSES_BODY") == 200 ]] || die "a first Responses request through the $which node failed"
    add_gemini_account
    [[ $(gemini_request "$GEMINI_BODY") == 200 ]] || die "a first Gemini request through the $which node failed"
    for api in responses gemini; do
      BENCH_API=$api
      run_wrk warmup "$which" 64 true "$RESPONSES_WARMUP_SECONDS" "$rep"
      for c in 1 64; do
        run_wrk "ab-$which" direct "$c" true "$RUN_SECONDS" "$rep"
        run_wrk "ab-$which" "$which" "$c" true "$RUN_SECONDS" "$rep"
      done
      sleep 2
      emit_latest "$which" "$api" "$rep"
    done
    BENCH_API=messages
  fi
  stop_relay
  rm -rf "$DATA_DIR"
  (( POSTGRES )) && psql -h 127.0.0.1 -U postgres -d postgres -qc "drop database if exists bench_ab_${which}_$rep" >/dev/null
  return 0
}

# The newest request-log row of the key: the relay recorded what it served (model and tokens). The request
# log is a projection of the journal and may lag a few seconds: polled until its newest row is of the
# expected model family (claude / gpt), at most 20 s.
emit_latest() {
  local which=$1 api=$2 rep=$3 family=claude row="" i
  [[ $api == responses ]] && family=gpt
  [[ $api == gemini ]] && family=gemini
  for ((i = 0; i < 20; i++)); do
    row=$(admin GET "/usage/requests?keyId=$KEY_ID&limit=1") || row=""
    grep -q "\"model\":\"$family" <<< "$row" && break
    sleep 1
  done
  [[ $row == \{* ]] || row=null
  emit "$(printf '{"kind":"usage_latest","jar":"%s","api":"%s","rep":%d,"response":%s}' "$which" "$api" "$rep" "${row:-null}")"
  log "newest request-log row ($which, $api): $(cut -c1-300 <<< "$row")"
}

# Warnings in each jar's node logs that bear on the numbers (as usage.sh counts them for run.sh).
ab_log_counts() {
  local which stash lost errors
  for which in old new; do
    stash=$(cat "$WORK"/relay-"$which"-*.log 2>/dev/null | grep -c 'Stash buffer is full' || true)
    lost=$(cat "$WORK"/relay-"$which"-*.log 2>/dev/null | grep -c 'could not be recorded' || true)
    errors=$(cat "$WORK"/relay-"$which"-*.log 2>/dev/null | grep -c ' ERROR ' || true)
    emit "$(printf '{"kind":"relay_log","jar":"%s","stash_full":%d,"usage_not_recorded":%d,"errors":%d}' "$which" "$stash" "$lost" "$errors")"
    log "$which nodes' logs: $stash 'Stash buffer is full', $lost usage records given up, $errors ERROR lines"
  done
}

for ((rep = 1; rep <= REPS; rep++)); do
  if (( rep % 2 )); then order=(old new); else order=(new old); fi
  for which in "${order[@]}"; do session "$which" "$rep"; done
done

ab_log_counts
cp "$RESULTS_JSONL" "$RESULTS_DIR/ab.jsonl"
python3 "$BENCH_DIR/scripts/ab_report.py" "$RESULTS_DIR/ab.jsonl" "$RESULTS_DIR/ab.md"
# RESULTS.md is rewritten from results/ by report.py, which keeps every section it had and adds ab.md at
# the end; without a full run's measurements there, ab.md is appended to whatever the report holds.
if [[ -f $RESULTS_DIR/measurements.jsonl ]]; then
  python3 "$BENCH_DIR/scripts/report.py" "$RESULTS_DIR" "$REPORT" "$BENCH_DIR/what-bounds-it.md"
else
  { echo; cat "$RESULTS_DIR/ab.md"; } >> "$REPORT"
fi
log "done: $RESULTS_DIR/ab.md, in $REPORT (raw $RESULTS_DIR/ab.jsonl, logs $WORK)"
