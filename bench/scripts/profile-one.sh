#!/usr/bin/env bash
# A CPU and allocation profile of one relay jar under streaming load, without the rest of run.sh: the mock,
# a fresh node (embedded H2, -Xmx512m, as run.sh starts it), one account on the mock and one key, a warm-up
# at 64 streaming connections, then a JFR recording (settings=profile) of PROFILE_SECONDS at 64 connections,
# summarised by JfrTop into results/profile-NAME.md. With --async, async-profiler instead (profile.sh): a longer
# warm-up (the node still compiles for about two minutes), CPU then allocation samples, results/async-NAME.md.
#   bash bench/scripts/profile-one.sh NAME JAR           (WARMUP_SECONDS 90, PROFILE_SECONDS 20)
#   bash bench/scripts/profile-one.sh NAME JAR --async   (WARMUP_SECONDS 180, PROFILE_SECONDS 30)
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROOT=$(dirname "$BENCH_DIR")
for f in common build relay load profile one-node; do source "$BENCH_DIR/scripts/$f.sh"; done
(( $# == 2 )) || [[ $# == 3 && $3 == --async ]] || die "usage: bash bench/scripts/profile-one.sh NAME JAR [--async]"
NAME=$1
ASYNC=$(( $# == 3 ))

if (( ASYNC )); then
  WARMUP_SECONDS=${WARMUP_SECONDS:-180} PROFILE_SECONDS=${PROFILE_SECONDS:-30}
else
  WARMUP_SECONDS=${WARMUP_SECONDS:-90} PROFILE_SECONDS=${PROFILE_SECONDS:-20}
fi
WORK=$(mktemp -d /tmp/relay-profile.XXXXXX)
RESULTS_JSONL=$WORK/profile.jsonl
ADMIN_PASSWORD="bench-$(date +%s)-admin"
trap one_node_down EXIT
one_node_up "$2"
run_wrk warmup relay 64 true "$WARMUP_SECONDS" 0
if (( ASYNC )); then
  async_profile_relay "$NAME" "$PROFILE_SECONDS" 64
else
  profile_relay "$NAME" "$PROFILE_SECONDS" 64
fi
log "done (logs $WORK)"
