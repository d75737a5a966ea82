#!/usr/bin/env bash
# Annuaire santé reader (maillage-formats) against a plain `csv` read-and-split of the same file:
# 2 million synthetic rows in the official format. Each mode runs in its own process under
# /usr/bin/time -v (peak memory), 3 times.
# Usage: bench/import/run.sh [DATA_DIR]   (default /tmp/maillage-bench-import; the file is generated if absent)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
data=${1:-/tmp/maillage-bench-import}
rows=${ROWS:-2000000}
file=$data/PS_LibreAcces_Personne_activite_bench.txt
cd "$root"
cargo build --release -p maillage-formats --example generate_annuaire --example bench_annuaire
mkdir -p "$data"
[ -f "$file" ] || target/release/examples/generate_annuaire "$file" "$rows"
echo "== fichier : $(du -h "$file" | cut -f1), $(wc -l < "$file") lignes (en-tête compris)"
cat "$file" > /dev/null # page cache warm for every mode alike
for mode in csv raw filter records; do
    echo "== mode $mode"
    for _ in 1 2 3; do
        /usr/bin/time -v target/release/examples/bench_annuaire "$file" "$mode" 2> "$data/time.txt"
        grep -E "Maximum resident set size" "$data/time.txt" | sed 's/^\s*/   /'
    done
done
