//! Base Adresse Nationale `adresses-<dept>.csv` / `.csv.gz` (`;`, header: columns found by name through
//! [`BAN_SPECS`], in any order, extra ones reported), BANO CSV (no header, fixed order), and an in-memory
//! [`Geocoder`] for the practice addresses of the Annuaire santé.

mod geocoder;
mod normalize;

pub use geocoder::{AddressQuery, GeocodeResult, Geocoder, MatchQuality};
pub use normalize::{normalize_street, street_type};

use std::path::Path;

use crate::columns::{self, ColumnSpec};
use crate::error::{
    FormatError, FormatErrorKind, FormatWarning, Location, Result, WarningKind, expected,
};
use crate::sniff::FileKind;
use crate::table::{Row, TableOptions, TableReader};

/// The 23 columns of the BAN CSV, in order.
pub const BAN_COLUMNS: [&str; 23] = [
    "id",
    "id_fantoir",
    "numero",
    "rep",
    "nom_voie",
    "code_postal",
    "code_insee",
    "nom_commune",
    "code_insee_ancienne_commune",
    "nom_ancienne_commune",
    "x",
    "y",
    "lon",
    "lat",
    "type_position",
    "alias",
    "nom_ld",
    "libelle_acheminement",
    "nom_afnor",
    "source_position",
    "source_nom_voie",
    "certification_commune",
    "cad_parcelles",
];

/// The BAN columns by name, in the order of [`BAN_COLUMNS`], with the names other extractions give them.
/// Only those Maillage needs to place an address are required.
pub const BAN_SPECS: [ColumnSpec; 23] = [
    ColumnSpec::required("id", &["cle_interop", "id_ban_adresse", "identifiant"]),
    ColumnSpec::optional("id_fantoir", &["fantoir", "id_fantoir_voie"]),
    ColumnSpec::required("numero", &["numéro", "num", "housenumber"]),
    ColumnSpec::optional(
        "rep",
        &["suffixe", "indice_repetition", "indice de répétition"],
    ),
    ColumnSpec::required(
        "nom_voie",
        &["voie", "voie_nom", "street", "nom de la voie"],
    ),
    ColumnSpec::optional("code_postal", &["cp", "postcode", "code postal"]),
    ColumnSpec::required(
        "code_insee",
        &[
            "commune_insee",
            "insee",
            "citycode",
            "code_commune",
            "code_commune_insee",
            "insee_com",
        ],
    ),
    ColumnSpec::required(
        "nom_commune",
        &["commune", "commune_nom", "city", "libelle_commune"],
    ),
    ColumnSpec::optional("code_insee_ancienne_commune", &["commune_deleguee_insee"]),
    ColumnSpec::optional("nom_ancienne_commune", &["commune_deleguee_nom"]),
    ColumnSpec::optional("x", &["x_l93", "x_lambert93"]),
    ColumnSpec::optional("y", &["y_l93", "y_lambert93"]),
    ColumnSpec::required("lon", &["long", "longitude", "lng", "long_wgs84"]),
    ColumnSpec::required("lat", &["latitude", "lat_wgs84"]),
    ColumnSpec::optional("type_position", &["position", "type position"]),
    ColumnSpec::optional("alias", &[]),
    ColumnSpec::optional("nom_ld", &["lieudit_complement_nom", "lieu_dit"]),
    ColumnSpec::optional("libelle_acheminement", &[]),
    ColumnSpec::optional("nom_afnor", &[]),
    ColumnSpec::optional("source_position", &[]),
    ColumnSpec::optional("source_nom_voie", &[]),
    ColumnSpec::optional("certification_commune", &["certification"]),
    ColumnSpec::optional("cad_parcelles", &["parcelles", "cadastre"]),
];

/// One BAN address.
#[derive(Debug, Clone, PartialEq)]
pub struct BanAdresse {
    pub line: u64,
    pub id: String,
    pub id_fantoir: Option<String>,
    /// House number; `None` for the toponyms the BAN numbers 99999.
    pub numero: Option<u32>,
    /// Repetition index (`bis`, `ter`, `a`...).
    pub rep: Option<String>,
    pub nom_voie: String,
    pub code_postal: Option<String>,
    pub code_insee: String,
    pub nom_commune: String,
    pub code_insee_ancienne_commune: Option<String>,
    pub nom_ancienne_commune: Option<String>,
    /// Lambert-93 (metropolitan France) or the legal projection overseas.
    pub x: Option<f64>,
    pub y: Option<f64>,
    pub lon: f64,
    pub lat: f64,
    pub type_position: Option<String>,
    pub alias: Option<String>,
    pub nom_ld: Option<String>,
    pub libelle_acheminement: Option<String>,
    pub nom_afnor: Option<String>,
    pub source_position: Option<String>,
    pub source_nom_voie: Option<String>,
    pub certification_commune: Option<bool>,
    pub cad_parcelles: Vec<String>,
}

