//! `maillage territoire`: the communes the instance serves and their buffer.

use super::base::{BaseArg, block_on, fr, open, print_json};
use clap::{Args, Subcommand};
use maillage_indicators::professions::GpRule;
use maillage_store::{supply, territory};

/// Arguments de `maillage territoire`.
#[derive(Args, Debug)]
pub struct TerritoryArgs {
    #[command(subcommand)]
    pub action: Option<TerritoryAction>,
    /// Sortie JSON
    #[arg(long, global = true)]
    pub json: bool,
    #[command(flatten)]
    pub base: BaseArg,
}

#[derive(Subcommand, Debug)]
pub enum TerritoryAction {
    /// Afficher le territoire défini et sa zone tampon (ce que fait aussi « maillage territoire » seul)
    Afficher,
    /// Définir le territoire : une ou plusieurs communes, ou les communes d'un EPCI, et la zone tampon
    Definir {
        /// Codes INSEE des communes, séparés par des virgules (ex. 35238 ou 69123,69266). Paris (75056), Lyon
        /// (69123) et Marseille (13055) comprennent leurs arrondissements municipaux ; un arrondissement seul
        /// (ex. 75111) est accepté
        #[arg(long, value_delimiter = ',')]
        communes: Vec<String>,
        /// Codes SIREN d'EPCI dont prendre toutes les communes (ex. 200046977 ; fichier epci.json importé au
        /// préalable : maillage import communes epci.json)
        #[arg(long, value_delimiter = ',')]
        epci: Vec<String>,
        /// Distance (km) en deçà de laquelle une commune voisine entre dans la zone tampon
        #[arg(long, default_value_t = 5.0)]
        tampon_km: f64,
        /// Nom du territoire
        #[arg(long)]
        nom: Option<String>,
    },
    /// Choisir quels médecins généralistes comptent comme médecins de premier recours dans tous les
    /// indicateurs (par défaut : libéraux, et salariés d'un centre de santé ou d'une maison de santé ; les
    /// autres sont comptés à part). Sans option : la règle par défaut
    Generalistes {
        /// Compter aussi ceux qui exercent en établissement de santé (secteurs SA01 à SA04, SA40)
        #[arg(long)]
        hopital: bool,
        /// Compter aussi la permanence des soins ambulatoires hors cabinet (secteur SA50)
        #[arg(long)]
        permanence_des_soins: bool,
        /// Compter aussi les salariés et bénévoles d'autres structures (PMI, EHPAD, entreprise…)
        #[arg(long)]
        autres_salaries: bool,
        /// Compter aussi les médecins (profession 10) sans aucun savoir-faire dans le fichier
        #[arg(long)]
        sans_savoir_faire: bool,
    },
}

pub fn run(args: TerritoryArgs) -> anyhow::Result<()> {
    block_on(async {
        let store = open(&args.base).await?;
        match args.action {
            None | Some(TerritoryAction::Afficher) => {
                let t = territory::load(&store).await.map_err(fr)?;
                if args.json {
                    return print_json(&t);
                }
                if t.communes.is_empty() {
                    println!(
                        "Aucun territoire défini : les imports gardent toutes les lignes des fichiers."
                    );
                    println!(
                        "Pour en définir un : maillage territoire definir --communes <codes INSEE>"
                    );
                } else {
                    println!("Territoire : {}", t.name.as_deref().unwrap_or("(sans nom)"));
                    println!(
                        "  communes : {}",
                        t.communes.iter().cloned().collect::<Vec<_>>().join(", ")
                    );
                    println!(
                        "  zone tampon ({} km) : {}",
                        t.buffer_km,
                        if t.neighbours.is_empty() {
                            "aucune commune".into()
                        } else {
                            t.neighbours.iter().cloned().collect::<Vec<_>>().join(", ")
                        }
                    );
                }
                let rule = supply::gp_rule(&store).await.map_err(fr)?;
                println!("{}", maillage_messages::indicators::gp_rule(&rule));
                Ok(())
            }
            Some(TerritoryAction::Generalistes {
                hopital,
                permanence_des_soins,
                autres_salaries,
                sans_savoir_faire,
            }) => {
                let rule = GpRule {
                    hospital: hopital,
                    out_of_hours: permanence_des_soins,
                    other_salaried: autres_salaries,
                    doctors_without_skill: sans_savoir_faire,
                };
                supply::set_gp_rule(&store, &rule).await.map_err(fr)?;
                if args.json {
                    return print_json(&rule);
                }
                println!("Règle enregistrée ; tous les indicateurs la suivent désormais.");
                println!("{}", maillage_messages::indicators::gp_rule(&rule));
                Ok(())
            }
            Some(TerritoryAction::Definir {
                communes,
                epci,
                tampon_km,
                nom,
            }) => {
                if communes.is_empty() && epci.is_empty() {
                    anyhow::bail!("donnez au moins une commune (--communes) ou un EPCI (--epci)");
                }
                let d = territory::define(&store, nom, &communes, &epci, tampon_km)
                    .await
                    .map_err(fr)?;
                if args.json {
                    return print_json(&d);
                }
                let (n, v) = (d.territory.communes.len(), d.territory.neighbours.len());
                println!(
                    "Territoire défini : {n} commune{}, {v} commune{} voisine{} dans la zone tampon de {} km.",
                    plural(n, "s"),
                    plural(v, "s"),
                    plural(v, "s"),
                    super::nombre(tampon_km, if tampon_km.fract() == 0.0 { 0 } else { 1 })
                );
                for p in &d.with_arrondissements {
                    println!(
                        "{} ({}) : ses arrondissements municipaux ({} à {}) sont compris, car les fichiers \
                         officiels situent les lieux par arrondissement.",
                        p.name, p.code, p.first, p.last
                    );
                }
                if !d.arrondissements.is_empty() {
                    println!(
                        "Arrondissement{} municipa{} seul{} : {} (pour toute la commune, donnez son code : \
                         75056 Paris, 69123 Lyon, 13055 Marseille).",
                        plural(d.arrondissements.len(), "s"),
                        if d.arrondissements.len() > 1 {
                            "ux"
                        } else {
                            "l"
                        },
                        plural(d.arrondissements.len(), "s"),
                        d.arrondissements.join(", ")
                    );
                }
                if !d.unknown.is_empty() {
                    println!(
                        "Attention : communes absentes de la base : {} (importez le fichier des communes : \
                         maillage import communes …).",
                        d.unknown.join(", ")
                    );
                }
                if d.buffer_without_contours {
                    println!(
                        "Attention : zone tampon non calculée faute de contours de communes (maillage import \
                         contours …), puis redéfinissez le territoire."
                    );
                }
                Ok(())
            }
        }
    })
}

/// The plural ending when `n` is more than one (French: 0 and 1 are singular).
fn plural(n: usize, ending: &str) -> &str {
    if n > 1 { ending } else { "" }
}
