#!/bin/sh
# Starts one relay node with the JVM options it is built and measured for; every way of running a node
# uses this (the README, the image, deploy/local/start-cluster.sh, the benchmark).
#   RELAY_JAR           the node's jar (default: relay-node/target/relay-node.jar of this checkout)
#   RELAY_CLASS_ARCHIVE the class-data archive trained for that jar (default: the jar's name with .jsa,
#                       as `mvn package` writes it); "off", or no such file, starts without one
#   JAVA_OPTS           further JVM options, e.g. -Xmx2g; they come after ours and win (a collector
#                       chosen there, -XX:+Use...GC, replaces ours)
# Options: the parallel collector, which on a few cores serves a quarter to a third more streamed
# requests than G1 with shorter young pauses, at the price of a full collection of about 0.1 s every
# half minute under full load (bench/what-bounds-it.md); the class-data archive, which halves start-up.
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
if [ "$archive" != off ] && [ -f "$archive" ]; then
  set -- "$@" -XX:SharedArchiveFile="$archive"
fi
# JAVA_OPTS is split on spaces on purpose: it holds several options.
# shellcheck disable=SC2086
exec java "$@" ${JAVA_OPTS:-} -jar "$jar"
