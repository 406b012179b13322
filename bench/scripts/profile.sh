# CPU and allocation profile of the relay under load with Java Flight Recorder, summarised by JfrTop.
# Sourced by run.sh. profile_relay NAME SECONDS CONNECTIONS: writes results/profile-NAME.md and
# results/relay-NAME.jfr; the wrk run is recorded as phase profile-NAME.

profile_relay() {
  local name=$1 secs=$2 conns=$3
  local jfr=$WORK/relay-$name.jfr
  jcmd "$RELAY_PID" JFR.start name="$name" settings=profile filename="$jfr" > /dev/null || { log "JFR could not start"; return 0; }
  run_wrk "profile-$name" relay "$conns" true "$secs" 1
  jcmd "$RELAY_PID" JFR.stop name="$name" > /dev/null || true
  if [[ -s $jfr ]]; then
    java -Xmx512m -cp "$BENCH_JAR" dev.relaycluster.bench.JfrTop "$jfr" 20 > "$RESULTS_DIR/profile-$name.md" \
      || log "JfrTop failed"
    cp "$jfr" "$RESULTS_DIR/relay-$name.jfr" 2>/dev/null || true
    log "profile: $RESULTS_DIR/profile-$name.md (recording $RESULTS_DIR/relay-$name.jfr)"
  fi
}

# CPU and allocation profile of the relay with async-profiler (Maven Central's tools.profiler:async-profiler,
# its native library loaded into the running node with jcmd), for what JFR does not show: time in the kernel
# (thread wake-ups, socket calls) and allocation by bytes. async_profile_relay NAME SECONDS CONNECTIONS: SECONDS
# of CPU samples, then as long of allocation samples, summarised by collapsed_top.py into results/async-NAME.md;
# the wrk runs are recorded as phases async-cpu-NAME and async-alloc-NAME.
AP_VERSION=4.1

async_profile_relay() {
  local name=$1 secs=$2 conns=$3 dir=$WORK/async-profiler event
  local lib=$dir/linux-x64/libasyncProfiler.so
  mvn -B -q dependency:copy -Dartifact="tools.profiler:async-profiler:$AP_VERSION:jar:linux-x64" \
    -DoutputDirectory="$dir" > "$WORK/async-profiler-fetch.log" 2>&1 || die "async-profiler $AP_VERSION could not be fetched"
  python3 -m zipfile -e "$dir/async-profiler-$AP_VERSION-linux-x64.jar" "$dir"
  [[ -f $lib ]] || die "no libasyncProfiler.so in async-profiler $AP_VERSION"
  for event in cpu alloc; do
    # jcmd reads name=value pairs out of its arguments: the agent's options go in quotes of their own.
    jcmd "$RELAY_PID" JVMTI.agent_load "$lib" "\"start,event=$event,file=$dir/$event.txt\"" > /dev/null \
      || die "async-profiler could not start"
    run_wrk "async-$event-$name" relay "$conns" true "$secs" 1
    jcmd "$RELAY_PID" JVMTI.agent_load "$lib" "\"stop,collapsed,file=$dir/$event.collapsed\"" > /dev/null \
      || die "async-profiler could not stop"
  done
  python3 "$BENCH_DIR/scripts/collapsed_top.py" "$dir/cpu.collapsed" "$dir/alloc.collapsed" "$RESULTS_JSONL" \
    > "$RESULTS_DIR/async-$name.md"
  log "profile: $RESULTS_DIR/async-$name.md (stacks in $dir)"
}
