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
        // An arrondissement municipal counts for itself (a territory may be one arrondissement) and for its
        // commune (a territory of Paris covers its twenty arrondissements).
        let parent = self
            .arrondissement_parent
            .get(commune)
            .map(String::as_str)
            .or_else(|| plm_commune_of(commune));
        let in_set = |set: &BTreeSet<String>| {
            set.contains(commune) || parent.is_some_and(|p| set.contains(p))
        };
        if in_set(&self.territory.communes) {
            Scope::Territory
        } else if in_set(&self.territory.neighbours) {
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
        match (
            commune.filter(|c| !c.is_empty()),
            postcode.filter(|p| !p.is_empty()),
        ) {
            (Some(c), _) => self.keeps_commune(c),
            (None, Some(p)) => self
                .postcode_communes
                .get(p)
                .is_some_and(|cs| cs.iter().any(|c| self.keeps_commune(c))),
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

/// Paris, Lyon and Marseille: the communes divided into arrondissements municipaux by the law PLM, with the
/// range of their arrondissements' INSEE codes. Fixed by law, so known even before any communes file is imported.
pub const PLM: &[(&str, &str, u32, u32)] = &[
    ("75056", "Paris", 75101, 75120),
    ("69123", "Lyon", 69381, 69389),
    ("13055", "Marseille", 13201, 13216),
];

/// The commune (Paris, Lyon or Marseille) an arrondissement municipal code belongs to.
pub fn plm_commune_of(code: &str) -> Option<&'static str> {
    let n: u32 = code.parse().ok().filter(|_| code.len() == 5)?;
    PLM.iter()
        .find(|(_, _, first, last)| (*first..=*last).contains(&n))
        .map(|(commune, ..)| *commune)
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
    for r in sqlx::query(
        "SELECT commune_code, postcode FROM commune_postcode ORDER BY postcode, commune_code",
    )
    .fetch_all(store.pool())
    .await?
    {
        postcode_communes
            .entry(r.try_get("postcode")?)
            .or_default()
            .push(r.try_get("commune_code")?);
    }
    Ok(Filter {
        territory,
        arrondissement_parent,
        postcode_communes,
    })
}

/// What defining a territory found.
#[derive(Debug, Clone, Serialize)]
pub struct Definition {
    pub territory: Territory,
    /// Communes given that the store does not know (no communes file imported yet, or a typo).
    pub unknown: Vec<String>,
    /// The buffer could not be computed because commune contours are missing.
    pub buffer_without_contours: bool,
    /// Paris, Lyon or Marseille given by their commune code: their arrondissements municipaux are included.
    pub with_arrondissements: Vec<PlmCommune>,
    /// Arrondissements municipaux given on their own (the territory is the arrondissement, not the commune).
    pub arrondissements: Vec<String>,
}

/// A commune divided into arrondissements municipaux, taken whole.
#[derive(Debug, Clone, Serialize)]
pub struct PlmCommune {
    pub code: String,
    pub name: String,
    pub first: String,
    pub last: String,
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
        return Err(StoreError::InvalidValue {
            field: "tampon_km",
            value: buffer_km.to_string(),
        });
    }
    let mut members: BTreeSet<String> = communes
        .iter()
        .map(|c| c.trim().to_uppercase())
        .filter(|c| !c.is_empty())
        .collect();
    for epci in epcis {
        members.extend(epci_members(store, epci.trim()).await?);
    }
    let known: HashSet<String> = sqlx::query_scalar(
        "SELECT code FROM zone WHERE kind IN ('commune', 'arrondissement') AND removed_batch_id IS NULL",
    )
    .fetch_all(store.pool())
    .await?
    .into_iter()
    .collect();
    let with_arrondissements = PLM
        .iter()
        .filter(|(code, ..)| members.contains(*code))
        .map(|(code, name, first, last)| PlmCommune {
            code: code.to_string(),
            name: name.to_string(),
            first: first.to_string(),
            last: last.to_string(),
        })
        .collect();
    let arrondissements = members
        .iter()
        .filter(|c| plm_commune_of(c).is_some())
        .cloned()
        .collect();
    let unknown: Vec<String> = members
        .iter()
        .filter(|c| !known.contains(*c))
        .cloned()
        .collect();

    let contours = zones::geometries(store, &[ZoneKind::Commune]).await?;
    let inside: Vec<&MultiPolygon<f64>> = contours
        .iter()
        .filter(|(_, _, code, _)| members.contains(code))
        .map(|(.., g)| g)
        .collect();
    let buffer_without_contours = buffer_km > 0.0 && inside.is_empty();
    let mut neighbours = BTreeSet::new();
    if buffer_km > 0.0 && !inside.is_empty() {
        let near = Near::new(&inside, buffer_km);
        for (_, _, code, g) in &contours {
            if !members.contains(code) && near.is_near(g) {
                neighbours.insert(code.clone());
            }
        }
    }
    let territory = Territory {
        name,
        communes: members,
        neighbours,
        buffer_km,
    };
    settings::set_now(store, KEY, &territory).await?;
    Ok(Definition {
        territory,
        unknown,
        buffer_without_contours,
        with_arrondissements,
        arrondissements,
    })
}

