//! `maillage installer`: the guided set-up of a real territory. It lists the official files the territory needs,
//! recognises the files of a folder by their content, imports them in the right order with the usual importers,
//! and ends on the first indicators and the accessibility (or says what they still lack).

use super::base::{BaseArg, block_on, fr, nombre, open, print_json};
use super::import::{print_report, stale_source};
use crate::progress::Bar;
use clap::Args;
use maillage_analysis::{AccessibilityRequest, Network, SupplyMeasure, accessibility};
use maillage_formats::sniff::{FileKind, detect_file};
use maillage_messages::French;
use maillage_messages::imports::{step_brings, step_label, step_state};
use maillage_store::setup::{self, STEPS, Step};
use maillage_store::zones::ZoneKind;
use maillage_store::{Store, imports, territory};
use std::path::{Path, PathBuf};

/// Arguments de `maillage installer`.
#[derive(Args, Debug)]
pub struct SetupArgs {
    /// Dossier des fichiers officiels téléchargés : chacun est reconnu à son contenu et importé dans l'ordre
    /// (communes, contours, INSEE, Annuaire santé, FINESS, BAN, OpenStreetMap)
    #[arg(long, value_name = "DOSSIER")]
    pub dossier: Option<PathBuf>,
    /// Afficher seulement le plan : les fichiers nécessaires, ce qui est déjà en base et ce que le dossier
    /// contient, sans rien importer
    #[arg(long)]
    pub plan: bool,
    /// Communes du territoire (codes INSEE, séparés par des virgules), définies après l'import des communes
    #[arg(long, value_delimiter = ',')]
    pub communes: Vec<String>,
    /// EPCI du territoire (codes SIREN), définis après l'import des communes et des EPCI
    #[arg(long, value_delimiter = ',')]
    pub epci: Vec<String>,
    /// Distance (km) de la zone tampon autour du territoire
    #[arg(long, default_value_t = 5.0)]
    pub tampon_km: f64,
    /// Nom du territoire
    #[arg(long)]
    pub nom: Option<String>,
    /// Sortie JSON du plan (avec --plan)
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub base: BaseArg,
}

/// A file of the folder and the step it belongs to (None: not recognised).
struct Found {
    path: PathBuf,
    kind: Option<FileKind>,
    step: Option<Step>,
}

fn name_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn scan(folder: &Path) -> anyhow::Result<Vec<Found>> {
    let entries = std::fs::read_dir(folder).map_err(|e| {
        anyhow::anyhow!(
            "impossible de lire le dossier « {} » ({e}) ; vérifiez le chemin",
            folder.display()
        )
    })?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    paths.sort();
    Ok(paths
        .into_iter()
        .map(|path| {
            // A file no reader recognises (an archive, a road extract) is placed by its name.
            let kind = detect_file(&path).ok().flatten();
            let name = name_of(&path);
            let step = STEPS.iter().copied().find(|s| s.accepts(kind, &name));
            Found { path, kind, step }
        })
        .collect())
}