/// What the geocoder indexes: an address from the BAN, BANO or elsewhere.
#[derive(Debug, Clone, PartialEq)]
pub struct Address {
    pub numero: Option<u32>,
    pub rep: Option<String>,
    pub voie: String,
    pub code_postal: Option<String>,
    pub code_insee: Option<String>,
    pub commune: Option<String>,
    pub lon: f64,
    pub lat: f64,
}

impl From<&BanAdresse> for Address {
    fn from(a: &BanAdresse) -> Address {
        Address {
            numero: a.numero,
            rep: a.rep.clone(),
            voie: a.nom_voie.clone(),
            code_postal: a.code_postal.clone(),
            code_insee: Some(a.code_insee.clone()),
            commune: Some(a.nom_commune.clone()),
            lon: a.lon,
            lat: a.lat,
        }
    }
}

/// Streaming reader of a BAN file; yields addresses until the first error.
pub struct BanReader {
    t: TableReader,
    /// Position in the file of each column of [`BAN_SPECS`].
    columns: [Option<usize>; 23],
    warnings: Vec<FormatWarning>,
    failed: bool,
}

impl BanReader {
    /// Bytes of the (decompressed) file consumed so far.
    pub fn bytes_read(&self) -> u64 {
        self.t.bytes_read()
    }

    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let t = TableReader::open(path.as_ref(), TableOptions::new(FileKind::Ban, b";,"))?;
        let header = Location::file(&t.path).line(1);
        let map = columns::resolve(&t.headers, &BAN_SPECS, &header).map_err(|e| match e.kind {
            // Said as another kind of file when it looks like one.
            FormatErrorKind::MissingColumn { column } => t.missing(&column),
            _ => e,
        })?;
        let mut warnings = Vec::new();
        if !map.unknown.is_empty() {
            warnings.push(FormatWarning {
                location: header,
                kind: WarningKind::UnknownColumns {
                    columns: map.unknown.clone(),
                },
            });
        }
        let columns = std::array::from_fn(|i| map.get(i));
        Ok(BanReader {
            t,
            columns,
            warnings,
            failed: false,
        })
    }

    /// Columns of the header the reader does not use.
    pub fn warnings(&self) -> &[FormatWarning] {
        &self.warnings
    }

    fn read(&mut self) -> Result<Option<BanAdresse>> {
        let Some(row) = self.t.next_row()? else {
            return Ok(None);
        };
        row.check_width()?;
        ban_row(&row, &self.columns).map(Some)
    }
}

fn coordinate(row: &Row<'_>, i: usize) -> Result<Option<f64>> {
    row.number(i).map_err(|mut e| {
        if let FormatErrorKind::InvalidValue { expected: exp, .. } = &mut e.kind {
            *exp = expected::COORDINATE;
        }
        e
    })
}

/// Indexes into [`BAN_SPECS`] / [`BAN_COLUMNS`].
const ID: usize = 0;
const NUMERO: usize = 2;
const NOM_VOIE: usize = 4;
const CODE_INSEE: usize = 6;
const NOM_COMMUNE: usize = 7;
const X: usize = 10;
const Y: usize = 11;
const LON: usize = 12;
const LAT: usize = 13;

fn ban_row(row: &Row<'_>, columns: &[Option<usize>; 23]) -> Result<BanAdresse> {
    let s = |spec: usize| match columns[spec] {
        Some(i) => row.string(i),
        None => Ok(None),
    };
    // Required columns are known to be in the header (see `BanReader::open`).
    let at = |spec: usize| columns[spec].expect("required column");
    let numero = match row.str(at(NUMERO))? {
        None => None,
        Some(n) => {
            let v: u32 = n.parse().map_err(|_| {
                FormatError::new(
                    row.loc(at(NUMERO)),
                    FormatErrorKind::InvalidValue {
                        value: crate::text::cut(&n, 80),
                        expected: expected::INTEGER,
                    },
                )
            })?;
            (v != 99999 && v != 0).then_some(v)
        }
    };
    let lon = coordinate(row, at(LON))?
        .ok_or_else(|| FormatError::new(row.loc(at(LON)), FormatErrorKind::MissingValue))?;
    let lat = coordinate(row, at(LAT))?
        .ok_or_else(|| FormatError::new(row.loc(at(LAT)), FormatErrorKind::MissingValue))?;
    if lon.abs() > 180.0 || lat.abs() > 90.0 {
        return Err(FormatError::new(
            row.loc(at(LON)),
            FormatErrorKind::CoordinatesOutOfRange { x: lon, y: lat },
        ));
    }
    let projected = |spec: usize| match columns[spec] {
        Some(i) => coordinate(row, i),
        None => Ok(None),
    };
    Ok(BanAdresse {
        line: row.line,
        id: row.required(at(ID))?,
        id_fantoir: s(1)?,
        numero,
        rep: s(3)?,
        nom_voie: row.required_name(at(NOM_VOIE))?,
        code_postal: s(5)?,
        code_insee: row.required(at(CODE_INSEE))?,
        nom_commune: row.required_name(at(NOM_COMMUNE))?,
        code_insee_ancienne_commune: s(8)?,
        nom_ancienne_commune: s(9)?,
        x: projected(X)?,
        y: projected(Y)?,
        lon,
        lat,
        type_position: s(14)?,
        alias: s(15)?,
        nom_ld: s(16)?,
        libelle_acheminement: s(17)?,
        nom_afnor: s(18)?,
        source_position: s(19)?,
        source_nom_voie: s(20)?,
        certification_commune: s(21)?.map(|v| v == "1"),
        cad_parcelles: s(22)?
            .map(|v| v.split('|').map(str::to_string).collect())
            .unwrap_or_default(),
    })
}

