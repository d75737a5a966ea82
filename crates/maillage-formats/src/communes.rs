//! `@etalab/decoupage-administratif` (npm): `communes.json` (every commune, commune déléguée / associée
//! and arrondissement municipal, with population and postcodes) and `epci.json` (EPCI and their member
//! communes). Each file is one JSON array (8 MB for communes), read one element at a time; an invalid
//! element is reported with its array index ([`Location::feature`]).

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{FormatError, FormatErrorKind, Location, Result, expected};
use crate::finess::json::json_error;
use crate::io;
use crate::sniff::{self, FileKind};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CommuneType {
    /// `commune-actuelle`
    Actuelle,
    /// `commune-deleguee`
    Deleguee,
    /// `commune-associee`
    Associee,
    /// `arrondissement-municipal` (Paris, Lyon, Marseille)
    ArrondissementMunicipal,
    Other(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Commune {
    /// 0-based index in the JSON array.
    pub index: usize,
    pub code: String,
    pub nom: String,
    pub kind: CommuneType,
    pub departement: Option<String>,
    pub region: Option<String>,
    /// `metro`, `drom`, `com`.
    pub zone: Option<String>,
    pub siren: Option<String>,
    /// Population municipale (absent for communes déléguées and associées).
    pub population: Option<u64>,
    pub codes_postaux: Vec<String>,
    /// The commune an arrondissement belongs to (`commune`), or the chef-lieu of a commune déléguée or
    /// associée (`chefLieu`).
    pub parent: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawCommune {
    code: String,
    nom: String,
    #[serde(rename = "type")]
    kind: String,
    departement: Option<String>,
    region: Option<String>,
    zone: Option<String>,
    siren: Option<String>,
    population: Option<u64>,
    #[serde(default)]
    codes_postaux: Vec<String>,
    commune: Option<String>,
    chef_lieu: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Epci {
    pub index: usize,
    /// SIREN of the EPCI.
    pub code: String,
    pub nom: String,
    /// `CC`, `CA`, `CU`, `METRO`, `MET69`.
    pub kind: Option<String>,
    pub population_totale: Option<u64>,
    pub population_municipale: Option<u64>,
    pub membres: Vec<EpciMembre>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EpciMembre {
    /// INSEE code of the member commune.
    pub code: String,
    pub nom: Option<String>,
    pub siren: Option<String>,
    pub population_municipale: Option<u64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawEpci {
    code: String,
    nom: String,
    #[serde(rename = "type")]
    kind: Option<String>,
    population_totale: Option<u64>,
    population_municipale: Option<u64>,
    #[serde(default)]
    membres: Vec<EpciMembre>,
}

/// Reads the array one element at a time (each bounded like a record: [`Limits::record_bytes`] of text and
/// a sixteenth as many JSON separators, since a parsed value costs more than its text), naming the index
/// of a bad one. Only the typed elements are kept.
///
/// [`Limits::record_bytes`]: crate::limits::Limits::record_bytes
fn elements<T: DeserializeOwned>(path: &Path, kind: FileKind) -> Result<Vec<(usize, T)>> {
    use std::io::BufRead;
    let mut input = io::open(path)?;
    let head = {
        let buf = input.fill_buf().map_err(|e| io::io_error(path, &e))?;
        buf[..buf.len().min(4096)].to_vec()
    };
    if head.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(FormatError::new(
            Location::file(path),
            FormatErrorKind::Empty,
        ));
    }
    if head.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'[')
        || sniff::hint(&head, kind).is_some()
    {
        return Err(wrong_kind(path, kind, &head));
    }
    let limits = crate::limits::current();
    let too_large = FormatErrorKind::RecordTooLarge {
        limit_bytes: limits.record_bytes as usize,
    };
    let values = limits.record_bytes / 16;
    let (input, mark) = crate::limits::MarkBound::new(input, limits.record_bytes, too_large);
    let input = input.with_separators(values, FormatErrorKind::TooManyValues { limit: values });
    let mut state = Elements {
        path,
        kind,
        head: &head,
        mark,
        out: Vec::new(),
        failure: None,
    };
    let mut de = serde_json::Deserializer::from_reader(input);
    let result =
        serde::de::DeserializeSeed::deserialize(&mut state, &mut de).and_then(|()| de.end());
    if let Some(e) = state.failure.take() {
        return Err(e);
    }
    if let Err(e) = result {
        if e.is_io() {
            let io = std::io::Error::from(e);
            return Err(match crate::limits::carried_kind(&io) {
                Some(kind) => {
                    FormatError::new(Location::file(path).feature(state.out.len()), kind.clone())
                }
                None => io::io_error(path, &io),
            });
        }
        return Err(json_error(path, &e));
    }
    if state.out.is_empty() {
        return Err(FormatError::new(
            Location::file(path),
            FormatErrorKind::Empty,
        ));
    }
    Ok(state.out)
}

fn wrong_kind(path: &Path, kind: FileKind, head: &[u8]) -> FormatError {
    FormatError::new(
        Location::file(path),
        FormatErrorKind::WrongKind {
            expected: kind.label(),
            hint: sniff::hint(head, kind),
        },
    )
}

/// The array's visitor: each element checked and typed as it comes.
struct Elements<'a, T> {
    path: &'a Path,
    kind: FileKind,
    head: &'a [u8],
    mark: crate::limits::Mark,
    out: Vec<(usize, T)>,
    /// Our own error, carried out of serde's visitor (which can only return serde errors).
    failure: Option<FormatError>,
}

impl<T: DeserializeOwned> Elements<'_, T> {
    fn element(&self, i: usize, v: Value) -> Result<T> {
        let path = self.path;
        if !v.is_object() || v.get("code").is_none() || v.get("nom").is_none() {
            // The first element tells whether this is the right file at all.
            return Err(if i == 0 {
                wrong_kind(path, self.kind, self.head)
            } else {
                element_error(path, i, "not a commune object".into())
            });
        }
        // Its name becomes a zone's: refused beyond the bound rather than written.
        if let Some(name) = v.get("nom").and_then(Value::as_str) {
            crate::limits::current().check_name(name).map_err(|kind| {
                FormatError::new(Location::file(path).feature(i).field("nom"), kind)
            })?;
        }
        serde_json::from_value(v).map_err(|e| element_error(path, i, e.to_string()))
    }
}

impl<'de, T: DeserializeOwned> serde::de::DeserializeSeed<'de> for &mut Elements<'_, T> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, T: DeserializeOwned> serde::de::Visitor<'de> for &mut Elements<'_, T> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON array")
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<(), A::Error> {
        use serde::de::Error as _;
        loop {
            self.mark.set();
            let Some(v) = seq.next_element::<Value>()? else {
                return Ok(());
            };
            let i = self.out.len();
            match self.element(i, v) {
                Ok(t) => self.out.push((i, t)),
                Err(e) => {
                    self.failure = Some(e);
                    return Err(A::Error::custom("refused element"));
                }
            }
        }
    }
}

fn element_error(path: &Path, i: usize, msg: String) -> FormatError {
    FormatError::new(
        Location::file(path).feature(i),
        FormatErrorKind::Json(msg.into()),
    )
}

/// Reads `communes.json`. Codes must be unique per type (a commune déléguée may share its code with
/// the commune nouvelle).
pub fn read_communes(path: impl AsRef<Path>) -> Result<Vec<Commune>> {
    let path = path.as_ref();
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    let mut out = Vec::new();
    for (i, r) in elements::<RawCommune>(path, FileKind::DecoupageCommunes)? {
        let loc = || Location::file(path).feature(i).field("code");
        if r.code.len() != 5 || !r.code.is_ascii() {
            return Err(FormatError::new(
                loc(),
                FormatErrorKind::InvalidValue {
                    value: r.code,
                    expected: expected::COMMUNE_CODE,
                },
            ));
        }
        if let Some(first) = seen.insert((r.kind.clone(), r.code.clone()), i) {
            return Err(FormatError::new(
                loc(),
                FormatErrorKind::DuplicateId {
                    id: r.code,
                    first_line: first as u64 + 1,
                },
            ));
        }
        let kind = match r.kind.as_str() {
            "commune-actuelle" => CommuneType::Actuelle,
            "commune-deleguee" => CommuneType::Deleguee,
            "commune-associee" => CommuneType::Associee,
            "arrondissement-municipal" => CommuneType::ArrondissementMunicipal,
            other => CommuneType::Other(other.to_string()),
        };
        out.push(Commune {
            index: i,
            code: r.code,
            nom: r.nom,
            kind,
            departement: r.departement,
            region: r.region,
            zone: r.zone,
            siren: r.siren,
            population: r.population,
            codes_postaux: r.codes_postaux,
            parent: r.commune.or(r.chef_lieu),
        });
    }
    Ok(out)
}

/// Reads `epci.json`.
pub fn read_epci(path: impl AsRef<Path>) -> Result<Vec<Epci>> {
    let path = path.as_ref();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for (i, r) in elements::<RawEpci>(path, FileKind::DecoupageEpci)? {
        if let Some(first) = seen.insert(r.code.clone(), i) {
            return Err(FormatError::new(
                Location::file(path).feature(i).field("code"),
                FormatErrorKind::DuplicateId {
                    id: r.code,
                    first_line: first as u64 + 1,
                },
            ));
        }
        out.push(Epci {
            index: i,
            code: r.code,
            nom: r.nom,
            kind: r.kind,
            population_totale: r.population_totale,
            population_municipale: r.population_municipale,
            membres: r.membres,
        });
    }
    Ok(out)
}
