"""Reference run of PySAL `access` on the CSV inputs of `maillage e2sfca`.

Usage: pysal_e2sfca.py DEMAND.csv SUPPLY.csv COSTS.csv OUT.csv [--poids "10:1,20:0.68,30:0.22"]
       [--methode e2sfca|2sfca|gravite|gaussienne] [--cout-max X] [--alpha A] [--gravite-echelle S]
       [--cout-min M] [--sigma S] [--normaliser] [--chrono]

Writes `id,access` in the demand file's order, floats as Python's repr (shortest round trip); zones PySAL
leaves without a value are written `nan`. With --chrono, prints the seconds spent reading and computing.
"""

import argparse
import sys
import time

import pandas as pd
from access import Access, weights


def steps(text):
    out = {}
    for item in text.split(","):
        bound, weight = item.split(":")
        out[float(bound)] = float(weight)
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("demand")
    p.add_argument("supply")
    p.add_argument("costs")
    p.add_argument("out")
    p.add_argument("--poids", default="10:1,20:0.68,30:0.22")
    p.add_argument("--methode", default="e2sfca", choices=["e2sfca", "2sfca", "gravite", "gaussienne"])
    p.add_argument("--cout-max", type=float, default=None)
    p.add_argument("--alpha", type=float, default=None)
    p.add_argument("--gravite-echelle", type=float, default=1.0)
    p.add_argument("--cout-min", type=float, default=0.0)
    p.add_argument("--sigma", type=float, default=None)
    p.add_argument("--normaliser", action="store_true")
    p.add_argument("--chrono", action="store_true")
    a = p.parse_args()

    t0 = time.perf_counter()
    demand = pd.read_csv(a.demand, dtype={"id": str}).rename(columns={"value": "pop"})
    supply = pd.read_csv(a.supply, dtype={"id": str}).rename(columns={"value": "supply"})
    costs = pd.read_csv(a.costs, dtype={"origin": str, "destination": str})
    t1 = time.perf_counter()

    acc = Access(
        demand_df=demand,
        demand_index="id",
        demand_value="pop",
        supply_df=supply,
        supply_index="id",
        supply_value="supply",
        cost_df=costs,
        cost_origin="origin",
        cost_dest="destination",
        cost_name="cost",
    )
    if a.methode == "e2sfca":
        result = acc.enhanced_two_stage_fca(
            weight_fn=weights.step_fn(steps(a.poids)), max_cost=a.cout_max, normalize=a.normaliser
        )
    elif a.methode == "2sfca":
        result = acc.two_stage_fca(max_cost=a.cout_max, normalize=a.normaliser)
    elif a.methode == "gravite":
        fn = weights.gravity(scale=a.gravite_echelle, alpha=a.alpha, min_dist=a.cout_min)
        result = acc.two_stage_fca(weight_fn=fn, max_cost=a.cout_max, normalize=a.normaliser)
    else:
        fn = weights.gaussian(sigma=a.sigma)
        result = acc.two_stage_fca(weight_fn=fn, max_cost=a.cout_max, normalize=a.normaliser)
    t2 = time.perf_counter()

    column = result.columns[0]
    values = result[column].reindex(demand["id"])
    with open(a.out, "w") as out:
        out.write("id,access\n")
        for zone, value in zip(demand["id"], values):
            out.write(f"{zone},{float(value)!r}\n")
    if a.chrono:
        print(f"lecture {t1 - t0:.3f} s, calcul {t2 - t1:.3f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
