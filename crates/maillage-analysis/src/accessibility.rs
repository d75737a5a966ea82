//! E2SFCA accessibility of the territory's zones to a profession, by road.
//!
//! Demand: the population of each IRIS of the territory and of its buffer (a commune without IRIS counts as
//! one zone), placed at the zone's centroid. Supply: the geolocated practice sites of the profession, each
//! professional counting once, split across their sites (or as a full-time-equivalent proxy), including the
//! sites of the buffer: supply across the border is within reach. Supply may also be the yearly activity the
//! commune gave (consultations and visits), and demand the population standardised by age with the need
//! weights written in the metadata: the result is then in the DREES APL's unit for GPs. Results by IRIS, then
//! aggregated to quartiers and communes by population weighting, and compared with the DREES APL when it has
//! been imported — value to value only when the units are the same, otherwise on comparable forms (index to
//! the territory's weighted mean, rank, rank correlation).

use crate::AnalysisError;
use crate::network::{Network, load_graph};
use crate::wording::{Text, Unsnapped, Wording};
use maillage_access::compare::{self, Paired};
use maillage_access::{
    CostPair, CostTable, Decay, Demand, NeedBand, Params, Site, Sources, Supply, SupplyUnit,
    Zone as DemandZone, ZoneByAge, compute,
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
    /// Each professional's yearly acts (consultations and visits, `maillage import activite`), split across
    /// their sites like the headcount. Professionals whose activity was not given are excluded (supply 0)
    /// and counted.
    #[serde(rename = "activite")]
    Activity,
}

/// What demand is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum DemandMeasure {
    /// Resident population.
    #[serde(rename = "population")]
    Population,
    /// Population by broad INSEE age band × need weight ([`NEED_WEIGHTS`]).
    #[serde(rename = "population_standardisee")]
    AgeStandardised,
}

/// Relative need of GP care by broad INSEE age band (`P<yy>_POP0014` … `P<yy>_POP75P`): about the ratio of
/// the consultations and visits of an inhabitant of that age to those of the mean inhabitant. NOT the DREES
/// values (its notice gives consumption by finer age and sex bands, not reproduced here): an order of
/// magnitude, marked « non vérifié » in every result. Bands and weights are written into the metadata.
pub const NEED_WEIGHTS: [(&str, &str, f64); 6] = [
    ("0014", "0 à 14 ans", 0.80),
    ("1529", "15 à 29 ans", 0.70),
    ("3044", "30 à 44 ans", 0.85),
    ("4559", "45 à 59 ans", 1.00),
    ("6074", "60 à 74 ans", 1.30),
    ("75P", "75 ans et plus", 1.80),
];

/// The unit of a result, from what supply and demand are.
pub fn result_unit(supply: SupplyMeasure, demand: DemandMeasure) -> &'static str {
    use DemandMeasure::*;
    use SupplyMeasure::*;
    match (supply, demand) {
        (Activity, AgeStandardised) => {
            "consultations et visites par an et par habitant standardisé"
        }
        (Activity, Population) => "consultations et visites par an et par habitant",
        (Headcount, AgeStandardised) => "professionnels pour 100 000 habitants standardisés",
        (Headcount, Population) => "professionnels pour 100 000 habitants",
        (Fte, AgeStandardised) => {
            "équivalents temps plein approchés pour 100 000 habitants standardisés"
        }
        (Fte, Population) => "équivalents temps plein approchés pour 100 000 habitants",
    }
}

/// The unit the DREES publishes its APL in for a profession.
pub fn drees_unit(profession: &str) -> &'static str {
    if profession == maillage_indicators::professions::GP {
        "consultations par an et par habitant standardisé"
    } else {
        "équivalents temps plein pour 100 000 habitants standardisés"
    }
}

#[derive(Debug, Clone)]
pub struct AccessibilityRequest {
    pub profession: String,
    pub decay: Decay,
    /// Pairs beyond this many minutes are ignored.
    pub max_minutes: f64,
    pub supply: SupplyMeasure,
    pub demand: DemandMeasure,
    pub network: Network,
    /// A zone centroid or a site farther than this from the road network is left out (and reported).
    pub max_snap_m: f64,
}

