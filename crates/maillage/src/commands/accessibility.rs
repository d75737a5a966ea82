//! `maillage accessibilite`: E2SFCA accessibility of the territory's IRIS, quartiers and communes to a profession,
//! by road, stored with its parameters and compared with the DREES APL.

use super::base::{BaseArg, block_on, fr, nombre, open, print_json};
use clap::{Args, ValueEnum};
use maillage_access::{Decay, parse_steps};
use maillage_analysis::{
    AccessibilityReport, AccessibilityRequest, DemandMeasure, Network, SupplyMeasure, accessibility,
};
use maillage_indicators::professions::{GP, GP_OTHER};
use maillage_routing::Profile;
use std::path::PathBuf;

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum ProfileArg {
    Voiture,
    Pieton,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum SupplyArg {
    /// Effectif : chaque professionnel compte pour un, réparti entre ses lieux d'exercice
    Effectif,
    /// Équivalent temps plein approché : les temps partiels (enrichissement local) comptent pour moitié
    Etp,
    /// Activité : consultations et visites de l'année de chaque professionnel (« maillage import activite »),
    /// réparties entre ses lieux ; les professionnels sans activité connue sont exclus et comptés
    Activite,
}

#[derive(ValueEnum, Clone, Copy, Debug)]
pub enum DemandArg {
    /// Population résidente
    Population,
    /// Population standardisée par âge (poids de besoin par tranche écrits dans les métadonnées, non vérifiés)
    Standardisee,
}

/// Arguments de `maillage accessibilite`.
#[derive(Args, Debug)]
pub struct AccessibilityArgs {
    /// Extrait OpenStreetMap (.osm.pbf) ou cache de graphe ; sans lui, le réseau routier enregistré dans la base
    /// (celui du territoire de démonstration)
    #[arg(long, value_name = "FICHIER")]
    pub osm: Option<PathBuf>,
    /// Mode de déplacement (avec --osm)
    #[arg(long, value_enum, default_value = "voiture")]
    pub profil: ProfileArg,
    /// Profession (code : medecin_generaliste, infirmier, pharmacie…)
    #[arg(long, default_value = "medecin_generaliste")]
    pub profession: String,
    /// Poids par tranche de temps, en minutes : « borne:poids,… », borne incluse, 0 au-delà de la dernière.
    /// Par défaut les poids de type DREES pour les médecins généralistes (10:1,15:0.6667,20:0.3333, non vérifiés
    /// auprès de la notice DREES)
    #[arg(long)]
    pub poids: Option<String>,
    /// Mesure de l'offre
    #[arg(long, value_enum, default_value = "effectif")]
    pub offre: SupplyArg,
    /// Mesure de la demande ; par défaut, standardisée par âge avec --offre activite (l'unité de l'APL de la
    /// DREES), population résidente sinon
    #[arg(long, value_enum)]
    pub demande: Option<DemandArg>,
    /// Distance maximale (m) entre un point et le réseau routier ; au-delà, le point est écarté et signalé
    #[arg(long, default_value_t = 1000.0)]
    pub accroche_max: f64,
    /// Écrire les résultats par zone dans ce fichier CSV (type_zone,code_zone,valeur,population,…)
    #[arg(long, value_name = "FICHIER")]
    pub sortie: Option<PathBuf>,
    /// Sortie JSON (rapport complet : métadonnées, résultats, comparaison avec l'APL de la DREES)
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub base: BaseArg,
}

pub fn run(args: AccessibilityArgs) -> anyhow::Result<()> {
    let (decay, max_minutes) = match &args.poids {
        Some(text) => {
            let steps = parse_steps(text).map_err(fr)?;
            let max = steps.iter().map(|s| s.upper).fold(0.0, f64::max);
            (Decay::steps(steps).map_err(fr)?, max)
        }
        None => (Decay::drees_gp(), 20.0),
    };
    let network = match &args.osm {
        Some(path) => {
            if !path.exists() {
                anyhow::bail!("fichier introuvable : « {} »", path.display());
            }
            let profile = match args.profil {
                ProfileArg::Voiture => Profile::Car,
                ProfileArg::Pieton => Profile::Walk,
            };
            Network::Osm {
                path: path.clone(),
                profile,
            }
        }
        None => Network::Stored,
    };
    let request = AccessibilityRequest {
        profession: args.profession.clone(),
        decay,
        max_minutes,
        supply: match args.offre {
            SupplyArg::Effectif => SupplyMeasure::Headcount,
            SupplyArg::Etp => SupplyMeasure::Fte,
            SupplyArg::Activite => SupplyMeasure::Activity,
        },
        demand: match (args.demande, args.offre) {
            (Some(DemandArg::Population), _) => DemandMeasure::Population,
            (Some(DemandArg::Standardisee), _) | (None, SupplyArg::Activite) => {
                DemandMeasure::AgeStandardised
            }
            (None, _) => DemandMeasure::Population,
        },
        network,
        max_snap_m: args.accroche_max,
    };
    block_on(async {
        let store = open(&args.base).await?;
        let report = accessibility(&store, &request, maillage_messages::analysis::wording)
            .await
            .map_err(fr)?;
        if let Some(path) = &args.sortie {
            let mut w = csv::Writer::from_path(path)
                .map_err(|e| anyhow::anyhow!("impossible d'écrire « {} » : {e}", path.display()))?;
            w.write_record([
                "type_zone",
                "code_zone",
                "valeur",
                "unite",
                "population",
                "lieux_atteints",
                "hors_territoire",
                "apl_drees",
                "unite_apl_drees",
                "annee_apl_drees",
                "indice_maillage_base_100",
                "indice_drees_base_100",
                "rang_maillage",
                "rang_drees",
                "difference_meme_unite",
            ])?;
            let text = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
            for r in &report.results {
                let apl = (r.zone_kind == "commune")
                    .then(|| report.apl.iter().find(|a| a.commune_code == r.zone_code))
                    .flatten();
                w.write_record([
                    r.zone_kind.as_str(),
                    &r.zone_code,
                    &text(r.value),
                    report.unit,
                    &text(r.population),
                    &r.sites_reached.to_string(),
                    if r.outside_territory { "1" } else { "0" },
                    &text(apl.and_then(|a| a.drees_apl)),
                    if apl.is_some() {
                        report.comparaison_apl.unite_drees
                    } else {
                        ""
                    },
                    &apl.map(|a| a.drees_year.to_string()).unwrap_or_default(),
                    &text(apl.and_then(|a| a.indice_maillage)),
                    &text(apl.and_then(|a| a.indice_drees)),
                    &text(apl.and_then(|a| a.rang_maillage)),
                    &text(apl.and_then(|a| a.rang_drees)),
                    &text(apl.and_then(|a| a.difference)),
                ])?;
            }
            w.flush()?;
        }
        if args.json {
            return print_json(&report);
        }
        // Which GPs were counted as supply: the rule in force (maillage territoire generalistes).
        if [GP, GP_OTHER].contains(&args.profession.as_str()) {
            let rule = maillage_store::supply::gp_rule(&store).await.map_err(fr)?;
            println!("{}", maillage_messages::indicators::gp_rule(&rule));
        }
        print_report(&args.profession, &report);
        for u in report.unsnapped.iter().take(20) {
            println!("  écarté : {u}");
        }
        Ok(())
    })
}

/// « 1 professionnel », « 3 professionnels ».
fn count(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", nombre(n as f64, 0), if n > 1 { many } else { one })
}

fn print_report(profession: &str, report: &AccessibilityReport) {
    println!(
        "Accessibilité E2SFCA ({profession}) calculée et enregistrée (calcul n° {}) :",
        report.run_id
    );
    println!("  réseau : {}", report.network);
    println!("  unité : {}", report.unit);
    if let Some(n) = report.professionals_without_activity {
        if n == 0 {
            println!("  activité connue pour tous les professionnels");
        } else {
            println!(
                "  {} sans activité connue : {} de l'offre (importez leur activité avec « maillage import activite »)",
                count(n, "professionnel", "professionnels"),
                if n > 1 { "exclus" } else { "exclu" }
            );
        }
    }
    if let Some(n) = report.zones_without_age_structure {
        println!(
            "  demande standardisée par âge (poids par tranche dans les métadonnées, non vérifiés auprès de la DREES)"
        );
        if n > 0 {
            println!(
                "  {} sans population par âge : population brute à la place",
                count(n, "zone", "zones")
            );
        }
    }
    for kind in ["commune", "quartier"] {
        for r in report
            .results
            .iter()
            .filter(|r| r.zone_kind == kind && !r.outside_territory)
        {
            println!(
                "  {kind} {} : {} {}",
                r.zone_code,
                r.value.map_or("—".into(), |v| nombre(v, 2)),
                report.unit
            );
        }
    }
    let iris = report
        .results
        .iter()
        .filter(|r| r.zone_kind == "iris" && !r.outside_territory)
        .count() as u64;
    let none = report
        .results
        .iter()
        .filter(|r| r.zone_kind == "iris" && r.sites_reached == 0)
        .count() as u64;
    println!(
        "  {} du territoire ; {} aucun lieu d'exercice dans le temps maximal",
        count(iris, "IRIS", "IRIS"),
        if none > 1 {
            format!("{} n'atteignent", nombre(none as f64, 0))
        } else {
            format!("{none} n'atteint")
        }
    );
    print_comparison(report);
}

/// The comparison with the DREES APL: value to value only in the same unit; otherwise indexes, ranks and
/// their correlation, each named as such.
fn print_comparison(report: &AccessibilityReport) {
    let s = &report.comparaison_apl;
    if let Some(message) = &s.message {
        println!("  Comparaison avec l'APL de la DREES impossible : {message}.");
        return;
    }
    let year = s.annee_drees.map(|y| format!(" {y}")).unwrap_or_default();
    if s.unites_identiques {
        println!(
            "  comparaison avec l'APL de la DREES{year} : mêmes unités ({}), valeurs comparables directement \
             (méthodes voisines, pas identiques)",
            s.unite_drees
        );
    } else {
        println!(
            "  comparaison avec l'APL de la DREES{year} : unités différentes (Maillage : {} ; DREES : {}), \
             valeurs non comparables entre elles ; comparaison sur l'indice (moyenne du territoire pondérée \
             par la population = 100) et le rang (1 = meilleure accessibilité)",
            s.unite_maillage, s.unite_drees
        );
    }
    println!(
        "    {} ; corrélation des rangs (Spearman) : {}",
        count(
            s.communes_comparees as u64,
            "commune comparée",
            "communes comparées"
        ),
        s.correlation_rangs_spearman.map_or(
            "non calculable (moins de 3 communes ou valeurs toutes égales)".into(),
            |r| nombre(r, 2)
        )
    );
    let index = |v: Option<f64>| v.map_or("—".into(), |v| nombre(v, 0));
    let rank = |v: Option<f64>| {
        v.map_or("—".into(), |v| {
            nombre(v, 1).trim_end_matches(",0").to_string()
        })
    };
    for a in &report.apl {
        let mut line = format!(
            "    {} {} : indice Maillage {}, indice DREES {} ; rang Maillage {}, rang DREES {}",
            a.commune_code,
            a.commune_name.as_deref().unwrap_or(""),
            index(a.indice_maillage),
            index(a.indice_drees),
            rank(a.rang_maillage),
            rank(a.rang_drees),
        );
        if s.unites_identiques {
            line.push_str(&format!(
                " ; Maillage {} et DREES {} {}, écart {}",
                a.maillage.map_or("—".into(), |v| nombre(v, 2)),
                a.drees_apl.map_or("—".into(), |v| nombre(v, 2)),
                s.unite_drees,
                a.difference.map_or("—".into(), |v| nombre(v, 2)),
            ));
        }
        println!("{line}");
    }
}
