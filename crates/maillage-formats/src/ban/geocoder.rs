//! An in-memory address index for one territory, matching practice addresses (numéro, indice de
//! répétition, type and name of the street, postcode, commune) to a position.
//!
//! Lookup order for the street: INSEE commune code, then postcode + commune name, postcode, commune
//! name (each only when it designates one street); the name is tried with and without its street type.
//! On the street: the exact number (and repetition index), else the nearest number (same parity
//! first), else the centroid of the street's addresses.

use std::collections::HashMap;

use super::Address;
use super::normalize::{bare, normalize_street};
use crate::annuaire::Activite;
use crate::text::fold;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MatchQuality {
    /// The number (with its repetition index when given) exists in the index.
    Number,
    /// The street was found; the position is that of another number on it.
    NearNumber,
    /// The street was found; the position is the centroid of its addresses (no number asked, or the
    /// street has no numbered address).
    Street,
    /// Nothing matched.
    None,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GeocodeResult {
    pub quality: MatchQuality,
    /// WGS84, `None` when `quality == None`.
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    /// The street as the index spells it, and the commune it lies in.
    pub street: Option<String>,
    pub code_insee: Option<String>,
    /// The number whose position was taken.
    pub matched_number: Option<u32>,
}

impl GeocodeResult {
    fn none() -> Self {
        GeocodeResult {
            quality: MatchQuality::None,
            lon: None,
            lat: None,
            street: None,
            code_insee: None,
            matched_number: None,
        }
    }
}

/// What to look for; all text is matched accent- and case-insensitively.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AddressQuery {
    pub numero: Option<String>,
    pub rep: Option<String>,
    /// Street type, as a code (`R`, `AV`) or a label (`Rue`).
    pub type_voie: Option<String>,
    pub voie: String,
    pub code_postal: Option<String>,
    pub code_commune: Option<String>,
    pub commune: Option<String>,
}

impl AddressQuery {
    /// The structure address of an Annuaire activity (`None` when it has no street name).
    pub fn from_activite(a: &Activite) -> Option<AddressQuery> {
        Some(AddressQuery {
            numero: a.street_number.clone(),
            rep: a.repetition_index.clone(),
            type_voie: a
                .street_type_code
                .clone()
                .or_else(|| a.street_type_label.clone()),
            voie: a.street_name.clone()?,
            code_postal: a.postal_code.clone(),
            code_commune: a.commune_code.clone(),
            commune: a.commune_label.clone(),
        })
    }
}

struct Street {
    name: String,
    code_insee: Option<String>,
    /// (number, folded repetition index, lon, lat), sorted.
    numbers: Vec<(u32, String, f64, f64)>,
    sum: (f64, f64, usize),
}

/// Build it with [`Geocoder::add`] from the addresses of the territory (filter them while reading the
/// BAN file), then [`Geocoder::finish`].
#[derive(Default)]
pub struct Geocoder {
    streets: Vec<Street>,
    /// commune key + street key → streets.
    index: HashMap<(String, String), Vec<usize>>,
    /// Exact (commune key `I:`, street key) of each street, to merge addresses of the same street.
    by_insee: HashMap<(String, String), usize>,
}

fn commune_keys(insee: Option<&str>, cp: Option<&str>, name: Option<&str>) -> Vec<String> {
    let mut keys = Vec::new();
    let name = name.map(commune_name).filter(|n| !n.is_empty());
    if let Some(i) = insee.map(str::trim).filter(|s| !s.is_empty()) {
        keys.push(format!("I:{i}"));
    }
    if let (Some(c), Some(n)) = (cp.map(str::trim).filter(|s| !s.is_empty()), &name) {
        keys.push(format!("PN:{c}|{n}"));
    }
    if let Some(c) = cp.map(str::trim).filter(|s| !s.is_empty()) {
        keys.push(format!("P:{c}"));
    }
    if let Some(n) = name {
        keys.push(format!("N:{n}"));
    }
    keys
}

