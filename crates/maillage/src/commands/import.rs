//! `maillage import <type> <fichier>`: the official files, as published.

use super::base::{BaseArg, block_on, fr, nombre, open};
use crate::progress::Bar;
use clap::builder::PossibleValue;
use clap::{Args, ValueEnum};
use maillage_messages::French;
use maillage_messages::imports::source_help;
use maillage_store::Coded;
use maillage_store::imports::{self, Import, SourceKind, contours::ContourKind};
use maillage_store::session::ImportReport;
use std::path::PathBuf;
use std::sync::LazyLock;

/// A kind of file on the command line: one per official source ([`SourceKind::ALL`]), named by its code and
/// described by `maillage-messages`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Kind(pub SourceKind);

static KINDS: LazyLock<Vec<Kind>> =
    LazyLock::new(|| SourceKind::ALL.iter().map(|&k| Kind(k)).collect());

impl ValueEnum for Kind {
    fn value_variants<'a>() -> &'a [Self] {
        &KINDS
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.0.code()).help(source_help(self.0)))
    }
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
    /// Pour Santé publique France : population de la zone du fichier (un fichier d'une seule zone), au lieu de
    /// celle de la base (INSEE par IRIS ou population légale des communes)
    #[arg(long, value_name = "HABITANTS")]
    pub population: Option<f64>,
    /// Pour le zonage : date de l'arrêté de l'ARS (AAAA-MM-JJ), pour les lignes qui ne la donnent pas
    #[arg(long, value_name = "AAAA-MM-JJ")]
    pub arrete: Option<String>,
    /// Pour le zonage : nom de la colonne des codes INSEE des communes (plusieurs codes par cellule, séparés
    /// par des virgules, acceptés)
    #[arg(long, value_name = "NOM")]
    pub colonne_commune: Option<String>,
    /// Pour le zonage : nom de la colonne des codes QPV (plusieurs codes par cellule acceptés)
    #[arg(long, value_name = "NOM")]
    pub colonne_qpv: Option<String>,
    /// Pour le zonage : nom de la colonne du zonage (ZIP, ZAC, ZAR, ZV, HZ)
    #[arg(long, value_name = "NOM")]
    pub colonne_zonage: Option<String>,
    /// Pour le zonage : nom de la colonne de la date de l'arrêté
    #[arg(long, value_name = "NOM")]
    pub colonne_arrete: Option<String>,
    #[command(flatten)]
    pub base: BaseArg,
    #[command(flatten)]
    pub limits: super::limits::LimitArgs,
}

