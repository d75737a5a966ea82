//! Recognising the property names of French zone files: one alias table per kind of zone, compared in the
//! normalised form of [`crate::columns::normalise`] (case, accents, `_` against spaces do not matter).
//!
//! | kind | code | name | commune | other |
//! |---|---|---|---|---|
//! | QPV (ANCT, 2015 codes `QP…`, 2024 codes `QN…`) | `code_qp`, `CODE_QP`, `code_qpv`, or `code` holding a QPV code | `nom_qp`, `lib_qp`, `NOM_QP`, `nom_qpv` | `code_commune`, `insee_com`, `code_insee` | `commune_qp` (name) |
//! | IRIS (IGN recent `code_iris`/`iris`/`nom_iris`/`type_iris`/`code_insee`, older `CODE_IRIS`/`IRIS`/`NOM_IRIS`/`TYP_IRIS`/`INSEE_COM`; INSEE; Lyon) | `code_iris`, `DCOMIRIS`, `IRIS` or `id` of 9 characters | `nom_iris`, `LIB_IRIS`, `libiris` | `code_insee`, `INSEE_COM`, `com`, `DEPCOM` | `type_iris`, `TYP_IRIS`; population `p12_pop`, `P20_POP`... |
//! | commune | `code_insee`, `INSEE_COM`, `insee`, `code_commune`, `codgeo`, `code` | `nom_commune`, `NOM_COM`, `NOM`, `nom`, `libgeo` | — | `population_municipale`, `population` |

use std::collections::BTreeMap;

use serde_json::Value;

use crate::columns::normalise;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ZoneKind {
    Commune,
    Iris,
    Qpv,
    /// A user quartier or anything else not recognised.
    Other,
}

pub(crate) struct Recognised {
    pub kind: ZoneKind,
    pub code: Option<String>,
    pub name: Option<String>,
    pub commune: Option<String>,
    pub typ_iris: Option<String>,
    pub population: Option<(String, f64)>,
}

/// The property names one kind of zone has been published under, most specific first.
struct Aliases {
    code: &'static [&'static str],
    name: &'static [&'static str],
    commune: &'static [&'static str],
}

const QPV: Aliases = Aliases {
    code: &["code_qp", "code_qpv", "qp", "code_quartier_prioritaire"],
    name: &[
        "nom_qp",
        "lib_qp",
        "nom_qpv",
        "lib_qpv",
        "libelle_qp",
        "nom",
    ],
    commune: &[
        "code_commune",
        "insee_com",
        "code_insee",
        "insee_commune",
        "depcom",
    ],
};

const IRIS: Aliases = Aliases {
    code: &["code_iris", "DCOMIRIS"],
    name: &["nom_iris", "LIB_IRIS", "libiris", "nom"],
    commune: &["code_insee", "INSEE_COM", "com", "DEPCOM", "code_commune"],
};

/// IRIS properties that hold the 9-character code only in some editions (`IRIS` is the 4-digit number
/// in IGN files, the full code in others; `id` in the Lyon open data).
const IRIS_CODE_IF_NINE: &[&str] = &["IRIS", "id"];

const IRIS_TYPE: &[&str] = &["type_iris", "TYP_IRIS"];

const COMMUNE: Aliases = Aliases {
    code: &[
        "code_insee",
        "INSEE_COM",
        "code_commune",
        "codgeo",
        "insee",
        "code",
    ],
    name: &["nom_commune", "NOM_COM", "nom", "libgeo", "libelle"],
    commune: &[],
};

const OTHER: Aliases = Aliases {
    code: &["code", "id"],
    name: &["nom", "name", "libelle", "label"],
    commune: &["code_commune", "insee_com", "code_insee", "com"],
};

/// The properties of one feature, looked up by normalised name.
struct Props<'a>(Vec<(String, &'a Value)>);

impl<'a> Props<'a> {
    fn new(p: &'a BTreeMap<String, Value>) -> Self {
        Props(p.iter().map(|(k, v)| (normalise(k), v)).collect())
    }

