#!/usr/bin/env bash
# meshpilot scale harness: N simulated xDS clients against the packaged server (and, with --servers
# meshpilot,jcp, against java-control-plane's SimpleCache) on a mesh generated from the real topologies.
#   bench/run.sh --copies 4 --sidecars root-default --clients 1000 --servers meshpilot,jcp
#   bench/run.sh --help
# Builds what it needs on first use (into target-bench folders), appends to bench/results/{runs,events}.csv.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET="${BENCH_TARGET:-target-bench}"
cd "$ROOT"
if [ ! -f "cli/$TARGET/meshpilot.jar" ] || [ ! -f "bench/$TARGET/classpath.txt" ] || [ -n "${BENCH_REBUILD:-}" ]; then
  echo "bench: building the server jar and the harness ($TARGET)..." >&2
  mvn -q -B -Dstyle.color=never -Dmp.target="$TARGET" -pl bench -am package -DskipTests >&2
fi
CP="bench/$TARGET/classes:$(cat "bench/$TARGET/classpath.txt")"
exec java ${BENCH_JAVA_OPTS:--Xmx6g -XX:+UseParallelGC} -Dmeshpilot.repo.root="$ROOT" -cp "$CP" \
  dev.meshpilot.bench.run.LoadRun --jar "cli/$TARGET/meshpilot.jar" "$@"
