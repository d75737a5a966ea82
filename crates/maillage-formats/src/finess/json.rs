//! The ANS "flux FINESS" JSON (`finess-structures-journalier-*.json`, github ansforge/finess): an object
//! whose `pmej` array lists legal entities, each with its geographic entities (`ege`) and their
//! addresses; `coordonneesGeographique` carries `coordonneeX`/`coordonneeY` (projected, Lambert-93 in
//! metropolitan France) and `directionLatitude`/`directionLongitude` (WGS84).
//!
//! In the published sample of 2026-03-09, `coordonneeX` holds the northing and `coordonneeY` the
//! easting (swapped). Both pairs are therefore checked against the territory of the address's commune
//! and put back in order when swapped, with a [`WarningKind::CoordinatesSwapped`] warning.
//!
//! The file is streamed one `pmej` element at a time.

use std::fmt;
use std::path::Path;

use serde::Deserialize;
use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::crs::{self, Crs, Territory};
use crate::error::{FormatError, FormatErrorKind, FormatWarning, Location, Result, WarningKind};
use crate::io;
use crate::sniff::{self, FileKind};

/// One geographic entity (établissement) of the flux.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FluxEtablissement {
    /// Index of the `pmej` element (0-based) it comes from.
    pub pmej_index: usize,
    pub nofinesset: String,
    pub nofinessej: Option<String>,
    pub rs: Option<String>,
    pub rslongue: Option<String>,
    pub categetab: Option<String>,
    pub siret: Option<String>,
    pub dateouv: Option<String>,
    pub datefermeture: Option<String>,
    /// `etatObjet == "A"` (active); closed entities are `I`.
    pub active: bool,
    pub numvoie: Option<String>,
    pub typvoie: Option<String>,
    pub voie: Option<String>,
    pub lieudit: Option<String>,
    pub commune_insee: Option<String>,
    pub code_postal: Option<String>,
    pub ligneacheminement: Option<String>,
    /// WGS84 `(longitude, latitude)`.
    pub position: Option<(f64, f64)>,
}

#[derive(Debug, Default)]
pub struct FinessFlux {
    pub generated_at: Option<String>,
    pub etablissements: Vec<FluxEtablissement>,
    pub warnings: Vec<FormatWarning>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Pmej {
    #[serde(rename = "informationsGeneralesPMEJ")]
    info: Option<InfoPmej>,
    #[serde(default)]
    ege: Vec<Ege>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct InfoPmej {
    num_finess_pm: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Ege {
    #[serde(rename = "informationsGeneralesEGE")]
    info: Option<InfoEge>,
    #[serde(rename = "categorieentiteGeographiqueExercice")]
    categorie: Option<String>,
    #[serde(default)]
    adresse: Vec<Adresse>,
    etat_objet: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct InfoEge {
    num_finess_ege: Option<String>,
    nom_ege_court: Option<String>,
    nom_ege_long: Option<String>,
    siret: Option<String>,
    date_ouverture: Option<String>,
    date_fermeture: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Adresse {
    usage_adresse: Option<String>,
    numero_voie: Option<String>,
    type_voie: Option<String>,
    libelle_voie: Option<String>,
    lieu_dit: Option<String>,
    cog_commune: Option<String>,
    ligne_acheminement: Option<String>,
    code_postal: Option<String>,
    coordonnees_geographique: Option<Coordonnees>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Coordonnees {
    coordonnee_x: Option<Value>,
    coordonnee_y: Option<Value>,
    direction_latitude: Option<Value>,
    direction_longitude: Option<Value>,
}

/// Reads the flux, streaming over `pmej`.
pub fn read_flux(path: impl AsRef<Path>) -> Result<FinessFlux> {
    let path = path.as_ref();
    let bytes = io::read_all(path)?;
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(FormatError::new(
            Location::file(path),
            FormatErrorKind::Empty,
        ));
    }
    let head = &bytes[..bytes.len().min(8192)];
    if head.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(wrong_kind(path, head));
    }
    let mut out = FinessFlux::default();
    let mut seen_pmej = false;
    let mut de = serde_json::Deserializer::from_slice(&bytes);
    let seed = Top {
        path,
        out: &mut out,
        seen_pmej: &mut seen_pmej,
    };
    seed.deserialize(&mut de)
        .map_err(|e| json_error(path, &e))?;
    de.end().map_err(|e| json_error(path, &e))?;
    if !seen_pmej {
        return Err(wrong_kind(path, head));
    }
    Ok(out)
}

fn wrong_kind(path: &Path, head: &[u8]) -> FormatError {
    FormatError::new(
        Location::file(path),
        FormatErrorKind::WrongKind {
            expected: FileKind::FinessJson.label(),
            hint: sniff::hint(head, FileKind::FinessJson),
        },
    )
}

pub(crate) fn json_error(path: &Path, e: &serde_json::Error) -> FormatError {
    let mut loc = Location::file(path);
    if e.line() > 0 {
        loc = loc.line(e.line() as u64).column(e.column());
    }
    let kind = if e.is_eof() && e.line() <= 1 && e.column() == 0 {
        FormatErrorKind::Empty
    } else {
        FormatErrorKind::Json(strip_position(&e.to_string()))
    };
    FormatError::new(loc, kind)
}

/// serde_json appends " at line L column C"; the location already says it.
fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(p) => msg[..p].to_string(),
        None => msg.to_string(),
    }
}

struct Top<'a> {
    path: &'a Path,
    out: &'a mut FinessFlux,
    seen_pmej: &'a mut bool,
}

impl<'de> DeserializeSeed<'de> for Top<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Top<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a FINESS flux object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "pmej" => {
                    *self.seen_pmej = true;
                    map.next_value_seed(PmejSeq {
                        path: self.path,
                        out: &mut *self.out,
                    })?;
                }
                "generatedAt" => self.out.generated_at = map.next_value()?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

struct PmejSeq<'a> {
    path: &'a Path,
    out: &'a mut FinessFlux,
}

