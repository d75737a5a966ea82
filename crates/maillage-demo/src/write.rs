//! Writes a generated territory into a store, as one import batch labelled fictional.

use crate::model::{self, DemoProfessional, DemoTerritory, FICTIONAL};
use maillage_analysis::{
    AccessibilityRequest, AnalysisError, IsochroneRequest, Network, SupplyMeasure, accessibility,
    isochrones_around,
};
use maillage_store::batch::Source;
use maillage_store::enrichment::{self, Enrichment, Subject};
use maillage_store::roads::{self, RoadNetwork};
use maillage_store::session::ImportSession;
use maillage_store::supply::{
    self, Activity, AnnuaireTables, Establishment, PracticeSite, Professional,
};
use maillage_store::zones::{self, ZoneKind, ZoneRecord};
use maillage_store::{Result, Store, StoreError, locations, reference, settings, territory};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub seed: u64,
    pub commune: String,
    pub population: f64,
    pub iris: usize,
    pub qpv: usize,
    pub quartiers: usize,
    pub professionals: usize,
    pub establishments: usize,
    pub road_nodes: usize,
    pub road_edges: usize,
    /// Professions whose accessibility (E2SFCA by IRIS, quartier and commune) was computed.
    pub accessibility: Vec<String>,
    /// Isochrones computed (label, minutes).
    pub isochrones: Vec<(String, i64)>,
    /// The heatwave of the crisis module.
    pub crisis: crate::crisis::CrisisSummary,
    /// The network and its Contrat local de santé.
    pub network: crate::network::NetworkSummary,
}

/// Generates the territory for `seed`, writes it into `store` (which should be empty) and computes its analyses.
pub async fn build(store: &Store, seed: u64) -> Result<Summary, AnalysisError> {
    let t = model::generate(seed);
    write(store, &t).await?;
    let (accessibility, isochrones) = analyses(store, &t).await?;
    let crisis = crate::crisis::build(store, seed).await?;
    let network = crate::network::build(store, seed).await?;
    let iris = t.zones.iter().filter(|z| ZoneKind::Iris.is(z.kind)).count();
    Ok(Summary {
        seed,
        commune: model::COMMUNE_NAME.into(),
        population: t
            .zones
            .iter()
            .filter(|z| ZoneKind::Iris.is(z.kind))
            .filter_map(|z| z.population)
            .sum(),
        iris,
        qpv: t.zones.iter().filter(|z| ZoneKind::Qpv.is(z.kind)).count(),
        quartiers: t
            .zones
            .iter()
            .filter(|z| ZoneKind::Quartier.is(z.kind))
            .count(),
        professionals: t.professionals.len(),
        establishments: t.establishments.len(),
        road_nodes: t.road_nodes.len(),
        road_edges: t.road_edges.len(),
        accessibility,
        isochrones,
        crisis,
        network,
    })
}

/// What the demonstration shows already computed: accessibility of the first-recourse professions over the
/// stored road network, and isochrones around the MSP and the municipal health centre.
pub(crate) async fn analyses(
    store: &Store,
    t: &DemoTerritory,
) -> Result<(Vec<String>, Vec<(String, i64)>), AnalysisError> {
    let mut professions = Vec::new();
    for profession in [
        "medecin_generaliste",
        "infirmier",
        "masseur_kinesitherapeute",
        "chirurgien_dentiste",
        "pharmacie",
    ] {
        let request = AccessibilityRequest {
            profession: profession.into(),
            decay: maillage_access::Decay::drees_gp(),
            max_minutes: 20.0,
            supply: SupplyMeasure::Headcount,
            demand: maillage_analysis::DemandMeasure::Population,
            network: Network::Stored,
            max_snap_m: 1_000.0,
        };
        accessibility(store, &request, maillage_messages::analysis::wording).await?;
        professions.push(profession.to_string());
    }
    let mut isochrones = Vec::new();
    for e in t
        .establishments
        .iter()
        .filter(|e| matches!(e.category_code, "603" | "124"))
    {
        let request = IsochroneRequest {
            label: e.name.clone(),
            points: vec![e.position],
            minutes: vec![5.0, 10.0, 15.0],
            network: Network::Stored,
        };
        for i in isochrones_around(store, &request, maillage_messages::analysis::wording).await? {
            isochrones.push((i.label, i.minutes));
        }
    }
    Ok((professions, isochrones))
}

