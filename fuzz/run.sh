#!/usr/bin/env bash
# Runs every fuzzing target in turn for a total of SECONDS (default 600: ten minutes), one job at a time and
# niced (the machine is shared), then writes the figures of the run to fuzz/RESULTS.md: executions, coverage
# and features, corpus size, crashes, with the machine and the date.
#
#   fuzz/run.sh [SECONDS]        e.g. fuzz/run.sh 60 for a one-minute smoke run
#
# Needs the nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`). New inputs that reach new code are
# added to fuzz/corpus/<target>/ (keep it small: `cargo +nightly fuzz cmin <target>`); a crash is saved in
# fuzz/artifacts/<target>/ (not committed) and named in RESULTS.md with the command reproducing it.
set -euo pipefail

total=${1:-600}
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/.."
targets=$(sed -n 's/^name = "\(.*\)"$/\1/p' "$here/Cargo.toml" | grep -v '^maillage-fuzz$')
count=$(echo "$targets" | wc -l)
each=$(( total / count ))
if [ "$each" -lt 1 ]; then each=1; fi
# The fuzz crate's own target dir unless one is given (never the workspace's).
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$here/target}
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

# -a: debug assertions on (overflows panic), as in the tests.
nice cargo +nightly fuzz build -a >/dev/null

rows=""
crashes=""
for t in $targets; do
    corpus="$here/corpus/$t"
    artifacts="$here/artifacts/$t"
    mkdir -p "$corpus" "$artifacts"
    before=$(ls "$corpus" | wc -l)
    status=0
    # -rss_limit_mb: a reader must stay far below it on any input (the readers bound what they hold).
    nice cargo +nightly fuzz run -a "$t" "$corpus" -- \
        -max_total_time="$each" -max_len=65536 -rss_limit_mb=1024 -timeout=10 \
        -print_final_stats=1 -artifact_prefix="$artifacts/" >"$logs/$t.log" 2>&1 || status=$?
    after=$(ls "$corpus" | wc -l)
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$logs/$t.log" | tail -1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$logs/$t.log" | tail -1)
    peak=$(sed -n 's/^stat::peak_rss_mb: *//p' "$logs/$t.log" | tail -1)
    last=$(grep -E '^#[0-9]+' "$logs/$t.log" | tail -1)
    cov=$(echo "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
    ft=$(echo "$last" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
    found=$(ls "$artifacts" | wc -l)
    rows="$rows| \`$t\` | ${each} s | ${runs:-?} | ${speed:-?} | ${cov:-?} | ${ft:-?} | $before → $after | ${peak:-?} | $found |\n"
    if [ "$status" -ne 0 ] || [ "$found" -ne 0 ]; then
        crashes="$crashes\n### \`$t\` (exit $status)\n\n\`\`\`\n$(grep -E 'ERROR|panicked|Test unit written|SUMMARY' "$logs/$t.log" | head -8)\n\`\`\`\n"
        for a in "$artifacts"/*; do
            [ -e "$a" ] && crashes="$crashes\nReproduce: \`cargo +nightly fuzz run -a $t fuzz/artifacts/$t/$(basename "$a")\`\n"
        done
    fi
done

{
    echo "# Last fuzzing run"
    echo
    echo "Written by \`fuzz/run.sh $total\`: every target of \`fuzz/\` in turn, ${each} s each, one job at a time."
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "- machine: $(nproc) cores ($(sed -n 's/^model name.*: //p' /proc/cpuinfo | head -1)), $(free -g | awk '/^Mem:/ {print $2}') GiB, shared with other jobs (load $(cut -d' ' -f1 /proc/loadavg) at the end)"
    echo "- toolchain: $(rustc +nightly --version), $(cargo fuzz --version 2>/dev/null || echo cargo-fuzz)"
    echo "- commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo
    echo "| target | time | executions | per second | coverage (edges) | features | corpus (before → after) | peak RSS (MB) | crashes |"
    echo "|---|---|---|---|---|---|---|---|---|"
    printf "%b" "$rows"
    echo
    if [ -z "$crashes" ]; then
        echo "No crash, no timeout, no input above the memory limit."
    else
        echo "## Crashes"
        printf "%b\n" "$crashes"
    fi
} >"$here/RESULTS.md"
cat "$here/RESULTS.md"
