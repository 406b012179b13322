#!/usr/bin/env bash
# Where the paced tail comes from: one node (embedded H2, -Xmx512m, as the A/B starts it, its collector logged
# with wall-clock times), a 60 s warm-up at 64 streaming connections, then two paced runs of 20 s (64
# connections, each waiting 0.5-1.5 x 100 ms before each request). Around each paced run /metrics is read, so
# the relay's own overhead (relay_overhead_seconds: time inside the node, upstream's excluded) is known for
# exactly those requests, beside what wrk saw and the collector's pauses inside the run.
#   bash bench/scripts/paced-where.sh NAME JAR [JVM options…]     (writes results/paced-NAME.md; about 3 minutes)
# JVM options (no spaces in any) go to the node after the bench's own, e.g. -Xms512m to try a setting.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROOT=$(dirname "$BENCH_DIR")
for f in common build relay load one-node; do source "$BENCH_DIR/scripts/$f.sh"; done
(( $# >= 2 )) || die "usage: bash bench/scripts/paced-where.sh NAME JAR [JVM options…]"
NAME=$1 JAR=$2; shift 2
JVM_OPTIONS="$*"
WORK=$(mktemp -d /tmp/relay-paced.XXXXXX)
RESULTS_JSONL=$WORK/paced.jsonl
ADMIN_PASSWORD="bench-$(date +%s)-admin"
BENCH_API=messages
trap one_node_down EXIT
one_node_up "$JAR" "-Xlog:gc:file=$WORK/gc.log:time" "$@"
run_wrk warmup relay 64 true 60 0
for rep in 1 2; do
  curl -s "http://127.0.0.1:$RELAY_PORT/metrics" > "$WORK/metrics-before-$rep.txt"
  date +%s.%N > "$WORK/start-$rep"
  BENCH_THINK_MS=100 run_wrk paced relay 64 true 20 "$rep"
  date +%s.%N > "$WORK/end-$rep"
  curl -s "http://127.0.0.1:$RELAY_PORT/metrics" > "$WORK/metrics-after-$rep.txt"
done

python3 - "$WORK" "$NAME" "$JAR" "$JVM_OPTIONS" > "$RESULTS_DIR/paced-$NAME.md" <<'PY'
import datetime, json, os, re, sys
work, name, jar, options = sys.argv[1:5]

def overhead(path):
    buckets = {}
    for line in open(path):
        m = re.match(r'relay_overhead_seconds_bucket\{dialect="anthropic",pool="claude",le="([^"]+)"\} (\S+)', line)
        if m:
            buckets[float(m.group(1))] = float(m.group(2))
    return buckets

def gc_pauses(start, end):
    out = []
    for line in open(os.path.join(work, "gc.log")):
        m = re.match(r'\[(\S+)\] GC\(\d+\) Pause (\w+).*?(\d+\.\d+)ms', line)
        if not m:
            continue
        t = datetime.datetime.strptime(m.group(1)[:23], "%Y-%m-%dT%H:%M:%S.%f")
        t = t.replace(tzinfo=datetime.timezone.utc).timestamp()
        if start <= t <= end:
            out.append((m.group(2), float(m.group(3))))
    return out

print(f"## Where the paced tail comes from: `{name}`\n")
print(f"Written by `bash bench/scripts/paced-where.sh {name} JAR{(' ' + options) if options else ''}` (jar `{jar}`), "
      f"{datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC: one node on embedded H2, -Xmx512m, a 60 s warm-up at 64 "
      "streaming connections, then two paced runs of 20 s. Client = what wrk saw (the mock answers in about "
      "0.1 ms); inside the relay = `relay_overhead_seconds` for the same requests (upper bounds of its "
      "buckets); pauses = the collector's inside the run.\n")
print("| run | requests | client p50 / p99 / max ms | inside the relay p50 / p99 / p99.9 ms | inside the relay over 5 ms "
      "| collector pauses: young (mean ms) / full (longest ms) |")
print("|---|---:|---|---|---:|---|")
for rep in (1, 2):
    wrk_out = open(os.path.join(work, f"wrk-paced-relay-c64-true-r{rep}.txt")).read().split("BENCH_JSON")[1]
    w = json.loads(wrk_out.strip().splitlines()[0])
    before = overhead(os.path.join(work, f"metrics-before-{rep}.txt"))
    after = overhead(os.path.join(work, f"metrics-after-{rep}.txt"))
    diff = [(le, after[le] - before.get(le, 0)) for le in sorted(after)]
    total = diff[-1][1]
    def q(p):
        return next(le for le, c in diff if c >= p * total) * 1000
    over5 = total - next(c for le, c in diff if le >= 0.005)
    start = float(open(os.path.join(work, f"start-{rep}")).read())
    end = float(open(os.path.join(work, f"end-{rep}")).read())
    pauses = gc_pauses(start, end)
    young = [ms for kind, ms in pauses if kind == "Young"]
    full = [ms for kind, ms in pauses if kind != "Young"]
    print(f"| {rep} | {w['requests']:,} | {w['p50_us'] / 1000:.2f} / {w['p99_us'] / 1000:.2f} / {w['max_us'] / 1000:.1f} "
          f"| {q(0.5):.3f} / {q(0.99):.3f} / {q(0.999):.3f} | {int(over5)} ({100 * over5 / max(total, 1):.2f} %) "
          f"| {len(young)} ({sum(young) / max(len(young), 1):.1f}) / {len(full)} ({max(full, default=0):.0f}) |")
PY
log "done: $RESULTS_DIR/paced-$NAME.md (logs $WORK)"
