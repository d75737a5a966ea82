#!/usr/bin/env bash
# Load test of the web server on the demonstration territory (release build): requests per second and latency
# percentiles of the dashboard (/observatoire) and of /api/v1/zones under 200 concurrent clients for 30 s, each
# against a static file served by the same server. wrk (Debian package `wrk`) runs on the same machine, on
# loopback only, and stops by itself after each run.
# Usage: bench/web/run.sh [WORK_DIR]   (default /tmp/maillage-bench-web; CONNECTIONS=200 DURATION=30s PORT=18080)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=${1:-/tmp/maillage-bench-web}
port=${PORT:-18080}
connections=${CONNECTIONS:-200}
duration=${DURATION:-30s}
url=http://127.0.0.1:$port
command -v wrk >/dev/null || { echo "wrk est requis : apt-get install wrk" >&2; exit 1; }

cd "$root"
cargo build --release -p maillage
bin=$root/target/release/maillage
mkdir -p "$work"
rm -f "$work"/demo.sqlite*
"$bin" demo --base "$work/demo.sqlite" --sans-serveur > /dev/null
password="une phrase de passe pour le banc d'essai"
echo "$password" | "$bin" utilisateur creer --identifiant banc --role observatoire --tout-le-territoire \
    --mot-de-passe-stdin --base "$work/demo.sqlite" > /dev/null

"$bin" serve --adresse "127.0.0.1:$port" --base "$work/demo.sqlite" > "$work/serve.log" 2>&1 &
server=$!
trap 'kill "$server" 2> /dev/null; wait "$server" 2> /dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "$url/sante" > /dev/null && break; sleep 0.1; done

# A session, through the login form (its CSRF cookie and field), as a browser gets one.
jar=$work/cookies.txt
rm -f "$jar"
csrf=$(curl -s -c "$jar" -b "$jar" "$url/connexion" | grep -o 'name="_csrf" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "_csrf=$csrf" --data-urlencode "identifiant=banc" \
    --data-urlencode "mot_de_passe=$password" "$url/connexion"
session=$(awk '$6 == "maillage_session" { print $7 }' "$jar")
[ -n "$session" ] || { echo "connexion impossible" >&2; exit 1; }
cookie="Cookie: maillage_session=$session"

echo "== machine : $(nproc) cœurs, $(lscpu | sed -n 's/^Model name: *//p'), $(date -u +%Y-%m-%d)"
echo "== $connections connexions, $duration par mesure, wrk -t2 sur la même machine"
printf '%-32s %10s %10s %10s %10s %10s %8s\n' chemin octets req/s p50 p90 p99 erreurs
for path in /observatoire /api/v1/zones /static/maillage.css /static/vendor/leaflet/leaflet.css \
            /static/carte.js; do
    status=$(curl -s -o "$work/body" -w '%{http_code}' -H "$cookie" "$url$path")
    [ "$status" = 200 ] || { echo "$path : statut $status" >&2; exit 1; }
    bytes=$(wc -c < "$work/body")
    wrk -t2 -c"$connections" -d"$duration" --latency -H "$cookie" "$url$path" > "$work/wrk.txt"
    rps=$(awk '/^Requests\/sec/ { print $2 }' "$work/wrk.txt")
    p50=$(awk '$1 == "50%" { print $2 }' "$work/wrk.txt")
    p90=$(awk '$1 == "90%" { print $2 }' "$work/wrk.txt")
    p99=$(awk '$1 == "99%" { print $2 }' "$work/wrk.txt")
    # Socket errors and non-2xx answers, both counted as errors.
    errors=$(awk '/Socket errors/ { gsub(",", ""); n += $4 + $6 + $8 + $10 } /Non-2xx/ { n += $5 } END { print n + 0 }' "$work/wrk.txt")
    printf '%-32s %10s %10s %10s %10s %10s %8s\n' "$path" "$bytes" "$rps" "$p50" "$p90" "$p99" "$errors"
done
