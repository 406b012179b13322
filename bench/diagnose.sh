#!/usr/bin/env bash
# Experiments behind "What bounds it" in RESULTS.md; changes no relay code, only settings a deployment
# could pass (-D system properties). About 10 minutes. Writes bench/results/diagnose.md.
#   bash bench/diagnose.sh
# 1. SQL per relayed request (slick's statement log switched on with a logback override).
# 2. Throughput at 64 connections on fresh nodes with four settings, interleaved and repeated: as
#    shipped; the usage projection's polling slowed to once an hour (the request log then stays behind;
#    usage events are still persisted); the JDK common pool given 2 threads (on 2 cores its parallelism
#    is 1, and then CompletableFuture runs every async callback on a new thread; Scala's CompletionStage
#    for pekko's ask makes plain thenCompose/whenComplete async); and both.
# 3. The journal query of every eventsByTag poll as pekko-persistence-jdbc sends it vs a flat join.
# 4. Start-up on an existing journal: a restart, a second restart (the first left a gap in the
#    journal's ordering), and a restart with the journal-sequence actor's gap wait cut to one try.
# 5. How many streams a node takes with pekko-http's default connection limits, and the heap one
#    open stream costs (class histogram after a full GC, with and without 2,000 open streams).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
for f in common build relay load startup idle; do source "$BENCH_DIR/scripts/$f.sh"; done

MOCK_PORT=${BENCH_MOCK_PORT:-18089}
RELAY_PORT=${BENCH_RELAY_PORT:-13900}
CLUSTER_PORT=${BENCH_CLUSTER_PORT:-25590}
RELAY_HEAP=${RELAY_HEAP:-512m}
KEY_CONCURRENCY=20000
RELAY_JAR=$ROOT/relay-node/target/relay-node.jar
BENCH_JAR=$BENCH_DIR/target/bench.jar
RESULTS_DIR=${BENCH_RESULTS_DIR:-$BENCH_DIR/results}
WORK=$(mktemp -d /tmp/relay-diagnose.XXXXXX)
ADMIN_PASSWORD="bench-$(date +%s)-admin"
RESULTS_JSONL=$WORK/diagnose.jsonl
OUT=$RESULTS_DIR/diagnose.md
MOCK_PID=
trap 'stop_relay; [[ -n $MOCK_PID ]] && kill "$MOCK_PID" 2>/dev/null; wait 2>/dev/null; true' EXIT

ensure_wrk
raise_nofile 65536
build_if_needed 0
snapshot_jars
mkdir -p "$RESULTS_DIR"
log "work dir $WORK"

java -Xmx512m -XX:+UseParallelGC -jar "$BENCH_JAR" --port "$MOCK_PORT" > "$WORK/mock.log" 2>&1 &
MOCK_PID=$!
wait_http "http://127.0.0.1:$MOCK_PORT/health" 30 || die "the mock did not start"

fresh_node() { # fresh_node NAME [JVM options…]: new data dir, started, account and key created
  local name=$1; shift
  DATA_DIR=$WORK/$name-data
  start_relay "$name" "$@"
  wait_http "http://127.0.0.1:$RELAY_PORT/health" 60 || die "node $name did not start"
  admin_setup
}

rps_of() { grep -A1 '^BENCH_JSON' "$1" | tail -1 | python3 -c 'import sys,json; d=json.load(sys.stdin); print(round(d["requests"]/d["duration_us"]*1e6))'; }
threads_started() { jcmd "$RELAY_PID" PerfCounter.print 2>/dev/null | awk -F= '/^java.threads.started=/{print $2}'; }
stream_load() { # stream_load SECONDS OUTFILE: wrk, streaming, 64 connections, through the node
  wrk -t2 -c64 -d"$1s" --timeout 10s -s "$BENCH_DIR/wrk/messages.lua" "http://127.0.0.1:$RELAY_PORT/v1/messages" \
    -- "$KEY" true 32 "diag-$RANDOM" > "$2" 2>&1 || true
}

# measure_config LABEL [JVM options…]: a fresh node, a 10 s warm-up, then one 10 s streaming run at 64
# connections; appends "LABEL, req/s, CPU ms per request, threads started per request, load" to $AB.
measure_config() {
  local label=$1 out c0 c1 t0 t1 n r; shift
  fresh_node "cfg-$RANDOM" "$@" 2> /dev/null
  stream_load 10 "$WORK/wrk-warm.txt"
  out=$WORK/wrk-cfg-$RANDOM.txt
  c0=$(proc_ticks "$RELAY_PID"); t0=$(threads_started)
  stream_load 10 "$out"
  c1=$(proc_ticks "$RELAY_PID"); t1=$(threads_started)
  stop_relay
  n=$(grep -A1 '^BENCH_JSON' "$out" | tail -1 | json_get requests)
  r=$(rps_of "$out")
  printf '%s\t%s\t%s\t%s\t%s\n' "$label" "$r" \
    "$(awk -v a="$c0" -v b="$c1" -v t="$(clk_tck)" -v n="$n" 'BEGIN{printf "%.2f", 1000*(b-a)/t/n}')" \
    "$(awk -v a="$t0" -v b="$t1" -v n="$n" 'BEGIN{printf "%.1f", (b-a)/n}')" "$(loadavg)" >> "$AB"
  log "  $label: $r req/s"
}

