//! `maillage import zonage <fichier>`: the CartoSanté export with `--arrete`, an ARS file through `--colonne-*`,
//! and the French errors (no arrêté date, unknown value) that leave the base unchanged.

use crate::common::{maillage, ok};
use maillage_testkit::TestBase;

#[tokio::test]
async fn cartosante_export_and_ars_file_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    // CartoSanté layout. FIXTURE, not real data.
    let carto = dir.path().join("zonage-cartosante-fixture-non-reelle.csv");
    std::fs::write(
        &carto,
        "Code;Libellé;Zonage_MG\n69029;Bron;1_ZIP\n69044;Chaponost;2_ZAC\n69123;Lyon;8_GQ_ZIP\n",
    )
    .unwrap();
    for base in TestBase::all().await {
        let b = base.location.as_str();
        let f = carto.to_str().unwrap();

        // Without the date of the arrêté: a located French error saying what to give; nothing imported.
        let out = maillage(b, &["import", "zonage", f]);
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("ligne 2"), "{err}");
        assert!(err.contains("--arrete AAAA-MM-JJ"), "{err}");
        let out = maillage(b, &["import", "zonage", f, "--arrete", "12/03/2025"]);
        assert!(String::from_utf8_lossy(&out.stderr).contains("date d'arrêté invalide"));

        let v: serde_json::Value = serde_json::from_str(
            ok(
                b,
                &["import", "zonage", f, "--arrete", "2025-03-12", "--json"],
            )
            .trim(),
        )
        .unwrap();
        assert_eq!(v["kind"], "zonage");
        assert_eq!(
            (v["inserted"].as_u64(), v["vintage"].as_str()),
            (Some(3), Some("2025-03-12"))
        );
        assert_eq!(v["details"]["format"], "cartosante");
        let text = ok(b, &["import", "zonage", f, "--arrete", "2025-03-12"]);
        assert!(text.contains("3 inchangées"), "{text}");
        assert!(
            text.contains(
                "zonage médecins (arrêté du 12/03/2025) : 3 communes, 0 quartier prioritaire"
            ),
            "{text}"
        );
        assert!(
            text.contains("Zone d'intervention prioritaire : 2"),
            "{text}"
        );

        // An ARS file with its own column names and two communes in one cell: the newer arrêté replaces the
        // export (Lyon is no longer listed).
        let ars = dir.path().join("zonage-ars-fixture-non-reelle.csv");
        std::fs::write(
            &ars,
            "Communes concernées;QPV concernés;Classement;Signé le;Observations\n\
             \"69029, 69044\";QN06901M;ZAC;15/01/2026;\n",
        )
        .unwrap();
        let v: serde_json::Value = serde_json::from_str(
            ok(
                b,
                &[
                    "import",
                    "zonage",
                    ars.to_str().unwrap(),
                    "--json",
                    "--colonne-commune",
                    "Communes concernées",
                    "--colonne-qpv",
                    "QPV concernés",
                    "--colonne-zonage",
                    "Classement",
                    "--colonne-arrete",
                    "Signé le",
                ],
            )
            .trim(),
        )
        .unwrap();
        assert_eq!(
            (
                v["inserted"].as_u64(),
                v["updated"].as_u64(),
                v["removed"].as_u64()
            ),
            (Some(1), Some(2), Some(1)),
            "{v}"
        );
        assert_eq!(v["details"]["qpv"], 1);
        // The unused column is a note of the report.
        assert!(v["notes"].to_string().contains("Observations"), "{v}");

        // An unknown value: located, the accepted values named, nothing changed.
        let bad = dir.path().join("zonage-inconnu-fixture.csv");
        std::fs::write(&bad, "Code;Libellé;Zonage_MG\n69029;Bron;ZRR\n").unwrap();
        let out = maillage(
            b,
            &[
                "import",
                "zonage",
                bad.to_str().unwrap(),
                "--arrete",
                "2026-02-01",
            ],
        );
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("zonage inconnu « ZRR »"), "{err}");
        assert!(err.contains("ZIP, ZAC, ZAR, ZV, HZ"), "{err}");
        assert!(err.contains("ligne 2"), "{err}");
        let again: serde_json::Value = serde_json::from_str(
            ok(
                b,
                &[
                    "import",
                    "zonage",
                    ars.to_str().unwrap(),
                    "--json",
                    "--colonne-commune",
                    "Communes concernées",
                    "--colonne-qpv",
                    "QPV concernés",
                    "--colonne-zonage",
                    "Classement",
                    "--colonne-arrete",
                    "Signé le",
                ],
            )
            .trim(),
        )
        .unwrap();
        assert_eq!(
            (again["inserted"].as_u64(), again["unchanged"].as_u64()),
            (Some(0), Some(3))
        );
    }
}
