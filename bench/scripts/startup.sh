# Node start-up: from process launch to the first relay request answered 200 (polled every 20 ms).
# Sourced by run.sh. measure_startup LABEL LOGNAME [JVM options…]; leaves that node running.

measure_startup() {
  local label=$1 logname=$2; shift 2
  local t0 ms
  t0=$(now_ms)
  start_relay "$logname" "$@"
  if ms=$(wait_first_served "$t0" 120); then
    local rows; rows=$(journal_rows_hint)
    emit "$(printf '{"kind":"startup","label":"%s","ms":%d,"journal":"%s"}' "$label" "$ms" "$rows")"
    log "start-up ($label): first relay request served $ms ms after launch"
    admin_login
  else
    emit "$(printf '{"kind":"startup","label":"%s","ms":null}' "$label")"
    log "start-up ($label): no request served within 120 s; log: $WORK/$logname.log"
    tail -20 "$WORK/$logname.log" >&2
    return 1
  fi
}

# How big the journal was at this start (its H2 file size; rows are counted at the end).
journal_rows_hint() { du -k "$DATA_DIR/relay.mv.db" 2>/dev/null | awk '{printf "%d KiB H2 file", $1}'; }
