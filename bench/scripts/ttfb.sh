# Time to first byte of the delayed stream (20 deltas, one every DELAY ms), direct vs relay,
# interleaved, with curl's time_starttransfer (one new connection per request). Sourced by run.sh.

ttfb_probe() {
  local samples=$1 delay=$2 i target t
  local body='{"model":"claude-sonnet-4-5-20250929","max_tokens":1024,"stream":true,"messages":[{"role":"user","content":"Say something slowly."}]}'
  for ((i = 1; i <= samples; i++)); do
    for target in direct relay; do
      t=$(curl -s -o /dev/null --max-time 30 -w '%{http_code} %{time_starttransfer} %{time_total}' \
        "$(url_for "$target")?delay_ms=$delay" -H 'content-type: application/json' -H 'anthropic-version: 2023-06-01' \
        -H "x-api-key: $KEY" -H "x-claude-code-session-id: bench-ttfb-$i" -d "$body") || true
      [[ $t =~ ^[0-9]{3}\ [0-9.]+\ [0-9.]+$ ]] || t="0 0 0"
      emit "$(printf '{"kind":"ttfb","target":"%s","sample":%d,"delay_ms":%d,"status":%s,"first_byte_s":%s,"total_s":%s}' \
        "$target" "$i" "$delay" $t)"
    done
  done
}
