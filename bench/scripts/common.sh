# Shared helpers for bench/run.sh: logging, waiting, machine readings, JSON lines. Sourced, not run.

log() { printf '%s  %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# wait_http URL SECONDS: until the URL answers 2xx.
wait_http() {
  local url=$1 limit=$2 i=0
  while (( i < limit * 10 )); do
    curl -sf -o /dev/null --max-time 1 "$url" && return 0
    sleep 0.1; i=$((i + 1))
  done
  return 1
}

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# CPU time (ticks of 1/CLK_TCK s, user + system) a process has used so far.
proc_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }
clk_tck() { getconf CLK_TCK; }

# Busy and total ticks of the whole machine, for its utilisation over a run.
machine_ticks() { awk '/^cpu /{busy=$2+$3+$4+$7+$8+$9; print busy, busy+$5+$6}' /proc/stat; }

rss_kib() { awk '/^VmRSS:/{print $2}' "/proc/$1/status"; }

# emit JSON: append one measurement line to the results file.
emit() { printf '%s\n' "$1" >> "$RESULTS_JSONL"; }

# json_get FIELD: read one field from the JSON object on stdin (dotted path for nested objects).
json_get() { python3 -c 'import sys,json
v=json.load(sys.stdin)
for k in sys.argv[1].split("."): v=v[int(k)] if isinstance(v,list) else v[k]
print(v)' "$1"; }

ensure_wrk() {
  command -v wrk >/dev/null 2>&1 && return 0
  log "installing wrk from Debian's packages"
  if [[ $(id -u) -eq 0 ]]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  fi
  command -v wrk >/dev/null 2>&1 || die "wrk could not be installed"
}

# Raise the open-files limit for everything started from here (10,000 streams need ~20,000 in the relay).
raise_nofile() {
  local want=$1 hard
  hard=$(ulimit -Hn)
  if [[ $hard != unlimited ]] && (( hard < want )); then
    ulimit -Hn "$want" 2>/dev/null || want=$hard
  fi
  ulimit -Sn "$want"
  log "open files limit: $(ulimit -n)"
}

# damon_state: "off", or "on (ACTIONS)" when the kernel's DAMON runs (a VM's memory reclaim may page memory out
# with it, and its thread takes a core for milliseconds at a time). The runs record it: whether it lengthens the
# paced tail is not settled (bench/what-bounds-it.md).
damon_state() {
  local state out=off
  for state in /sys/kernel/mm/damon/admin/kdamonds/*/state; do
    [[ -f $state && $(cat "$state") == on ]] || continue
    out="on ($(cat "${state%/state}"/contexts/*/schemes/*/action 2>/dev/null | sort -u | tr '\n' ' ' | xargs))"
  done
  echo "$out"
}
