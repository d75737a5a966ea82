"""Synthetic E2SFCA inputs: demand zones and supply sites scattered on a plane, travel time = distance.

Usage: generate.py OUT_DIR [--zones 10000] [--sites 20000] [--pairs 10000000] [--seed 1]

Writes OUT_DIR/demande.csv (id,value), offre.csv (id,value) and temps.csv (origin,destination,cost) with
the pairs up to 32 minutes. The square's side is chosen so that about --pairs pairs fall within 30 minutes,
the reach of the default steps; the pairs from 30 to 32 minutes lie beyond the last step (weight 0). Costs are rounded to 0.01 min, so some fall
exactly on the 10/20/30 bounds; 2 % of zones have no population and a few sites no supply.
"""

import argparse
import math
import os

import numpy as np


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--zones", type=int, default=10_000)
    p.add_argument("--sites", type=int, default=20_000)
    p.add_argument("--pairs", type=int, default=10_000_000)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    rng = np.random.default_rng(a.seed)

    reach, written = 30.0, 32.0
    # pairs ≈ zones · sites · π·reach² / side² (ignoring borders, hence the 0.94 margin).
    side = math.sqrt(a.zones * a.sites * math.pi * reach**2 / a.pairs) * 0.94
    zx, zy = rng.uniform(0, side, a.zones), rng.uniform(0, side, a.zones)
    sx, sy = rng.uniform(0, side, a.sites), rng.uniform(0, side, a.sites)
    population = rng.integers(200, 5000, a.zones)
    population[rng.random(a.zones) < 0.02] = 0
    supply = np.round(rng.gamma(2.0, 1.5, a.sites), 2)
    supply[rng.random(a.sites) < 0.01] = 0

    zone_ids = [f"Z{i:05d}" for i in range(a.zones)]
    site_ids = [f"S{j:05d}" for j in range(a.sites)]
    with open(os.path.join(a.out, "demande.csv"), "w") as f:
        f.write("id,value\n")
        f.writelines(f"{z},{v}\n" for z, v in zip(zone_ids, population))
    with open(os.path.join(a.out, "offre.csv"), "w") as f:
        f.write("id,value\n")
        f.writelines(f"{s},{v!r}\n" for s, v in zip(site_ids, supply.tolist()))

    site_names = np.array(site_ids)
    total = within = 0
    with open(os.path.join(a.out, "temps.csv"), "w") as f:
        f.write("origin,destination,cost\n")
        for i in range(a.zones):
            d = np.hypot(sx - zx[i], sy - zy[i])
            near = np.nonzero(d <= written)[0]
            cost = np.round(d[near], 2)
            total += len(near)
            within += int(np.count_nonzero(cost <= reach))
            f.write("".join(f"{zone_ids[i]},{s},{c!r}\n" for s, c in zip(site_names[near], cost.tolist())))
    print(f"{a.zones} zones, {a.sites} sites, {total} couples dont {within} à 30 min ou moins (côté {side:.1f} min)")


if __name__ == "__main__":
    main()
