#!/usr/bin/env bash
# meshpilot scale harness: N simulated xDS clients against the packaged server (and, with --servers
# meshpilot,jcp, against java-control-plane's SimpleCache) on a mesh generated from the real topologies.
#   bench/run.sh --copies 4 --sidecars root-default --clients 1000 --servers meshpilot,jcp
#   bench/run.sh --help
#   bench/run.sh --scenario learning [--registry examples/shared-cluster] [--modes learned,shadow]   # learning runs
#   bench/run.sh --scenario storm --copies 40 --clients 10000 [--modes all-at-once,envoy-backoff]  # reconnect storms
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
MAIN=dev.meshpilot.bench.run.LoadRun
if [ "${1:-}" = "--scenario" ]; then
  case "${2:-}" in
    learning) MAIN=dev.meshpilot.bench.learn.LearningRun ;;
    storm) MAIN=dev.meshpilot.bench.storm.StormRun ;;
    load) ;;
    *) echo "bench: unknown scenario '${2:-}' (load, learning, storm)" >&2; exit 2 ;;
  esac
  shift 2
fi
exec java ${BENCH_JAVA_OPTS:--Xmx6g -XX:+UseParallelGC} -Dmeshpilot.repo.root="$ROOT" -cp "$CP" \
  "$MAIN" --jar "cli/$TARGET/meshpilot.jar" "$@"
