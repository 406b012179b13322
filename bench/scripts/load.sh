# wrk runs: one run appends one JSON line (kind "wrk") to the results. Sourced by run.sh.
# Globals: MOCK_PORT RELAY_PORT MOCK_PID RELAY_PID KEY BENCH_DIR WORK RUN_SECONDS.

# BENCH_API picks the API the runs speak: messages (the default; Anthropic Messages, wrk/messages.lua),
# responses (OpenAI Responses as Codex sends it, wrk/responses.lua) or gemini (the Gemini API as Gemini CLI
# sends it in API-key mode, wrk/gemini.lua).
BENCH_API=${BENCH_API:-messages}

# url_for TARGET [STREAM]: direct (and direct-c, its twin in the cluster runs) go to the mock, nginx to the
# bare nginx proxy_pass in front of the mock (NGINX_PORT, scripts/nginx.sh), relay and cluster to
# RELAY_PORT (the node, or nginx in front of the cluster); all serve POST /v1/messages. With
# BENCH_API=responses: the mock's POST /v1/responses, the relay's POST /openai/v1/responses (its account
# calls the mock's /v1/responses). With BENCH_API=gemini: the mock's POST
# /v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse (:generateContent when not streaming), the
# relay's /gemini/v1beta/… (its gemini-api account calls the mock's /v1beta/…).
url_for() {
  local base path
  case $1 in
    direct*) base="http://127.0.0.1:$MOCK_PORT" ;;
    nginx) base="http://127.0.0.1:$NGINX_PORT" ;;
    *) base="http://127.0.0.1:$RELAY_PORT" ;;
  esac
  case $BENCH_API in
    responses) path=/v1/responses; [[ $1 == direct* || $1 == nginx ]] || path=/openai/v1/responses ;;
    gemini)
      if [[ ${2:-true} == true ]]; then path="/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse"
      else path="/v1beta/models/gemini-2.5-pro:generateContent"; fi
      [[ $1 == direct* || $1 == nginx ]] || path="/gemini$path" ;;
    *) path=/v1/messages ;;
  esac
  echo "$base$path"
}

# run_wrk PHASE TARGET CONNECTIONS STREAM(true|false) SECONDS REP [QUERY]
run_wrk() {
  local phase=$1 target=$2 conns=$3 stream=$4 secs=$5 rep=$6 query=${7:-}
  local threads=$(( conns < 2 ? 1 : 2 ))
  local sessions=$(( (conns + threads - 1) / threads ))
  local url; url="$(url_for "$target" "$stream")"
  if [[ -n $query ]]; then if [[ $url == *\?* ]]; then url="$url&$query"; else url="$url?$query"; fi; fi
  local label="$phase-$target-c$conns-$stream-r$rep"
  [[ $BENCH_API == messages ]] || label="$BENCH_API-$label"
  local load relay0=0 mock0 m0 relay1=0 mock1 m1 out json
  load=$(loadavg)
  mock0=$(proc_ticks "$MOCK_PID"); [[ -n $RELAY_PID ]] && relay0=$(proc_ticks "$RELAY_PID")
  m0=$(machine_ticks)
  out=$WORK/wrk-$label.txt
  wrk -t"$threads" -c"$conns" -d"${secs}s" --timeout 10s -s "$BENCH_DIR/wrk/$BENCH_API.lua" "$url" \
    -- "$KEY" "$stream" "$sessions" "$label-$(date +%s)" > "$out" 2>&1 || true
  mock1=$(proc_ticks "$MOCK_PID"); [[ -n $RELAY_PID ]] && relay1=$(proc_ticks "$RELAY_PID")
  m1=$(machine_ticks)
  json=$(grep -A1 '^BENCH_JSON' "$out" | tail -n1)
  [[ $json == \{* ]] || { log "wrk gave no result for $label:"; cat "$out" >&2; json='{"requests":0,"error":"no output"}'; }
  local busy; busy=$(awk -v a="$m0" -v b="$m1" 'BEGIN{split(a,x," ");split(b,y," ");d=y[2]-x[2];print (d>0)?100*(y[1]-x[1])/d:0}')
  emit "$(printf '{"kind":"wrk","api":"%s","phase":"%s","target":"%s","connections":%d,"stream":%s,"seconds":%d,"rep":%d,"threads":%d,"query":"%s","loadavg":"%s","machine_busy_pct":%.1f,"relay_cpu_s":%.2f,"mock_cpu_s":%.2f,"wrk":%s}' \
    "$BENCH_API" "$phase" "$target" "$conns" "$stream" "$secs" "$rep" "$threads" "$query" "$load" "$busy" \
    "$(awk -v a="$relay0" -v b="$relay1" -v t="$(clk_tck)" 'BEGIN{print (b-a)/t}')" \
    "$(awk -v a="$mock0" -v b="$mock1" -v t="$(clk_tck)" 'BEGIN{print (b-a)/t}')" "$json")"
  printf '%s' "$json" | python3 -c 'import sys,json
d=json.load(sys.stdin); s=max(d.get("duration_us",1),1)/1e6
print("%-34s %8.0f req/s  p50 %7.2f ms  p90 %7.2f ms  p99 %7.2f ms  non-2xx %d  errors %d" % (sys.argv[1], d["requests"]/s,
  d.get("p50_us",0)/1e3, d.get("p90_us",0)/1e3, d.get("p99_us",0)/1e3, d.get("non2xx",0),
  d.get("connect_errors",0)+d.get("read_errors",0)+d.get("write_errors",0)+d.get("timeouts",0)))' "$label  (load $load)" >&2
  sleep 1
}
