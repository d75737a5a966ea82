//! Coordinate reference systems of French open data, and conversion to WGS84 with `proj4rs`.
//!
//! Metropolitan files use Lambert-93 (EPSG:2154); overseas files use the legal UTM projection of each
//! territory (the list of `@etalab/project-legal`, which FINESS follows: its `sourcecoordet` names
//! `EPSG:5490 RGAF09/UTM Zone 20N (Antilles)`, `EPSG:4471 RGM04/UTM zone 38S (Mayotte)`, ... or, in older
//! files, `LAMBERT_93`, `UTM_N20`, `UTM_N21`, `UTM_N22`, `UTM_S38`, `UTM_S40`). The overseas datums
//! (RGAF09, RGFG95, RGR92, RGM04, RGSPM06) are ITRF realisations that coincide with WGS84 to a few
//! centimetres, so no datum shift is applied.

use std::sync::OnceLock;

use proj4rs::proj::Proj;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Crs {
    /// Longitude/latitude in degrees (EPSG:4326, also RGF93 geographic EPSG:4171).
    Wgs84,
    /// RGF93 / Lambert-93, EPSG:2154.
    Lambert93,
    /// RGAF09 / UTM 20N (Guadeloupe, Martinique, Saint-Barthélemy, Saint-Martin), EPSG:5490.
    Utm20N,
    /// RGSPM06 / UTM 21N (Saint-Pierre-et-Miquelon), EPSG:4467 (WGS84 / UTM 21N EPSG:32621 alike).
    Utm21N,
    /// RGFG95 / UTM 22N (Guyane), EPSG:2972.
    Utm22N,
    /// RGM04 / UTM 38S (Mayotte), EPSG:4471.
    Utm38S,
    /// RGR92 / UTM 40S (La Réunion), EPSG:2975.
    Utm40S,
}

impl Crs {
    pub fn epsg(self) -> u16 {
        match self {
            Crs::Wgs84 => 4326,
            Crs::Lambert93 => 2154,
            Crs::Utm20N => 5490,
            Crs::Utm21N => 4467,
            Crs::Utm22N => 2972,
            Crs::Utm38S => 4471,
            Crs::Utm40S => 2975,
        }
    }

    /// The systems met in French open data, by EPSG code (including the WGS84 UTM equivalents and the
    /// older overseas codes).
    pub fn from_epsg(code: u32) -> Option<Crs> {
        Some(match code {
            4326 | 4171 | 4258 | 4019 => Crs::Wgs84,
            2154 => Crs::Lambert93,
            5490 | 4559 | 2969 | 2970 | 32620 => Crs::Utm20N,
            4467 | 32621 => Crs::Utm21N,
            2972 | 32622 => Crs::Utm22N,
            4471 | 32738 => Crs::Utm38S,
            2975 | 32740 => Crs::Utm40S,
            _ => return None,
        })
    }

    fn proj_string(self) -> &'static str {
        match self {
            Crs::Wgs84 => "+proj=longlat +datum=WGS84 +no_defs",
            Crs::Lambert93 => concat!(
                "+proj=lcc +lat_0=46.5 +lon_0=3 +lat_1=49 +lat_2=44 +x_0=700000 +y_0=6600000",
                " +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs"
            ),
            Crs::Utm20N => {
                "+proj=utm +zone=20 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs"
            }
            Crs::Utm21N => {
                "+proj=utm +zone=21 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs"
            }
            Crs::Utm22N => {
                "+proj=utm +zone=22 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs"
            }
            Crs::Utm38S => {
                "+proj=utm +zone=38 +south +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs"
            }
            Crs::Utm40S => {
                "+proj=utm +zone=40 +south +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs"
            }
        }
    }

    fn proj(self) -> Option<&'static Proj> {
        static CELLS: [OnceLock<Option<Proj>>; 7] = [const { OnceLock::new() }; 7];
        let i = self as usize;
        CELLS[i]
            .get_or_init(|| Proj::from_proj_string(self.proj_string()).ok())
            .as_ref()
    }

    /// The legal projection of a territory (see [`Territory`]).
    pub fn of_territory(t: Territory) -> Option<Crs> {
        Some(match t {
            Territory::Metropole => Crs::Lambert93,
            Territory::Guadeloupe
            | Territory::Martinique
            | Territory::SaintBarthelemy
            | Territory::SaintMartin => Crs::Utm20N,
            Territory::Guyane => Crs::Utm22N,
            Territory::Reunion => Crs::Utm40S,
            Territory::Mayotte => Crs::Utm38S,
            Territory::SaintPierreEtMiquelon => Crs::Utm21N,
            Territory::Other => return None,
        })
    }
}

