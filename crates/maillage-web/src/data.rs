//! What pages and API answers show, read once and cut to the caller: their communes, and statistical secrecy
//! when they may not see small counts (or ask for figures to share).

use crate::auth::Caller;
use crate::error::WebError;
use crate::permissions::Permission;
use crate::state::AppState;
use maillage_indicators::{IndicatorRow, compute, suppress};
use maillage_store::territory::{self, Scope as TerritoryScope};
use maillage_store::zones::{self, Zone, ZoneKind};
use maillage_store::{Store, observatory};
use serde::Serialize;
use sqlx::Row;

/// The secrecy threshold applied for this caller, if any: always for callers without
/// [`Permission::ObservatoryFineFigures`] (partners), on request (`diffusion`) for the others. A requested
/// threshold never goes below the instance's.
pub fn secrecy_for(
    state: &AppState,
    caller: &Caller,
    diffusion: bool,
    requested: Option<u32>,
) -> Option<u32> {
    let floor = state.config().secrecy_threshold;
    let threshold = requested.unwrap_or(floor).max(floor);
    (diffusion || !caller.has(Permission::ObservatoryFineFigures)).then_some(threshold)
}

/// Every indicator of the zones the caller sees, with secrecy applied when `secrecy` is set.
pub async fn indicator_rows(
    state: &AppState,
    caller: &Caller,
    secrecy: Option<u32>,
) -> Result<Vec<IndicatorRow>, WebError> {
    let inputs = observatory::indicator_inputs(state.store()).await?;
    let mut rows = compute(&inputs);
    // Secrecy first, on the whole territory: secondary suppression works on complete groups (the IRIS of a
    // commune), which cutting to the caller's communes keeps whole.
    if let Some(t) = secrecy {
        suppress(&mut rows, t);
    }
    let scope = caller.scope();
    rows.retain(|r| scope.sees_zone(&r.zone_kind, &r.zone_code, r.zone_parent.as_deref()));
    Ok(rows)
}

/// The zones of the instance's territory (not its buffer) that the caller sees.
pub async fn zones_for(store: &Store, caller: &Caller) -> Result<Vec<Zone>, WebError> {
    let territory = territory::filter(store).await?;
    let scope = caller.scope();
    Ok(zones::list(store)
        .await?
        .into_iter()
        .filter(|z| {
            let commune = match z.kind {
                ZoneKind::Commune | ZoneKind::Arrondissement => Some(z.code.as_str()),
                ZoneKind::Iris | ZoneKind::Quartier | ZoneKind::Qpv => z.parent_code.as_deref(),
                ZoneKind::Epci | ZoneKind::Departement | ZoneKind::Region => None,
            };
            commune.is_none_or(|c| territory.scope(c) == TerritoryScope::Territory)
                && scope.sees_zone(z.kind.as_str(), &z.code, z.parent_code.as_deref())
        })
        .collect())
}

/// One activity of a professional at a practice site.
#[derive(Debug, Clone, Serialize)]
pub struct ProfessionalRow {
    pub identifiant_national: String,
    pub civilite: Option<String>,
    pub nom: String,
    pub prenom: Option<String>,
    pub profession: String,
    pub libelle_profession: Option<String>,
    pub lieu: Option<String>,
    pub commune_code: Option<String>,
    pub commune_nom: Option<String>,
}

/// Professionals practising in the caller's communes, one row per activity and site, by name.
// This read belongs in maillage-store (supply) once that module offers a listing; it is here meanwhile.
pub async fn professionals(
    store: &Store,
    caller: &Caller,
    profession: Option<&str>,
) -> Result<Vec<ProfessionalRow>, WebError> {
    let rows = sqlx::query(
        "SELECT p.national_id, p.civility, p.last_name, p.first_name, a.profession, a.profession_label,
                s.name AS site_name, s.commune_code, s.commune_name
         FROM activity a
         JOIN professional p ON p.national_id = a.national_id AND p.removed_batch_id IS NULL
         JOIN practice_site s ON s.site_key = a.site_key AND s.removed_batch_id IS NULL
         WHERE a.removed_batch_id IS NULL AND a.profession IS NOT NULL
         ORDER BY p.last_name, p.first_name, p.national_id, a.profession, s.site_key",
    )
    .fetch_all(store.pool())
    .await
    ?;
    let territory = territory::filter(store).await?;
    let scope = caller.scope();
    let mut out = Vec::new();
    for r in rows {
        let row = ProfessionalRow {
            identifiant_national: r.try_get("national_id")?,
            civilite: r.try_get("civility")?,
            nom: r.try_get("last_name")?,
            prenom: r.try_get("first_name")?,
            profession: r.try_get("profession")?,
            libelle_profession: r.try_get("profession_label")?,
            lieu: r.try_get("site_name")?,
            commune_code: r.try_get("commune_code")?,
            commune_nom: r.try_get("commune_name")?,
        };
        let in_scope = row.commune_code.as_deref().is_some_and(|c| {
            territory.scope(c) == TerritoryScope::Territory && scope.sees_commune(c)
        });
        if in_scope && profession.is_none_or(|p| p == row.profession) {
            out.push(row);
        }
    }
    Ok(out)
}
