//! `maillage territoire`: the communes the instance serves and their buffer.

use super::base::{BaseArg, block_on, fr, open, print_json};
use clap::{Args, Subcommand};
use maillage_store::territory;

/// Arguments de `maillage territoire`.
#[derive(Args, Debug)]
pub struct TerritoryArgs {
    #[command(subcommand)]
    pub action: Option<TerritoryAction>,
    /// Sortie JSON
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub base: BaseArg,
}

#[derive(Subcommand, Debug)]
pub enum TerritoryAction {
    /// Définir le territoire : une ou plusieurs communes, ou les communes d'un EPCI, et la zone tampon
    Definir {
        /// Codes INSEE des communes, séparés par des virgules (ex. 35238 ou 69123,69266)
        #[arg(long, value_delimiter = ',')]
        communes: Vec<String>,
        /// Codes SIREN d'EPCI dont prendre toutes les communes (fichier EPCI importé au préalable)
        #[arg(long, value_delimiter = ',')]
        epci: Vec<String>,
        /// Distance (km) en deçà de laquelle une commune voisine entre dans la zone tampon
        #[arg(long, default_value_t = 5.0)]
        tampon_km: f64,
        /// Nom du territoire
        #[arg(long)]
        nom: Option<String>,
    },
}

pub fn run(args: TerritoryArgs) -> anyhow::Result<()> {
    block_on(async {
        let store = open(&args.base).await?;
        match args.action {
            None => {
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
                println!(
                    "Territoire défini : {} commune(s), {} commune(s) voisine(s) dans la zone tampon de {} km.",
                    d.territory.communes.len(),
                    d.territory.neighbours.len(),
                    tampon_km
                );
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