/// Converts projected (or geographic) coordinates to WGS84 `(longitude, latitude)` in degrees.
/// `None` when the projection fails or gives non-finite values.
pub fn to_wgs84(crs: Crs, x: f64, y: f64) -> Option<(f64, f64)> {
    if !x.is_finite() || !y.is_finite() {
        return None;
    }
    if crs == Crs::Wgs84 {
        return Some((x, y));
    }
    let src = crs.proj()?;
    let dst = Crs::Wgs84.proj()?;
    let mut p = (x, y, 0.0);
    proj4rs::transform::transform(src, dst, &mut p).ok()?;
    let (lon, lat) = (p.0.to_degrees(), p.1.to_degrees());
    (lon.is_finite() && lat.is_finite() && lon.abs() <= 180.0 && lat.abs() <= 90.0)
        .then_some((lon, lat))
}

/// Converts WGS84 degrees to `crs` (used to cross-check conversions and by the geocoder's tests).
pub fn from_wgs84(crs: Crs, lon: f64, lat: f64) -> Option<(f64, f64)> {
    if crs == Crs::Wgs84 {
        return Some((lon, lat));
    }
    let src = Crs::Wgs84.proj()?;
    let dst = crs.proj()?;
    let mut p = (lon.to_radians(), lat.to_radians(), 0.0);
    proj4rs::transform::transform(src, dst, &mut p).ok()?;
    (p.0.is_finite() && p.1.is_finite()).then_some((p.0, p.1))
}

/// Guesses the system of a coordinate pair from its range: degrees, or Lambert-93 metres. Overseas UTM
/// ranges overlap each other, so they are never guessed.
pub fn guess(x: f64, y: f64) -> Option<Crs> {
    if x.abs() <= 180.0 && y.abs() <= 90.0 {
        Some(Crs::Wgs84)
    } else if in_lambert93_range(x, y) {
        Some(Crs::Lambert93)
    } else {
        None
    }
}

/// The Lambert-93 extent of metropolitan France and Corsica, with a margin.
pub fn in_lambert93_range(x: f64, y: f64) -> bool {
    (0.0..=1_300_000.0).contains(&x) && (6_000_000.0..=7_200_000.0).contains(&y)
}

/// Reads the system from the WKT of a Shapefile `.prj` (ESRI or OGC flavour).
pub fn from_wkt(wkt: &str) -> Option<Crs> {
    let w: String = wkt
        .to_ascii_uppercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if let Some(code) = authority_epsg(&w).and_then(Crs::from_epsg) {
        return Some(code);
    }
    if w.starts_with("PROJCS[") || w.starts_with("PROJCRS[") {
        let lambert93 = w.contains("LAMBERT_93")
            || w.contains("LAMBERT-93")
            || w.contains("LAMBERT93")
            || (w.contains("LAMBERT_CONFORMAL_CONIC")
                && w.contains("6600000")
                && w.contains("700000")
                && w.contains("46.5"));
        if lambert93 {
            return Some(Crs::Lambert93);
        }
        for (pat, crs) in [
            ("UTM_ZONE_20N", Crs::Utm20N),
            ("UTMZONE20N", Crs::Utm20N),
            ("UTM_ZONE_21N", Crs::Utm21N),
            ("UTMZONE21N", Crs::Utm21N),
            ("UTM_ZONE_22N", Crs::Utm22N),
            ("UTMZONE22N", Crs::Utm22N),
            ("UTM_ZONE_38S", Crs::Utm38S),
            ("UTMZONE38S", Crs::Utm38S),
            ("UTM_ZONE_40S", Crs::Utm40S),
            ("UTMZONE40S", Crs::Utm40S),
        ] {
            if w.contains(pat) {
                return Some(crs);
            }
        }
        return None;
    }
    if w.starts_with("GEOGCS[") || w.starts_with("GEOGCRS[") || w.starts_with("GEODCRS[") {
        return Some(Crs::Wgs84);
    }
    None
}

/// The last `AUTHORITY["EPSG","nnnn"]` / `ID["EPSG",nnnn]` of a WKT is the one of the whole system.
fn authority_epsg(w: &str) -> Option<u32> {
    let pos = w
        .rfind("AUTHORITY[\"EPSG\",\"")
        .map(|p| p + 18)
        .or_else(|| w.rfind("ID[\"EPSG\",").map(|p| p + 10))?;
    // Only trust it when it closes the outermost bracket (otherwise it belongs to the datum or unit).
    let digits: String = w[pos..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    let rest = &w[pos + digits.len()..];
    let closes_all = rest.trim_start_matches('"').trim_start_matches(']') == "]";
    if closes_all {
        digits.parse().ok()
    } else {
        None
    }
}

/// French territories whose coordinates this crate can place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Territory {
    Metropole,
    Guadeloupe,
    Martinique,
    Guyane,
    Reunion,
    SaintPierreEtMiquelon,
    Mayotte,
    SaintBarthelemy,
    SaintMartin,
    /// Wallis-et-Futuna, Polynésie, Nouvelle-Calédonie...: no supported projection.
    Other,
}

