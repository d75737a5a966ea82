//! `maillage accessibilite --offre activite` on the demonstration (its GPs carry a yearly activity, one in
//! eight without): the unit written on every line, the professionals without activity counted, the
//! standardisation weights in the JSON metadata, the CSV with its unit column, and — no DREES APL being
//! imported — the output saying so and how to get one. Then `maillage import activite` in French: a good
//! file, and a bad one refused with its line and column. Files are FIXTURES, not real data.

use crate::common::{demo_base, json, maillage, ok};

const UNIT: &str = "consultations et visites par an et par habitant standardisé";

#[test]
fn activity_supply_on_the_demonstration() {
    let dir = tempfile::tempdir().unwrap();
    let base = demo_base(dir.path());
    let model = maillage_demo::generate(maillage_demo::DEFAULT_SEED);
    let without: usize = model
        .professionals
        .iter()
        .filter(|p| p.profession == "medecin_generaliste" && p.yearly_acts.is_none())
        .count();
    assert!(without > 1);

    let text = ok(&base, &["accessibilite", "--offre", "activite"]);
    assert!(text.contains(&format!("unité : {UNIT}")), "{text}");
    assert!(
        text.contains(&format!(
            "{without} professionnels sans activité connue : exclus de l'offre"
        )),
        "{text}"
    );
    assert!(text.contains("demande standardisée par âge"), "{text}");
    assert!(
        text.contains("2 zones sans population par âge : population brute à la place"),
        "{text}"
    );
    // Every value line carries its unit.
    for line in text
        .lines()
        .filter(|l| l.starts_with("  commune ") || l.starts_with("  quartier "))
    {
        assert!(line.ends_with(UNIT), "{line}");
    }
    assert!(
        text.contains(
            "Comparaison avec l'APL de la DREES impossible : aucune APL de la DREES n'est importée"
        ),
        "{text}"
    );
    assert!(text.contains("maillage import apl-drees"), "{text}");

    let csv = dir.path().join("acces.csv");
    let doc = json(
        &base,
        &[
            "accessibilite",
            "--offre",
            "activite",
            "--json",
            "--sortie",
            csv.to_str().unwrap(),
        ],
    );
    assert_eq!(doc["unit"], UNIT);
    // The two buffer communes have no IRIS and no age structure: raw population, said.
    assert_eq!(doc["zones_without_age_structure"], 2);
    assert_eq!(
        doc["metadata"]["standardisation"]["zones_sans_structure_par_age"],
        2
    );
    assert_eq!(doc["professionals_without_activity"], without as u64);
    assert_eq!(doc["metadata"]["mesure_offre"], "activite");
    assert_eq!(doc["metadata"]["mesure_demande"], "population_standardisee");
    assert_eq!(
        doc["metadata"]["standardisation"]["tranches"]
            .as_array()
            .unwrap()
            .len(),
        6
    );
    assert_eq!(doc["comparaison_apl"]["apl_importee"], false);
    assert!(
        doc["comparaison_apl"]["message"]
            .as_str()
            .unwrap()
            .contains("maillage import apl-drees")
    );
    // The town's value is a plausible number of consultations per standardised inhabitant.
    let town = doc["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            r["zone_kind"] == "commune" && r["zone_code"] == maillage_demo::model::COMMUNE_CODE
        })
        .unwrap()["value"]
        .as_f64()
        .unwrap();
    assert!(town > 0.5 && town < 20.0, "{town}");

    let mut reader = csv::Reader::from_path(&csv).unwrap();
    let headers = reader.headers().unwrap().clone();
    let unit_at = headers.iter().position(|h| h == "unite").unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| &r[unit_at] == UNIT));
}

#[test]
fn activity_file_is_imported_and_a_bad_one_refused_in_french() {
    let dir = tempfile::tempdir().unwrap();
    let base = demo_base(dir.path());
    let model = maillage_demo::generate(maillage_demo::DEFAULT_SEED);
    let missing = model
        .professionals
        .iter()
        .find(|p| p.profession == "medecin_generaliste" && p.yearly_acts.is_none())
        .unwrap();
    let good = dir.path().join("activite-fixture-non-reelle.csv");
    std::fs::write(
        &good,
        format!(
            "RPPS;Année;Consultations;Visites\n{};2025;4100;200\n",
            &missing.national_id[1..]
        ),
    )
    .unwrap();
    let text = ok(&base, &["import", "activite", good.to_str().unwrap()]);
    assert!(
        text.contains("1 ajoutées") || text.contains("1 lignes lues"),
        "{text}"
    );
    assert!(text.contains("année : 2025"), "{text}");
    let before = json(&base, &["accessibilite", "--offre", "activite", "--json"]);
    let after_count = before["professionals_without_activity"].as_u64().unwrap();
    let all_missing = model
        .professionals
        .iter()
        .filter(|p| p.profession == "medecin_generaliste" && p.yearly_acts.is_none())
        .count() as u64;
    assert_eq!(after_count, all_missing - 1);

    let bad = dir.path().join("activite-mauvaise-fixture-non-reelle.csv");
    std::fs::write(
        &bad,
        "Identifiant national;Année;Consultations\n810000000001;2025;12\n12345;2025;10\n",
    )
    .unwrap();
    let out = maillage(&base, &["import", "activite", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("ligne 3"), "{err}");
    assert!(err.contains("colonne 1"), "{err}");
    assert!(err.contains("« 12345 »"), "{err}");
    assert!(
        err.contains("identifiant national de l'Annuaire santé"),
        "{err}"
    );
    // Nothing changed.
    let again = json(&base, &["accessibilite", "--offre", "activite", "--json"]);
    assert_eq!(again["professionals_without_activity"], after_count);
}
