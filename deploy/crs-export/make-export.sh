#!/usr/bin/env bash
# Runs the real claude-relay-service (CRS) once against a scratch Redis, drives
# it through its admin API (drive.js) with a mock upstream (mock-upstream.js),
# exports the whole Redis database (export-redis.js) and checks that the export
# loads back into a fresh Redis (verify-export.js). See README.md.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
OUT_DIR="${OUT_DIR:-$REPO/relay-node/src/test/resources/crs}"
CRS_DIR="${CRS_DIR:-/tmp/crs}"
CRS_COMMIT="${CRS_COMMIT:-8479c7ce358b6bfd6a06287812c786f9533d27a4}"
REDIS_PORT="${REDIS_PORT:-6390}"
VERIFY_REDIS_PORT="${VERIFY_REDIS_PORT:-6391}"
CRS_PORT="${CRS_PORT:-3390}"
MOCK_PORT="${MOCK_PORT:-3391}"
WORK="${WORK:-/tmp/crs-export-run}"
export ENCRYPTION_KEY='crs-export-test-encryption-key!!'   # 32 chars, test only
export TIMEZONE_OFFSET=8
export CRS_ADMIN_USER=crs_admin_export
export CRS_ADMIN_PASSWORD=ExportTestPassw0rd

mkdir -p "$WORK" "$OUT_DIR"
PIDS=()
cleanup() {
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  redis-cli -p "$VERIFY_REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
}
trap cleanup EXIT

# 1. CRS source at the pinned commit, production dependencies only
if [ ! -f "$CRS_DIR/src/app.js" ]; then
  git clone --quiet https://github.com/Wei-Shaw/claude-relay-service.git "$CRS_DIR"
  git -C "$CRS_DIR" checkout --quiet "$CRS_COMMIT"
fi
if [ ! -d "$CRS_DIR/node_modules" ]; then
  # its lock file points at registry.npmmirror.com; same tarballs exist on npmjs
  sed -i 's#https://registry.npmmirror.com#https://registry.npmjs.org#g' "$CRS_DIR/package-lock.json"
  (cd "$CRS_DIR" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund)
fi
cp "$CRS_DIR/config/config.example.js" "$CRS_DIR/config/config.js"
mkdir -p "$CRS_DIR/data" "$CRS_DIR/logs"
# bundled price list, so the costs do not depend on the day's mirror
cp "$CRS_DIR/resources/model-pricing/model_prices_and_context_window.json" "$CRS_DIR/data/model_pricing.json"
cat > "$CRS_DIR/data/init.json" <<JSON
{"initializedAt":"2026-01-01T00:00:00.000Z","adminUsername":"$CRS_ADMIN_USER","adminPassword":"$CRS_ADMIN_PASSWORD","version":"1.0.0"}
JSON
rm -f "$CRS_DIR/.env"

# 2. scratch Redis servers (never the shared one on 6379)
redis-server --port "$REDIS_PORT" --save '' --appendonly no --daemonize yes >/dev/null
redis-server --port "$VERIFY_REDIS_PORT" --save '' --appendonly no --daemonize yes >/dev/null
redis-cli -p "$REDIS_PORT" flushall >/dev/null

# 3. mock upstream
rm -f "$WORK/mock.log"
MOCK_PORT="$MOCK_PORT" MOCK_LOG="$WORK/mock.log" node "$HERE/mock-upstream.js" > "$WORK/mock.out" 2>&1 &
PIDS+=($!)

# 4. CRS. Outbound HTTP(S) through axios goes to a dead proxy so nothing reaches a
#    real vendor (Azure's creation probe); the price mirror points at a closed port.
(
  cd "$CRS_DIR"
  NODE_ENV=production HOST=127.0.0.1 PORT="$CRS_PORT" \
  REDIS_HOST=127.0.0.1 REDIS_PORT="$REDIS_PORT" REDIS_DB=0 \
  JWT_SECRET=crs-export-jwt-secret-not-for-production \
  ENCRYPTION_KEY="$ENCRYPTION_KEY" TIMEZONE_OFFSET="$TIMEZONE_OFFSET" SYSTEM_TIMEZONE=Asia/Shanghai \
  ADMIN_USERNAME="$CRS_ADMIN_USER" ADMIN_PASSWORD="$CRS_ADMIN_PASSWORD" \
  HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 \
  http_proxy=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9 \
  NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost \
  PRICE_MIRROR_JSON_URL=https://127.0.0.1:9/model_prices.json \
  PRICE_MIRROR_HASH_URL=https://127.0.0.1:9/model_prices.sha256 \
  LOG_LEVEL=info \
  exec node src/app.js
) > "$WORK/crs.out" 2>&1 &
PIDS+=($!)

for _ in $(seq 1 60); do
  curl -sf "http://127.0.0.1:$CRS_PORT/health" >/dev/null 2>&1 && break
  sleep 1
done
curl -sf "http://127.0.0.1:$CRS_PORT/health" >/dev/null || { tail -50 "$WORK/crs.out"; exit 1; }

# 5. drive it
CRS_URL="http://127.0.0.1:$CRS_PORT" MOCK_URL="http://127.0.0.1:$MOCK_PORT" \
  node "$HERE/drive.js" "$WORK/scenario.json"

# 6. export while CRS still runs (its shutdown deletes concurrency:* keys)
CRS_COMMIT="$CRS_COMMIT" CRS_DIR="$CRS_DIR" REDIS_PORT="$REDIS_PORT" \
  NODE_PATH="$CRS_DIR/node_modules" node "$HERE/export-redis.js" "$OUT_DIR/crs-redis-export.json"
cp "$WORK/mock.log" "$WORK/mock-upstream-requests.jsonl"
node -e '
  const fs = require("fs")
  const s = JSON.parse(fs.readFileSync(process.argv[1], "utf8"))
  s.upstreamSeen = fs.readFileSync(process.argv[2], "utf8").trim().split("\n").filter(Boolean).map(JSON.parse)
  fs.writeFileSync(process.argv[3], JSON.stringify(s, null, 2) + "\n")
' "$WORK/scenario.json" "$WORK/mock.log" "$OUT_DIR/crs-scenario.json"

# 7. check the export loads back
VERIFY_REDIS_PORT="$VERIFY_REDIS_PORT" NODE_PATH="$CRS_DIR/node_modules" \
  node "$HERE/verify-export.js" "$OUT_DIR/crs-redis-export.json"
node "$HERE/check-secrets.js" "$OUT_DIR/crs-redis-export.json" "$OUT_DIR/crs-scenario.json"
echo "done: $OUT_DIR/crs-redis-export.json, $OUT_DIR/crs-scenario.json (logs in $WORK)"
