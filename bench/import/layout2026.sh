#!/usr/bin/env bash
# The Annuaire in its 2026 layout (56 columns, found by name) and as the ANS zip bundle, against the
# 52-column file: the plain csv read (floor), then the territorial import (20 communes, buffer 0) and its
# identical re-import into a fresh SQLite base. Each run is its own process under /usr/bin/time -v.
# Usage: bench/import/layout2026.sh [DATA_DIR]
#   ROWS=...      rows of the generated files (2,000,000)
#   PROFILE=dev   use the dev profile instead of release (dependencies at opt-level 2, see Cargo.toml)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
data=${1:-/tmp/maillage-bench-import}
rows=${ROWS:-2000000}
profile=${PROFILE:-release}
cd "$root"
if [ "$profile" = dev ]; then flag=(); dir=debug; else flag=(--release); dir=release; fi
cargo build "${flag[@]}" -p maillage --bin maillage
cargo build "${flag[@]}" -p maillage-formats --example generate_annuaire --example bench_annuaire
target=${CARGO_TARGET_DIR:-$root/target}/$dir
bin=$target/maillage
mkdir -p "$data/2026"
old=$data/PS_LibreAcces_Personne_activite_bench.txt
new=$data/2026/PS_LibreAcces_Personne_activite_202611240000.txt
bundle=$data/annuaire-2026-bench.zip
[ -f "$old" ] || "$target/examples/generate_annuaire" "$old" "$rows"
[ -f "$new" ] || "$target/examples/generate_annuaire" "$new" "$rows" --2026
[ -f "$bundle" ] || (cd "$data/2026" && zip -q "$bundle" "$(basename "$new")")
ls -l "$old" "$new" "$bundle"
cat "$old" "$new" "$bundle" > /dev/null # page cache warm

measure() { # label, command...
    local label=$1
    shift
    /usr/bin/time -v "$@" > "$data/out.txt" 2> "$data/time.txt"
    local wall rss
    wall=$(grep -E "Elapsed \(wall clock\)" "$data/time.txt" | sed 's/.*: //')
    rss=$(grep -E "Maximum resident set size" "$data/time.txt" | sed 's/.*: //')
    echo "$label: temps $wall, mémoire max ${rss} kB"
}
import() { # label, base, file
    measure "$1" "$bin" import annuaire "$3" --json --base "$2"
    python3 -c "import json;d=json.load(open('$data/out.txt'));print('   lues',d['rows_read'],'ajoutées',d['inserted'],'inchangées',d['unchanged'],'hors territoire',d['filtered'],'remarques',len(d['notes']))"
}
communes=$(seq -f "69%03g" 1 20 | paste -sd,)
for file in "$old" "$new"; do
    measure "csv $(basename "$(dirname "$file")")/$(basename "$file")" "$target/examples/bench_annuaire" "$file" csv
done
for case in 52:"$old" 56:"$new" zip:"$bundle"; do
    name=${case%%:*}
    file=${case#*:}
    base=$data/t-$name.sqlite
    rm -f "$base"*
    "$bin" territoire --base "$base" definir --communes "$communes" --tampon-km 0 > /dev/null
    import "territoire ($name)" "$base" "$file"
    import "territoire ($name), réimport identique" "$base" "$file"
done
