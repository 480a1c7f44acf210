#!/usr/bin/env bash
# Builds a ~500 MB Envoy config dump from a 10k-service generated mesh and measures `analyze --dump` on it with a
# 256 MB heap (docs/footprint.md quotes the figures). Not part of the test suite.
#   bench/dumps/large-dump.sh [WORKDIR] [TARGET_MB]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
WORK="${1:-/tmp/meshpilot-large-dump}"
TARGET="${2:-500}"
JAR="$ROOT/cli/target/meshpilot.jar"
[ -f "$JAR" ] || (cd "$ROOT" && mvn -q -B -DskipTests -pl cli -am package)
mkdir -p "$WORK"
[ -d "$WORK/mesh-10k" ] || java -jar "$JAR" generate --copies 40 --out "$WORK/mesh-10k"
[ -f "$WORK/one.json" ] || java -Xmx4g -jar "$JAR" proxy-config all teastore-db-0.teastore-g1 \
    --registry "$WORK/mesh-10k" -o json > "$WORK/one.json"
[ -f "$WORK/big.json" ] || python3 "$HERE/inflate-dump.py" "$WORK/one.json" "$WORK/big.json" "$TARGET"
ls -l "$WORK/big.json"
/usr/bin/time -v java -Xmx256m -jar "$JAR" analyze --dump "$WORK/big.json" 2> "$WORK/time.txt" | head -8
grep -E "Maximum resident|Elapsed" "$WORK/time.txt"
