# Proof that the relay path really ran: the newest request-log row of the bench key while the node
# is up, and after it stopped, the usage events in its journal and the projected rows. Sourced by run.sh.

usage_latest() {
  local row
  row=$(admin GET "/usage/requests?keyId=$KEY_ID&limit=1") || row=""
  [[ $row == \{* ]] || row=null
  emit "$(printf '{"kind":"usage_latest","response":%s}' "${row:-null}")"
  log "newest request-log row: $(cut -c1-240 <<< "$row")"
}

usage_count() {
  local counts
  counts=$(java -cp "$RELAY_JAR:$BENCH_JAR" dev.relaycluster.bench.RequestLogCount "$DATA_DIR" 2>"$WORK/count.err") \
    || { log "could not count the request log: $(head -3 "$WORK/count.err")"; counts='{}'; }
  emit "$(printf '{"kind":"usage_count","counts":%s}' "$counts")"
  log "persisted: $counts"
}

# Warnings in the node's logs that bear on the numbers: dropped settlement messages and lost usage.
relay_log_counts() {
  local stash lost errors
  stash=$(cat "$WORK"/relay-*.log 2>/dev/null | grep -c 'Stash buffer is full' || true)
  lost=$(cat "$WORK"/relay-*.log 2>/dev/null | grep -c 'could not be recorded' || true)
  errors=$(cat "$WORK"/relay-*.log 2>/dev/null | grep -c ' ERROR ' || true)
  emit "$(printf '{"kind":"relay_log","stash_full":%d,"usage_not_recorded":%d,"errors":%d}' "$stash" "$lost" "$errors")"
  log "relay logs: $stash 'Stash buffer is full' warnings, $lost usage records given up, $errors ERROR lines"
}
