# Builds what the benchmark runs, only when it is missing (or --rebuild). Sourced by run.sh.
# One Maven build at a time: relay jar (whole reactor) or just the bench module.

build_if_needed() {
  local rebuild=$1
  if [[ $rebuild == 1 || ! -f $RELAY_JAR ]]; then
    log "building the relay jar (mvn package -DskipTests)"
    (cd "$ROOT" && { mvn -B -q -o package -DskipTests || mvn -B -q package -DskipTests; }) >&2 \
      || die "the relay build failed"
  fi
  if [[ $rebuild == 1 || ! -f $BENCH_JAR || -n $(find "$BENCH_DIR/src" "$BENCH_DIR/pom.xml" -newer "$BENCH_JAR" 2>/dev/null) ]]; then
    log "building the bench module"
    (cd "$ROOT" && { mvn -B -q -o -pl bench package || mvn -B -q -pl bench package; }) >&2 \
      || die "the bench build failed"
  fi
  [[ -f $RELAY_JAR && -f $BENCH_JAR ]] || die "jars missing after the build"
}

# Other people rebuild relay-node.jar while they work; a running JVM whose jar is replaced fails on
# its next class load. Run from copies taken once, checked to be whole zip files.
snapshot_jars() {
  local src dst tries
  for src in "$RELAY_JAR" "$BENCH_JAR"; do
    dst=$WORK/$(basename "$src")
    tries=0
    until cp -p "$src" "$dst" && jar_ok "$dst"; do
      tries=$((tries + 1))
      (( tries < 30 )) || die "$src is not a complete jar (is a build writing it?)"
      sleep 2
    done
  done
  RELAY_JAR=$WORK/$(basename "$RELAY_JAR")
  BENCH_JAR=$WORK/$(basename "$BENCH_JAR")
}

# The class-data archive the README's start command and the image use fits one jar at one path: train
# one for the copy, as `mvn package` does for relay-node/target (ClassArchiveTraining). Sets
# RELAY_CLASS_ARCHIVE for start_relay; left off (a plain start) if the training fails.
train_class_archive() {
  local archive=$WORK/relay-node.jsa
  RELAY_CLASS_ARCHIVE=off
  if java -XX:ArchiveClassesAtExit="$archive" -Xlog:cds=off -Xlog:cds+dynamic=off -Xmx512m \
      -cp "$RELAY_JAR" dev.relaycluster.node.ClassArchiveTraining > "$WORK/class-archive-training.log" 2>&1 \
      && [[ -f $archive ]]; then
    RELAY_CLASS_ARCHIVE=$archive
    log "class-data archive trained: $(du -m "$archive" | cut -f1) MiB"
  else
    log "class-data archive training failed (see $WORK/class-archive-training.log); nodes start without one"
  fi
}

jar_ok() { python3 -c 'import sys,zipfile; zipfile.ZipFile(sys.argv[1]).namelist()' "$1" 2>/dev/null; }