impl<'de> DeserializeSeed<'de> for PmejSeq<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for PmejSeq<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of pmej objects")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<(), A::Error> {
        let mut i = 0;
        while let Some(p) = seq.next_element::<Pmej>()? {
            convert(self.path, i, p, self.out);
            i += 1;
        }
        Ok(())
    }
}

fn clean(s: Option<String>) -> Option<String> {
    s.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

fn number(v: &Option<Value>) -> Option<f64> {
    match v.as_ref()? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => crate::text::parse_number(s).ok().flatten(),
        _ => None,
    }
}

fn convert(path: &Path, index: usize, p: Pmej, out: &mut FinessFlux) {
    let ej = p.info.and_then(|i| clean(i.num_finess_pm));
    for ege in p.ege {
        let info = ege.info;
        let Some(nofinesset) = info.as_ref().and_then(|i| clean(i.num_finess_ege.clone())) else {
            continue;
        };
        // Usage 03 is the geographic address; take it first, else the first address.
        let mut addresses = ege.adresse;
        addresses.sort_by_key(|a| a.usage_adresse.as_deref() != Some("03"));
        let addr = addresses.into_iter().next();
        let loc = Location::file(path)
            .feature(index)
            .field("coordonneesGeographique");
        let position = addr
            .as_ref()
            .and_then(|a| locate(a, loc, &mut out.warnings));
        let (mut rs, mut rslongue, mut siret, mut dateouv, mut datefermeture) =
            (None, None, None, None, None);
        if let Some(i) = info {
            rs = clean(i.nom_ege_court);
            rslongue = clean(i.nom_ege_long);
            siret = clean(i.siret);
            dateouv = clean(i.date_ouverture);
            datefermeture = clean(i.date_fermeture);
        }
        let a = addr.unwrap_or(Adresse {
            usage_adresse: None,
            numero_voie: None,
            type_voie: None,
            libelle_voie: None,
            lieu_dit: None,
            cog_commune: None,
            ligne_acheminement: None,
            code_postal: None,
            coordonnees_geographique: None,
        });
        out.etablissements.push(FluxEtablissement {
            pmej_index: index,
            nofinesset,
            nofinessej: ej.clone(),
            rs,
            rslongue,
            categetab: clean(ege.categorie),
            siret,
            dateouv,
            datefermeture,
            active: ege.etat_objet.as_deref() == Some("A"),
            numvoie: clean(a.numero_voie),
            typvoie: clean(a.type_voie),
            voie: clean(a.libelle_voie),
            lieudit: clean(a.lieu_dit),
            commune_insee: clean(a.cog_commune),
            code_postal: clean(a.code_postal),
            ligneacheminement: clean(a.ligne_acheminement),
            position,
        });
    }
}

/// WGS84 position of an address: `directionLongitude/Latitude` when they fall in the commune's
/// territory, else the projected pair. Each pair is tried in both orders; a swapped pair is put back in
/// order and reported.
fn locate(a: &Adresse, loc: Location, warnings: &mut Vec<FormatWarning>) -> Option<(f64, f64)> {
    let c = a.coordonnees_geographique.as_ref()?;
    let territory = a
        .cog_commune
        .as_deref()
        .and_then(Territory::of_code)
        .filter(|t| *t != Territory::Other);
    let fits = |p: &(f64, f64)| match territory {
        Some(t) => t.contains(p.0, p.1),
        None => p.0.abs() <= 180.0 && p.1.abs() <= 90.0,
    };
    let mut place = |a: f64, b: f64, convert: &dyn Fn(f64, f64) -> Option<(f64, f64)>| {
        if let Some(p) = convert(a, b).filter(fits) {
            return Some(p);
        }
        let p = convert(b, a).filter(fits)?;
        warnings.push(FormatWarning {
            location: loc.clone(),
            kind: WarningKind::CoordinatesSwapped { x: a, y: b },
        });
        Some(p)
    };
    let direction = match (
        number(&c.direction_longitude),
        number(&c.direction_latitude),
    ) {
        (Some(lon), Some(lat)) => place(lon, lat, &|lon, lat| Some((lon, lat))),
        _ => None,
    };
    let crs = territory
        .and_then(Crs::of_territory)
        .unwrap_or(Crs::Lambert93);
    let projected = match (number(&c.coordonnee_x), number(&c.coordonnee_y)) {
        (Some(x), Some(y)) => place(x, y, &|x, y| crs::to_wgs84(crs, x, y)),
        _ => None,
    };
    let found = direction.or(projected);
    if found.is_none()
        && let (Some(x), Some(y)) = (number(&c.coordonnee_x), number(&c.coordonnee_y))
    {
        warnings.push(FormatWarning {
            location: loc,
            kind: WarningKind::CoordinatesOutsideTerritory { x, y },
        });
    }
    found
}