impl Territory {
    /// From an INSEE commune code (`97411`), a département code (`974`, `2A`, `69`) or a FINESS
    /// département code (`9D`).
    pub fn of_code(code: &str) -> Option<Territory> {
        let code = code.trim();
        if let Some(dep) = finess_overseas_departement(code) {
            return Territory::of_code(dep);
        }
        let b = code.as_bytes();
        let two = code.get(..2)?;
        if two == "97" || two == "98" {
            return Some(match code.get(..3)? {
                "971" => Territory::Guadeloupe,
                "972" => Territory::Martinique,
                "973" => Territory::Guyane,
                "974" => Territory::Reunion,
                "975" => Territory::SaintPierreEtMiquelon,
                "976" => Territory::Mayotte,
                "977" => Territory::SaintBarthelemy,
                "978" => Territory::SaintMartin,
                _ => Territory::Other,
            });
        }
        let metro = (b[0].is_ascii_digit() && b[1].is_ascii_digit())
            || matches!(two, "2A" | "2B" | "2a" | "2b");
        metro.then_some(Territory::Metropole)
    }

    /// WGS84 extent `(lon_min, lat_min, lon_max, lat_max)`, with a small margin (sea, islands).
    pub fn bbox(self) -> Option<(f64, f64, f64, f64)> {
        Some(match self {
            Territory::Metropole => (-5.8, 41.2, 9.8, 51.3),
            Territory::Guadeloupe => (-61.9, 15.8, -60.9, 16.6),
            Territory::Martinique => (-61.3, 14.3, -60.7, 15.0),
            Territory::Guyane => (-54.7, 2.0, -51.5, 6.0),
            Territory::Reunion => (55.1, -21.5, 56.0, -20.8),
            Territory::SaintPierreEtMiquelon => (-56.6, 46.7, -56.0, 47.2),
            Territory::Mayotte => (44.9, -13.1, 45.4, -12.5),
            Territory::SaintBarthelemy => (-63.0, 17.8, -62.7, 18.0),
            Territory::SaintMartin => (-63.2, 18.0, -62.9, 18.2),
            Territory::Other => return None,
        })
    }

    pub fn contains(self, lon: f64, lat: f64) -> bool {
        self.bbox()
            .is_some_and(|(x0, y0, x1, y1)| (x0..=x1).contains(&lon) && (y0..=y1).contains(&lat))
    }
}

/// FINESS writes overseas départements with a letter: `9A` Guadeloupe (971, with Saint-Barthélemy and
/// Saint-Martin), `9B` 972, `9C` 973, `9D` 974, `9E` 975, `9F` 976, `9J` Wallis-et-Futuna (986),
/// `9K` Polynésie (987), `9L` Nouvelle-Calédonie (988). Returns the INSEE département code.
pub fn finess_overseas_departement(code: &str) -> Option<&'static str> {
    Some(match code {
        "9A" => "971",
        "9B" => "972",
        "9C" => "973",
        "9D" => "974",
        "9E" => "975",
        "9F" => "976",
        "9J" => "986",
        "9K" => "987",
        "9L" => "988",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_prj_files() {
        let lyon = r#"PROJCS["RGF93_Lambert_93",GEOGCS["GCS_RGF93",DATUM["D_RGF_1993",SPHEROID["GRS_1980",6378137,298.257222101]],PRIMEM["Greenwich",0],UNIT["Degree",0.017453292519943295]],PROJECTION["Lambert_Conformal_Conic"],PARAMETER["standard_parallel_1",49],PARAMETER["standard_parallel_2",44],PARAMETER["latitude_of_origin",46.5],PARAMETER["central_meridian",3],PARAMETER["false_easting",700000],PARAMETER["false_northing",6600000],UNIT["Meter",1]]"#;
        assert_eq!(from_wkt(lyon), Some(Crs::Lambert93));
        let wgs = r#"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#;
        assert_eq!(from_wkt(wgs), Some(Crs::Wgs84));
        let reunion = r#"PROJCS["RGR92_UTM_zone_40S",GEOGCS["RGR92",DATUM["Reseau_Geodesique_de_la_Reunion_1992",SPHEROID["GRS 1980",6378137,298.257222101]],UNIT["degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["central_meridian",57],UNIT["metre",1],AUTHORITY["EPSG","2975"]]"#;
        assert_eq!(from_wkt(reunion), Some(Crs::Utm40S));
        assert_eq!(from_wkt("PROJCS[\"Mercator\"]"), None);
    }

    #[test]
    fn territories_from_codes() {
        assert_eq!(Territory::of_code("69123"), Some(Territory::Metropole));
        assert_eq!(Territory::of_code("2A004"), Some(Territory::Metropole));
        assert_eq!(Territory::of_code("97411"), Some(Territory::Reunion));
        assert_eq!(Territory::of_code("9F"), Some(Territory::Mayotte));
        assert_eq!(Territory::of_code("98613"), Some(Territory::Other));
        assert_eq!(Territory::of_code("x"), None);
        assert_eq!(Territory::of_code("é1"), None);
    }

    #[test]
    fn lambert93_round_trip() {
        let (x, y) = from_wgs84(Crs::Lambert93, 4.835, 45.76).unwrap();
        let (lon, lat) = to_wgs84(Crs::Lambert93, x, y).unwrap();
        assert!((lon - 4.835).abs() < 1e-9 && (lat - 45.76).abs() < 1e-9);
    }
}