    /// The first non-empty value of one of `names` (numbers as written).
    fn get(&self, names: &[&str]) -> Option<String> {
        names.iter().find_map(|n| {
            let n = normalise(n);
            let (_, v) = self.0.iter().find(|(k, _)| *k == n)?;
            let s = match v {
                Value::String(s) => s.trim().to_string(),
                Value::Number(n) => n.to_string(),
                _ => return None,
            };
            (!s.is_empty()).then_some(s)
        })
    }

    fn iris_code(&self) -> Option<String> {
        self.get(IRIS.code)
            .or_else(|| self.get(IRIS_CODE_IF_NINE).filter(|c| is_iris_code(c)))
    }

    fn qpv_code(&self) -> Option<String> {
        self.get(QPV.code)
            .or_else(|| self.get(&["code"]).filter(|c| is_qpv_code(c)))
    }
}

/// `693840302`, `2A0040000`: five characters of commune code and four digits.
pub fn is_iris_code(c: &str) -> bool {
    c.len() == 9
        && c.is_ascii()
        && c[2..].bytes().all(|b| b.is_ascii_digit())
        && c[..2].bytes().all(|b| b.is_ascii_alphanumeric())
}

/// A QPV code of the 2015 list (`QP066007`: `QP`, département, number) or of the 2024 list (`QN…`,
/// same layout, overseas départements on three characters).
pub fn is_qpv_code(c: &str) -> bool {
    let c = c.trim();
    (c.starts_with("QP") || c.starts_with("QN"))
        && (7..=10).contains(&c.len())
        && c[2..].bytes().all(|b| b.is_ascii_alphanumeric())
        && c[2..].bytes().filter(u8::is_ascii_digit).count() >= 5
}

fn population(p: &BTreeMap<String, Value>) -> Option<(String, f64)> {
    let named = [
        "population_municipale",
        "population",
        "pop_mun",
        "PMUN",
        "POPULATION",
    ];
    let key = named
        .iter()
        .find_map(|n| p.keys().find(|k| k.eq_ignore_ascii_case(n)))
        .or_else(|| p.keys().find(|k| is_pop_column(k)))?;
    let v = match p.get(key)? {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => crate::text::parse_number(s).ok()??,
        _ => return None,
    };
    Some((key.clone(), v))
}

/// `p12_pop`, `P20_POP`.
fn is_pop_column(k: &str) -> bool {
    let b = k.as_bytes();
    b.len() == 7
        && (b[0] | 0x20) == b'p'
        && b[1].is_ascii_digit()
        && b[2].is_ascii_digit()
        && k.get(3..).is_some_and(|s| s.eq_ignore_ascii_case("_pop"))
}

/// The kind of zone a set of column names describes (a GeoPackage layer, before reading its rows), or
/// `None` when nothing tells.
pub fn kind_of_columns(columns: &[String]) -> Option<ZoneKind> {
    let names: Vec<String> = columns.iter().map(|c| normalise(c)).collect();
    let has = |aliases: &[&str]| aliases.iter().any(|a| names.contains(&normalise(a)));
    if has(QPV.code) {
        Some(ZoneKind::Qpv)
    } else if has(IRIS.code) || has(IRIS_TYPE) {
        Some(ZoneKind::Iris)
    } else if has(COMMUNE.code) {
        Some(ZoneKind::Commune)
    } else {
        None
    }
}