/// Writes a territory model into the store as one batch labelled fictional (no computation).
pub async fn write(store: &Store, t: &DemoTerritory) -> Result<()> {
    let source = Source {
        kind: "demo",
        file_name: format!("territoire de démonstration (fictif), graine {}", t.seed),
        sha256: format!("{:064x}", t.seed),
        vintage: Some(t.population_vintage.to_string()),
    };
    let mut s = ImportSession::start(store, source).await?;
    write_zones(&mut s, t).await?;
    write_annuaire(&mut s, t).await?;
    write_acts(&mut s, t).await?;
    write_establishments(&mut s, t).await?;
    roads::replace(
        &mut s.tx,
        &RoadNetwork {
            nodes: t.road_nodes.clone(),
            edges: t.road_edges.clone(),
        },
    )
    .await?;
    maillage_store::basemap::replace(&mut s.tx, &t.basemap).await?;
    locations::refresh(&mut s.tx).await?;
    settings::set(
        &mut s.tx,
        "demonstration",
        &serde_json::json!({ "graine": t.seed, FICTIONAL: true }),
    )
    .await?;
    write_references(&mut s, t.population_vintage).await?;
    s.counts.rows_read = s.counts.inserted + s.counts.updated + s.counts.unchanged;
    s.commit(
        Some(t.population_vintage.to_string()),
        serde_json::json!({ FICTIONAL: true }),
    )
    .await?;

    write_enrichments(store, t).await?;
    territory::define(
        store,
        Some(model::COMMUNE_NAME.into()),
        &[model::COMMUNE_CODE.into()],
        &[],
        2.0,
    )
    .await?;
    Ok(())
}

/// The GPs' consultations and visits of the year, as the activity import writes them.
async fn write_acts(s: &mut ImportSession, t: &DemoTerritory) -> Result<()> {
    for p in &t.professionals {
        if let Some((consultations, visits)) = p.yearly_acts {
            maillage_store::imports::activity::write_acts(
                &mut s.tx,
                &p.national_id,
                model::ACTIVITY_YEAR,
                Some(consultations),
                Some(visits),
                s.batch_id,
            )
            .await?;
        }
    }
    Ok(())
}

/// The establishments, as the FINESS import writes them.
async fn write_establishments(s: &mut ImportSession, t: &DemoTerritory) -> Result<()> {
    let mut establishments = supply::establishments_table(&mut s.tx, s.batch_id).await?;
    for e in &t.establishments {
        let row = Establishment {
            finess_et: e.finess.clone(),
            name: e.name.clone(),
            address: Some(e.address.clone()),
            commune_code: Some(e.commune_code.clone()),
            departement: Some(model::DEPARTEMENT.into()),
            category_code: Some(e.category_code.into()),
            category_label: Some(e.category_label.into()),
            position: Some(e.position),
            coordinates_source: Some("demonstration".into()),
            ..Default::default()
        };
        s.counts.record(
            establishments
                .put(&mut s.tx, &row.finess_et, row.values())
                .await?,
        );
    }
    establishments.flush(&mut s.tx).await?;
    Ok(())
}

/// What users add to the directory (ages, retirement, new patients), written after the batch as they would be.
async fn write_enrichments(store: &Store, t: &DemoTerritory) -> Result<()> {
    for p in &t.professionals {
        if p.birth_year.is_some() || p.accepting_new_patients.is_some() {
            let e = Enrichment {
                birth_year: p.birth_year,
                planned_retirement_year: p.planned_retirement_year,
                accepting_new_patients: p.accepting_new_patients,
                ..Default::default()
            };
            enrichment::update(
                store,
                Subject::Professionnel,
                &p.national_id,
                &e,
                "démonstration",
            )
            .await?;
        }
    }
    Ok(())
}

/// The zones, with their contours, populations and the IRIS of quartiers.
async fn write_zones(s: &mut ImportSession, t: &DemoTerritory) -> Result<()> {
    let batch = s.batch_id;
    for z in &t.zones {
        let Some(kind) = ZoneKind::parse(z.kind) else {
            return Err(StoreError::InvalidValue {
                field: "type_de_zone",
                value: z.kind.to_string(),
            });
        };
        let mut attributes = serde_json::json!({ FICTIONAL: true });
        if let Some(ty) = z.iris_type {
            attributes["type_iris"] = ty.into();
        }
        if kind == ZoneKind::Commune {
            attributes["codes_postaux"] = serde_json::json!([if z.code == model::COMMUNE_CODE {
                model::POSTCODE.to_string()
            } else {
                format!("991{}", &z.code[3..])
            }]);
        }
        let record = ZoneRecord {
            kind,
            code: z.code.clone(),
            name: z.name.clone(),
            parent_code: z.parent_code.clone(),
            departement: Some(model::DEPARTEMENT.into()),
            attributes,
        };
        let (id, change) = zones::upsert(&mut s.tx, &record, batch).await?;
        s.counts.record(change);
        if let Some(g) = &z.geometry {
            zones::set_geometry(&mut s.tx, id, g, batch).await?;
        }
        if let Some(p) = z.population {
            zones::set_population(&mut s.tx, id, t.population_vintage, "TOTAL", p, batch).await?;
        }
        for (band, v) in &z.bands {
            zones::set_population(&mut s.tx, id, t.population_vintage, band, *v, batch).await?;
        }
        if !z.iris.is_empty() {
            zones::set_quartier_iris(&mut s.tx, id, &z.iris).await?;
        }
    }
    Ok(())
}