impl Iterator for BanReader {
    type Item = Result<BanAdresse>;
    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        match self.read() {
            Ok(r) => r.map(Ok),
            Err(e) => {
                self.failed = true;
                Some(Err(self.t.explain(e)))
            }
        }
    }
}

/// One BANO row: `id,numero,voie,code_postal,nom_commune,source,lat,lon` (no header; the id starts
/// with the INSEE commune code).
#[derive(Debug, Clone, PartialEq)]
pub struct BanoAdresse {
    pub line: u64,
    pub id: String,
    /// As written (`16`, `18 bis`, `4B`).
    pub numero: String,
    pub voie: String,
    pub code_postal: Option<String>,
    pub nom_commune: String,
    pub source: Option<String>,
    pub lat: f64,
    pub lon: f64,
}

impl BanoAdresse {
    pub fn code_insee(&self) -> Option<&str> {
        let c = self.id.get(..5)?;
        c.bytes().all(|b| b.is_ascii_alphanumeric()).then_some(c)
    }
}

impl From<&BanoAdresse> for Address {
    fn from(a: &BanoAdresse) -> Address {
        let (numero, rep) = split_number(&a.numero);
        Address {
            numero,
            rep,
            voie: a.voie.clone(),
            code_postal: a.code_postal.clone(),
            code_insee: a.code_insee().map(str::to_string),
            commune: Some(a.nom_commune.clone()),
            lon: a.lon,
            lat: a.lat,
        }
    }
}

/// `18 bis` → (18, "bis"); `4B` → (4, "B"); `` → (None, None).
pub fn split_number(s: &str) -> (Option<u32>, Option<String>) {
    let s = s.trim();
    let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
    let rest = s[digits.len()..].trim();
    (
        digits.parse().ok(),
        (!rest.is_empty()).then(|| rest.to_string()),
    )
}

/// Reads a BANO file whole (BANO files are per département).
pub fn read_bano(path: impl AsRef<Path>) -> Result<Vec<BanoAdresse>> {
    let mut opts = TableOptions::new(FileKind::Bano, b",");
    opts.has_header = false;
    let mut t = TableReader::open(path.as_ref(), opts)?;
    let mut out = Vec::new();
    loop {
        let r = {
            let Some(row) = t.next_row()? else { break };
            if row.len() != 8 {
                let e = FormatError::new(
                    row.line_loc(),
                    FormatErrorKind::FieldCount {
                        expected: 8,
                        found: row.len(),
                    },
                );
                if out.is_empty() && row.line == 1 {
                    Err(t.wrong_kind())
                } else {
                    Err(e)
                }
            } else {
                (|| {
                    let lat = coordinate(&row, 6)?.ok_or_else(|| {
                        FormatError::new(row.loc(6), FormatErrorKind::MissingValue)
                    })?;
                    let lon = coordinate(&row, 7)?.ok_or_else(|| {
                        FormatError::new(row.loc(7), FormatErrorKind::MissingValue)
                    })?;
                    if lon.abs() > 180.0 || lat.abs() > 90.0 {
                        return Err(FormatError::new(
                            row.loc(6),
                            FormatErrorKind::CoordinatesOutOfRange { x: lon, y: lat },
                        ));
                    }
                    Ok(BanoAdresse {
                        line: row.line,
                        id: row.required(0)?,
                        numero: row.string(1)?.unwrap_or_default(),
                        voie: row.required(2)?,
                        code_postal: row.string(3)?,
                        nom_commune: row.required(4)?,
                        source: row.string(5)?,
                        lat,
                        lon,
                    })
                })()
            }
        };
        match r {
            Ok(a) => out.push(a),
            Err(e) => return Err(t.explain(e)),
        }
    }
    Ok(out)
}