/// The member communes of an EPCI, from the EPCI file of `@etalab/decoupage-administratif` (the members it
/// lists, whatever the order of imports) and from the communes whose EPCI it is.
async fn epci_members(store: &Store, epci: &str) -> Result<BTreeSet<String>> {
    let all = zones::list(store).await?;
    let Some(zone) = all
        .iter()
        .find(|z| z.kind == ZoneKind::Epci && z.code == epci)
    else {
        return Err(StoreError::UnknownEpci {
            code: maillage_kit::quoted(epci),
            epci_known: all.iter().filter(|z| z.kind == ZoneKind::Epci).count() as u64,
        });
    };
    Ok(members_of(zone, &all))
}

/// [`epci_members`] among zones already read.
pub fn members_of(epci: &zones::Zone, all: &[zones::Zone]) -> BTreeSet<String> {
    let mut members: BTreeSet<String> = epci.attributes["membres"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| m.as_str().map(str::to_string))
        .collect();
    members.extend(
        all.iter()
            .filter(|c| c.kind == ZoneKind::Commune && c.parent_code.as_ref() == Some(&epci.code))
            .map(|c| c.code.clone()),
    );
    members
}

/// "Within the buffer of the territory": distance to the territory's communes, in a local equirectangular
/// projection (exact enough at the scale of a few kilometres).
pub struct Near {
    targets: Vec<MultiPolygon<f64>>,
    rects: Vec<geo::Rect<f64>>,
    kx: f64,
    ky: f64,
    buffer_km: f64,
}

impl Near {
    pub fn new(targets: &[&MultiPolygon<f64>], buffer_km: f64) -> Near {
        let centres: Vec<f64> = targets
            .iter()
            .filter_map(|g| g.bounding_rect())
            .map(|r| r.center().y)
            .collect();
        let lat0 = if centres.is_empty() {
            46.0
        } else {
            centres.iter().sum::<f64>() / centres.len() as f64
        };
        let mut near = Near {
            targets: vec![],
            rects: vec![],
            kx: 111.320 * lat0.to_radians().cos(),
            ky: 110.574,
            buffer_km,
        };
        near.targets = targets.iter().map(|g| near.project(g)).collect();
        near.rects = near
            .targets
            .iter()
            .filter_map(|g| g.bounding_rect())
            .collect();
        near
    }

    /// The territory's communes, from the store and from `extra` (code, contour) pairs, e.g. the file being
    /// imported, which may be the first to bring commune contours.
    pub async fn of_territory<'a>(
        store: &Store,
        filter: &Filter,
        extra: impl Iterator<Item = (&'a str, &'a MultiPolygon<f64>)>,
    ) -> Result<Near> {
        let stored = zones::geometries(store, &[ZoneKind::Commune]).await?;
        let communes = &filter.territory.communes;
        let mut targets: Vec<&MultiPolygon<f64>> = stored
            .iter()
            .filter(|(_, _, code, _)| communes.contains(code))
            .map(|(.., g)| g)
            .collect();
        targets.extend(
            extra
                .filter(|(code, _)| communes.contains(*code))
                .map(|(_, g)| g),
        );
        Ok(Near::new(&targets, filter.territory.buffer_km))
    }

    fn project(&self, g: &MultiPolygon<f64>) -> MultiPolygon<f64> {
        g.map_coords(|c| geo::coord! { x: c.x * self.kx, y: c.y * self.ky })
    }

    pub fn is_near(&self, g: &MultiPolygon<f64>) -> bool {
        if self.targets.is_empty() || self.buffer_km <= 0.0 {
            return false;
        }
        let gk = self.project(g);
        let Some(r) = gk.bounding_rect() else {
            return false;
        };
        let b = self.buffer_km;
        let near_box = self.rects.iter().any(|t| {
            r.min().x <= t.max().x + b
                && r.max().x >= t.min().x - b
                && r.min().y <= t.max().y + b
                && r.max().y >= t.min().y - b
        });
        near_box && self.targets.iter().any(|t| Euclidean.distance(t, &gk) <= b)
    }
}
