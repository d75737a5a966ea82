//! `maillage historique`: every import, with its provenance.

use super::base::{BaseArg, block_on, fr, nombre, open, print_json};
use clap::Args;

/// Arguments de `maillage historique`.
#[derive(Args, Debug)]
pub struct HistoryArgs {
    /// Sortie JSON
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub base: BaseArg,
}

pub fn run(args: HistoryArgs) -> anyhow::Result<()> {
    block_on(async {
        let store = open(&args.base).await?;
        let batches = maillage_store::batch::list(&store).await.map_err(fr)?;
        if args.json {
            return print_json(&batches);
        }
        if batches.is_empty() {
            println!("Aucun import pour l'instant.");
        }
        for b in &batches {
            println!(
                "n° {} — {} — {} « {} » (millésime {}) — lues {}, ajoutées {}, modifiées {}, inchangées {}, \
                 écartées {}, hors territoire {}, disparues {} — sha256 {}",
                b.id,
                maillage_kit::local_time::text_date_time(&b.imported_at),
                maillage_messages::imports::source_label(&b.kind),
                b.file_name,
                b.vintage.as_deref().unwrap_or("?"),
                nombre(b.counts.rows_read as f64, 0),
                nombre(b.counts.inserted as f64, 0),
                nombre(b.counts.updated as f64, 0),
                nombre(b.counts.unchanged as f64, 0),
                nombre(b.counts.rejected as f64, 0),
                nombre(b.counts.filtered as f64, 0),
                nombre(b.counts.removed as f64, 0),
                &b.sha256[..12.min(b.sha256.len())]
            );
        }
        Ok(())
    })
}
