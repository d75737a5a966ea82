"""Reference travel times with scipy.sparse.csgraph.dijkstra (with `limit`) on an exported graph.

usage: scipy_bench.py <graph_dir> <max_seconds> [ours.csv]

Reads <graph_dir>/nodes.csv, edges.csv (maillage graphe --export format) and origins.txt (written by
the routing_bench example), runs a bounded Dijkstra from every origin, prints the time, and compares
per-origin checksums with the engine's (count of nodes within the bound, sum of their times in ms,
sum of (id mod P)*(ms mod P)). Weights are the exported seconds as integer milliseconds, so float
sums are exact and equality is exact.
"""

import sys
import time

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

P = 1_000_003


def main():
    graph_dir, max_s = sys.argv[1], float(sys.argv[2])
    ours = sys.argv[3] if len(sys.argv) > 3 else None
    nodes = pd.read_csv(f"{graph_dir}/nodes.csv", dtype={"id": np.int64})
    edges = pd.read_csv(f"{graph_dir}/edges.csv", dtype={"from": np.int64, "to": np.int64, "seconds": str})
    ids = nodes["id"].to_numpy()
    order = np.argsort(ids)
    position = lambda values: order[np.searchsorted(ids, values, sorter=order)]
    sec = edges["seconds"].str.split(".", expand=True)
    millis = sec[0].astype(np.int64) * 1000 + sec[1].astype(np.int64)
    n = len(ids)
    t0 = time.perf_counter()
    graph = csr_matrix(
        (millis.to_numpy(dtype=np.float64), (position(edges["from"].to_numpy()), position(edges["to"].to_numpy()))),
        shape=(n, n),
    )
    build_s = time.perf_counter() - t0
    if graph.nnz != len(edges):
        sys.exit("duplicate arcs in the export: the comparison would be unfair")
    origins = np.loadtxt(f"{graph_dir}/origins.txt", dtype=np.int64, ndmin=1)
    sources = position(origins)
    limit = max_s * 1000.0
    batch = max(1, min(len(sources), int(4e8 // (8 * n))))  # keep each result matrix under ~400 MB
    checks = []
    elapsed = 0.0
    for start in range(0, len(sources), batch):
        chunk = sources[start : start + batch]
        t0 = time.perf_counter()
        dist = dijkstra(graph, directed=True, indices=chunk, limit=limit)
        elapsed += time.perf_counter() - t0
        for row in np.atleast_2d(dist):
            mask = row <= limit
            ms = row[mask].astype(np.int64)
            checks.append((int(mask.sum()), int(ms.sum()), int(((ids[mask] % P) * (ms % P)).sum())))
    settled = sum(c[0] for c in checks)
    print(
        f"scipy {__import__('scipy').__version__}: nodes={n} arcs={graph.nnz} csr_build_s={build_s:.2f} "
        f"origins={len(sources)} max_s={max_s} query_s={elapsed:.3f} per_origin_ms={elapsed * 1000 / len(sources):.3f} "
        f"settled_per_origin={settled / len(sources):.0f}"
    )
    if ours:
        theirs = pd.read_csv(ours)
        mismatches = 0
        for (o, c), row in zip(zip(origins, checks), theirs.itertuples(index=False)):
            if row.origin != o or (row.count, row.sum_ms, row.hash) != c:
                mismatches += 1
                if mismatches <= 5:
                    print(f"  MISMATCH origin {o}: scipy {c}, maillage {(row.count, row.sum_ms, row.hash)}")
        print(f"comparison: {len(checks) - mismatches} identical origins, {mismatches} different")
        if mismatches:
            sys.exit(1)


if __name__ == "__main__":
    main()