/// One commune of the territory compared with the DREES APL.
#[derive(Debug, Clone, Serialize)]
pub struct AplComparison {
    pub commune_code: String,
    pub commune_name: Option<String>,
    /// Maillage's value for the commune (population-weighted mean of its IRIS), in `unite_maillage`.
    pub maillage: Option<f64>,
    /// The DREES APL (all ages), in `unite_drees`.
    pub drees_apl: Option<f64>,
    pub drees_year: i64,
    /// Index against the territory's population-weighted mean (= 100), each measure its own.
    pub indice_maillage: Option<f64>,
    pub indice_drees: Option<f64>,
    /// Rank among the communes compared, 1 = best access (ties share the mean rank).
    pub rang_maillage: Option<f64>,
    pub rang_drees: Option<f64>,
    /// Maillage − DREES, only when both are in the same unit.
    pub difference: Option<f64>,
}

/// How Maillage's result compares with the DREES APL, over the territory's communes that have both.
#[derive(Debug, Clone, Serialize)]
pub struct AplSummary {
    /// Whether a DREES APL for the profession is in the store.
    pub apl_importee: bool,
    /// When none is: where to find it and how to import it.
    pub message: Option<String>,
    pub annee_drees: Option<i64>,
    pub unite_maillage: &'static str,
    pub unite_drees: &'static str,
    /// Same unit: values compare directly (`difference`); otherwise only indexes, ranks and correlation do.
    pub unites_identiques: bool,
    /// Communes compared (territory, both values known).
    pub communes_comparees: usize,
    pub moyenne_ponderee_maillage: Option<f64>,
    pub moyenne_ponderee_drees: Option<f64>,
    /// Spearman's rank correlation between the two measures over the communes compared.
    pub correlation_rangs_spearman: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AccessibilityReport {
    pub run_id: i64,
    pub network: String,
    /// The unit of every value of `results`.
    pub unit: &'static str,
    pub metadata: serde_json::Value,
    pub results: Vec<ResultRow>,
    pub comparaison_apl: AplSummary,
    pub apl: Vec<AplComparison>,
    /// Professionals whose activity was not given (activity supply only): excluded, their supply 0.
    pub professionals_without_activity: Option<u64>,
    /// Demand zones of the territory and buffer without age structure, counted as raw population
    /// (standardised demand only).
    pub zones_without_age_structure: Option<u64>,
    /// Zones and sites left out because they are too far from the network.
    pub unsnapped: Vec<String>,
}

struct Place {
    id: String,
    zone_id: i64,
    kind: ZoneKind,
    population: f64,
    position: (f64, f64),
    outside: bool,
}

/// The accessibility of the territory's zones, stored as a run; what it says in its metadata is worded by `word`.
pub async fn accessibility(
    store: &Store,
    request: &AccessibilityRequest,
    word: Wording,
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
            unsnapped.push(word(Text::Unsnapped(Unsnapped::ZoneWithoutOutline {
                kind: z.kind.as_str(),
                code: &z.code,
            })));
            continue;
        };
        places.push(Place {
            id: z.code.clone(),
            zone_id: z.id,
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

    let age_structure = match request.demand {
        DemandMeasure::AgeStandardised => {
            let codes: Vec<&str> = NEED_WEIGHTS.iter().map(|(code, _, _)| *code).collect();
            Some(zones::population_by_bands(store, &codes).await?)
        }
        DemandMeasure::Population => None,
    };
    let mut without_structure = 0u64;
    // Resident population of each demand zone: results are aggregated with it, whatever demand is.
    let mut populations: HashMap<String, f64> = HashMap::new();
    let without_activity: f64 = sites.iter().map(|s| s.headcount_without_activity).sum();

    let (graph, network) = load_graph(store, &request.network, word).await?;
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
                let by_band = match &age_structure {
                    Some(structure) => match structure.get(&p.zone_id) {
                        Some(values) => values.iter().copied().chain([0.0]).collect(),
                        None => {
                            without_structure += 1;
                            let mut v = vec![0.0; NEED_WEIGHTS.len()];
                            v.push(p.population);
                            v
                        }
                    },
                    None => vec![p.population],
                };
                demand_zones.push(ZoneByAge {
                    id: p.id.clone(),
                    population_by_band: by_band,
                    outside_territory: p.outside,
                });
                populations.insert(p.id.clone(), p.population);
            }
            None => unsnapped.push(word(Text::Unsnapped(Unsnapped::ZoneTooFar {
                kind: p.kind.as_str(),
                code: &p.id,
            }))),
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
                    SupplyMeasure::Activity => s.activity,
                };
                supply_sites.push(Site {
                    id: s.site_key.clone(),
                    supply: value,
                    outside_territory: outside,
                });
            }
            None => unsnapped.push(word(Text::Unsnapped(Unsnapped::SiteTooFar {
                site: &s.site_key,
            }))),
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
        SupplyMeasure::Activity => SupplyUnit::Activity,
    };
    let demand = match request.demand {
        DemandMeasure::AgeStandardised => {
            let mut bands: Vec<NeedBand> = NEED_WEIGHTS
                .iter()
                .map(|(_, label, weight)| NeedBand {
                    label: label.to_string(),
                    weight: *weight,
                })
                .collect();
            bands.push(NeedBand {
                label: word(Text::NoStructureBand),
                weight: 1.0,
            });
            Demand::age_standardised(bands, demand_zones)?
        }
        DemandMeasure::Population => Demand::population(
            demand_zones
                .into_iter()
                .map(|z| DemandZone {
                    demand: z.population_by_band.iter().sum(),
                    id: z.id,
                    outside_territory: z.outside_territory,
                })
                .collect(),
        )?,
    };
    let supply = Supply::new(unit, supply_sites)?;
    let costs = CostTable::new(&demand, &supply, pairs)?;
    let params = Params {
        decay: request.decay.clone(),
        max_cost: Some(request.max_minutes),
        scale: unit.default_scale(),
        normalize: false,
        sources: Sources {
            demand: Some(word(Text::DemandSource(request.demand))),
            supply: Some(word(Text::SupplySource {
                supply: request.supply,
                profession: &request.profession,
            })),
            costs: Some(network.clone()),
        },
    };
    let result = compute(&demand, &supply, &costs, &params)?;

    // Results by demand zone, then aggregated.
    let kind_of: HashMap<&str, ZoneKind> = places.iter().map(|p| (p.id.as_str(), p.kind)).collect();
    let mut rows: Vec<ResultRow> = Vec::new();
    let mut by_code: HashMap<String, (f64, f64)> = HashMap::new();
    for z in result.zones(&demand) {
        let kind = kind_of[z.id];
        let population = populations.get(z.id).copied().unwrap_or(0.0);
        rows.push(ResultRow {
            zone_kind: kind.as_str().into(),
            zone_code: z.id.to_string(),
            value: Some(z.access),
            population: Some(population),
            sites_reached: i64::from(z.sites_reached),
            outside_territory: z.outside_territory,
        });
        by_code.insert(z.id.to_string(), (z.access, population));
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
    let mut commune_values: HashMap<String, (Option<f64>, f64)> = HashMap::new();
    for (commune, members) in &iris_of_commune {
        let scope = filter.scope(commune);
        if scope == Scope::Outside {
            continue;
        }
        let (value, pop, n) = weighted(members);
        if n == 0 {
            continue;
        }
        commune_values.insert(commune.clone(), (value, pop));
        rows.push(ResultRow {
            zone_kind: "commune".into(),
            zone_code: commune.clone(),
            value,
            population: Some(pop),
            sites_reached: 0,
            outside_territory: scope != Scope::Territory,
        });
    }
    for (code, &(value, pop)) in &by_code {
        if kind_of.get(code.as_str()) == Some(&ZoneKind::Commune) {
            commune_values.insert(code.clone(), (Some(value), pop));
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
    let unit_label = result_unit(request.supply, request.demand);
    let (apl, summary) =
        compare_with_apl(store, request, &filter, &commune_values, unit_label, word).await?;
    let professionals_without_activity =
        (request.supply == SupplyMeasure::Activity).then_some(without_activity.round() as u64);
    let zones_without_age_structure =
        (request.demand == DemandMeasure::AgeStandardised).then_some(without_structure);

    let metadata = serde_json::json!({
        "profession": request.profession,
        "methode": result.metadata,
        "mesure_offre": request.supply,
        "mesure_demande": request.demand,
        "unite": unit_label,
        "standardisation": (request.demand == DemandMeasure::AgeStandardised).then(|| serde_json::json!({
            "tranches": NEED_WEIGHTS.iter().map(|(code, label, weight)| serde_json::json!({
                "tranche": label,
                "colonne_insee": format!("P<aa>_POP{code}"),
                "poids": weight,
                "verifie": false,
                "statut": "non vérifié",
            })).collect::<Vec<_>>(),
            "note": word(Text::NeedWeightsNote),
            "repli": word(Text::NoStructureFallback),
            "zones_sans_structure_par_age": without_structure,
        })),
        "activite": (request.supply == SupplyMeasure::Activity).then(|| serde_json::json!({
            "regle": word(Text::ActivityRule),
            "sans_activite": word(Text::WithoutActivity),
            "professionnels_sans_activite": professionals_without_activity,
        })),
        "comparaison_apl": &summary,
        "reseau": network,
        "origines": word(Text::Origins),
        "agregation": word(Text::Aggregation),
        "accroche_max_m": request.max_snap_m,
        "non_accroches": unsnapped,
        "calcule_le": maillage_store::now(),
    });
    let run_id =
        accessibility::save_run(store, &request.profession, &network, &metadata, &rows).await?;
    Ok(AccessibilityReport {
        run_id,
        network,
        unit: unit_label,
        metadata,
        results: rows,
        comparaison_apl: summary,
        apl,
        professionals_without_activity,
        zones_without_age_structure,
        unsnapped,
    })
}

/// The territory's communes compared with the DREES APL (all ages, latest year), on comparable forms.
async fn compare_with_apl(
    store: &Store,
    request: &AccessibilityRequest,
    filter: &territory::Filter,
    commune_values: &HashMap<String, (Option<f64>, f64)>,
    unit_label: &'static str,
    word: Wording,
) -> Result<(Vec<AplComparison>, AplSummary), AnalysisError> {
    let drees: Vec<_> = accessibility::apl(store, &request.profession)
        .await?
        .into_iter()
        .filter(|a| filter.scope(&a.commune_code) == Scope::Territory)
        .collect();
    let same_unit = request.profession == maillage_indicators::professions::GP
        && request.supply == SupplyMeasure::Activity
        && request.demand == DemandMeasure::AgeStandardised;
    let paired: Vec<Paired> = drees
        .iter()
        .filter_map(|a| {
            let (Some(m), pop) = commune_values.get(&a.commune_code).copied()? else {
                return None;
            };
            Some(Paired {
                id: a.commune_code.clone(),
                population: pop,
                first: m,
                second: a.apl?,
            })
        })
        .collect();
    let compared = compare::compare(&paired, same_unit);
    let by_id: HashMap<&str, &compare::ComparedZone> =
        compared.zones.iter().map(|z| (z.id.as_str(), z)).collect();
    let rows = drees
        .iter()
        .map(|a| {
            let c = by_id.get(a.commune_code.as_str());
            AplComparison {
                commune_code: a.commune_code.clone(),
                commune_name: a.commune_name.clone(),
                maillage: commune_values.get(&a.commune_code).and_then(|v| v.0),
                drees_apl: a.apl,
                drees_year: a.year,
                indice_maillage: c.and_then(|c| c.first_index),
                indice_drees: c.and_then(|c| c.second_index),
                rang_maillage: c.map(|c| c.first_rank),
                rang_drees: c.map(|c| c.second_rank),
                difference: c.and_then(|c| c.difference),
            }
        })
        .collect();
    let summary = AplSummary {
        apl_importee: !drees.is_empty(),
        message: drees.is_empty().then(|| word(Text::AplHowTo)),
        annee_drees: drees.first().map(|a| a.year),
        unite_maillage: unit_label,
        unite_drees: drees_unit(&request.profession),
        unites_identiques: same_unit,
        communes_comparees: paired.len(),
        moyenne_ponderee_maillage: compared.first_mean,
        moyenne_ponderee_drees: compared.second_mean,
        correlation_rangs_spearman: compared.spearman,
    };
    Ok((rows, summary))
}
