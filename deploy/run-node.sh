#!/bin/sh
# Starts one relay node with the JVM options it is built and measured for; every way of running a node
# uses this (the README, the image, deploy/local/start-cluster.sh, the benchmark).
#   RELAY_JAR           the node's jar (default: relay-node/target/relay-node.jar of this checkout)
#   RELAY_CLASS_ARCHIVE the class-data archive trained for that jar (default: the jar's name with .jsa,
#                       as `mvn package` writes it); "off", or no such file, starts without one
#   RELAY_HEAP          the node's heap limit (default 1g): a size, e.g. 2g (-Xmx), or a share of the
#                       machine's or container's memory, e.g. 70% (-XX:MaxRAMPercentage). Without a limit the
#                       JVM takes a quarter of the machine and the parallel collector grows into it (a fuzzing
#                       run reached 1.2 GB resident with 27 MB live). An open stream holds about 40 KiB of
#                       live heap (bench/RESULTS.md: 421 MiB for 9,800), so 1g holds several thousand; raise it
#                       for more. A heap set in JAVA_OPTS (-Xmx, -XX:MaxRAMPercentage, -XX:MaxRAM) replaces
#                       it, as the image's does.
#   JAVA_OPTS           further JVM options, e.g. -XX:+HeapDumpOnOutOfMemoryError; they come after ours and win
#                       (a collector chosen there, -XX:+Use...GC, replaces ours; so does a heap, see RELAY_HEAP)
# Read by the node itself (relay-node/src/main/resources/application.conf, README "Configuration"), e.g.
#   RELAY_UPSTREAM_IDLE_TIMEOUT  longest pause in an upstream stream before it is cut with an error event (5m)
#   RELAY_HEADER_TIMEOUT, RELAY_BODY_IDLE_TIMEOUT, RELAY_KEEP_ALIVE_TIMEOUT, RELAY_MAX_CONNECTIONS  client limits
# Options: the parallel collector, which on a few cores serves a quarter to a third more streamed
# requests than G1 with shorter young pauses, at the price of a full collection of about 0.1 s every
# half minute under full load (bench/what-bounds-it.md); the heap above; class metadata bounded at 256m
# (a started node uses about 70 MB; JAVA_OPTS may set -XX:MaxMetaspaceSize); the class-data archive,
# which halves start-up.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
jar=${RELAY_JAR:-$here/../relay-node/target/relay-node.jar}
archive=${RELAY_CLASS_ARCHIVE:-${jar%.jar}.jsa}
if [ ! -f "$jar" ]; then
  echo "no relay jar at $jar: build it with mvn -B -q package -DskipTests" >&2
  exit 1
fi
set --
case " ${JAVA_OPTS:-} " in
  *" -XX:+Use"*"GC "*) ;;
  *) set -- -XX:+UseParallelGC ;;
esac
heap=${RELAY_HEAP:-1g}
case " ${JAVA_OPTS:-} " in
  *" -Xmx"*|*" -XX:MaxRAMPercentage="*|*" -XX:MaxRAM="*) ;;
  *)
    case "$heap" in
      *%) set -- "$@" -XX:MaxRAMPercentage="${heap%\%}" ;;
      *) set -- "$@" -Xmx"$heap" ;;
    esac
    ;;
esac
case " ${JAVA_OPTS:-} " in
  *" -XX:MaxMetaspaceSize="*) ;;
  *) set -- "$@" -XX:MaxMetaspaceSize=256m ;;
esac
if [ "$archive" != off ] && [ -f "$archive" ]; then
  set -- "$@" -XX:SharedArchiveFile="$archive"
fi
# JAVA_OPTS is split on spaces on purpose: it holds several options.
# shellcheck disable=SC2086
exec java "$@" ${JAVA_OPTS:-} -jar "$jar"
