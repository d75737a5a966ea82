//! `maillage territoire generalistes` then `maillage indicateurs`: the GP rule a commune chooses changes the
//! counts of every figure, and each figure's method says the rule and how places were located. The Annuaire
//! file is a FIXTURE in the published layout (not real data).

use crate::common::{json, ok};
use maillage_testkit::TestBase;
use maillage_testkit::fixtures::annuaire::{DoctorActivity, doctors_file};

fn gp(
    id: &'static str,
    mode: &'static str,
    sector: (&'static str, &'static str),
) -> DoctorActivity {
    DoctorActivity {
        national_id: id,
        skill: ("SM53", "Spécialiste en Médecine Générale"),
        mode: (mode, if mode == "L" { "Libéral" } else { "Salarié" }),
        sector,
        commune: "01001",
    }
}

/// `(first-recourse GPs, GPs counted apart, method of the count)` of commune 01001.
fn counts(base: &str) -> (serde_json::Value, serde_json::Value, String) {
    let doc = json(
        base,
        &["indicateurs", "--format", "json", "--type-zone", "commune"],
    );
    let count = |profession: &str| {
        doc["indicateurs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| {
                r["indicateur"] == "effectif"
                    && r["code_zone"] == "01001"
                    && r["profession"] == profession
            })
            .map(|r| r["valeur"].clone())
            .unwrap_or_default()
    };
    (
        count("medecin_generaliste"),
        count("medecin_generaliste_hors_premier_recours"),
        doc["methodes"]["effectif"].as_str().unwrap().to_string(),
    )
}

#[tokio::test]
async fn the_gp_rule_is_a_setting_every_figure_follows_and_states() {
    let dir = tempfile::tempdir().unwrap();
    let communes = dir.path().join("communes.json");
    std::fs::write(
        &communes,
        r#"[{"code":"01001","nom":"Commune fixture","type":"commune-actuelle","population":2000}]"#,
    )
    .unwrap();
    let annuaire = dir
        .path()
        .join("PS_LibreAcces_Personne_activite_202611240000.txt");
    std::fs::write(
        &annuaire,
        doctors_file(&[
            gp("810000000201", "L", ("SA07", "Cabinet individuel")),
            gp("810000000202", "S", ("SA05", "Centre de santé")),
            gp(
                "810000000203",
                "S",
                ("SA01", "Etablissement public de santé"),
            ),
            gp(
                "810000000204",
                "L",
                ("SA50", "Permanence de soins ambulatoires hors cabinet"),
            ),
        ]),
    )
    .unwrap();
    for base in TestBase::all().await {
        let base = base.location.as_str();
        ok(base, &["import", "communes", communes.to_str().unwrap()]);
        ok(base, &["import", "annuaire", annuaire.to_str().unwrap()]);

        let (first, apart, method) = counts(base);
        assert_eq!((first, apart), (2.0.into(), 2.0.into()));
        assert!(
            method.contains("Médecins généralistes de premier recours"),
            "{method}"
        );
        assert!(
            method.contains("SA01") && method.contains("comptés à part"),
            "{method}"
        );
        assert!(
            method.contains("0 lieu sur 4 (0,0 %) placés par leurs coordonnées"),
            "{method}"
        );
        assert!(method.contains("4 par le seul code commune"), "{method}");

        let said = ok(
            base,
            &[
                "territoire",
                "generalistes",
                "--hopital",
                "--permanence-des-soins",
            ],
        );
        assert!(said.contains("Règle enregistrée"), "{said}");
        let (first, apart, method) = counts(base);
        assert_eq!((first, apart), (4.0.into(), 0.0.into()));
        // Hospital and PDS now counted; other salaried practice still apart.
        let (counted, apart) = method.split_once(" ; ceux exerçant ").unwrap();
        assert!(
            counted.contains("SA01") && counted.contains("SA50"),
            "{method}"
        );
        assert!(
            apart.starts_with("comme salariés ou bénévoles d'autres structures"),
            "{method}"
        );
        assert!(ok(base, &["territoire"]).contains("SA50"));

        // The CSV carries the same method on every row.
        let csv_text = ok(
            base,
            &["indicateurs", "--format", "csv", "--type-zone", "commune"],
        );
        assert!(csv_text.contains("placés par leurs coordonnées"));
    }
}
