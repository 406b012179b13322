#!/usr/bin/env bash
# Stops the local cluster started by start-cluster.sh: nodes drain (SIGTERM) one by one, then nginx.
set -uo pipefail
run="$(cd "$(dirname "$0")" && pwd)/.run"
for i in 1 2 3; do
  pidfile="$run/node-$i.pid"
  [ -f "$pidfile" ] || continue
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    echo "node $i stopped"
  fi
  rm -f "$pidfile"
done
if [ -f "$run/nginx/nginx.pid" ]; then
  /usr/sbin/nginx -c "$run/nginx/nginx.conf" -p "$run/nginx" -s quit 2>/dev/null && echo "nginx stopped"
fi