/// `SAINT-ETIENNE CEDEX 2` → `SAINT ETIENNE`; `ST ETIENNE` alike.
fn commune_name(s: &str) -> String {
    let f = fold(s);
    let f = f.split(" CEDEX").next().unwrap_or("").to_string();
    f.split(' ')
        .map(|t| match t {
            "ST" => "SAINT",
            "STE" => "SAINTE",
            t => t,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

impl Geocoder {
    pub fn new() -> Self {
        Geocoder::default()
    }

    pub fn add(&mut self, a: &Address) {
        let key = normalize_street(None, &a.voie);
        if key.is_empty() {
            return;
        }
        let insee = a.code_insee.clone().unwrap_or_default();
        let cp = a.code_postal.clone().unwrap_or_default();
        let own = (format!("{insee}|{cp}"), key.clone());
        let id = match self.by_insee.get(&own) {
            Some(&id) => id,
            None => {
                let id = self.streets.len();
                self.streets.push(Street {
                    name: a.voie.clone(),
                    code_insee: a.code_insee.clone(),
                    numbers: Vec::new(),
                    sum: (0.0, 0.0, 0),
                });
                self.by_insee.insert(own, id);
                for ck in commune_keys(
                    a.code_insee.as_deref(),
                    a.code_postal.as_deref(),
                    a.commune.as_deref(),
                ) {
                    for sk in [key.as_str(), bare(&key)] {
                        let ids = self.index.entry((ck.clone(), sk.to_string())).or_default();
                        if !ids.contains(&id) {
                            ids.push(id);
                        }
                    }
                }
                id
            }
        };
        let s = &mut self.streets[id];
        s.sum.0 += a.lon;
        s.sum.1 += a.lat;
        s.sum.2 += 1;
        if let Some(n) = a.numero {
            s.numbers.push((
                n,
                a.rep.as_deref().map(fold).unwrap_or_default(),
                a.lon,
                a.lat,
            ));
        }
    }

    /// Sorts the numbers; call once after the last [`Geocoder::add`].
    pub fn finish(&mut self) {
        for s in &mut self.streets {
            s.numbers.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        }
    }

    pub fn from_addresses<'a>(addresses: impl IntoIterator<Item = &'a Address>) -> Self {
        let mut g = Geocoder::new();
        for a in addresses {
            g.add(a);
        }
        g.finish();
        g
    }

    /// Number of distinct streets indexed.
    pub fn street_count(&self) -> usize {
        self.streets.len()
    }

    fn find_street(&self, q: &AddressQuery) -> Option<usize> {
        let key = normalize_street(q.type_voie.as_deref(), &q.voie);
        if key.is_empty() {
            return None;
        }
        let keys = commune_keys(
            q.code_commune.as_deref(),
            q.code_postal.as_deref(),
            q.commune.as_deref(),
        );
        for sk in [key.as_str(), bare(&key)] {
            for ck in &keys {
                if let Some(ids) = self.index.get(&(ck.clone(), sk.to_string()))
                    && ids.len() == 1
                {
                    return Some(ids[0]);
                }
            }
        }
        None
    }

    pub fn geocode(&self, q: &AddressQuery) -> GeocodeResult {
        let Some(id) = self.find_street(q) else {
            return GeocodeResult::none();
        };
        let s = &self.streets[id];
        let result = |quality, lon, lat, n| GeocodeResult {
            quality,
            lon: Some(lon),
            lat: Some(lat),
            street: Some(s.name.clone()),
            code_insee: s.code_insee.clone(),
            matched_number: n,
        };
        let (numero, rep) = match q.numero.as_deref().map(super::split_number) {
            Some((Some(n), inline_rep)) => (Some(n), q.rep.clone().or(inline_rep)),
            _ => (None, None),
        };
        if let Some(n) = numero {
            let rep = rep.as_deref().map(normalize_rep).unwrap_or_default();
            let same: Vec<_> = s.numbers.iter().filter(|e| e.0 == n).collect();
            if let Some(e) = same
                .iter()
                .find(|e| normalize_rep(&e.1) == rep)
                .or_else(|| same.first())
            {
                return result(MatchQuality::Number, e.2, e.3, Some(n));
            }
            // Nearest number, preferring the same side of the street (same parity).
            let near = s
                .numbers
                .iter()
                .min_by_key(|e| ((e.0 % 2 != n % 2) as u32, e.0.abs_diff(n)));
            if let Some(e) = near {
                return result(MatchQuality::NearNumber, e.2, e.3, Some(e.0));
            }
        }
        let (lon, lat, k) = s.sum;
        result(MatchQuality::Street, lon / k as f64, lat / k as f64, None)
    }
}

/// `B`, `BIS` → `B`; `T`, `TER` → `T`; `Q`, `QUATER` → `Q`; `C`, `QUINQUIES` → `C`.
fn normalize_rep(r: &str) -> String {
    let f = fold(r);
    match f.as_str() {
        "BIS" => "B".into(),
        "TER" => "T".into(),
        "QUATER" => "Q".into(),
        "QUINQUIES" | "QUINQUES" => "C".into(),
        _ => f,
    }
}
