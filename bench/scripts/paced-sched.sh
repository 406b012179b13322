#!/usr/bin/env bash
# Who had the cores when a paced request was slow: one node as paced-where.sh starts it, a 60 s warm-up at 64
# streaming connections, then one paced run of 20 s. During it the loopback packets of the node's and the
# mock's ports are recorded (tcpdump: when each request reached the node and when its answer's last byte
# left, per client connection), and for 6 s of it the kernel's scheduler events (ftrace sched_switch and
# sched_wakeup: which thread ran on which core, and how long a woken thread waited for one). The report
# (scripts/sched_report.py) gives each request's time on the wire, what the threads of every process used,
# the waits for a core, and what ran on both cores around the slowest requests.
#   sudo bash bench/scripts/paced-sched.sh NAME JAR [JVM options…]   (writes results/sched-NAME.md; about 2 minutes)
# SCHED_CONNECTIONS=1 SCHED_THINK_MS=0 traces one connection sending back to back instead of the paced 64.
# Needs root (tracefs, tcpdump; both are installed or mounted when missing). Also says whether the kernel's
# DAMON runs (a VM's memory reclaim; its thread kdamond shows in the table when it takes the cores).
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROOT=$(dirname "$BENCH_DIR")
for f in common build relay load one-node; do source "$BENCH_DIR/scripts/$f.sh"; done
(( $# >= 2 )) || die "usage: bash bench/scripts/paced-sched.sh NAME JAR [JVM options…]"
(( EUID == 0 )) || die "needs root: the scheduler trace and the packet capture are root's"
NAME=$1 JAR=$2; shift 2
TRACE=/sys/kernel/tracing
[[ -e $TRACE/trace ]] || mount -t tracefs nodev "$TRACE" 2>/dev/null || die "no tracefs at $TRACE"
command -v tcpdump >/dev/null 2>&1 || { log "installing tcpdump"; apt-get install -y -qq tcpdump >/dev/null; }
WORK=$(mktemp -d /tmp/relay-sched.XXXXXX)
RESULTS_JSONL=$WORK/sched.jsonl
ADMIN_PASSWORD="bench-$(date +%s)-admin"
BENCH_API=messages
TCPDUMP_PID=
stop_all() {
  echo 0 > "$TRACE/tracing_on" 2>/dev/null || true
  [[ -n $TCPDUMP_PID ]] && kill "$TCPDUMP_PID" 2>/dev/null || true
  one_node_down
}
trap stop_all EXIT
one_node_up "$JAR" "-Xlog:gc:file=$WORK/gc.log:time" "$@"
run_wrk warmup relay 64 true 60 0

damon=$(damon_state)
echo 0 > "$TRACE/tracing_on"; echo > "$TRACE/trace"; echo 32768 > "$TRACE/buffer_size_kb"; echo mono > "$TRACE/trace_clock"
echo 1 > "$TRACE/events/sched/sched_switch/enable"; echo 1 > "$TRACE/events/sched/sched_wakeup/enable"
tcpdump -i lo -n -tt -l -q "tcp and (port $RELAY_PORT or port $MOCK_PORT)" > "$WORK/packets.txt" 2>/dev/null &
TCPDUMP_PID=$!
sleep 1
# The trace's clock is the kernel's monotonic one; a marker with the wall clock ties it to the packets'.
( sleep 7; echo 1 > "$TRACE/tracing_on"; echo "SYNC $(date +%s.%N)" > "$TRACE/trace_marker"; sleep 6
  echo 0 > "$TRACE/tracing_on"; cat "$TRACE/trace" > "$WORK/sched.txt" ) &
TRACER=$!
BENCH_THINK_MS=${SCHED_THINK_MS:-100} run_wrk paced relay "${SCHED_CONNECTIONS:-64}" true 20 1
wait "$TRACER"
kill "$TCPDUMP_PID"; wait "$TCPDUMP_PID" 2>/dev/null || true; TCPDUMP_PID=
echo 0 > "$TRACE/events/sched/sched_switch/enable"; echo 0 > "$TRACE/events/sched/sched_wakeup/enable"; echo > "$TRACE/trace"

python3 "$BENCH_DIR/scripts/sched_report.py" "$WORK" "$NAME" "$JAR" "$*" "$RELAY_PORT" "$MOCK_PORT" "$RELAY_PID" \
  "$MOCK_PID" "$damon" > "$RESULTS_DIR/sched-$NAME.md"
log "done: $RESULTS_DIR/sched-$NAME.md (logs $WORK)"
