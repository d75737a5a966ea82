#!/usr/bin/env bash
# E2SFCA: maillage against PySAL `access` on 10,000 demand zones × 20,000 supply sites, ~10 M pairs.
# Usage: bench/access/run.sh [DATA_DIR]   (default /tmp/maillage-bench-access; generated if absent)
# Builds in release first, unless BENCH_SANS_COMPILATION=1 (binaries already in $CARGO_TARGET_DIR or target/).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
data=${1:-/tmp/maillage-bench-access}
python=$root/.venv/bin/python
if [ ! -x "$python" ]; then
    echo "Python de référence absent : python3 -m venv .venv && .venv/bin/pip install access" >&2
    exit 1
fi
[ -f "$data/temps.csv" ] || "$python" "$root/bench/access/generate.py" "$data"
cd "$root"
if [ -z "${BENCH_SANS_COMPILATION:-}" ]; then
    cargo build --release -p maillage
    cargo build --release -p maillage-access --example bench_e2sfca
fi
target=${CARGO_TARGET_DIR:-$root/target}
# Wall-clock and CPU time, and peak memory (GNU time if present, else the shell's).
if [ -x /usr/bin/time ]; then
    timed() { /usr/bin/time -f "%e s écoulées, %U + %S s CPU, %M Kio au plus" "$@"; }
else
    export TIMEFORMAT='%R s écoulées, %U + %S s CPU'
    timed() { time "$@"; }
fi
echo "== machine : $(nproc) cœurs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), charge : $(cut -d' ' -f1-3 /proc/loadavg)"
d=$data/demande.csv s=$data/offre.csv t=$data/temps.csv

echo "== maillage-access, calcul seul (lecture à part ; meilleur de 5)"
"$target/release/examples/bench_e2sfca" "$d" "$s" "$t" 5

echo "== maillage e2sfca, de bout en bout (lecture CSV, calcul, écriture ; 3 fois)"
for _ in 1 2 3; do
    timed "$target/release/maillage" e2sfca --demande "$d" --offre "$s" --temps "$t" \
        --poids "10:1,20:0.68,30:0.22" --sortie "$data/maillage.csv" > /dev/null
done

echo "== PySAL access enhanced_two_stage_fca, de bout en bout (1 fois)"
timed "$python" crates/maillage/tests/reference/pysal_e2sfca.py "$d" "$s" "$t" "$data/pysal.csv" \
    --poids "10:1,20:0.68,30:0.22" --chrono

echo "== comparaison"
"$python" bench/access/compare.py "$data/maillage.csv" "$data/pysal.csv"
