//! `maillage indicateurs` on the demonstration: the EPCI is the sum of its communes (those of the buffer
//! labelled as such), hidden cells say why in CSV and JSON, and `--audit` proves the secrecy holds.

use crate::common::{demo_base, json, maillage, ok};
use serde_json::Value;

/// A copy of the demonstration, in a folder of its own.
fn demo() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let base = demo_base(dir.path());
    (dir, base)
}

fn rows<'a>(doc: &'a Value, indicator: &str, kind: &str) -> Vec<&'a Value> {
    doc["indicateurs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["indicateur"] == indicator && r["type_zone"] == kind)
        .collect()
}

#[tokio::test]
async fn the_demonstration_epci_is_the_sum_of_its_communes() {
    let (_dir, base) = demo();
    let doc = json(&base, &["indicateurs", "--format", "json"]);
    let epci = rows(&doc, "effectif", "epci");
    let communes = rows(&doc, "effectif", "commune");
    for profession in ["medecin_generaliste", "infirmier"] {
        let of = |r: &&&Value| r["profession"] == profession;
        let e = epci.iter().find(of).expect("the EPCI is listed");
        let members: Vec<f64> = communes
            .iter()
            .filter(of)
            .map(|c| c["valeur"].as_f64().unwrap())
            .collect();
        assert_eq!(
            members.len(),
            3,
            "the commune and its two buffer neighbours"
        );
        let value = e["valeur"].as_f64().unwrap();
        // Each professional once: at most the sum (one may practise in two communes), at least the largest.
        assert!(value > 0.0);
        assert!(
            value <= members.iter().sum::<f64>(),
            "{profession}: {value}"
        );
        assert!(value >= members.iter().cloned().fold(0.0, f64::max));
    }
    let buffer: Vec<&str> = communes
        .iter()
        .filter(|c| c["perimetre"] == "tampon")
        .map(|c| c["code_zone"].as_str().unwrap())
        .collect();
    assert!(
        buffer.contains(&"99102") && buffer.contains(&"99103"),
        "{buffer:?}"
    );
    let population = rows(&doc, "densite_10000", "epci")[0]["denominateur"]
        .as_f64()
        .unwrap();
    let sum: f64 = rows(&doc, "densite_10000", "commune")
        .iter()
        .filter(|r| r["profession"] == "medecin_generaliste")
        .map(|r| r["denominateur"].as_f64().unwrap())
        .sum();
    assert_eq!(population, sum, "the EPCI's population is its communes'");
}

#[tokio::test]
async fn hidden_cells_say_why_and_the_audit_proves_they_hold() {
    let (_dir, base) = demo();
    let open = json(&base, &["indicateurs", "--format", "json"]);
    let shared = json(&base, &["indicateurs", "--format", "json", "--diffusion"]);
    let (open, shared) = (
        open["indicateurs"].as_array().unwrap(),
        shared["indicateurs"].as_array().unwrap(),
    );
    let (mut below, mut secondary) = (0, 0);
    for (o, s) in open.iter().zip(shared) {
        if s["secret"] == true {
            assert_eq!(s["valeur"], Value::Null, "{s}");
            assert_eq!(s["numerateur"], Value::Null, "{s}");
            match s["motif_secret"].as_str() {
                Some("seuil") if s["indicateur"] == "effectif" => {
                    let n = o["valeur"].as_f64().unwrap();
                    assert!(n < 5.0, "{o}"); // zero included
                    // A hidden zero protects no one: the audit checks the counts of 1 to 4.
                    if n > 0.0 {
                        below += 1;
                    }
                }
                Some("seuil") => {}
                Some("secondaire") => secondary += 1,
                other => panic!("motif {other:?}"),
            }
        } else {
            assert_eq!(s["motif_secret"], Value::Null);
            assert_eq!(s["valeur"], o["valeur"]);
        }
    }
    assert!(below > 0 && secondary > 0, "{below} {secondary}");

    // In CSV: "< 5" for a small count, "s" for a cell hidden to protect another, never a number.
    let csv_text = ok(&base, &["indicateurs", "--diffusion"]);
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (value, motif) = (col("valeur"), col("motif_secret"));
    for r in reader.records().map(Result::unwrap) {
        match &r[motif] {
            "secondaire" => assert_eq!(&r[value], "s", "{r:?}"),
            "seuil" if &r[0] == "effectif" => assert_eq!(&r[value], "< 5", "{r:?}"),
            "seuil" => assert_eq!(&r[value], "s", "a density is not below 5: {r:?}"),
            "" => assert!(r[value].is_empty() || r[value].replace(',', ".").parse::<f64>().is_ok()),
            other => panic!("{other}"),
        }
    }

    let audit = ok(&base, &["indicateurs", "--diffusion", "--audit"]);
    assert!(audit.contains("tous protégés"), "{audit}");
    assert!(audit.contains("Médecins généralistes : "), "{audit}");
    let audit = json(
        &base,
        &["indicateurs", "--diffusion", "--audit", "--format", "json"],
    );
    let audit = &audit["audit_secret"];
    assert_eq!(audit["conforme"], true);
    let checks = audit["controles"].as_array().unwrap();
    // Every count of 1 to 4 is checked, and the QPV / rest counts and the ages of GPs too.
    assert!(checks.len() > below, "{} {below}", checks.len());
    // A "< 5" reads 0 to 4 to anyone: each hidden count must still reach both ends given all that is published.
    for c in checks {
        assert_eq!(c["protege"], true, "{c}");
        assert_eq!(c["minimum"], 0.0, "{c}");
        assert!(
            c["maximum"].is_null() || c["maximum"].as_f64().unwrap() >= 4.0,
            "{c}"
        );
    }
    // A stricter protection is a setting, and --audit needs --diffusion.
    let strict = json(
        &base,
        &[
            "indicateurs",
            "--diffusion",
            "--audit",
            "--protection",
            "12",
            "--format",
            "json",
        ],
    );
    assert_eq!(strict["audit_secret"]["protection"], 12.0);
    assert_eq!(strict["audit_secret"]["conforme"], true);
    let out = maillage(&base, &["indicateurs", "--audit"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--diffusion"));
}
