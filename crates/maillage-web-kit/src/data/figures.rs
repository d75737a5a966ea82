//! The observatory's figures, computed once per data version and shared by every page and map request.
//!
//! Computing indicators reads every zone, population and activity of the store; pages must answer in tens of
//! milliseconds. The store's [`geodata::data_version`] changes whenever anything the figures rest on changes (an
//! import adds a batch, enrichment moves its dates, an accessibility run or isochrone gets a new id), so a snapshot
//! is kept per store until the version moves. Statistical secrecy and the caller's scope are applied per request,
//! on a copy, exactly as [`crate::data::indicator_rows`] does.

use crate::auth::Caller;
use crate::error::WebError;
use crate::scope::Scope;
use crate::state::AppState;
use maillage_indicators::{IndicatorRow, Inputs, Policy, compute, suppress};
use maillage_store::geodata::{self, ZoneShape};
use maillage_store::territory::{self, Filter, Scope as TerritoryScope};
use maillage_store::zones::{self, Zone, ZoneKind};
use maillage_store::{Store, observatory};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// Everything computed from one version of the data.
pub struct Snapshot {
    pub version: String,
    /// What the figures are computed from (secrecy follows how its zones nest).
    inputs: Inputs,
    /// Which GPs count and how places were located, added to every method text.
    pub method_context: String,
    /// Every indicator of the territory, without secrecy.
    rows: Vec<IndicatorRow>,
    /// The same under secrecy, by threshold: suppression and its audit solve linear programs, once per version.
    secret: Mutex<HashMap<u32, Arc<Vec<IndicatorRow>>>>,
    /// Every zone in force, with its population.
    zones: Vec<Zone>,
    filter: Filter,
    /// Contours by zone kind, read on first use.
    shapes: Mutex<HashMap<String, Arc<Vec<ZoneShape>>>>,
}

/// Snapshots by store location (one server serves one store; tests run several servers in one process).
fn cache() -> &'static Mutex<HashMap<String, Arc<Snapshot>>> {
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<Snapshot>>>> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// The figures of the current data: from the cache when the data has not changed since they were computed.
pub async fn snapshot(state: &AppState) -> Result<Arc<Snapshot>, WebError> {
    let store = state.store();
    // Read before computing: data changed meanwhile is newer than this version, so the next request recomputes.
    let version = geodata::data_version(store).await?;
    let key = store.location().to_string();
    if let Some(s) = lock(cache()).get(&key).filter(|s| s.version == version) {
        return Ok(s.clone());
    }
    let fresh = Arc::new(compute_snapshot(store, version).await?);
    lock(cache()).insert(key, fresh.clone());
    Ok(fresh)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic while holding the lock leaves plain data behind: still usable.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

async fn compute_snapshot(store: &Store, version: String) -> Result<Snapshot, WebError> {
    let inputs = observatory::indicator_inputs(store).await?;
    Ok(Snapshot {
        version,
        rows: compute(&inputs),
        inputs,
        method_context: maillage_messages::indicators::method_context(
            &observatory::method_context(store).await?,
        ),
        secret: Mutex::new(HashMap::new()),
        zones: zones::list(store).await?,
        filter: territory::filter(store).await?,
        shapes: Mutex::new(HashMap::new()),
    })
}

impl Snapshot {
    /// Every indicator of the zones the caller sees, with secrecy applied when `secrecy` is set.
    pub fn rows_for(&self, caller: &Caller, secrecy: Option<u32>) -> Vec<IndicatorRow> {
        self.rows_in(&caller.scope(), secrecy)
    }

    /// Every indicator of the zones a scope sees (the public pages: every commune, always under secrecy).
    pub fn rows_in(&self, scope: &Scope, secrecy: Option<u32>) -> Vec<IndicatorRow> {
        // Secrecy first, on the whole territory: secondary suppression works on complete groups.
        let mut rows = match secrecy {
            Some(t) => self.under_secrecy(t).as_ref().clone(),
            None => self.rows.clone(),
        };
        rows.retain(|r| scope.sees_row(r));
        rows
    }

    /// The method of an indicator as every page, export and API states it.
    pub fn method(&self, i: maillage_indicators::Indicator) -> String {
        maillage_messages::indicators::method_in(i, &self.method_context)
    }

    fn under_secrecy(&self, threshold: u32) -> Arc<Vec<IndicatorRow>> {
        if let Some(rows) = lock(&self.secret).get(&threshold) {
            return rows.clone();
        }
        let mut rows = self.rows.clone();
        suppress(&mut rows, &self.inputs, &Policy::new(threshold));
        let rows = Arc::new(rows);
        lock(&self.secret).insert(threshold, rows.clone());
        rows
    }

    /// The zones of the instance's territory (not its buffer) that the caller sees.
    pub fn zones_for(&self, caller: &Caller) -> Vec<&Zone> {
        self.zones_in(&caller.scope())
    }

    /// The zones of the instance's territory (not its buffer) that a scope sees.
    pub fn zones_in(&self, scope: &Scope) -> Vec<&Zone> {
        self.zones
            .iter()
            .filter(|z| {
                let in_territory = match z.commune() {
                    Some(c) => self.filter.scope(c) == TerritoryScope::Territory,
                    // Above the commune, only the EPCI the figures list (those of the territory).
                    None => self.inputs.zones.iter().any(|i| i.id == z.id),
                };
                in_territory && scope.sees_zone(z.kind.as_str(), &z.code, z.parent_code.as_deref())
            })
            .collect()
    }

    /// Whether a commune belongs to the territory served (not the buffer), and the caller sees it.
    pub fn sees_commune(&self, caller: &Caller, commune: &str) -> bool {
        self.filter.scope(commune) == TerritoryScope::Territory
            && caller.scope().sees_commune(commune)
    }

    /// The figures of départements and France (`departement`, `france` rows): national public counts, the same
    /// for every caller and never under local secrecy (see `maillage_indicators::ReferenceZone`).
    pub fn reference_rows(&self) -> impl Iterator<Item = &IndicatorRow> {
        self.rows
            .iter()
            .filter(|r| maillage_indicators::is_reference_zone(&r.zone_kind))
    }

    /// The département a zone lies in: its commune's, as the communes file gives it, else from the code.
    pub fn departement_of(&self, z: &Zone) -> Option<String> {
        let commune = z.commune()?;
        self.zones
            .iter()
            .find(|c| c.kind == ZoneKind::Commune && c.code == commune)
            .and_then(|c| c.departement.clone())
            .or_else(|| maillage_store::reference::departement_of_code(commune).map(str::to_string))
    }

    /// The contours of one kind of zone (all of them: callers filter by the zones they see).
    pub async fn shapes(
        &self,
        store: &Store,
        kind: ZoneKind,
    ) -> Result<Arc<Vec<ZoneShape>>, WebError> {
        if let Some(s) = lock(&self.shapes).get(kind.as_str()) {
            return Ok(s.clone());
        }
        let shapes = Arc::new(geodata::zone_shapes(store, kind.as_str()).await?);
        lock(&self.shapes).insert(kind.as_str().to_string(), shapes.clone());
        Ok(shapes)
    }
}
