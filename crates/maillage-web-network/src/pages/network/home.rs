//! The network and CLS part of a person's home page ([`maillage_web_kit::home`]): the progress of the current
//! Contrat local de santé (aggregated, as its shared dashboard shows it) and what is due — follow-up actions
//! late or coming, bodies to convene, funding reports to send — cut to the caller's communes and permissions as
//! on the module's own pages.

use super::{bodies, cls, percent, reach};
use maillage_store::network::cls as store;
use maillage_web_kit::auth::Caller;
use maillage_web_kit::error::WebError;
use maillage_web_kit::home::{Part, words};
use maillage_web_kit::permissions::Permission;
use maillage_web_kit::state::AppState;

/// What the caller's home shows of the network and the CLS.
pub async fn part(state: &AppState, caller: &Caller) -> Result<Part, WebError> {
    let mut part = Part::default();
    if caller.has(Permission::ClsShared) {
        // The contract of the latest generation is the one in force (or being prepared).
        let latest = store::contracts(state.store(), &reach(caller))
            .await?
            .into_iter()
            .max_by_key(|c| (c.generation, c.id));
        if let Some(c) = latest
            && let Some(t) = store::tree(state.store(), &reach(caller), c.id).await?
        {
            let p = t.progress();
            let href = format!("/cls/{}", c.id);
            part.figure(
                percent(p.realisation),
                format!("de réalisation des fiches actions — {}", c.name),
                href.clone(),
            );
            part.figure(
                percent(p.targets),
                "d'atteinte des cibles des indicateurs du CLS".into(),
                href,
            );
        }
    }
    if caller.has(Permission::BodiesRead) {
        let r = bodies::reminders_of(state, caller).await?;
        let late = r.actions.iter().filter(|(_, d)| d.is_overdue()).count() as u64;
        let coming = r.actions.len() as u64 - late;
        part.due(
            late,
            words(late, "action de suivi", "actions de suivi"),
            "/reseau",
            true,
        );
        part.due(
            coming,
            words(
                coming,
                "action de suivi à échéance proche",
                "actions de suivi à échéance proche",
            ),
            "/reseau",
            false,
        );
        let convene = r.cadence.len() as u64;
        part.due(
            convene,
            words(convene, "instance à réunir", "instances à réunir"),
            "/reseau",
            false,
        );
    }
    if caller.has(Permission::ClsRead) {
        let reports = cls::report_reminders(state, caller).await?;
        let late = reports.iter().filter(|r| r.3.is_overdue()).count() as u64;
        let coming = reports.len() as u64 - late;
        part.due(
            late,
            words(late, "bilan de financement", "bilans de financement"),
            "/cls",
            true,
        );
        part.due(
            coming,
            words(
                coming,
                "bilan de financement à envoyer bientôt",
                "bilans de financement à envoyer bientôt",
            ),
            "/cls",
            false,
        );
    }
    Ok(part)
}
