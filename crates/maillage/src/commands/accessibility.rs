//! `maillage accessibilite`: E2SFCA accessibility of the territory's IRIS, quartiers and communes to a profession,
//! by road, stored with its parameters and compared with the DREES APL.

use super::base::{BaseArg, block_on, fr, nombre, open, print_json};
use clap::{Args, ValueEnum};
use maillage_access::{Decay, parse_steps};
use maillage_analysis::{AccessibilityRequest, Network, SupplyMeasure, accessibility};
use maillage_indicators::professions::{GP, GP_OTHER, gp_rule_text};
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
        },
        network,
        max_snap_m: args.accroche_max,
    };
    block_on(async {
        let store = open(&args.base).await?;
        let report = accessibility(&store, &request).await.map_err(fr)?;
        if let Some(path) = &args.sortie {
            let mut w = csv::Writer::from_path(path)
                .map_err(|e| anyhow::anyhow!("impossible d'écrire « {} » : {e}", path.display()))?;
            w.write_record([
                "type_zone",
                "code_zone",
                "valeur",
                "population",
                "lieux_atteints",
                "hors_territoire",
            ])?;
            for r in &report.results {
                w.write_record([
                    r.zone_kind.as_str(),
                    &r.zone_code,
                    &r.value.map(|v| v.to_string()).unwrap_or_default(),
                    &r.population.map(|v| v.to_string()).unwrap_or_default(),
                    &r.sites_reached.to_string(),
                    if r.outside_territory { "1" } else { "0" },
                ])?;
            }
            w.flush()?;
        }
        if args.json {
            return print_json(&report);
        }
        println!(
            "Accessibilité E2SFCA ({}) calculée et enregistrée (calcul n° {}) :",
            args.profession, report.run_id
        );
        println!("  réseau : {}", report.network);
        // Which GPs were counted as supply: the rule in force (maillage territoire generalistes).
        if [GP, GP_OTHER].contains(&args.profession.as_str()) {
            let rule = maillage_store::supply::gp_rule(&store).await.map_err(fr)?;
            println!("  {}", gp_rule_text(&rule));
        }
        let unit = "pour 100 000 habitants";
        for kind in ["commune", "quartier"] {
            for r in report
                .results
                .iter()
                .filter(|r| r.zone_kind == kind && !r.outside_territory)
            {
                println!(
                    "  {kind} {} : {} {unit}",
                    r.zone_code,
                    r.value.map_or("—".into(), |v| nombre(v, 1))
                );
            }
        }
        let iris = report
            .results
            .iter()
            .filter(|r| r.zone_kind == "iris" && !r.outside_territory)
            .count();
        let none = report
            .results
            .iter()
            .filter(|r| r.zone_kind == "iris" && r.sites_reached == 0)
            .count();
        println!(
            "  {iris} IRIS du territoire ; {none} n'atteignent aucun lieu d'exercice dans le temps maximal"
        );
        if !report.apl.is_empty() {
            println!(
                "  comparaison avec l'APL de la DREES (consultations par an et par habitant standardisé) :"
            );
            for a in &report.apl {
                println!(
                    "    {} {} : APL DREES {} ({}) ; Maillage {} {unit}",
                    a.commune_code,
                    a.commune_name.as_deref().unwrap_or(""),
                    a.drees_apl.map_or("—".into(), |v| nombre(v, 2)),
                    a.drees_year,
                    a.maillage.map_or("—".into(), |v| nombre(v, 1))
                );
            }
        }
        for u in report.unsnapped.iter().take(20) {
            println!("  écarté : {u}");
        }
        Ok(())
    })
}
