//! Progress by axis as bars with their method explained, and the funding reports coming due.

use super::REPORT_HORIZON_DAYS;
use crate::pages::network::{percent, reach, today};
use maillage_network::Date;
use maillage_network::progress::AxisProgress;
use maillage_network::reminders::{self, Due};
use maillage_store::network::cls as store;
use maillage_web_kit::auth::Caller;
use maillage_web_kit::error::WebError;
use maillage_web_kit::state::AppState;
use maud::{Markup, html};

// Progress.

fn bar(label: &str, v: Option<f64>) -> Markup {
    html! {
        div.barre {
            @match v {
                Some(x) => { meter min="0" max="100" value=(format!("{:.0}", x * 100.0)) aria-label=(label) { (percent(Some(x))) } span { (percent(Some(x))) } }
                None => { span { "non mesurable" } }
            }
        }
    }
}

pub(super) fn progress_block(p: &AxisProgress) -> Markup {
    html! {
        p { strong { "Réalisation des fiches actions" } } (bar("Réalisation des fiches actions", p.realisation))
        p.aide {
            (maillage_messages::count(p.fiches, "fiche", "fiches")) " : " (maillage_messages::count(p.done, "réalisée", "réalisées")) ", " (p.in_progress) " en cours, " (p.not_started) " à lancer"
            @if p.postponed > 0 { ", " (maillage_messages::count(p.postponed, "reportée", "reportées")) } @if p.dropped > 0 { ", " (maillage_messages::count(p.dropped, "abandonnée", "abandonnées")) } "."
        }
        p { strong { "Atteinte des cibles des indicateurs" } } (bar("Atteinte des cibles des indicateurs", p.targets))
        p.aide { (maillage_messages::count(p.indicators_measured, "indicateur mesuré", "indicateurs mesurés")) " sur " (p.indicators) ", " (maillage_messages::count(p.indicators_reached, "cible atteinte", "cibles atteintes")) "." }
    }
}

pub(super) const METHOD: &str = "Réalisation : part des fiches actions réalisées (une fiche en cours compte pour moitié, une fiche abandonnée n'est pas comptée). \
     Atteinte des cibles : pour chaque indicateur qui a une valeur de référence, une cible et au moins une mesure, (dernière mesure − référence) ÷ (cible − référence), \
     ramené entre 0 et 100 %, puis la moyenne des indicateurs. Les deux sont distincts : une action réalisée n'est pas un résultat atteint.";

/// Reports still to send, within the horizon or late: (label, funder, due date, where it stands).
pub(crate) async fn report_reminders(
    state: &AppState,
    caller: &Caller,
) -> Result<Vec<(String, String, Date, Due)>, WebError> {
    let t = today();
    Ok(store::all_reports(state.store(), &reach(caller))
        .await?
        .into_iter()
        .filter_map(|(r, f)| {
            reminders::report(r.due_on, r.submitted_on, t, REPORT_HORIZON_DAYS)
                .map(|d| (r.label, f.funder, r.due_on, d))
        })
        .collect())
}
