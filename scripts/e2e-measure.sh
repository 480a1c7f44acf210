#!/usr/bin/env bash
# Push latency with simulated ADS clients against the packaged server: time from a registry file change to
# every connected client ACKing the endpoint update (p50/p99/max). Builds the server jar on the way.
#   scripts/e2e-measure.sh                       # 1,000 clients, 10 rounds, just the e2e mesh
#   scripts/e2e-measure.sh 1000 10 ../shared/shared-cluster   # with a 250-service mesh around it
set -euo pipefail
cd "$(dirname "$0")/.."
CLIENTS="${1:-1000}"
ROUNDS="${2:-10}"
BACKGROUND="${3:-}"
if [ -n "$BACKGROUND" ]; then BACKGROUND="$(cd "$BACKGROUND" && pwd)"; fi
TARGET="${MP_TARGET:-target}"

# verify packages the server jar on the way; -Dtest keeps every other test out.
mvn -q -B -Dstyle.color=never -Dmp.target="$TARGET" -pl e2e -am verify \
  -Dtest=PushLatencyMeasurementTest -Dsurefire.failIfNoSpecifiedTests=false \
  -De2e.excludedGroups=none -Dgroups=measurement \
  -Dmeasure.clients="$CLIENTS" -Dmeasure.rounds="$ROUNDS" -Dmeasure.background="$BACKGROUND" \
  -Dmeshpilot.e2e.serverHeap="${SERVER_HEAP:-1g}"
echo "report: e2e/$TARGET/e2e-work/push-latency-report.txt"
