#!/usr/bin/env bash
# Routing benchmarks (release builds; not part of CI). Prints every figure the README quotes.
#
#   bash bench/routing/run_bench.sh [quick]
#
# Needs: the shared data beside the checkout (../shared/data/osm/monaco.osm.pbf), a virtualenv at
# .venv with numpy, pandas and scipy (python3 -m venv .venv && .venv/bin/pip install numpy pandas
# scipy), and for the pgRouting part the Debian packages postgresql-15 and postgresql-15-pgrouting.
# Scratch files go to $BENCH_DIR (default /tmp/maillage-routing-bench, a few GB at full size).
set -euo pipefail
cd "$(dirname "$0")/../.."
work=${BENCH_DIR:-/tmp/maillage-routing-bench}
quick=${1:-}
mkdir -p "$work"
cargo build --release -q -p maillage-routing --example routing_bench --example generate_road_graph
cargo build -q -p maillage
bench=target/release/examples/routing_bench
gen=target/release/examples/generate_road_graph
py=.venv/bin/python
monaco=../shared/data/osm/monaco.osm.pbf

echo "== machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%F)"

echo "== building from OSM and cache round trip"
$bench "$monaco" voiture
$bench "$monaco" pieton

echo "== Monaco car graph: 1,000 origins, 15 min bound, engine vs scipy vs pgRouting"
target/debug/maillage graphe "$monaco" --profil voiture --export "$work/monaco" >/dev/null
$bench "$work/monaco" 1000 900 --out "$work/monaco/ours.csv"
$bench "$work/monaco" 1000 900 --threads 1
$py bench/routing/scipy_bench.py "$work/monaco" 900 "$work/monaco/ours.csv"
if command -v /usr/lib/postgresql/15/bin/initdb >/dev/null && [ -d /usr/share/postgresql/15/extension ] \
   && ls /usr/share/postgresql/15/extension/pgrouting.control >/dev/null 2>&1; then
  bash bench/routing/pgrouting_bench.sh "$work/monaco" 900 "$work/monaco/ours.csv"
else
  echo "SKIPPED: pgRouting (apt-get install postgresql-15-pgrouting)"
fi

echo "== generated road-like graph, 2 million nodes: 1,000 origins, 15 min bound"
[ -f "$work/grid2m/edges.csv" ] || $gen 2000000 "$work/grid2m"
origins=1000; [ "$quick" = quick ] && origins=200
$bench "$work/grid2m" $origins 900 --out "$work/grid2m/ours.csv"
$py bench/routing/scipy_bench.py "$work/grid2m" 900 "$work/grid2m/ours.csv"
if ls /usr/share/postgresql/15/extension/pgrouting.control >/dev/null 2>&1; then
  bash bench/routing/pgrouting_bench.sh "$work/grid2m" 900 "$work/grid2m/ours.csv" 20
fi

echo "== algorithms and node order (2M graph, 200 origins, one thread)"
for algo in engine engine-unsorted binaryheap quad sweep; do
  n=200; [ $algo = sweep ] && n=20
  $bench "$work/grid2m" $n 900 --threads 1 --algo $algo
done
for order in input random; do
  $bench "$work/grid2m" 200 900 --threads 1 --order $order
done
$bench "$work/monaco" 1000 900 --threads 1 --algo binaryheap
$bench "$work/monaco" 1000 900 --threads 1 --order input
$bench "$work/monaco" 1000 900 --threads 1 --order random

echo "== scaling: 0.5 to 5 million nodes, 200 origins, 15 min bound"
for size in 500000 1000000 2000000 3500000 5000000; do
  [ -f "$work/grid$size/edges.csv" ] || $gen $size "$work/grid$size" 2>/dev/null
  $bench "$work/grid$size" 200 900
done
