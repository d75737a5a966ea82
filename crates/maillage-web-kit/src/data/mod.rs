//! What pages and API answers show, computed once for both: no markup, no route here. The observatory's
//! figures are read once per data version ([`figures`]) and cut to the caller: their communes, and statistical
//! secrecy when they may not see small counts (or ask for figures to share). The page crates add their own
//! `data` modules (the crisis and network dashboards' figures, zonage, accessibility) beside these.

pub mod figures;

use crate::auth::Caller;
use crate::error::WebError;
use crate::permissions::Permission;
use crate::scope::Scope;
use crate::state::AppState;
use maillage_indicators::{IndicatorRow, Policy, compute, suppress};
use maillage_store::territory::{self, Scope as TerritoryScope};
use maillage_store::zones::{self, Zone, ZoneKind};
use maillage_store::{Store, observatory};
use serde::Serialize;
use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

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

/// Every indicator of the zones the caller sees, with secrecy applied when `secrecy` is set. Computed once per
/// data version ([`figures::snapshot`]), cut and put under secrecy per request.
pub async fn indicator_rows(
    state: &AppState,
    caller: &Caller,
    secrecy: Option<u32>,
) -> Result<Vec<IndicatorRow>, WebError> {
    Ok(figures::snapshot(state).await?.rows_for(caller, secrecy))
}

/// [`indicator_rows`] for a scope rather than a caller, computed from the store (the command line's reports).
pub async fn indicator_rows_in(
    store: &Store,
    scope: &Scope,
    secrecy: Option<u32>,
) -> Result<Vec<IndicatorRow>, WebError> {
    let inputs = observatory::indicator_inputs(store).await?;
    let mut rows = compute(&inputs);
    // Secrecy first, on the whole territory: secondary suppression works on complete groups (the IRIS of a
    // commune), which cutting to the caller's communes keeps whole.
    if let Some(t) = secrecy {
        suppress(&mut rows, &inputs, &Policy::new(t));
    }
    rows.retain(|r| scope.sees_row(r));
    Ok(rows)
}

/// The zones of the instance's territory (not its buffer) that the caller sees, from the figures of the current
/// data version ([`figures::snapshot`]).
pub async fn zones_for(state: &AppState, caller: &Caller) -> Result<Vec<Zone>, WebError> {
    Ok(figures::snapshot(state)
        .await?
        .zones_for(caller)
        .into_iter()
        .cloned()
        .collect())
}

/// A value read or computed from the store once per data version (`version`, from
/// [`maillage_store::geodata::data_version`], e.g. [`figures::Snapshot::version`]), then shared by every request
/// until the data changes. For what a page reads on every request although it only changes with the data
/// (latest imports, accessibility runs, planned retirements…): `key` names the value, unique per page.
pub async fn per_version<T, F, Fut>(
    store: &Store,
    version: &str,
    key: &'static str,
    compute: F,
) -> Result<Arc<T>, WebError>
where
    T: Send + Sync + 'static,
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<T, WebError>>,
{
    type Slot = (String, &'static str, TypeId);
    type Cached = (String, Arc<dyn Any + Send + Sync>);
    static CACHE: OnceLock<Mutex<HashMap<Slot, Cached>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let slot: Slot = (store.location().to_string(), key, TypeId::of::<T>());
    let lock = || cache.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((v, value)) = lock().get(&slot)
        && v == version
        && let Ok(hit) = value.clone().downcast::<T>()
    {
        return Ok(hit);
    }
    let value = Arc::new(compute().await?);
    lock().insert(slot, (version.to_string(), value.clone()));
    Ok(value)
}

/// The zones of the instance's territory that a scope sees, read from the store (the command line has no
/// server, hence no cache).
pub async fn zones_in(store: &Store, scope: &Scope) -> Result<Vec<Zone>, WebError> {
    let territory = territory::filter(store).await?;
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
pub async fn professionals(
    store: &Store,
    caller: &Caller,
    profession: Option<&str>,
) -> Result<Vec<ProfessionalRow>, WebError> {
    let territory = territory::filter(store).await?;
    let scope = caller.scope();
    Ok(maillage_store::supply::practitioners(store)
        .await?
        .into_iter()
        .filter(|p| {
            p.commune_code.as_deref().is_some_and(|c| {
                territory.scope(c) == TerritoryScope::Territory && scope.sees_commune(c)
            }) && profession.is_none_or(|x| x == p.profession)
        })
        .map(|p| ProfessionalRow {
            identifiant_national: p.national_id,
            civilite: p.civility,
            nom: p.last_name,
            prenom: p.first_name,
            profession: p.profession,
            libelle_profession: p.profession_label,
            lieu: p.site_name,
            commune_code: p.commune_code,
            commune_nom: p.commune_name,
        })
        .collect())
}