{
  echo "# Diagnosis runs ($(date -u +%Y-%m-%dT%H:%M:%SZ), \`bash bench/diagnose.sh\`)"
  echo
  echo "Relay jar built $(date -u -r "$RELAY_JAR" +%Y-%m-%dT%H:%M:%SZ); $(nproc) cores; load average at start $(loadavg)."
  echo
} > "$OUT"

# 1. SQL statements per relayed request.
cat > "$WORK/logback-sql.xml" <<EOF
<configuration>
  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
    <file>$WORK/sql.log</file>
    <encoder><pattern>%msg%n</pattern></encoder>
  </appender>
  <appender name="ASYNC" class="ch.qos.logback.classic.AsyncAppender">
    <queueSize>65536</queueSize><neverBlock>false</neverBlock><appender-ref ref="FILE"/>
  </appender>
  <logger name="slick.jdbc.JdbcBackend.statement" level="DEBUG"/>
  <root level="WARN"><appender-ref ref="ASYNC"/></root>
</configuration>
EOF
log "1/5 SQL per request"
fresh_node sql "-Dlogback.configurationFile=$WORK/logback-sql.xml"
: > "$WORK/sql.log"
stream_load 10 "$WORK/wrk-sql.txt"
sleep 2
stop_relay
served=$(grep -A1 '^BENCH_JSON' "$WORK/wrk-sql.txt" | tail -1 | json_get requests)
{
  echo "## SQL statements for $served relayed streaming requests (10 s, 64 connections, fresh node)"
  echo
  echo "| statements | count | per request |"
  echo "|---|---:|---:|"
  grep -E '^(Preparing|Executing)' "$WORK/sql.log" | sed -E 's/^Preparing (insert )?statement( \(returning: [a-z]+\))?: //' \
    | sed -E 's/^select x2\.x3, .*"event_tag" x16.*$/eventsByTag poll: select … from (select … from "event_journal" where "deleted" = false) x2, "event_tag" x16 where x16."tag" = ? and x2.x3 > ? and x2.x3 <= ? …/' \
    | cut -c1-110 | sort | uniq -c | sort -rn | head -8 \
    | awk -v n="$served" '{c=$1; $1=""; sub(/^ /,""); gsub(/\|/,"\\|"); printf "| `%s` | %d | %.2f |\n", $0, c, c/n}'
  echo
} >> "$OUT"

# 2. Four node settings, each on a fresh node, interleaved and repeated three times.
log "2/5 the projection's and the thread-per-callback cost"
AB=$WORK/ab.tsv
POOL=-Djava.util.concurrent.ForkJoinPool.common.parallelism=2
PAUSE=-Djdbc-read-journal.refresh-interval=1h
for rep in 1 2 3; do
  measure_config "as shipped"
  measure_config "usage projection polling once an hour (request log not written meanwhile)" "$PAUSE"
  measure_config "JDK common pool of 2 threads ($POOL)" "$POOL"
  measure_config "both" "$POOL" "$PAUSE"
done
{
  echo "## Streaming at 64 connections: four node settings, each on a fresh node (10 s warm-up, 10 s measured), interleaved, three times"
  echo
  echo "| node | req/s, each time | median req/s | median relay CPU ms per request | median threads started per request | 1-min load after each |"
  echo "|---|---|---:|---:|---:|---|"
  python3 - "$AB" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    label, rps, cpu, thr, load = line.rstrip("\n").split("\t")
    rows.setdefault(label, []).append((float(rps), float(cpu), float(thr), load))
for label, xs in rows.items():
    print(f"| {label} | {' / '.join(f'{x[0]:,.0f}' for x in xs)} | **{statistics.median(x[0] for x in xs):,.0f}** |"
          f" {statistics.median(x[1] for x in xs):.2f} | {statistics.median(x[2] for x in xs):.1f} |"
          f" {' / '.join(x[3].split()[0] for x in xs)} |")
PY
  echo
} >> "$OUT"

# 3. The eventsByTag query on the journal of a node that served 20 s as shipped.
log "3/5 the eventsByTag query"
fresh_node shipped
stream_load 20 "$WORK/wrk-fill.txt"
stop_relay
{
  echo "## The eventsByTag query on the H2 file of a node that served 20 s at 64 connections (newest 200 orderings)"
  echo
  java -cp "$RELAY_JAR:$BENCH_JAR" dev.relaycluster.bench.JournalQueryCheck "$DATA_DIR"
} >> "$OUT"

