//! `maillage indicateurs` lists the département(s) of the territory and France beside its own zones
//! (`type_zone` `departement` and `france`), in CSV and JSON, with or without `--diffusion`. Files are FIXTURES,
//! not real data (`maillage_testkit::fixtures::national`).

use crate::common::{json, ok};
use maillage_testkit::TestBase;
use maillage_testkit::fixtures::national;
use std::process::Command;

/// (indicator, zone kind, zone code, profession) → (zone name, value) of a CSV output.
fn csv_rows(text: &str) -> Vec<(String, String, String, String, String, String)> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let h = r.headers().unwrap().clone();
    let at = |name: &str| h.iter().position(|c| c == name).unwrap();
    let (i, k, c, n, p, v) = (
        at("indicateur"),
        at("type_zone"),
        at("code_zone"),
        at("nom_zone"),
        at("profession"),
        at("valeur"),
    );
    r.records()
        .map(|x| {
            let x = x.unwrap();
            (
                x[i].to_string(),
                x[k].to_string(),
                x[c].to_string(),
                x[n].to_string(),
                x[p].to_string(),
                x[v].to_string(),
            )
        })
        .collect()
}

#[test]
fn indicators_list_the_departement_and_france_of_imported_national_files() {
    let dir = tempfile::tempdir().unwrap();
    let base = TestBase::sqlite();
    let b = base.location.as_str();
    let communes = dir.path().join("communes.json");
    std::fs::write(&communes, national::communes_json()).unwrap();
    let out = ok(b, &["import", "communes", communes.to_str().unwrap()]);
    assert!(
        out.contains("populations des départements et de la France : mises à jour"),
        "{out}"
    );
    ok(b, &["territoire", "definir", "--communes", "86194"]);
    let rows = national::rows(300);
    let annuaire = dir
        .path()
        .join("PS_LibreAcces_Personne_activite_202611240000.txt");
    std::fs::write(&annuaire, national::annuaire_text(&rows)).unwrap();
    let first = ok(b, &["import", "annuaire", annuaire.to_str().unwrap()]);
    assert!(
        first.contains("chiffres de référence des départements et de la France : mis à jour"),
        "{first}"
    );
    assert!(first.contains("hors des départements"), "{first}");
    let again = ok(b, &["import", "annuaire", annuaire.to_str().unwrap()]);
    assert!(
        again.contains("chiffres de référence des départements et de la France : inchangés"),
        "{again}"
    );

    // The GPs of the Vienne and of France, counted plainly from the fixture.
    let gps = |in_zone: &dyn Fn(&str) -> bool| {
        let mut ids: Vec<&str> = rows
            .iter()
            .filter(|r| r.skill_code == "SM54" && in_zone(r.commune))
            .map(|r| r.national_id.as_str())
            .collect();
        ids.sort();
        ids.dedup();
        ids.len() as f64
    };
    let vienne = gps(&|c| c.starts_with("86"));
    let france = gps(&|c| !c.is_empty() && !c.starts_with("975"));
    assert!(vienne > 0.0 && france > vienne);

    let csv = csv_rows(&ok(b, &["indicateurs", "--format", "csv"]));
    let value = |indicator: &str, kind: &str, code: &str| {
        csv.iter()
            .find(|r| {
                (r.0.as_str(), r.1.as_str(), r.2.as_str(), r.4.as_str())
                    == (indicator, kind, code, "medecin_generaliste")
            })
            .unwrap_or_else(|| panic!("{indicator} {kind} {code} in the CSV"))
            .clone()
    };
    let dep = value("effectif", "departement", "86");
    assert_eq!(dep.3, "Vienne");
    assert_eq!(dep.5.parse::<f64>().unwrap(), vienne);
    let fr = value("densite_100000", "france", "FR");
    assert_eq!(fr.3, "France");
    // France's population: the fixture communes outside the collectivité d'outre-mer (975).
    let population: u64 = national::COMMUNES
        .iter()
        .filter(|c| c.4 == "commune-actuelle" && !c.0.starts_with("975"))
        .map(|c| c.3)
        .sum();
    let density: f64 = fr.5.parse().unwrap();
    // Written with four decimals.
    assert_eq!(
        density,
        (france / population as f64 * 1e5 * 1e4).round() / 1e4,
        "{density}"
    );
    // Only the territory's département is listed.
    assert!(!csv.iter().any(|r| r.1 == "departement" && r.2 != "86"));

    // JSON, shared outside the commune: reference figures are national public counts, never hidden.
    let doc = json(
        b,
        &[
            "indicateurs",
            "--format",
            "json",
            "--diffusion",
            "--seuil",
            "100",
        ],
    );
    let list = doc["indicateurs"].as_array().unwrap();
    let references: Vec<&serde_json::Value> = list
        .iter()
        .filter(|r| r["type_zone"] == "departement" || r["type_zone"] == "france")
        .collect();
    assert!(!references.is_empty());
    assert!(references.iter().all(|r| r["secret"] == false));
    let json_dep = references
        .iter()
        .find(|r| {
            r["indicateur"] == "effectif"
                && r["code_zone"] == "86"
                && r["profession"] == "medecin_generaliste"
        })
        .unwrap();
    assert_eq!(json_dep["valeur"].as_f64(), Some(vienne));
    assert_eq!(json_dep["nom_zone"], "Vienne");
    assert!(
        references
            .iter()
            .any(|r| r["type_zone"] == "france" && r["millesime_population"] == 2026)
    );
}

#[test]
fn the_demonstration_lists_fictional_reference_figures() {
    let dir = tempfile::tempdir().unwrap();
    let demo = dir.path().join("demo.sqlite");
    let out = Command::new(env!("CARGO_BIN_EXE_maillage"))
        .args(["demo", "--base", demo.to_str().unwrap(), "--sans-serveur"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let csv = csv_rows(&ok(demo.to_str().unwrap(), &["indicateurs"]));
    for kind in ["departement", "france"] {
        let rows: Vec<_> = csv
            .iter()
            .filter(|r| r.1 == kind && r.0 == "densite_10000")
            .collect();
        assert_eq!(rows.len(), maillage_indicators::PROFESSIONS.len(), "{kind}");
        assert!(rows.iter().all(|r| r.3.contains("fictif")), "{rows:?}");
        assert!(rows.iter().all(|r| r.5.parse::<f64>().unwrap() > 0.0));
    }
}
