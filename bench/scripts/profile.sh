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