pub fn run(args: SetupArgs) -> anyhow::Result<()> {
    let found = match &args.dossier {
        Some(folder) => scan(folder)?,
        None => Vec::new(),
    };
    block_on(async {
        let store = open(&args.base).await?;
        let today = maillage_kit::local_time::today(jiff::Timestamp::now());
        let status = setup::status(&store, today).await.map_err(fr)?;
        let wants_territory = !args.communes.is_empty() || !args.epci.is_empty();
        if args.plan || args.dossier.is_none() {
            if args.json {
                return print_json(&serde_json::json!({
                    "status": status,
                    "files": found.iter().map(|f| serde_json::json!({
                        "file": f.path.display().to_string(),
                        "step": f.step,
                        "kind": f.kind.map(FileKind::label),
                    })).collect::<Vec<_>>(),
                }));
            }
            print_plan(&status, &found, wants_territory);
            if args.dossier.is_none() && !args.plan {
                println!();
                println!(
                    "Pour importer : téléchargez ces fichiers dans un dossier, puis \
                     maillage installer --dossier <dossier> --communes <codes INSEE> (ou --epci <SIREN>)."
                );
            }
            return Ok(());
        }
        if status.territory.communes.is_empty() && !wants_territory {
            anyhow::bail!(
                "aucun territoire défini : donnez ses communes (--communes 35238) ou son EPCI (--epci 200046977), \
                 sinon tous les fichiers seraient importés pour la France entière"
            );
        }
        let unknown: Vec<String> = found
            .iter()
            .filter(|f| f.step.is_none())
            .map(|f| name_of(&f.path))
            .collect();
        if !unknown.is_empty() {
            println!(
                "Fichier{} non reconnu{}, laissé{} de côté : {}",
                plural(unknown.len()),
                plural(unknown.len()),
                plural(unknown.len()),
                unknown.join(", ")
            );
        }
        let files_of = |step: Step| -> Vec<&Found> {
            let mut files: Vec<&Found> = found.iter().filter(|f| f.step == Some(step)).collect();
            // The communes before the EPCI: the EPCI file names its members among known communes.
            files.sort_by_key(|f| (f.kind == Some(FileKind::DecoupageEpci), f.path.clone()));
            files
        };
        let mut imported_contours = false;
        for &step in STEPS {
            let files = files_of(step);
            if step == Step::OpenStreetMap {
                continue;
            }
            for f in &files {
                println!("— {} : « {} »", step_label(step), name_of(&f.path));
                let bar = Bar::new(false, false, None);
                let result = import_one(&store, step, &f.path, &bar).await;
                bar.finish();
                let report = result.map_err(fr)?;
                print_report(&report);
                if let Some(stale) = stale_source(&store, report.kind).await? {
                    println!("  attention : {}", stale.french());
                }
                imported_contours |= step == Step::Contours;
            }
            if step == Step::Communes && wants_territory {
                define(&store, &args).await?;
            }
            if step == Step::Contours && imported_contours {
                // The buffer is computed from contours: define the territory again now that they are here.
                let t = territory::load(&store).await.map_err(fr)?;
                if !t.communes.is_empty() {
                    let communes: Vec<String> = t.communes.iter().cloned().collect();
                    let d = territory::define(&store, t.name, &communes, &[], t.buffer_km)
                        .await
                        .map_err(fr)?;
                    println!(
                        "Zone tampon recalculée avec les contours : {} commune{} voisine{}.",
                        d.territory.neighbours.len(),
                        plural(d.territory.neighbours.len()),
                        plural(d.territory.neighbours.len())
                    );
                }
            }
        }
        if let Some(osm) = files_of(Step::OpenStreetMap).first() {
            load_basemap(&store, &osm.path).await?;
        }
        first_results(
            &store,
            files_of(Step::OpenStreetMap).first().map(|f| &f.path),
        )
        .await
    })
}

async fn define(store: &Store, args: &SetupArgs) -> anyhow::Result<()> {
    let d = territory::define(
        store,
        args.nom.clone(),
        &args.communes,
        &args.epci,
        args.tampon_km,
    )
    .await
    .map_err(fr)?;
    println!(
        "Territoire défini : {} commune{}.",
        d.territory.communes.len(),
        plural(d.territory.communes.len())
    );
    if !d.unknown.is_empty() {
        println!(
            "  attention : communes absentes du fichier des communes : {}",
            d.unknown.join(", ")
        );
    }
    Ok(())
}

async fn import_one(
    store: &Store,
    step: Step,
    path: &Path,
    bar: &Bar,
) -> Result<maillage_store::session::ImportReport, maillage_store::StoreError> {
    match step {
        Step::Communes => imports::communes::import(store, path, None, bar).await,
        Step::Contours => imports::contours::import(store, path, None, bar).await,
        Step::Insee => imports::insee::import(store, path, bar).await,
        Step::Annuaire => imports::annuaire::import(store, path, bar).await,
        Step::Finess => imports::finess::import(store, path, bar).await,
        Step::Ban => imports::ban::import(store, path, bar)
            .await
            .map(|(report, _)| report),
        Step::OpenStreetMap => unreachable!("an OpenStreetMap extract is not imported but routed"),
    }
}

fn print_plan(status: &setup::Status, found: &[Found], wants_territory: bool) {
    println!("Installation guidée : les fichiers officiels du territoire, dans l'ordre d'import.");
    if status.territory.communes.is_empty() {
        println!(
            "Territoire : {}",
            if wants_territory {
                "défini après l'import des communes (--communes / --epci)"
            } else {
                "pas encore défini (--communes <codes INSEE> ou --epci <SIREN>)"
            }
        );
    } else {
        let n = status.territory.communes.len();
        println!(
            "Territoire : {} ({n} commune{})",
            status.territory.name.as_deref().unwrap_or("sans nom"),
            plural(n)
        );
    }
    for (i, s) in status.steps.iter().enumerate() {
        let step = s.step;
        println!();
        println!("{}. {}", i + 1, step_label(step));
        println!("   apporte : {}", step_brings(step));
        println!("   où : {}", step.page_url());
        println!("   fichier : {}", step.file_pattern());
        println!("   état : {}", step_state(s));
        let here: Vec<String> = found
            .iter()
            .filter(|f| f.step == Some(step))
            .map(|f| name_of(&f.path))
            .collect();
        if !here.is_empty() {
            println!("   dans le dossier : {}", here.join(", "));
        }
    }
    let unknown: Vec<String> = found
        .iter()
        .filter(|f| f.step.is_none())
        .map(|f| name_of(&f.path))
        .collect();
    if !unknown.is_empty() {
        println!();
        println!(
            "Non reconnu{} : {}",
            plural(unknown.len()),
            unknown.join(", ")
        );
    }
    if status.epci_known == 0 {
        println!();
        println!(
            "Pour un territoire défini par EPCI (--epci), le fichier epci.json doit être importé."
        );
    }
}

