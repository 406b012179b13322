# The cluster case: three nodes on PostgreSQL and Redis behind nginx (deploy/local/start-cluster.sh),
# measured against the mock directly, interleaved. Sourced by run.sh. cluster_bench REPS SECONDS
# Needs PostgreSQL on 127.0.0.1:5432 (trust) and Redis on 127.0.0.1:6379; skipped with a note otherwise.

LB_PORT_BENCH=${BENCH_LB_PORT:-13910}
CLUSTER_DB=relay_bench_$$

cluster_skip() {
  log "cluster case skipped: $1"
  emit "$(printf '{"kind":"cluster-skipped","reason":"%s"}' "$1")"
}

cluster_bench() {
  local reps=$1 secs=$2
  pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null || { cluster_skip "no PostgreSQL on 127.0.0.1:5432"; return 0; }
  [[ $(redis-cli -h 127.0.0.1 ping 2>/dev/null) == PONG ]] || { cluster_skip "no Redis on 127.0.0.1:6379"; return 0; }
  for port in "$LB_PORT_BENCH" 3011 3012 3013; do
    curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/" && { cluster_skip "port $port is in use"; return 0; }
  done
  psql -h 127.0.0.1 -U postgres -d postgres -qc "CREATE DATABASE $CLUSTER_DB" >/dev/null \
    || { cluster_skip "cannot create database $CLUSTER_DB"; return 0; }
  local started; started=$(now_ms)
  LB_PORT=$LB_PORT_BENCH RELAY_DB_URL=jdbc:postgresql://127.0.0.1:5432/$CLUSTER_DB REDIS_KEY_PREFIX="bench-$$:" \
    ADMIN_PASSWORD=$ADMIN_PASSWORD ENCRYPTION_KEY="bench-encryption-key-$$-0123456789abcdef" \
    bash "$ROOT/deploy/local/start-cluster.sh" > "$WORK/cluster-start.log" 2>&1 \
    || { cluster_skip "the cluster did not start (see $WORK/cluster-start.log)"; cluster_stop; return 0; }
  log "cluster: 3 nodes up behind nginx on :$LB_PORT_BENCH in $(( $(now_ms) - started )) ms"
  local saved_port=$RELAY_PORT saved_pid=$RELAY_PID saved_key=$KEY saved_key_id=$KEY_ID saved_account=$ACCOUNT_ID
  RELAY_PORT=$LB_PORT_BENCH RELAY_PID=
  admin_setup
  [[ $(relay_request /v1/messages '{"model":"claude-sonnet-4-5-20250929","max_tokens":16,"messages":[{"role":"user","content":"hi"}]}') == 200 ]] \
    || { cluster_skip "a first request through the cluster failed"; RELAY_PORT=$saved_port; cluster_stop; return 0; }
  # Three JVMs compile their hot paths on the same two cores: give them a longer warm-up than one node.
  run_wrk warmup cluster 64 true "$(( WARMUP_SECONDS * 2 ))" 0
  for ((rep = 1; rep <= reps; rep++)); do
    run_wrk matrix direct-c 64 true "$secs" "$rep"
    run_wrk matrix cluster 64 true "$secs" "$rep"
  done
  RELAY_PORT=$saved_port RELAY_PID=$saved_pid KEY=$saved_key KEY_ID=$saved_key_id ACCOUNT_ID=$saved_account
  cluster_stop
}

cluster_stop() {
  bash "$ROOT/deploy/local/stop-cluster.sh" > "$WORK/cluster-stop.log" 2>&1 || true
  psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $CLUSTER_DB" >/dev/null 2>&1 || true
  redis-cli -h 127.0.0.1 --scan --pattern "bench-$$:*" 2>/dev/null | xargs -r redis-cli -h 127.0.0.1 del > /dev/null 2>&1 || true
}
