#!/usr/bin/env bash
# Scrapes the local 3-node cluster (deploy/local/start-cluster.sh; started here if it is not running) with a
# real Prometheus from Debian's packages (installed if missing), then prints what it saw: every node's
# `up`, the cluster members each node reports, requests counted, and JVM heap. Stops its Prometheus at the
# end; leaves the cluster running (deploy/local/stop-cluster.sh stops it).
#   PROM_PORT (default 19090)  SCRAPE_SECONDS (default 20)  RELAY_METRICS_TOKEN (when the nodes need one)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
run="$here/.run"
PROM_PORT=${PROM_PORT:-19090}
SCRAPE_SECONDS=${SCRAPE_SECONDS:-20}

command -v prometheus >/dev/null 2>&1 || { echo "installing prometheus"; apt-get update -qq && \
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null; }
# The package may start its own service on :9090; this check runs its own instance on PROM_PORT and leaves
# any other Prometheus alone.

running=0
for i in 1 2 3; do
  [ -f "$run/node-$i.pid" ] && kill -0 "$(cat "$run/node-$i.pid")" 2>/dev/null && running=$((running + 1))
done
[ "$running" -eq 3 ] || "$here/start-cluster.sh"

mkdir -p "$run/prometheus/data"
auth=""
[ -n "${RELAY_METRICS_TOKEN:-}" ] && auth=$'\n    authorization:\n      credentials: '"$RELAY_METRICS_TOKEN"
cat > "$run/prometheus/prometheus.yml" <<YAML
global:
  scrape_interval: 2s
scrape_configs:
  - job_name: relay
    metrics_path: /metrics$auth
    static_configs:
      - targets: ['127.0.0.1:3011', '127.0.0.1:3012', '127.0.0.1:3013']
YAML
promtool check config "$run/prometheus/prometheus.yml"
prometheus --config.file="$run/prometheus/prometheus.yml" --storage.tsdb.path="$run/prometheus/data" \
  --web.listen-address="127.0.0.1:$PROM_PORT" >"$run/prometheus/prometheus.log" 2>&1 &
prom=$!
trap 'kill $prom 2>/dev/null || true' EXIT

# Some traffic so that request series exist: the health and model list need no key.
for _ in $(seq 1 20); do curl -fs "http://127.0.0.1:${LB_PORT:-3000}/health" >/dev/null || true; done
sleep "$SCRAPE_SECONDS"

query() {
  curl -fsG "http://127.0.0.1:$PROM_PORT/api/v1/query" --data-urlencode "query=$1" \
    | python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; [print("  ", x["metric"].get("instance",""), {k:v for k,v in x["metric"].items() if k not in ("instance","job","__name__")}, x["value"][1]) for x in r]'
}
echo "up (1 = scraped):"; query 'up{job="relay"}'
echo "cluster members each node sees, by status:"; query 'relay_cluster_members'
echo "shards hosted per node and type:"; query 'relay_shards'
echo "JVM heap used (bytes):"; query 'sum by (instance) (jvm_memory_used_bytes{area="heap"})'
ups=$(curl -fsG "http://127.0.0.1:$PROM_PORT/api/v1/query" --data-urlencode 'query=sum(up{job="relay"})' \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["result"][0]["value"][1])')
[ "$ups" = "3" ] || { echo "FAILED: $ups of 3 nodes scraped (see $run/prometheus/prometheus.log)"; exit 1; }
echo "OK: Prometheus scraped all 3 nodes"