/// The background map of every map of the application, read from the extract: the streets, water, railways,
/// parks and places of the territory's communes and their neighbours (the whole extract before any contour).
async fn load_basemap(store: &Store, path: &Path) -> anyhow::Result<()> {
    use maillage_kit::basemap::LonLatBox;
    let t = territory::load(store).await.map_err(fr)?;
    let kept = |code: &str| {
        t.communes.is_empty() || t.communes.contains(code) || t.neighbours.contains(code)
    };
    let corners: Vec<(f64, f64)> = maillage_store::zones::geometries(store, &[ZoneKind::Commune])
        .await
        .map_err(fr)?
        .into_iter()
        .filter(|(_, _, code, _)| kept(code))
        .flat_map(|(.., g)| g.0.into_iter().flat_map(|p| p.exterior().0.clone()))
        .map(|c| (c.x, c.y))
        .collect();
    let area = LonLatBox::around(&corners).map(|b| b.grown(0.05));
    println!("— Fond de carte : « {} »", name_of(path));
    let features = maillage_routing::read_basemap(path, area).map_err(fr)?;
    let mut change = maillage_store::change::Change::begin(store)
        .await
        .map_err(fr)?;
    let written = maillage_store::basemap::replace(&mut change, &features)
        .await
        .map_err(fr)?;
    change.commit().await.map_err(fr)?;
    println!(
        "  {} élément{} (rues, cours d'eau, voies ferrées, parcs, noms de lieux)",
        nombre(written as f64, 0),
        plural(written)
    );
    Ok(())
}

/// The first figures of the territory: general practitioners per commune, and the accessibility by road when
/// an OpenStreetMap extract was given.
async fn first_results(store: &Store, osm: Option<&PathBuf>) -> anyhow::Result<()> {
    println!();
    println!("Premiers indicateurs (médecins généralistes) :");
    let inputs = maillage_store::observatory::indicator_inputs(store)
        .await
        .map_err(fr)?;
    let rows = maillage_indicators::compute(&inputs);
    let t = territory::load(store).await.map_err(fr)?;
    let mut shown = 0;
    for r in rows.iter().filter(|r| {
        r.zone_kind == "commune"
            && r.profession == "medecin_generaliste"
            && r.indicator == maillage_indicators::Indicator::Per10k
            && t.communes.contains(&r.zone_code)
    }) {
        shown += 1;
        println!(
            "  {} ({}) : {} pour 10 000 habitants ({} médecin{})",
            r.zone_name,
            r.zone_code,
            r.value.map_or("—".into(), |v| nombre(v, 1)),
            nombre(r.numerator.unwrap_or(0.0), 0),
            plural(r.numerator.unwrap_or(0.0) as usize)
        );
    }
    if shown == 0 {
        println!(
            "  aucun indicateur encore : il faut les communes du territoire, leur population et l'Annuaire santé"
        );
    }
    println!();
    match osm {
        Some(path) => {
            println!("Accessibilité par la route (« {} ») :", name_of(path));
            let request = AccessibilityRequest {
                profession: "medecin_generaliste".into(),
                decay: maillage_access::Decay::drees_gp(),
                max_minutes: 20.0,
                supply: SupplyMeasure::Headcount,
                demand: maillage_analysis::DemandMeasure::Population,
                network: Network::Osm {
                    path: path.clone(),
                    profile: maillage_routing::Profile::Car,
                },
                max_snap_m: 1000.0,
            };
            let report = accessibility(store, &request, maillage_messages::analysis::wording)
                .await
                .map_err(fr)?;
            for r in report
                .results
                .iter()
                .filter(|r| r.zone_kind == "commune" && !r.outside_territory)
            {
                println!(
                    "  commune {} : {} pour 100 000 habitants (calcul n° {})",
                    r.zone_code,
                    r.value.map_or("—".into(), |v| nombre(v, 1)),
                    report.run_id
                );
            }
        }
        None => println!(
            "Accessibilité : il manque l'extrait OpenStreetMap du département (.osm.pbf, \
             https://download.geofabrik.de/europe/france.html) ; ensuite : maillage accessibilite --osm <fichier>"
        ),
    }
    Ok(())
}

fn plural(n: usize) -> &'static str {
    if n > 1 { "s" } else { "" }
}
