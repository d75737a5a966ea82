#!/usr/bin/env bash
# Reference travel times with pgRouting's pgr_drivingDistance (bounded one-to-many, the pgRouting
# counterpart of scipy's dijkstra with `limit`) on an exported graph, compared per origin with the
# engine's checksums (see routing_bench).
#
# usage: pgrouting_bench.sh <graph_dir> <max_seconds> <ours.csv> [origins_limit]
# Needs the Debian packages postgresql-15 and postgresql-15-pgrouting. Starts a throw-away cluster
# on 127.0.0.1:55432 (data in $PGBENCH_DIR, default /tmp/maillage-pgbench) and stops it at the end.
set -euo pipefail
dir=$(realpath "$1"); max_s=$2; ours=$(realpath "$3"); limit=${4:-0}
pgbin=/usr/lib/postgresql/15/bin
data=${PGBENCH_DIR:-/tmp/maillage-pgbench}
port=55432
run_pg() { su postgres -s /bin/bash -c "$*"; }
rm -rf "$data"; mkdir -p "$data"; chown postgres "$data"
run_pg "$pgbin/initdb -D $data/db -A trust -U postgres >/dev/null"
run_pg "$pgbin/pg_ctl -D $data/db -o '-p $port -k $data -c listen_addresses=127.0.0.1 -c shared_buffers=1GB -c work_mem=1GB' -l $data/log -w start >/dev/null"
trap 'run_pg "$pgbin/pg_ctl -D $data/db -m fast -w stop >/dev/null"' EXIT
psql=(psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt)
"${psql[@]}" -c "CREATE EXTENSION pgrouting CASCADE" >/dev/null
"${psql[@]}" -c "CREATE TABLE edges_csv (source bigint, target bigint, seconds text)"
"${psql[@]}" -c "\\copy edges_csv FROM '$dir/edges.csv' WITH (FORMAT csv, HEADER true)"
# Costs in integer milliseconds (as float8): sums are exact, as in the engine.
"${psql[@]}" -c "CREATE TABLE edges AS SELECT row_number() OVER () AS id, source, target,
  (split_part(seconds, '.', 1)::bigint * 1000 + split_part(seconds, '.', 2)::bigint)::float8 AS cost,
  -1::float8 AS reverse_cost FROM edges_csv; ANALYZE edges"
origins=$(head -n "${limit/#0/1000000000}" "$dir/origins.txt" | paste -sd, -)
n=$(head -n "${limit/#0/1000000000}" "$dir/origins.txt" | wc -l)
start=$(date +%s.%N)
"${psql[@]}" -F, -c "
  SELECT from_v, count(*), sum(agg_cost)::bigint,
         sum((mod(node, 1000003) + 1000003) % 1000003 * (agg_cost::bigint % 1000003))::bigint
  FROM pgr_drivingDistance('SELECT id, source, target, cost, reverse_cost FROM edges',
                           ARRAY[$origins]::bigint[], $max_s * 1000, directed => true)
  GROUP BY from_v" > "$data/pg.csv"
end=$(date +%s.%N)
python3 - "$data/pg.csv" "$ours" "$n" "$start" "$end" <<'PY'
import csv, sys
pg_path, ours_path, n, start, end = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5])
pg = {int(r[0]): tuple(map(int, r[1:])) for r in csv.reader(open(pg_path))}
ours = list(csv.DictReader(open(ours_path)))[:n]
bad = 0
for r in ours:
    mine = (int(r["count"]), int(r["sum_ms"]), int(r["hash"]))
    if pg.get(int(r["origin"])) != mine:
        bad += 1
        if bad <= 5:
            print(f"  MISMATCH origin {r['origin']}: pgRouting {pg.get(int(r['origin']))}, maillage {mine}")
elapsed = end - start
print(f"pgRouting pgr_drivingDistance: origins={n} query_s={elapsed:.3f} per_origin_ms={elapsed * 1000 / n:.3f}")
print(f"comparison: {n - bad} identical origins, {bad} different")
sys.exit(1 if bad else 0)
PY
