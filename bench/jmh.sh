#!/usr/bin/env bash
# JMH benchmarks of the hot paths (scope computation, per-scope generation, serialization, push planning).
#   bench/jmh.sh                          # all, copies=4, every sidecar mode
#   bench/jmh.sh -p copies=40 -p sidecars=root-default
# Extra arguments go to JMH (org.openjdk.jmh.Main); results also land in bench/results/jmh.csv.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET="${BENCH_TARGET:-target-bench}"
cd "$ROOT"
if [ ! -f "bench/$TARGET/classpath.txt" ] || [ -n "${BENCH_REBUILD:-}" ]; then
  mvn -q -B -Dstyle.color=never -Dmp.target="$TARGET" -pl bench -am package -DskipTests >&2
fi
mkdir -p bench/results
CP="bench/$TARGET/classes:$(cat "bench/$TARGET/classpath.txt")"
exec java -cp "$CP" org.openjdk.jmh.Main MeshBenchmarks -rf csv -rff "${JMH_RESULTS:-bench/results/jmh.csv}" "$@"
