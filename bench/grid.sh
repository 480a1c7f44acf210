#!/usr/bin/env bash
# The performance grid of docs/performance.md, most important cells first; each cell is capped (CELL_TIMEOUT,
# default 390 s) so one slow cell cannot eat the others. Results append to bench/results/{runs,events}.csv;
# then bench/plot.sh redraws docs/performance/*.svg and grid.md.
#   bench/grid.sh            # every cell
#   bench/grid.sh 1 3        # only cells 1 and 3
#   GRID_PASSES=2 bench/grid.sh   # every cell twice
# Every cell runs both servers (java-control-plane's SimpleCache peer too); each run first warms the harness itself.
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CELL_TIMEOUT="${CELL_TIMEOUT:-390}"
run_cell() {
  local n="$1"; shift
  if [ $((PASS % 2)) -eq 0 ]; then
    set -- "${@/meshpilot,jcp/jcp,meshpilot}"
  fi
  echo "=== cell $n (pass $PASS): $* ($(date +%T))"
  timeout --signal=TERM "$CELL_TIMEOUT" bench/run.sh "$@" --converge-timeout 300 || echo "=== cell $n ended with $? ($(date +%T))"
}
cell() {
  case "$1" in
    # 1k services x 1k proxies, full mesh: the fan-out comparison with java-control-plane
    1) run_cell 1 --copies 4 --sidecars none --clients 1000 --servers meshpilot,jcp --events endpoint,meshconfig --rounds 2 ;;
    # 1k x 1k, namespace scope (root-default Sidecar), both servers, every event
    2) run_cell 2 --copies 4 --sidecars root-default --clients 1000 --servers meshpilot,jcp --rounds 2 ;;
    # 10k services x 10k proxies, namespace scope: the goal cell
    3) run_cell 3 --copies 40 --sidecars root-default --clients 10000 --servers meshpilot,jcp --events endpoint --rounds 2 ;;
    # 10k x 1k, namespace scope
    4) run_cell 4 --copies 40 --sidecars root-default --clients 1000 --servers meshpilot,jcp --rounds 1 ;;
    # 1k x 1k, traffic scope
    5) run_cell 5 --copies 4 --sidecars traffic --clients 1000 --servers meshpilot,jcp --rounds 1 ;;
    # 1k x 10k, namespace scope
    6) run_cell 6 --copies 4 --sidecars root-default --clients 10000 --servers meshpilot,jcp --events endpoint --rounds 2 ;;
    # 10k x 1k, traffic scope
    7) run_cell 7 --copies 40 --sidecars traffic --clients 1000 --servers meshpilot,jcp --rounds 1 ;;
    # 10k x 10k, traffic scope
    8) run_cell 8 --copies 40 --sidecars traffic --clients 10000 --servers meshpilot,jcp --events endpoint --rounds 1 ;;
    # 10k services, no scope: 20 proxies only (every proxy holds all 10k services; see docs)
    9) run_cell 9 --copies 40 --sidecars none --clients 20 --servers meshpilot,jcp --events endpoint --rounds 1 ;;
    # 1k x 1k, namespace scope, delta xDS clients
    10) run_cell 10 --copies 4 --sidecars root-default --clients 1000 --kind envoy-delta --servers meshpilot,jcp --rounds 1 ;;
    # 1k x 1k, namespace scope, proxyless gRPC clients (java-control-plane's peer serves them too)
    11) run_cell 11 --copies 4 --sidecars root-default --clients 1000 --kind grpc --servers meshpilot,jcp --rounds 1 ;;
    *) echo "no cell $1" ;;
  esac
}
if [ "$#" -eq 0 ]; then set -- 1 2 3 4 5 6 7 8 9 10 11; fi
# GRID_PASSES=2 runs the whole list twice (the second pass after the first, so each cell's two runs are minutes apart)
# Even passes measure java-control-plane first, so that neither server is always the one measured second.
PASS=1
for PASS in $(seq 1 "${GRID_PASSES:-1}"); do
  for c in "$@"; do cell "$c"; done
done