# 4. Start-up on an existing journal.
log "4/5 start-up and the journal's ordering gaps"
startup_row() { # startup_row LABEL [JVM options…]
  local label=$1 t0 ms; shift
  t0=$(now_ms)
  start_relay "startup-$RANDOM" "$@"
  ms=$(wait_first_served "$t0" 120) || ms="none in 120 s"
  echo "| $label | $ms |"
  stop_relay
}
{
  echo "## Start-up to first served request on the journal above"
  echo
  echo "| restart | ms |"
  echo "|---|---:|"
  startup_row "first restart"
  startup_row "second restart (the first left a gap in the ordering)"
  startup_row "third restart, -Djdbc-read-journal.journal-sequence-retrieval.max-tries=1" \
    -Djdbc-read-journal.journal-sequence-retrieval.max-tries=1
  echo
  java -cp "$RELAY_JAR:$BENCH_JAR" dev.relaycluster.bench.JournalQueryCheck "$DATA_DIR" | grep '^Gaps' || true
  echo
  echo "## The same query check after adding an index on event_tag (tag, event_id)"
  echo
  java -cp "$RELAY_JAR:$BENCH_JAR" dev.relaycluster.bench.JournalQueryCheck "$DATA_DIR" --with-tag-index | grep -v '^With an added'
} >> "$OUT"

# 5. Idle streams with pekko-http's default connection limits, then what one open stream costs in heap.
log "5/5 default connection limits and heap per stream"
start_relay limits
wait_http "http://127.0.0.1:$RELAY_PORT/health" 60 || die "node did not start"
admin_login
java -Xmx256m -cp "$BENCH_JAR" dev.relaycluster.bench.IdleStreams --port "$RELAY_PORT" --key "$KEY" \
  --path "/v1/messages?hold_ms=120000&ping_ms=5000" --count 2000 --batch 2000 --hold-seconds 1 \
  --timeout-seconds 40 --out "$WORK/limits.json" > "$WORK/limits-client.log" 2>&1 || true
held=$(curl -s "http://127.0.0.1:$MOCK_PORT/stats")
stop_relay
{
  echo "## 2,000 streams at once against a node with pekko-http's default limits"
  echo
  echo "IdleStreams result after 40 s: \`$(cat "$WORK/limits.json" 2>/dev/null || echo none)\`; the mock's counters then: \`$held\`."
  echo
} >> "$OUT"

histogram() { jcmd "$RELAY_PID" GC.run > /dev/null; sleep 1; jcmd "$RELAY_PID" GC.class_histogram > "$1"; }
start_relay histo -Drelay.http.max-connections=30000 -Dpekko.http.host-connection-pool.max-connections=16384 \
  -Dpekko.http.host-connection-pool.max-open-requests=32768
wait_http "http://127.0.0.1:$RELAY_PORT/health" 60 || die "node did not start"
admin_login
histogram "$WORK/histo-before.txt"
java -Xmx256m -cp "$BENCH_JAR" dev.relaycluster.bench.IdleStreams --port "$RELAY_PORT" --key "$KEY" \
  --path "/v1/messages?hold_ms=120000&ping_ms=60000" --count 2000 --batch 500 --hold-seconds 15 \
  --timeout-seconds 60 --out "$WORK/histo.json" > "$WORK/histo-client.log" 2>&1 &
client=$!
waited=0
while ! grep -qs '^READY' "$WORK/histo-client.log" && (( waited < 600 )); do sleep 0.1; waited=$((waited + 1)); done
sleep 2
histogram "$WORK/histo-with.txt"
wait "$client" || true
stop_relay
opened=$(json_get open < "$WORK/histo.json" 2>/dev/null || echo 0)
{
  echo "## Heap per open stream: class histogram after a full GC, with $opened open streams minus before them"
  echo
  python3 - "$WORK/histo-before.txt" "$WORK/histo-with.txt" "$opened" <<'PY'
import re, sys
def read(path):
    out = {}
    for line in open(path):
        m = re.match(r"\s*\d+:\s+(\d+)\s+(\d+)\s+(\S+)", line)
        if m:
            out[m.group(3)] = (int(m.group(1)), int(m.group(2)))
    return out
before, with_, n = read(sys.argv[1]), read(sys.argv[2]), max(int(sys.argv[3]), 1)
diff = sorted(((with_[k][1] - before.get(k, (0, 0))[1], with_[k][0] - before.get(k, (0, 0))[0], k) for k in with_), reverse=True)
total = sum(d[0] for d in diff if d[0] > 0)
print(f"{total / n / 1024:.1f} KiB more live heap per open stream in all. Largest contributions:")
print()
print("| class | bytes per stream | instances per stream |")
print("|---|---:|---:|")
for b, i, k in diff[:20]:
    print(f"| `{k}` | {b / n:,.0f} | {i / n:.1f} |")
print()
PY
} >> "$OUT"
log "done: $OUT"
