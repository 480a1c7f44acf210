#!/usr/bin/env bash
# Redraws docs/performance/*.svg and docs/performance/grid.md from bench/results/{runs,events}.csv.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET="${BENCH_TARGET:-target-bench}"
cd "$ROOT"
[ -f "bench/$TARGET/classpath.txt" ] || mvn -q -B -Dstyle.color=never -Dmp.target="$TARGET" -pl bench -am package -DskipTests >&2
exec java -cp "bench/$TARGET/classes:$(cat "bench/$TARGET/classpath.txt")" dev.meshpilot.bench.report.PlotMain \
  "${1:-bench/results}" "${2:-docs/performance}"
