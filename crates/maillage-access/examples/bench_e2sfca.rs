//! Times the engine on CSV inputs, reading and computing separately (see bench/access/README.md).
//!
//! Usage: cargo run --release -p maillage-access --example bench_e2sfca -- DEMAND.csv SUPPLY.csv COSTS.csv [RUNS]

use maillage_access::tables::{read_costs, read_demand, read_supply};
use maillage_access::{CostTable, Decay, Params, SupplyUnit, compute};
use std::path::PathBuf;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 3 {
        return Err("usage : bench_e2sfca DEMANDE.csv OFFRE.csv TEMPS.csv [ESSAIS]".into());
    }
    let path = |i: usize| PathBuf::from(&args[i]);
    let runs: usize = args.get(3).map_or(Ok(5), |r| r.parse())?;

    let start = Instant::now();
    let demand = read_demand(&path(0))?;
    let supply = read_supply(&path(1), SupplyUnit::Unspecified)?;
    let costs = read_costs(&path(2), &demand, &supply)?;
    let read = start.elapsed().as_secs_f64();
    println!(
        "lecture et contrôle (CSV, identifiants, table) : {read:.3} s ({} zones, {} sites, {} couples)",
        demand.len(),
        supply.len(),
        costs.len()
    );

    // The table (validation, rows by zone, duplicate check) rebuilt from pairs already in memory.
    let pairs: Vec<_> = {
        let mut pairs = Vec::with_capacity(costs.len());
        for zone in 0..demand.len() as u32 {
            for (site, cost) in costs.pairs_of_zone(zone) {
                pairs.push(maillage_access::CostPair { zone, site, cost });
            }
        }
        pairs
    };
    let params = Params::new(Decay::luo_qi());
    let mut best_build = f64::INFINITY;
    let mut best_compute = f64::INFINITY;
    for _ in 0..runs {
        let copy = pairs.clone();
        let start = Instant::now();
        let table = CostTable::new(&demand, &supply, copy)?;
        best_build = best_build.min(start.elapsed().as_secs_f64());
        let start = Instant::now();
        let result = compute(&demand, &supply, &table, &params)?;
        best_compute = best_compute.min(start.elapsed().as_secs_f64());
        std::hint::black_box(result);
    }
    println!(
        "table des coûts depuis les couples en mémoire (meilleur de {runs}) : {best_build:.3} s"
    );
    println!("calcul E2SFCA (meilleur de {runs}) : {best_compute:.3} s");
    println!("table + calcul : {:.3} s", best_build + best_compute);
    Ok(())
}
