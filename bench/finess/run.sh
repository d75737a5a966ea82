#!/usr/bin/env bash
# FINESS JSON flux at national size: the streamed reader and `maillage import finess` against parsing the same
# file into a serde_json::Value, each in its own process under /usr/bin/time -v (wall time, peak RSS).
# Usage: bench/finess/run.sh [DATA_DIR]    (default /tmp/maillage-bench-finess; N=100000 establishments)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
data=${1:-/tmp/maillage-bench-finess}
n=${N:-100000}
target=${CARGO_TARGET_DIR:-$root/target}
cd "$root"
# The dev profile builds dependencies, maillage-formats and maillage-store at opt-level 2 (see Cargo.toml);
# PROFILE=release for a release build.
profile=${PROFILE:-dev}
dir=$([ "$profile" = release ] && echo release || echo debug)
cargo build --profile "$profile" -p maillage --bin maillage
cargo build --profile "$profile" -p maillage-formats --example generate_finess_flux --example bench_finess_json
# Copies: the target directory may be shared with other builds.
mkdir -p "$data"
cp "$target/$dir/maillage" "$target/$dir/examples/generate_finess_flux" "$target/$dir/examples/bench_finess_json" "$data/"
day1=$data/finess-structures-journalier-20261207.json.gz
day2=$data/finess-structures-journalier-20261208.json.gz
[ -f "$day1" ] || "$data/generate_finess_flux" "$day1" "$n"
[ -f "$day2" ] || "$data/generate_finess_flux" "$day2" $((n - n / 100))
echo "fichier : $(du -h "$day1" | cut -f1) compressé, $(zcat "$day1" | wc -c) octets décompressés"
measure() { # label, command...
    local label=$1; shift
    /usr/bin/time -v "$@" > "$data/out.txt" 2> "$data/time.txt"
    local wall rss
    wall=$(grep -E "Elapsed \(wall clock\)" "$data/time.txt" | sed 's/.*: //')
    rss=$(grep -E "Maximum resident set size" "$data/time.txt" | sed 's/.*: //')
    echo "$label: temps $wall, mémoire max $((rss / 1024)) Mo"
    grep -E "lignes lues|coordonnées|inversés|établissements" "$data/out.txt" | sed 's/^/    /' || true
}
cat "$day1" "$day2" > /dev/null
measure "serde_json::Value (document entier)" "$data/bench_finess_json" value "$day1"
measure "FluxReader (flux, élément par élément)" "$data/bench_finess_json" stream "$day1"
rm -f "$data"/all.sqlite*
measure "import, base vide, tout le pays" "$data/maillage" import finess "$day1" --base "$data/all.sqlite"
measure "réimport identique" "$data/maillage" import finess "$day1" --base "$data/all.sqlite"
measure "fichier du lendemain (1 % absents)" "$data/maillage" import finess "$day2" --base "$data/all.sqlite"
rm -f "$data"/t.sqlite*
"$data/maillage" territoire --base "$data/t.sqlite" definir --communes "$(seq -f "69%03g" 1 20 | paste -sd,)" --tampon-km 0 > /dev/null 2>&1
measure "import territorial (20 communes)" "$data/maillage" import finess "$day1" --base "$data/t.sqlite"
