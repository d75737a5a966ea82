//! E2SFCA accessibility of the territory's zones to a profession, by road.
//!
//! Demand: the population of each IRIS of the territory and of its buffer (a commune without IRIS counts as
//! one zone), placed at the zone's centroid. Supply: the geolocated practice sites of the profession, each
//! professional counting once, split across their sites (or as a full-time-equivalent proxy), including the
//! sites of the buffer: supply across the border is within reach. Results by IRIS, then aggregated to
//! quartiers and communes by population weighting, and set beside the DREES APL when it has been imported.

use crate::AnalysisError;
use crate::network::{Network, load_graph};
use maillage_access::{
    CostPair, CostTable, Decay, Demand, Params, Site, Sources, Supply, SupplyUnit,
    Zone as DemandZone, compute,
};
use maillage_store::accessibility::{self, ResultRow};
use maillage_store::territory::{self, Scope};
use maillage_store::zones::{self, ZoneKind};
use maillage_store::{Store, supply};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SupplyMeasure {
    /// Each professional counts once, split across their sites.
    #[serde(rename = "effectif")]
    Headcount,
    /// The same, part-timers (local enrichment) counting for half.
    #[serde(rename = "etp")]
    Fte,
}

#[derive(Debug, Clone)]
pub struct AccessibilityRequest {
    pub profession: String,
    pub decay: Decay,
    /// Pairs beyond this many minutes are ignored.
    pub max_minutes: f64,
    pub supply: SupplyMeasure,
    pub network: Network,
    /// A zone centroid or a site farther than this from the road network is left out (and reported).
    pub max_snap_m: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct AplComparison {
    pub commune_code: String,
    pub commune_name: Option<String>,
    /// Maillage's value for the commune (population-weighted mean of its IRIS).
    pub maillage: Option<f64>,
    pub drees_apl: Option<f64>,
    pub drees_year: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct AccessibilityReport {
    pub run_id: i64,
    pub network: String,
    pub metadata: serde_json::Value,
    pub results: Vec<ResultRow>,
    pub apl: Vec<AplComparison>,
    /// Zones and sites left out because they are too far from the network.
    pub unsnapped: Vec<String>,
}

struct Place {
    id: String,
    kind: ZoneKind,
    population: f64,
    position: (f64, f64),
    outside: bool,
}

pub async fn accessibility(
    store: &Store,
    request: &AccessibilityRequest,
) -> Result<AccessibilityReport, AnalysisError> {
    if maillage_indicators::professions::by_code(&request.profession).is_none() {
        return Err(AnalysisError::UnknownProfession(request.profession.clone()));
    }
    let filter = territory::filter(store).await?;
    let all_zones = zones::list(store).await?;
    let centroids = zones::centroids(store).await?;

    // Demand zones: IRIS, and communes that have no IRIS.
    let communes_with_iris: std::collections::HashSet<&str> = all_zones
        .iter()
        .filter(|z| z.kind == ZoneKind::Iris)
        .filter_map(|z| z.parent_code.as_deref())
        .collect();
    let mut places = Vec::new();
    let mut unsnapped = Vec::new();
    for z in &all_zones {
        let commune = match z.kind {
            ZoneKind::Iris => z.parent_code.as_deref(),
            ZoneKind::Commune if !communes_with_iris.contains(z.code.as_str()) => {
                Some(z.code.as_str())
            }
            _ => None,
        };
        let Some(commune) = commune else { continue };
        let scope = filter.scope(commune);
        if scope == Scope::Outside {
            continue;
        }
        let Some(population) = z.population.as_ref().map(|p| p.value) else {
            continue;
        };
        let Some(&position) = centroids.get(&z.id) else {
            unsnapped.push(format!(
                "zone {} {} : sans contour, donc sans position",
                z.kind.as_str(),
                z.code
            ));
            continue;
        };
        places.push(Place {
            id: z.code.clone(),
            kind: z.kind,
            population,
            position,
            outside: scope != Scope::Territory,
        });
    }
    if places.is_empty() {
        return Err(AnalysisError::NoDemandZones);
    }
    let sites = supply::supply_sites(store, &request.profession).await?;
    if sites.is_empty() {
        return Err(AnalysisError::NoSupply {
            profession: request.profession.clone(),
        });
    }

    let (graph, network) = load_graph(store, &request.network).await?;
    let snap = |lon: f64, lat: f64| {
        graph
            .snap(lon, lat)
            .filter(|s| s.distance_m <= request.max_snap_m)
    };
    let mut demand_zones = Vec::new();
    let mut origins = Vec::new();
    for p in &places {
        match snap(p.position.0, p.position.1) {
            Some(s) => {
                origins.push(s.node);
                demand_zones.push(DemandZone {
                    id: p.id.clone(),
                    demand: p.population,
                    outside_territory: p.outside,
                });
            }
            None => unsnapped.push(format!(
                "zone {} {} : trop loin du réseau routier",
                p.kind.as_str(),
                p.id
            )),
        }
    }
    let mut supply_sites = Vec::new();
    let mut destinations = Vec::new();
    for s in &sites {
        match snap(s.lon, s.lat) {
            Some(n) => {
                destinations.push(n.node);
                let outside = s
                    .commune_code
                    .as_deref()
                    .is_none_or(|c| filter.scope(c) != Scope::Territory);
                let value = match request.supply {
                    SupplyMeasure::Headcount => s.headcount,
                    SupplyMeasure::Fte => s.fte,
                };
                supply_sites.push(Site {
                    id: s.site_key.clone(),
                    supply: value,
                    outside_territory: outside,
                });
            }
            None => unsnapped.push(format!("lieu {} : trop loin du réseau routier", s.site_key)),
        }
    }
    let max_millis = (request.max_minutes * 60_000.0)
        .round()
        .clamp(0.0, f64::from(u32::MAX)) as u32;
    let times = graph.travel_times(&origins, &destinations, max_millis)?;
    let pairs: Vec<CostPair> = times
        .iter()
        .map(|t| CostPair {
            zone: t.origin,
            site: t.destination,
            cost: f64::from(t.millis) / 60_000.0,
        })
        .collect();

    let unit = match request.supply {
        SupplyMeasure::Headcount => SupplyUnit::Headcount,
        SupplyMeasure::Fte => SupplyUnit::Fte,
    };
    let demand = Demand::population(demand_zones)?;
    let supply = Supply::new(unit, supply_sites)?;
    let costs = CostTable::new(&demand, &supply, pairs)?;
    let params = Params {
        decay: request.decay.clone(),
        max_cost: Some(request.max_minutes),
        scale: unit.default_scale(),
        normalize: false,
        sources: Sources {
            demand: Some(
                "population par IRIS (INSEE) ou par commune, au centroïde de la zone".into(),
            ),
            supply: Some(format!(
                "lieux d'exercice géolocalisés ({})",
                request.profession
            )),
            costs: Some(network.clone()),
        },
    };
    let result = compute(&demand, &supply, &costs, &params)?;

    // Results by demand zone, then aggregated.
    let kind_of: HashMap<&str, ZoneKind> = places.iter().map(|p| (p.id.as_str(), p.kind)).collect();
    let mut rows: Vec<ResultRow> = Vec::new();
    let mut by_code: HashMap<String, (f64, f64)> = HashMap::new();
    for (z, zone) in result.zones(&demand).zip(demand.zones()) {
        let kind = kind_of[z.id];
        rows.push(ResultRow {
            zone_kind: kind.as_str().into(),
            zone_code: z.id.to_string(),
            value: Some(z.access),
            population: Some(zone.demand),
            sites_reached: i64::from(z.sites_reached),
            outside_territory: z.outside_territory,
        });
        by_code.insert(z.id.to_string(), (z.access, zone.demand));
    }
    let weighted = |members: &[String]| -> (Option<f64>, f64, i64) {
        let (mut sum, mut pop, mut n) = (0.0, 0.0, 0);
        for m in members {
            if let Some(&(a, p)) = by_code.get(m) {
                sum += a * p;
                pop += p;
                n += 1;
            }
        }
        ((pop > 0.0).then(|| sum / pop), pop, n)
    };
    let mut iris_of_commune: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for z in all_zones.iter().filter(|z| z.kind == ZoneKind::Iris) {
        if let Some(c) = &z.parent_code {
            iris_of_commune
                .entry(c.clone())
                .or_default()
                .push(z.code.clone());
        }
    }
    let mut commune_values: HashMap<String, Option<f64>> = HashMap::new();
    for (commune, members) in &iris_of_commune {
        let scope = filter.scope(commune);
        if scope == Scope::Outside {
            continue;
        }
        let (value, pop, n) = weighted(members);
        if n == 0 {
            continue;
        }
        commune_values.insert(commune.clone(), value);
        rows.push(ResultRow {
            zone_kind: "commune".into(),
            zone_code: commune.clone(),
            value,
            population: Some(pop),
            sites_reached: 0,
            outside_territory: scope != Scope::Territory,
        });
    }
    for (code, &(value, _)) in &by_code {
        if kind_of.get(code.as_str()) == Some(&ZoneKind::Commune) {
            commune_values.insert(code.clone(), Some(value));
        }
    }
    for (quartier, members) in zones::quartier_members(store).await? {
        let (value, pop, n) = weighted(&members);
        if n > 0 {
            rows.push(ResultRow {
                zone_kind: "quartier".into(),
                zone_code: quartier,
                value,
                population: Some(pop),
                sites_reached: 0,
                outside_territory: false,
            });
        }
    }

    rows.sort_by(|a, b| (&a.zone_kind, &a.zone_code).cmp(&(&b.zone_kind, &b.zone_code)));
    let apl = accessibility::apl(store, &request.profession)
        .await?
        .into_iter()
        .filter(|a| filter.scope(&a.commune_code) != Scope::Outside)
        .map(|a| AplComparison {
            maillage: commune_values.get(&a.commune_code).copied().flatten(),
            commune_code: a.commune_code,
            commune_name: a.commune_name,
            drees_apl: a.apl,
            drees_year: a.year,
        })
        .collect();

    let metadata = serde_json::json!({
        "profession": request.profession,
        "methode": result.metadata,
        "mesure_offre": request.supply,
        "reseau": network,
        "origines": "centroïde de chaque IRIS (ou de la commune non découpée en IRIS), territoire et zone tampon",
        "agregation": "quartiers et communes : moyenne des IRIS pondérée par la population",
        "accroche_max_m": request.max_snap_m,
        "non_accroches": unsnapped,
        "calcule_le": maillage_store::now(),
    });
    let run_id =
        accessibility::save_run(store, &request.profession, &network, &metadata, &rows).await?;
    Ok(AccessibilityReport {
        run_id,
        network,
        metadata,
        results: rows,
        apl,
        unsnapped,
    })
}
