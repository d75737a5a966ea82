//! Recognising the usual property names of French zone files.
//!
//! | kind | code | name | commune | other |
//! |---|---|---|---|---|
//! | QPV (ANCT) | `code_qp`, `CODE_QP`, `Code_QP` | `nom_qp`, `NOM_QP`, `Lib_QP` | `code_commune`, `insee_com` | `commune_qp` (name) |
//! | IRIS (IGN, INSEE, Lyon) | `CODE_IRIS`, `code_iris`, `DCOMIRIS`, `IRIS` or `id` of 9 characters | `NOM_IRIS`, `nom_iris`, `LIB_IRIS`, `libiris` | `INSEE_COM`, `insee_com`, `com`, `DEPCOM` | `TYP_IRIS`, `typ_iris`; population `p12_pop`, `P20_POP`... |
//! | commune | `INSEE_COM`, `insee_com`, `code_insee`, `code_commune`, `codgeo`, `code` | `NOM_COM`, `nom_com`, `nom_commune`, `nom`, `libgeo` | — | `population_municipale`, `population` |

use std::collections::BTreeMap;

use serde_json::Value;

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

fn get(p: &BTreeMap<String, Value>, names: &[&str]) -> Option<String> {
    names.iter().find_map(|n| {
        let v = p.get(*n).or_else(|| {
            p.iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(n))
                .map(|(_, v)| v)
        })?;
        let s = match v {
            Value::String(s) => s.trim().to_string(),
            Value::Number(n) => n.to_string(),
            _ => return None,
        };
        (!s.is_empty()).then_some(s)
    })
}

fn iris_code(p: &BTreeMap<String, Value>) -> Option<String> {
    get(p, &["CODE_IRIS", "DCOMIRIS", "code_iris"])
        .or_else(|| get(p, &["IRIS", "id"]).filter(|c| is_iris_code(c)))
}

/// `693840302`, `2A0040000`: five characters of commune code and four digits.
pub fn is_iris_code(c: &str) -> bool {
    c.len() == 9
        && c.is_ascii()
        && c[2..].bytes().all(|b| b.is_ascii_digit())
        && c[..2].bytes().all(|b| b.is_ascii_alphanumeric())
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

pub(crate) fn recognise(p: &BTreeMap<String, Value>, forced: Option<ZoneKind>) -> Recognised {
    let qpv_code = get(p, &["code_qp", "Code_QP", "CODE_QP"]);
    let iris = iris_code(p);
    let kind = forced.unwrap_or(if qpv_code.is_some() {
        ZoneKind::Qpv
    } else if iris.is_some() {
        ZoneKind::Iris
    } else if get(
        p,
        &[
            "INSEE_COM",
            "code_insee",
            "code_commune",
            "codgeo",
            "code",
            "insee",
        ],
    )
    .is_some()
    {
        ZoneKind::Commune
    } else {
        ZoneKind::Other
    });
    let typ_iris = get(p, &["TYP_IRIS", "typ_iris"]);
    let population = population(p);
    match kind {
        ZoneKind::Qpv => Recognised {
            kind,
            code: qpv_code.or_else(|| get(p, &["code"])),
            name: get(p, &["nom_qp", "Lib_QP", "NOM_QP", "nom"]),
            commune: get(p, &["code_commune", "insee_com", "code_insee"]),
            typ_iris,
            population,
        },
        ZoneKind::Iris => Recognised {
            kind,
            code: iris.or_else(|| get(p, &["code"])),
            name: get(p, &["NOM_IRIS", "nom_iris", "LIB_IRIS", "libiris", "nom"]),
            commune: get(
                p,
                &["INSEE_COM", "insee_com", "com", "DEPCOM", "code_commune"],
            ),
            typ_iris,
            population,
        },
        ZoneKind::Commune => Recognised {
            kind,
            code: get(
                p,
                &[
                    "INSEE_COM",
                    "insee_com",
                    "code_insee",
                    "code_commune",
                    "codgeo",
                    "code",
                    "insee",
                ],
            ),
            name: get(
                p,
                &[
                    "NOM_COM",
                    "nom_com",
                    "nom_commune",
                    "nom",
                    "libgeo",
                    "libelle",
                ],
            ),
            commune: None,
            typ_iris,
            population,
        },
        ZoneKind::Other => Recognised {
            kind,
            code: get(p, &["code", "id", "CODE", "ID"]),
            name: get(p, &["nom", "name", "NOM", "libelle", "label"]),
            commune: get(p, &["code_commune", "insee_com", "INSEE_COM", "com"]),
            typ_iris,
            population,
        },
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
}
