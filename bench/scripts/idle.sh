# Heap and RSS of the relay with many open, idle streams (the mock holds each stream open after its
# first events, with a ping every IDLE_PING_MS; IdleStreams, an NIO client in the bench module, opens
# them and reads slowly). Sourced by run.sh. idle_streams COUNT HOLD_SECONDS
# A relayed stream holds two sockets in the node (client and upstream), so COUNT is capped at what the
# open-files limit allows; the report says so when it had to be.

IDLE_PING_MS=${IDLE_PING_MS:-10000}

idle_capacity() { echo $(( ($(ulimit -n) - 400) / 2 )); }

# The Java heap's totals from GC.heap_info: G1 prints one "garbage-first heap" line, the parallel
# collector one line per generation (PSYoungGen, ParOldGen); metaspace is not heap.
heap_field_kib() {
  jcmd "$1" GC.heap_info 2>/dev/null | grep -E '^ *(garbage-first heap|PSYoungGen|ParOldGen|def new generation|tenured generation) ' \
    | grep -oE "$2 [0-9]+K" | grep -oE '[0-9]+' | awk '{s += $1} END {if (NR) print s}'
}
heap_used_kib() { heap_field_kib "$1" used; }
heap_committed_kib() { heap_field_kib "$1" total; }
threads_of() { awk '/^Threads:/{print $2}' "/proc/$1/status"; }
fds_of() { ls "/proc/$1/fd" 2>/dev/null | wc -l; }
mock_open() { curl -s --max-time 5 "http://127.0.0.1:$MOCK_PORT/stats" | json_get open 2>/dev/null || echo -1; }

idle_streams() {
  local requested=$1 hold=$2 count
  count=$(( requested < $(idle_capacity) ? requested : $(idle_capacity) ))
  if (( count < requested )); then
    log "idle streams: the open-files limit ($(ulimit -n)) allows $count relayed streams, not $requested"
  fi
  local base_heap base_rss base_live
  jcmd "$RELAY_PID" GC.run > /dev/null 2>&1; sleep 1
  base_live=$(heap_used_kib "$RELAY_PID"); base_rss=$(rss_kib "$RELAY_PID")
  log "idle streams: relay before: live heap $((base_live / 1024)) MiB, RSS $((base_rss / 1024)) MiB; opening $count streams"
  java -Xmx256m -cp "$BENCH_JAR" dev.relaycluster.bench.IdleStreams --port "$RELAY_PORT" --key "$KEY" \
    --path "/v1/messages?hold_ms=900000&ping_ms=$IDLE_PING_MS" --count "$count" --batch 500 --hold-seconds "$hold" \
    --timeout-seconds 240 --out "$WORK/idle-summary.json" > "$WORK/idle-client.log" 2>&1 &
  local client=$! waited=0
  while ! grep -qs "^READY" "$WORK/idle-client.log" && kill -0 "$client" 2>/dev/null && (( waited < 2600 )); do
    sleep 0.1; waited=$((waited + 1))
  done
  grep '^READY' "$WORK/idle-client.log" >&2 || log "idle client never became ready"
  sleep 5
  local used committed rss thr fds mopen c0 c1 live
  used=$(heap_used_kib "$RELAY_PID"); committed=$(heap_committed_kib "$RELAY_PID")
  rss=$(rss_kib "$RELAY_PID"); thr=$(threads_of "$RELAY_PID"); fds=$(fds_of "$RELAY_PID"); mopen=$(mock_open)
  jcmd "$RELAY_PID" GC.run > /dev/null 2>&1; sleep 1
  live=$(heap_used_kib "$RELAY_PID")
  jcmd "$RELAY_PID" GC.class_histogram 2>/dev/null | head -45 > "$RESULTS_DIR/idle-histogram.txt" || true
  local rss_after_gc; rss_after_gc=$(rss_kib "$RELAY_PID")
  # The idle CPU is measured after the forced GC and the class histogram, over 5 quiet seconds.
  sleep 1
  c0=$(proc_ticks "$RELAY_PID")
  sleep 5
  c1=$(proc_ticks "$RELAY_PID")
  log "idle streams open: heap used $((used / 1024)) MiB (live after GC $((live / 1024)) MiB, committed $((committed / 1024)) MiB), RSS $((rss / 1024)) MiB, $thr threads, $fds fds; mock holds $mopen"
  wait "$client" || true
  local summary; summary=$(cat "$WORK/idle-summary.json" 2>/dev/null || echo '{}')
  # The node learns that a client left when it next writes to it (the next ping), then cancels upstream.
  local mock_after t_close release_ms=null
  t_close=$(now_ms)
  while mock_after=$(mock_open); (( mock_after > 0 && $(now_ms) - t_close < IDLE_PING_MS + 20000 )); do sleep 0.5; done
  if (( mock_after <= 0 )); then release_ms=$(( $(now_ms) - t_close )); fi
  log "idle client: $(grep '^DONE' "$WORK/idle-client.log" | cut -c1-300); upstream streams still open after it left: $mock_after (all released after ${release_ms} ms)"
  emit "$(printf '{"kind":"idle","count":%d,"hold_s":%d,"heap_used_kib":%s,"heap_live_kib":%s,"heap_committed_kib":%s,"rss_kib":%s,"rss_after_gc_kib":%s,"threads":%s,"fds":%s,"mock_open":%s,"mock_open_after_close":%s,"release_ms":%s,"ping_ms":%s,"requested":%s,"nofile":%s,"base_live_kib":%s,"base_rss_kib":%s,"idle_cpu_pct":%s,"client":%s}' \
    "$count" "$hold" "${used:-null}" "${live:-null}" "${committed:-null}" "${rss:-null}" "${rss_after_gc:-null}" \
    "${thr:-null}" "${fds:-null}" "${mopen:-null}" "${mock_after:-null}" "$release_ms" "$IDLE_PING_MS" "$requested" "$(ulimit -n)" "${base_live:-null}" "${base_rss:-null}" \
    "$(awk -v a="$c0" -v b="$c1" -v t="$(clk_tck)" 'BEGIN{printf "%.1f", 100*(b-a)/t/5}')" "$summary")"
}
