//! The territory the instance serves (one commune or several, e.g. an EPCI) and its buffer of neighbouring
//! communes: care supply across the border matters, so imports keep the buffer too.

use crate::zones::{self, ZoneKind};
use crate::{Result, Store, StoreError, settings};
use geo::{BoundingRect, Distance, Euclidean, MapCoords, MultiPolygon};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use std::collections::{BTreeSet, HashMap, HashSet};

const KEY: &str = "territoire";

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Territory {
    pub name: Option<String>,
    /// INSEE codes of the communes served. Empty: no restriction, every row of a file is kept.
    pub communes: BTreeSet<String>,
    /// Communes within `buffer_km` of the territory (computed from contours when it was defined).
    pub neighbours: BTreeSet<String>,
    pub buffer_km: f64,
}

/// Where a commune stands relative to the territory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    Territory,
    Buffer,
    Outside,
}

/// A territory ready to filter rows while streaming: arrondissements resolve to their commune, postcodes to the
/// communes they serve.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub territory: Territory,
    arrondissement_parent: HashMap<String, String>,
    postcode_communes: HashMap<String, Vec<String>>,
}

impl Filter {
    pub fn unrestricted(&self) -> bool {
        self.territory.communes.is_empty()
    }

    pub fn scope(&self, commune: &str) -> Scope {
        if self.unrestricted() {
            return Scope::Territory;
        }
        let commune = self.arrondissement_parent.get(commune).map(String::as_str).unwrap_or(commune);
        if self.territory.communes.contains(commune) {
            Scope::Territory
        } else if self.territory.neighbours.contains(commune) {
            Scope::Buffer
        } else {
            Scope::Outside
        }
    }

    pub fn keeps_commune(&self, commune: &str) -> bool {
        self.scope(commune) != Scope::Outside
    }

    /// Keeps a row located by commune code when there is one, by postcode otherwise.
    pub fn keeps(&self, commune: Option<&str>, postcode: Option<&str>) -> bool {
        if self.unrestricted() {
            return true;
        }
        match (commune.filter(|c| !c.is_empty()), postcode.filter(|p| !p.is_empty())) {
            (Some(c), _) => self.keeps_commune(c),
            (None, Some(p)) => {
                self.postcode_communes.get(p).is_some_and(|cs| cs.iter().any(|c| self.keeps_commune(c)))
            }
            (None, None) => false,
        }
    }

    /// The commune a postcode designates when it serves exactly one commune.
    pub fn commune_of_postcode(&self, postcode: &str) -> Option<&str> {
        match self.postcode_communes.get(postcode).map(Vec::as_slice) {
            Some([only]) => Some(only.as_str()),
            _ => None,
        }
    }
}

pub async fn load(store: &Store) -> Result<Territory> {
    Ok(settings::get(store, KEY).await?.unwrap_or_default())
}

pub async fn filter(store: &Store) -> Result<Filter> {
    let territory = load(store).await?;
    let mut arrondissement_parent = HashMap::new();
    for r in sqlx::query("SELECT code, parent_code FROM zone WHERE kind = 'arrondissement' AND parent_code IS NOT NULL")
        .fetch_all(store.pool())
        .await?
    {
        arrondissement_parent.insert(r.try_get("code")?, r.try_get("parent_code")?);
    }
    let mut postcode_communes: HashMap<String, Vec<String>> = HashMap::new();
    for r in sqlx::query("SELECT commune_code, postcode FROM commune_postcode ORDER BY postcode, commune_code")
        .fetch_all(store.pool())
        .await?
    {
        postcode_communes.entry(r.try_get("postcode")?).or_default().push(r.try_get("commune_code")?);
    }
    Ok(Filter { territory, arrondissement_parent, postcode_communes })
}

/// What defining a territory found.
#[derive(Debug, Clone, Serialize)]
pub struct Definition {
    pub territory: Territory,
    /// Communes given that the store does not know (no communes file imported yet, or a typo).
    pub unknown: Vec<String>,
    /// The buffer could not be computed because commune contours are missing.
    pub buffer_without_contours: bool,
}

/// Defines the territory from commune codes and/or EPCI codes (whose member communes are taken), and computes
/// the buffer of neighbouring communes from the commune contours in the store.
pub async fn define(
    store: &Store,
    name: Option<String>,
    communes: &[String],
    epcis: &[String],
    buffer_km: f64,
) -> Result<Definition> {
    if !(0.0..=200.0).contains(&buffer_km) {
        return Err(StoreError::InvalidValue { field: "tampon_km", value: buffer_km.to_string() });
    }
    let mut members: BTreeSet<String> = communes.iter().map(|c| c.trim().to_uppercase()).collect();
    for epci in epcis {
        let rows = sqlx::query("SELECT code FROM zone WHERE kind = 'commune' AND parent_code = $1")
            .bind(epci)
            .fetch_all(store.pool())
            .await?;
        if rows.is_empty() {
            return Err(StoreError::UnknownZone { kind: "epci".into(), code: epci.clone() });
        }
        for r in rows {
            members.insert(r.try_get("code")?);
        }
    }
    let known: HashSet<String> = sqlx::query_scalar("SELECT code FROM zone WHERE kind = 'commune'")
        .fetch_all(store.pool())
        .await?
        .into_iter()
        .collect();
    let unknown: Vec<String> = members.iter().filter(|c| !known.contains(*c)).cloned().collect();

    let contours = zones::geometries(store, &[ZoneKind::Commune]).await?;
    let mut neighbours = BTreeSet::new();
    let inside: Vec<&MultiPolygon<f64>> =
        contours.iter().filter(|(_, _, code, _)| members.contains(code)).map(|(.., g)| g).collect();
    let buffer_without_contours = buffer_km > 0.0 && inside.is_empty();
    if buffer_km > 0.0 && !inside.is_empty() {
        // Distances in a local equirectangular projection: exact enough at the scale of a few kilometres.
        let lat0 = inside.iter().filter_map(|g| g.bounding_rect()).map(|r| r.center().y).sum::<f64>()
            / inside.len() as f64;
        let kx = 111.320 * lat0.to_radians().cos();
        let ky = 110.574;
        let project = |g: &MultiPolygon<f64>| g.map_coords(|c| geo::coord! { x: c.x * kx, y: c.y * ky });
        let inside_km: Vec<MultiPolygon<f64>> = inside.iter().map(|g| project(g)).collect();
        let rects: Vec<_> = inside_km.iter().filter_map(|g| g.bounding_rect()).collect();
        for (_, _, code, g) in &contours {
            if members.contains(code) {
                continue;
            }
            let gk = project(g);
            let Some(r) = gk.bounding_rect() else { continue };
            let near_box = rects.iter().any(|t| {
                r.min().x <= t.max().x + buffer_km
                    && r.max().x >= t.min().x - buffer_km
                    && r.min().y <= t.max().y + buffer_km
                    && r.max().y >= t.min().y - buffer_km
            });
            if near_box && inside_km.iter().any(|t| Euclidean.distance(t, &gk) <= buffer_km) {
                neighbours.insert(code.clone());
            }
        }
    }
    let territory = Territory { name, communes: members, neighbours, buffer_km };
    settings::set(store.pool(), KEY, &territory).await?;
    Ok(Definition { territory, unknown, buffer_without_contours })
}
