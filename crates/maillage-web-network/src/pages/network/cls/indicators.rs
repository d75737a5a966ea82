//! Indicators of a fiche action: their link to an observatory indicator (labels, values, choices) and the
//! forms adding an indicator and a measure.

use super::fiches::{load_fiche, on_fiche};
use super::id_of;
use crate::pages::network::{now, reach, today};
use axum::extract::{Path, State};
use axum::response::Response;
use maillage_indicators::IndicatorRow;
use maillage_store::network::cls::{self as store, IndicatorForm, ObservatoryLink};
use maillage_web_kit::auth::Caller;
use maillage_web_kit::error::WebError;
use maillage_web_kit::params::Form;
use maillage_web_kit::state::AppState;
use serde_json::json;

fn observatory_label(code: &str) -> &str {
    match code {
        "effectif" => "Effectif",
        "densite_10000" => "Densité pour 10 000 habitants",
        "densite_100000" => "Densité pour 100 000 habitants",
        "densite_qpv_10000" => "Densité dans les QPV pour 10 000 habitants",
        "densite_hors_qpv_10000" => "Densité hors QPV pour 10 000 habitants",
        "ratio_qpv_hors_qpv" => "Rapport de densité QPV / reste de la commune",
        "part_mg_60_ans_et_plus" => "Part des généralistes de 60 ans et plus (%)",
        other => other,
    }
}

fn profession_label(code: &str) -> &str {
    maillage_indicators::professions::by_code(code).map_or(code, |p| p.label)
}

pub(super) fn link_code(l: &ObservatoryLink) -> String {
    format!(
        "{}|{}|{}|{}",
        l.indicator, l.profession, l.zone_kind, l.zone_code
    )
}

pub(super) fn link_label(l: &ObservatoryLink, rows: &[IndicatorRow]) -> String {
    let zone = rows
        .iter()
        .find(|r| r.zone_kind == l.zone_kind && r.zone_code == l.zone_code)
        .map_or(l.zone_code.clone(), |r| r.zone_name.clone());
    format!(
        "{} — {} — {}",
        observatory_label(&l.indicator),
        profession_label(&l.profession),
        zone
    )
}

/// The observatory's current value of a link (None when not computable, or under secrecy).
pub(super) fn observatory_value(l: &ObservatoryLink, rows: &[IndicatorRow]) -> Option<f64> {
    rows.iter()
        .find(|r| {
            r.indicator.code() == l.indicator
                && r.profession == l.profession
                && r.zone_kind == l.zone_kind
                && r.zone_code == l.zone_code
        })
        .filter(|r| !r.is_secret())
        .and_then(|r| r.value)
}

/// The links offered: the observatory's commune-level indicators for first-recourse professions.
pub(super) fn link_options(rows: &[IndicatorRow]) -> Vec<ObservatoryLink> {
    const OFFERED: &[&str] = &[
        "densite_10000",
        "densite_qpv_10000",
        "densite_hors_qpv_10000",
        "ratio_qpv_hors_qpv",
        "part_mg_60_ans_et_plus",
    ];
    rows.iter()
        .filter(|r| r.zone_kind == "commune" && OFFERED.contains(&r.indicator.code()))
        .filter(|r| {
            maillage_indicators::professions::by_code(&r.profession)
                .is_some_and(|p| p.recourse == maillage_indicators::professions::Recourse::First)
        })
        .map(|r| ObservatoryLink {
            indicator: r.indicator.code().into(),
            profession: r.profession.clone(),
            zone_kind: r.zone_kind.clone(),
            zone_code: r.zone_code.clone(),
        })
        .collect()
}

pub(super) async fn observatory_rows(
    state: &AppState,
    caller: &Caller,
) -> Result<Vec<IndicatorRow>, WebError> {
    let secrecy = maillage_web_kit::data::secrecy_for(state, caller, false, None);
    maillage_web_kit::data::indicator_rows(state, caller, secrecy).await
}

pub(super) async fn add_indicator(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let form = IndicatorForm {
        kind: f.raw("type").into(),
        label: f.raw("libelle").into(),
        unit: f.raw("unite").into(),
        baseline: f.raw("valeur_reference").into(),
        baseline_on: f.raw("date_reference").into(),
        target: f.raw("cible").into(),
        target_on: f.raw("date_cible").into(),
        source: f.raw("source").into(),
        observatory: f.raw("observatoire").into(),
    };
    let (t, fid) = load_fiche(&state, &caller, &id).await?;
    on_fiche(
        &state,
        &caller,
        &t,
        fid,
        "indicateur",
        json!({ "indicateur": "ajout" }),
        async |tx, reach| {
            store::save_indicator(tx, reach, None, fid, &form)
                .await
                .map(drop)
        },
    )
    .await
}

pub(super) async fn add_measure(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    Form(f): Form,
) -> Result<Response, WebError> {
    let iid = id_of(&id)?;
    let indicator = store::indicator(state.store(), &reach(&caller), iid)
        .await?
        .ok_or(WebError::NotFound)?;
    let fiche = indicator.fiche_id.to_string();
    let (date, value_text, source) = if f.flag("depuis_observatoire") {
        let link = indicator.observatory.as_ref().ok_or_else(|| {
            WebError::BadRequest(
                "Cet indicateur ne suit pas d'indicateur de l'observatoire.".into(),
            )
        })?;
        let rows = maillage_web_kit::data::indicator_rows(&state, &caller, None).await?;
        let v = observatory_value(link, &rows)
            .map(|v| v.to_string())
            .unwrap_or_default();
        (
            today().to_string(),
            v,
            format!("Observatoire Maillage : {}", link_label(link, &rows)),
        )
    } else {
        (
            f.raw("date_mesure").to_string(),
            f.raw("valeur").to_string(),
            f.raw("source").to_string(),
        )
    };
    let note = f.raw("note").to_string();
    let by = caller.account.identifier.clone();
    let (t, fid) = load_fiche(&state, &caller, &fiche).await?;
    on_fiche(
        &state,
        &caller,
        &t,
        fid,
        "mesure",
        json!({ "indicateur": iid, "date": date }),
        async |tx, reach| {
            store::add_measure(
                tx,
                reach,
                iid,
                &date,
                &value_text,
                &source,
                &note,
                &by,
                now(),
            )
            .await
            .map(drop)
        },
    )
    .await
}