pub(crate) fn recognise(p: &BTreeMap<String, Value>, forced: Option<ZoneKind>) -> Recognised {
    let props = Props::new(p);
    let qpv_code = props.qpv_code();
    let iris = props.iris_code();
    let kind = forced.unwrap_or(if qpv_code.is_some() {
        ZoneKind::Qpv
    } else if iris.is_some() {
        ZoneKind::Iris
    } else if props.get(COMMUNE.code).is_some() {
        ZoneKind::Commune
    } else {
        ZoneKind::Other
    });
    let (aliases, code) = match kind {
        ZoneKind::Qpv => (&QPV, qpv_code),
        ZoneKind::Iris => (&IRIS, iris),
        ZoneKind::Commune => (&COMMUNE, None),
        ZoneKind::Other => (&OTHER, None),
    };
    Recognised {
        kind,
        code: code
            .or_else(|| props.get(aliases.code))
            .or_else(|| props.get(&["code"])),
        name: props.get(aliases.name),
        commune: props.get(aliases.commune),
        typ_iris: props.get(IRIS_TYPE),
        population: population(p),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn props(v: Value) -> BTreeMap<String, Value> {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn recognises_kinds() {
        let lyon = props(
            json!({"id": "693840302", "com": "69384", "libiris": "Canuts", "typ_iris": "H", "p12_pop": 2390}),
        );
        let r = recognise(&lyon, None);
        assert_eq!(
            (r.kind, r.code.as_deref(), r.commune.as_deref()),
            (ZoneKind::Iris, Some("693840302"), Some("69384"))
        );
        assert_eq!(r.population, Some(("p12_pop".to_string(), 2390.0)));
        let qp =
            props(json!({"code_qp": "QP066007", "nom_qp": "Bas-Vernet", "code_commune": "66136"}));
        assert_eq!(recognise(&qp, None).kind, ZoneKind::Qpv);
        let ign = props(
            json!({"INSEE_COM": "75056", "NOM_COM": "Paris", "IRIS": "0101", "CODE_IRIS": "751010101"}),
        );
        assert_eq!(recognise(&ign, None).code.as_deref(), Some("751010101"));
        let com = props(json!({"code": "69123", "nom": "Lyon", "population_municipale": 516092}));
        let r = recognise(&com, None);
        assert_eq!(
            (r.kind, r.name.as_deref()),
            (ZoneKind::Commune, Some("Lyon"))
        );
    }

    #[test]
    fn recent_and_older_ign_names_give_the_same_iris() {
        let recent = props(
            json!({"code_insee": "69381", "nom_commune": "Lyon 1er Arrondissement",
            "iris": "0101", "code_iris": "693810101", "nom_iris": "Terreaux", "type_iris": "H"}),
        );
        let older = props(
            json!({"INSEE_COM": "69381", "NOM_COM": "Lyon 1er Arrondissement",
            "IRIS": "0101", "CODE_IRIS": "693810101", "NOM_IRIS": "Terreaux", "TYP_IRIS": "H"}),
        );
        for p in [recent, older] {
            let r = recognise(&p, None);
            assert_eq!(
                (
                    r.kind,
                    r.code.as_deref(),
                    r.name.as_deref(),
                    r.commune.as_deref(),
                    r.typ_iris.as_deref()
                ),
                (
                    ZoneKind::Iris,
                    Some("693810101"),
                    Some("Terreaux"),
                    Some("69381"),
                    Some("H")
                )
            );
        }
    }

    #[test]
    fn both_qpv_generations_and_commune_aliases() {
        let qn =
            props(json!({"code_qp": "QN06601M", "lib_qp": "Bas-Vernet", "insee_com": "66136"}));
        let r = recognise(&qn, None);
        assert_eq!(
            (
                r.kind,
                r.code.as_deref(),
                r.name.as_deref(),
                r.commune.as_deref()
            ),
            (
                ZoneKind::Qpv,
                Some("QN06601M"),
                Some("Bas-Vernet"),
                Some("66136")
            )
        );
        let bare = props(json!({"code": "QP066007", "nom": "Bas-Vernet"}));
        assert_eq!(recognise(&bare, None).kind, ZoneKind::Qpv);
        let upper = props(json!({"CODE_QP": "QP066007", "NOM_QP": "Bas-Vernet"}));
        assert_eq!(recognise(&upper, None).name.as_deref(), Some("Bas-Vernet"));
        let commune = props(json!({"INSEE_COM": "69123", "NOM": "Lyon"}));
        let r = recognise(&commune, None);
        assert_eq!(
            (r.kind, r.code.as_deref(), r.name.as_deref()),
            (ZoneKind::Commune, Some("69123"), Some("Lyon"))
        );
        assert!(!is_qpv_code("69123") && !is_qpv_code("QPX"));
        assert_eq!(
            kind_of_columns(&["fid".into(), "code_iris".into(), "nom_iris".into()]),
            Some(ZoneKind::Iris)
        );
        assert_eq!(kind_of_columns(&["CODE_QP".into()]), Some(ZoneKind::Qpv));
        assert_eq!(kind_of_columns(&["fid".into(), "nom".into()]), None);
    }
}