/// The sites, professionals and activities, as the RPPS directory's import writes them.
async fn write_annuaire(s: &mut ImportSession, t: &DemoTerritory) -> Result<()> {
    let mut tables = AnnuaireTables::load(&mut s.tx, s.batch_id).await?;
    for site in &t.sites {
        let row = PracticeSite {
            site_key: site.key.clone(),
            structure_id: Some(site.key.clone()),
            finess_site: site.finess.clone(),
            name: Some(site.name.clone()),
            address_number: Some(site.number.clone()),
            street: Some(site.street.clone()),
            postcode: Some(site.postcode.clone()),
            commune_code: Some(site.commune_code.clone()),
            commune_name: Some(site.commune_name.clone()),
            departement: Some(model::DEPARTEMENT.into()),
            position: Some(site.position),
            geocode_quality: Some("demonstration".into()),
            ..Default::default()
        };
        s.counts.record(
            tables
                .sites
                .put(&mut s.tx, &row.site_key, row.values())
                .await?,
        );
    }
    for p in &t.professionals {
        let person = Professional {
            national_id: p.national_id.clone(),
            id_type: "8".into(),
            pp_id: p.national_id[1..].to_string(),
            civility: Some(p.civility.into()),
            last_name: p.last_name.clone(),
            first_name: Some(p.first_name.clone()),
        };
        s.counts.record(
            tables
                .professionals
                .put(&mut s.tx, &person.national_id, person.values())
                .await?,
        );
        for site in &p.sites {
            let a = activity(p, site);
            tables
                .activities
                .put(&mut s.tx, &a.key(), a.values())
                .await?;
        }
        tables.flush_if_full(&mut s.tx).await?;
    }
    tables.flush(&mut s.tx).await?;
    Ok(())
}

/// The activity of a professional at one of their sites.
fn activity(p: &DemoProfessional, site: &str) -> Activity {
    Activity {
        national_id: p.national_id.clone(),
        site_key: Some(site.to_string()),
        profession_code: p.profession_code.into(),
        profession_label: Some(p.profession_label.into()),
        skill_type_code: p.skill.map(|_| "S".into()),
        skill_code: p.skill.map(|s| s.0.into()),
        skill_label: p.skill.map(|s| s.1.into()),
        practice_mode_code: Some(p.mode.into()),
        practice_mode_label: Some(
            if p.mode == "L" {
                "Libéral"
            } else {
                "Salarié"
            }
            .into(),
        ),
        sector_code: Some(p.sector.into()),
        sector_label: Some(demo_sector_label(p.sector).into()),
        profession: Some(p.profession.into()),
        ..Default::default()
    }
}

/// The ANS label (TRE_R02) of the sectors the demonstration uses.
fn demo_sector_label(code: &str) -> &'static str {
    match code {
        "SA01" => "Etablissement public de santé",
        "SA05" => "Centre de santé",
        "SA07" => "Cabinet individuel",
        "SA08" => "Cabinet de groupe",
        _ => "Maison de santé ou Pôle de santé",
    }
}

/// Fictional population of the demonstration's département and of "France".
const REFERENCE_POPULATIONS: [(reference::Level, &str, f64); 2] = [
    (reference::Level::Departement, model::DEPARTEMENT, 437_000.0),
    (
        reference::Level::France,
        reference::FRANCE_CODE,
        68_400_000.0,
    ),
];

/// Fictional densities per 100,000 inhabitants of "France", of the order of the national ones; the
/// demonstration's département is a little below (× 0.9).
const REFERENCE_DENSITIES: [(&str, f64); 14] = [
    ("medecin_generaliste", 145.0),
    ("medecin_generaliste_hors_premier_recours", 25.0),
    ("infirmier", 180.0),
    ("masseur_kinesitherapeute", 140.0),
    ("chirurgien_dentiste", 65.0),
    ("pharmacie", 30.0),
    ("gynecologue", 12.0),
    ("sage_femme", 35.0),
    ("pediatre", 13.0),
    ("orthophoniste", 37.0),
    ("ophtalmologiste", 9.0),
    ("orthoptiste", 9.0),
    ("psychiatre", 22.0),
    ("psychologue", 110.0),
];

/// The demonstration has no national file to count: it writes fictional département and France figures
/// through the store functions the imports use, under the source `demonstration` (named as fictional wherever
/// they are read).
async fn write_references(s: &mut ImportSession, vintage: i64) -> Result<()> {
    let mut counts = reference::Counts::new();
    let mut populations = reference::Populations::new();
    for (level, code, population) in REFERENCE_POPULATIONS {
        populations.insert((level, code.to_string()), population);
        let factor = if level == reference::Level::France {
            1.0
        } else {
            0.9
        };
        for (profession, per_100k) in REFERENCE_DENSITIES {
            let n = (per_100k * factor * population / 1e5).round() as u64;
            counts.insert((level, code.to_string(), profession.to_string()), n);
        }
    }
    reference::replace_counts(&mut s.tx, reference::DEMONSTRATION, s.batch_id, &counts).await?;
    reference::replace_populations(&mut s.tx, s.batch_id, vintage, &populations).await?;
    Ok(())
}