pub fn run(args: ImportArgs) -> anyhow::Result<()> {
    args.limits.apply();
    if args.kind.0 == SourceKind::AplDrees
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
    if let Some(date) = &args.arrete
        && date.parse::<jiff::civil::Date>().is_err()
    {
        anyhow::bail!(
            "date d'arrêté invalide « {} » : une date AAAA-MM-JJ est attendue (par exemple 2025-03-12)",
            maillage_formats::text::cut(date, 80)
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
        let import = match args.kind.0 {
            SourceKind::Contours => Import::Contours(args.contour_kind.map(|k| match k {
                ContourArg::Commune => ContourKind::Commune,
                ContourArg::Iris => ContourKind::Iris,
                ContourArg::Qpv => ContourKind::Qpv,
                ContourArg::Quartier => ContourKind::Quartier,
            })),
            SourceKind::Communes => Import::Communes(args.millesime),
            SourceKind::AplDrees => Import::AplDrees(args.profession.clone()),
            SourceKind::Spf => Import::Spf(args.population),
            SourceKind::Zonage => Import::Zonage {
                columns: maillage_formats::zonage::ZonageColumns {
                    commune: args.colonne_commune.clone(),
                    qpv: args.colonne_qpv.clone(),
                    zonage: args.colonne_zonage.clone(),
                    arrete: args.colonne_arrete.clone(),
                },
                decree: args.arrete.clone(),
            },
            other => Import::of(other),
        };
        let result = import.run(&store, path, &bar).await;
        bar.finish();
        let mut report = result.map_err(fr)?;
        if args.kind.0 == SourceKind::Spf {
            spf_rates(&store, &mut report).await?;
        }
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
            if args.kind.0 == SourceKind::Spf {
                print_spf_populations(&report);
            }
            if args.kind.0 == SourceKind::Zonage {
                print_zonage(&report);
            }
            if args.kind.0 == SourceKind::Activite {
                print_activity(&report);
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
    maillage_store::freshness::stale_of(
        store,
        kind,
        maillage_kit::local_time::today(jiff::Timestamp::now()),
    )
    .await
    .map_err(fr)
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
    print_references(r);
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

/// What the import did to the figures of the départements and of France (`details.references`).
fn print_references(r: &ImportReport) {
    let Some(refs) = r.details.get("references") else {
        return;
    };
    let changed = refs["modifiees"].as_bool() == Some(true);
    if r.kind == "communes" {
        let state = if changed {
            "mises à jour"
        } else {
            "inchangées"
        };
        println!("  populations des départements et de la France : {state}");
    } else {
        let state = if changed { "mis à jour" } else { "inchangés" };
        println!("  chiffres de référence des départements et de la France : {state}");
    }
    let outside = refs["hors_departement"].as_u64().unwrap_or(0);
    if outside > 0 {
        let (lines, counted) = if outside > 1 {
            ("lieux", "comptés")
        } else {
            ("lieu", "compté")
        };
        println!(
            "  ({} {lines} hors des départements (sans code commune ou en collectivité d'outre-mer), non {counted})",
            nombre(outside as f64, 0)
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

/// Adds to each zone of a Santé publique France import its rates on the last day with a full week, recomputed
/// from the counts with the population the import chose (`incidence_7j`, `positivite_7j`, `depistage_7j`).
async fn spf_rates(store: &maillage_store::Store, report: &mut ImportReport) -> anyhow::Result<()> {
    use jiff::ToSpan;
    use maillage_store::crisis::epidemic as epi;
    let level = report.details["niveau"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let Some(zones) = report.details["populations"].as_array_mut() else {
        return Ok(());
    };
    let list = epi::series_list(store).await.map_err(fr)?;
    for zone in zones.iter_mut() {
        // The import says where each population comes from as a typed origin: the output words it.
        if let Ok(source) = serde_json::from_value::<epi::PopulationSource>(zone["source"].take()) {
            zone["source"] = maillage_messages::crisis::population_source(&source).into();
        }
        let code = zone["zone"].as_str().unwrap_or_default().to_string();
        let Some(info) = list.iter().find(|s| s.level == level && s.zone == code) else {
            continue;
        };
        let Ok(last) = info.last_day.parse::<jiff::civil::Date>() else {
            continue;
        };
        let days = epi::series(store, &level, &code, Some(last.saturating_sub(21.days())))
            .await
            .map_err(fr)?;
        // SpF's own population, when its file gave one, beside the one the rates use.
        zone["population_spf"] = serde_json::json!(info.spf_population);
        zone["ecart_population_pourcent"] = serde_json::json!(
            info.population
                .zip(info.spf_population)
                .and_then(
                    |(used, spf)| maillage_crisis::epidemic::population_gap_percent(used, spf)
                )
        );
        let computed = maillage_crisis::epidemic::compute(&days, info.population);
        if let Some(c) = computed
            .iter()
            .rev()
            .find(|c| c.incidence.is_some() || c.positivity.is_some())
        {
            zone["jour"] = serde_json::Value::from(c.day.to_string());
            zone["incidence_7j"] = serde_json::json!(c.incidence);
            zone["positivite_7j"] = serde_json::json!(c.positivity);
            zone["depistage_7j"] = serde_json::json!(c.screening);
        }
    }
    Ok(())
}

/// The population each zone's rates use, and where it comes from.
fn print_spf_populations(r: &ImportReport) {
    let Some(zones) = r.details["populations"].as_array() else {
        return;
    };
    let level = match r.details["niveau"].as_str() {
        Some("commune") => "commune",
        Some("departement") => "département",
        Some("region") => "région",
        _ => "zone",
    };
    for z in zones.iter().take(20) {
        let code = z["zone"].as_str().unwrap_or_default();
        match (z["habitants"].as_f64(), z["source"].as_str()) {
            (Some(p), Some(source)) => {
                let mut line = format!(
                    "  {level} {code} : {}",
                    maillage_messages::crisis::epidemic_population(
                        Some(
                            &maillage_store::crisis::epidemic::PopulationSource::Written(
                                source.to_string(),
                            )
                        ),
                        p,
                        z["population_spf"].as_f64(),
                        &nombre
                    )
                );
                if let (Some(day), Some(i)) = (z["jour"].as_str(), z["incidence_7j"].as_f64()) {
                    line.push_str(&format!(
                        " ; au {day}, incidence sur 7 jours {} pour 100 000 habitants",
                        nombre(i, 1)
                    ));
                    if let Some(p) = z["positivite_7j"].as_f64() {
                        line.push_str(&format!(", positivité {} %", nombre(p, 1)));
                    }
                }
                println!("{line}");
            }
            _ => println!(
                "  {level} {code} : population inconnue (ni dans la base ni dans le fichier) : importez les \
                 communes ou la population INSEE, ou indiquez-la avec --population ; les taux rapportés à la \
                 population ne sont pas calculés"
            ),
        }
    }
    if zones.len() > 20 {
        println!(
            "  … ({} zones en tout ; liste complète avec --json)",
            zones.len()
        );
    }
}

/// How many communes and QPV the zonage file gave, by zonage.
fn print_zonage(r: &ImportReport) {
    let d = &r.details;
    let n = |k: &str| d[k].as_u64().unwrap_or(0);
    let plural = |n: u64, one: &str, many: &str| {
        if n > 1 {
            many.to_string()
        } else {
            one.to_string()
        }
    };
    println!(
        "  zonage médecins{} : {} {}, {} {}",
        d["arrete"]
            .as_str()
            .map(|a| format!(
                " (arrêté du {})",
                a.split('-').rev().collect::<Vec<_>>().join("/")
            ))
            .unwrap_or_default(),
        n("communes"),
        plural(n("communes"), "commune", "communes"),
        n("qpv"),
        plural(n("qpv"), "quartier prioritaire", "quartiers prioritaires"),
    );
    if let Some(by) = d["par_zonage"].as_object() {
        for (code, count) in by {
            let label = maillage_formats::zonage::Zonage::from_code(code)
                .map_or(code.as_str(), |z| z.label());
            println!("    {label} : {}", count.as_u64().unwrap_or(0));
        }
    }
}

/// Which years the activity file gave, and how many of its professionals the Annuaire does not list.
fn print_activity(r: &ImportReport) {
    let d = &r.details;
    if let Some(years) = d["annees"].as_array().filter(|y| !y.is_empty()) {
        let years: Vec<String> = years.iter().map(|y| y.to_string()).collect();
        println!(
            "  {} : {}",
            if years.len() > 1 { "années" } else { "année" },
            years.join(", ")
        );
    }
    let unknown = d["professionnels_inconnus"].as_u64().unwrap_or(0);
    if unknown > 0 {
        println!(
            "  {unknown} {} de l'Annuaire santé importé (activité gardée, sans effet tant qu'{} n'y {})",
            if unknown > 1 {
                "lignes nomment un professionnel absent"
            } else {
                "ligne nomme un professionnel absent"
            },
            if unknown > 1 { "ils" } else { "il" },
            if unknown > 1 {
                "figurent pas"
            } else {
                "figure pas"
            },
        );
    }
}
