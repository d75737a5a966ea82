"""Compare `maillage e2sfca`'s result with PySAL `access`'s (both `id,access`, same order).

Usage: compare.py OURS.csv PYSAL.csv

Equal within a relative 1e-9; where PySAL gives NaN (a zone with no pair) ours must be 0; where PySAL gives
inf (a zero-population zone reaching a site that no populated zone reaches: R = S/0), ours is finite, that
site being excluded and reported (PRODUCT.md §5.1). Exits 1 on any other difference.
"""

import csv
import math
import sys


def read(path):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0][:2] == ["id", "access"], rows[0]
    return [(r[0], float(r[1])) for r in rows[1:]]


def main():
    ours, pysal = read(sys.argv[1]), read(sys.argv[2])
    if len(ours) != len(pysal):
        sys.exit(f"{len(ours)} zones contre {len(pysal)}")
    worst, equal, nan, inf, bad = 0.0, 0, 0, 0, 0
    for (i, a), (j, b) in zip(ours, pysal):
        if i != j:
            sys.exit(f"ordre différent : {i} / {j}")
        if math.isnan(b):
            nan += 1
            bad += a != 0.0
        elif math.isinf(b):
            inf += 1
            bad += not math.isfinite(a)
        else:
            rel = abs(a - b) / max(abs(b), 1e-300)
            worst = max(worst, rel)
            equal += 1
            bad += rel > 1e-9
    print(
        f"{equal} zones comparées, écart relatif max {worst:.3g} ; "
        f"{nan} NaN PySAL (0 ici), {inf} inf PySAL (site exclu ici) ; {bad} écart(s)"
    )
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
