#!/usr/bin/env bash
# Starts a 3-node Relay Cluster on this machine: three nodes on loopback ports sharing PostgreSQL and
# Redis, joined through a static seed list, behind nginx on one public port.
#   LB_PORT (default 3000)  RELAY_DB_URL (default jdbc:postgresql://127.0.0.1:5432/relay)
#   REDIS_HOST (default 127.0.0.1)  ADMIN_PASSWORD / ENCRYPTION_KEY (generated once into .run/ if unset)
# Stop it with deploy/local/stop-cluster.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
run="$here/.run"
mkdir -p "$run"

LB_PORT=${LB_PORT:-3000}
export RELAY_DB_URL=${RELAY_DB_URL:-jdbc:postgresql://127.0.0.1:5432/relay}
export RELAY_DB_USER=${RELAY_DB_USER:-postgres}
export REDIS_HOST=${REDIS_HOST:-127.0.0.1}
export ADMIN_USERNAME=${ADMIN_USERNAME:-admin}

[ -f "$run/encryption.key" ] || (umask 077; openssl rand -hex 32 > "$run/encryption.key")
[ -f "$run/admin.password" ] || (umask 077; openssl rand -base64 18 | tr -d '/+=' > "$run/admin.password")
export ENCRYPTION_KEY=${ENCRYPTION_KEY:-$(cat "$run/encryption.key")}
export ADMIN_PASSWORD=${ADMIN_PASSWORD:-$(cat "$run/admin.password")}

command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || { echo "installing nginx"; apt-get update -qq && apt-get install -y -qq nginx >/dev/null; }
jar="$root/relay-node/target/relay-node.jar"
[ -f "$jar" ] || (cd "$root" && mvn -B -q package -DskipTests)

# The default database is created if it does not exist (local PostgreSQL, trust auth).
if [[ "$RELAY_DB_URL" == jdbc:postgresql://127.0.0.1:5432/* ]]; then
  db=${RELAY_DB_URL##*/}; db=${db%%\?*}
  psql -h 127.0.0.1 -U "$RELAY_DB_USER" -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$db'" | grep -q 1 \
    || psql -h 127.0.0.1 -U "$RELAY_DB_USER" -d postgres -c "CREATE DATABASE $db" >/dev/null
fi

seeds="pekko://relay@127.0.0.1:25521,pekko://relay@127.0.0.1:25522,pekko://relay@127.0.0.1:25523"
servers=""
for i in 1 2 3; do
  port=$((3000 + i + 10))
  servers+="    server 127.0.0.1:$port max_fails=3 fail_timeout=2s;"$'\n'
  if [ -f "$run/node-$i.pid" ] && kill -0 "$(cat "$run/node-$i.pid")" 2>/dev/null; then
    echo "node $i already running"; continue
  fi
  PORT=$port CLUSTER_PORT=$((25520 + i)) CLUSTER_SEED_NODES=$seeds RELAY_DATA_DIR="$run/node-$i" \
    RELAY_JAR="$jar" JAVA_OPTS=-Xmx512m nohup "$root/deploy/run-node.sh" >"$run/node-$i.log" 2>&1 &
  echo $! > "$run/node-$i.pid"
  echo "node $i: http://127.0.0.1:$port (log $run/node-$i.log)"
done

mkdir -p "$run/nginx" && chmod 0777 "$run/nginx"
sed -e "s#@PREFIX@#$run/nginx#g" -e "s#@LISTEN@#0.0.0.0:$LB_PORT#" \
  -e "/@SERVERS@/{r /dev/stdin" -e "d}" "$here/nginx.conf.template" > "$run/nginx/nginx.conf" <<<"$servers"
if [ -f "$run/nginx/nginx.pid" ] && kill -0 "$(cat "$run/nginx/nginx.pid")" 2>/dev/null; then
  /usr/sbin/nginx -c "$run/nginx/nginx.conf" -p "$run/nginx" -s reload
else
  /usr/sbin/nginx -c "$run/nginx/nginx.conf" -p "$run/nginx"
fi

for _ in $(seq 1 60); do
  members=$(curl -fs "http://127.0.0.1:$LB_PORT/health" 2>/dev/null | grep -o '"status":"Up"' | wc -l || true)
  [ "${members:-0}" -ge 3 ] && break
  sleep 1
done
curl -fs "http://127.0.0.1:$LB_PORT/health" >/dev/null || { echo "cluster did not come up; see $run/node-*.log"; exit 1; }
echo "Relay Cluster: http://127.0.0.1:$LB_PORT (3 nodes)."
echo "Admin: user '$ADMIN_USERNAME', password in $run/admin.password"
echo "Claude Code: ANTHROPIC_BASE_URL=http://<this host>:$LB_PORT/api ANTHROPIC_AUTH_TOKEN=cr_..."
