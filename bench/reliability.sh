#!/usr/bin/env bash
# Runs the reliability suite (faults in every dialect, breaks after the first byte, the admin attacks, the
# usage spool across restarts, fuzzing, outages on a 3-node cluster) and writes RELIABILITY.md from the
# figures the run leaves in relay-node/target/reliability/. CI runs the same tests with their short settings;
# this is the long run.
#   FAULT_ROUNDS  requests per pool in the fault suite (default 100; CI: 12)
#   FUZZ_TRIES    fuzzing inputs per family in RelayFuzzTest (default 6000, 4x the CI figure: about 42,000 inputs)
#   OUTAGE_SECONDS  how long PostgreSQL and Redis are unreachable in the outage suite (default 30; CI: 8)
#   OUTAGE_CLIENTS  clients streaming during the outages (default 8; CI: 4)
# bash bench/reliability.sh --existing [DIR]: no run; RELIABILITY.md from the figures an earlier `mvn -B test`
# left in DIR (default relay-node/target/reliability), e.g. a CI run's, with CI's short settings said so.
set -euo pipefail
cd "$(dirname "$0")/.."
export FAULT_ROUNDS=${FAULT_ROUNDS:-100}
export OUTAGE_SECONDS=${OUTAGE_SECONDS:-30}
export OUTAGE_CLIENTS=${OUTAGE_CLIENTS:-8}
export FUZZ_TRIES=${FUZZ_TRIES:-6000}
figures=relay-node/target/reliability
if [[ ${1:-} == --existing ]]; then
  figures=${2:-$figures}
  ls "$figures"/*.md >/dev/null
  how="\`bash bench/reliability.sh --existing\` from the figures a run of the whole suite (\`mvn -B test\`, CI's
short settings: 12 requests per pool, 8 s outages, 13,500 raw-socket inputs) left behind"
else
  rm -rf "$figures"
  args=(-B test -pl protocol,relay-node -Drelay.classArchive.skip -Dsurefire.failIfNoSpecifiedTests=false
    "-Dtest=FaultSuiteTest,AdminAttackTest,UsageSpoolRestartTest,*Fuzz*,ClusterOutageTest")
  mvn "${args[@]}"
  how="\`bash bench/reliability.sh\` from the figures of its run"
fi
{
  echo "# Reliability"
  echo
  # The commit of the checkout the figures were made in (a CI clone's, for --existing).
  echo "Written by $how (commit $(git -C "$figures" rev-parse --short HEAD 2>/dev/null || git rev-parse --short HEAD),"
  echo "$(date -u +%Y-%m-%d), $(nproc) cores). Each section names the test that produced it; CI runs the same tests"
  echo "with fewer inputs on every build."
  echo
  for f in "$figures"/*.md; do
    cat "$f"
    echo
  done
} > RELIABILITY.md
echo "wrote RELIABILITY.md"
