//! A real territory set up without help, through the real binary: `--base` at either end of the line, the
//! territory with arrondissements municipaux and EPCI, the same file imported twice, a file with nothing in the
//! territory, an old edition, `maillage installer` (plan and folder), and output into a closed pipe.
//!
//! The files written here are fixtures in the published layouts (`@etalab/decoupage-administratif` JSON, the
//! Annuaire santé extraction), not real data: their names say « fixture ».

use crate::common::{run, run_json as json, run_ok as ok};
use maillage_testkit::TestBase;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// Communes in the layout of `communes.json` of `@etalab/decoupage-administratif` (fixture, not real data):
/// Paris and two of its arrondissements municipaux, Lyon, Villeurbanne and Boulogne-Billancourt.
const COMMUNES: &str = r#"[
 {"code":"75056","nom":"Paris","typeLiaison":0,"zone":"metro","departement":"75","region":"11","type":"commune-actuelle","siren":"217500016","population":2103778,"codesPostaux":["75001","75002","75011"]},
 {"code":"75101","nom":"Paris 1er Arrondissement","typeLiaison":0,"zone":"metro","type":"arrondissement-municipal","commune":"75056","departement":"75","region":"11","codesPostaux":["75001"],"population":15114},
 {"code":"75111","nom":"Paris 11e Arrondissement","typeLiaison":0,"zone":"metro","type":"arrondissement-municipal","commune":"75056","departement":"75","region":"11","codesPostaux":["75011"],"population":140000},
 {"code":"69123","nom":"Lyon","typeLiaison":0,"zone":"metro","departement":"69","region":"84","type":"commune-actuelle","siren":"216901231","population":519127,"codesPostaux":["69001"]},
 {"code":"69266","nom":"Villeurbanne","typeLiaison":0,"zone":"metro","departement":"69","region":"84","type":"commune-actuelle","siren":"216902668","population":160000,"codesPostaux":["69100"]},
 {"code":"92012","nom":"Boulogne-Billancourt","typeLiaison":0,"zone":"metro","departement":"92","region":"11","type":"commune-actuelle","siren":"219200128","population":120000,"codesPostaux":["92100"]}
]"#;

/// EPCI in the layout of `epci.json` of the same package (fixture, not real data).
const EPCI: &str = r#"[
 {"code":"200046977","nom":"Métropole de Lyon","type":"METLYON","modeFinancement":"FPU","populationTotale":700000,"populationMunicipale":679127,
  "membres":[{"code":"69123","siren":"216901231","nom":"Lyon","populationMunicipale":519127},{"code":"69266","siren":"216902668","nom":"Villeurbanne","populationMunicipale":160000}]}
]"#;

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// The Annuaire fixture of the formats crate with every practice site moved to `commune` (fixture, not real
/// data), under the published file name with the edition `date`.
fn annuaire_in(dir: &Path, commune: &str, date: &str) -> PathBuf {
    let text = maillage_testkit::fixtures::annuaire::fixture_text();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let column = header
        .split('|')
        .position(|h| h == "Code commune (coord. structure)")
        .expect("the commune column");
    let mut out = format!("{header}\n");
    for line in lines {
        let mut fields: Vec<&str> = line.split('|').collect();
        fields[column] = commune;
        out.push_str(&fields.join("|"));
        out.push('\n');
    }
    let path = dir.join(format!("PS_LibreAcces_Personne_activite_{date}0000.txt"));
    std::fs::write(&path, out).unwrap();
    path
}

#[tokio::test]
async fn base_is_accepted_before_and_after_the_command() {
    for base in TestBase::all().await {
        let b = base.location.as_str();
        ok(&["--base", b, "territoire", "definir", "--communes", "35238"]);
        let after = json(&["territoire", "afficher", "--json", "--base", b]);
        assert_eq!(after["communes"], serde_json::json!(["35238"]));
        // Between the command and its action, and before everything, too.
        let between = json(&["territoire", "--base", b, "--json"]);
        assert_eq!(between["communes"], serde_json::json!(["35238"]));
        let before = json(&["--base", b, "territoire", "--json"]);
        assert_eq!(before, after);
        // The environment variable still names the base when no option does.
        let out = Command::new(env!("CARGO_BIN_EXE_maillage"))
            .args(["territoire", "--json"])
            .env("MAILLAGE_BASE", b)
            .output()
            .unwrap();
        assert_eq!(
            serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap(),
            after
        );
    }
}

#[tokio::test]
async fn paris_means_its_arrondissements_and_one_arrondissement_is_itself() {
    for base in TestBase::all().await {
        let b = base.location.as_str();
        let dir = tempfile::tempdir().unwrap();
        let communes = write(dir.path(), "communes.json", COMMUNES);
        let imported = json(&[
            "import",
            "communes",
            communes.to_str().unwrap(),
            "--json",
            "--base",
            b,
        ]);
        assert_eq!(
            imported["inserted"], 6,
            "communes and arrondissements are kept: {imported}"
        );
        let zones = json(&["zones", "--json", "--base", b]);
        assert!(
            zones.to_string().contains("75111"),
            "the arrondissement is a zone: {zones}"
        );

        let out = ok(&[
            "territoire",
            "definir",
            "--communes",
            "75056",
            "--tampon-km",
            "0",
            "--base",
            b,
        ]);
        assert!(
            out.contains(
                "Paris (75056) : ses arrondissements municipaux (75101 à 75120) sont compris"
            ),
            "{out}"
        );
        // The Annuaire places practices in the 11th arrondissement: inside Paris.
        let annuaire = annuaire_in(dir.path(), "75111", "20261124");
        let kept = json(&[
            "import",
            "annuaire",
            annuaire.to_str().unwrap(),
            "--json",
            "--base",
            b,
        ]);
        assert_eq!(kept["filtered"], 0, "{kept}");
        assert_eq!(kept["nothing_in_territory"], false);

        // A territory of the 1st arrondissement alone does not take the 11th.
        let out = ok(&[
            "territoire",
            "definir",
            "--communes",
            "75101",
            "--tampon-km",
            "0",
            "--base",
            b,
        ]);
        assert!(
            out.contains("Arrondissement municipal seul : 75101"),
            "{out}"
        );
        let moved = annuaire_in(dir.path(), "75111", "20261125");
        let report = ok(&["import", "annuaire", moved.to_str().unwrap(), "--base", b]);
        assert!(
            report.contains(
                "attention, aucune ligne dans le territoire : vérifiez le territoire défini \
                 (maillage territoire afficher) ou le fichier"
            ),
            "{report}"
        );
        assert!(!report.contains("terminé"), "{report}");
    }
}

#[tokio::test]
async fn an_epci_takes_its_members_once_the_epci_file_is_imported() {
    for base in TestBase::all().await {
        let b = base.location.as_str();
        let dir = tempfile::tempdir().unwrap();
        let communes = write(dir.path(), "communes.json", COMMUNES);
        ok(&[
            "import",
            "communes",
            communes.to_str().unwrap(),
            "--base",
            b,
        ]);

        let refused = run(&["territoire", "definir", "--epci", "200046977", "--base", b]);
        assert!(!refused.status.success());
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert!(
            stderr.contains("aucun EPCI n'est encore dans la base")
                && stderr.contains("maillage import communes epci.json"),
            "{stderr}"
        );
        assert_eq!(
            json(&["territoire", "--json", "--base", b])["communes"],
            serde_json::json!([]),
            "a refused definition changes nothing"
        );

        let epci = write(dir.path(), "epci.json", EPCI);
        ok(&["import", "communes", epci.to_str().unwrap(), "--base", b]);
        let out = ok(&["territoire", "definir", "--epci", "200046977", "--base", b]);
        assert!(out.starts_with("Territoire défini : 2 communes"), "{out}");
        let t = json(&["territoire", "--json", "--base", b]);
        assert_eq!(t["communes"], serde_json::json!(["69123", "69266"]));

        let unknown = run(&["territoire", "definir", "--epci", "249999999", "--base", b]);
        let stderr = String::from_utf8_lossy(&unknown.stderr);
        assert!(
            !unknown.status.success() && stderr.contains("EPCI « 249999999 » inconnu"),
            "{stderr}"
        );
    }
}

#[tokio::test]
async fn the_same_file_again_says_so_and_changes_nothing() {
    for base in TestBase::all().await {
        let b = base.location.as_str();
        let dir = tempfile::tempdir().unwrap();
        let file = annuaire_in(dir.path(), "35238", "20261124");
        let first = json(&[
            "import",
            "annuaire",
            file.to_str().unwrap(),
            "--json",
            "--base",
            b,
        ]);
        assert_eq!(first["same_file_as"], serde_json::Value::Null);
        let again = json(&[
            "import",
            "annuaire",
            file.to_str().unwrap(),
            "--json",
            "--base",
            b,
        ]);
        assert_eq!(
            again["same_file_as"]["batch_id"], first["batch_id"],
            "{again}"
        );
        assert_eq!(again["recorded"], false);
        assert_eq!(
            (again["inserted"].as_u64(), again["unchanged"].as_u64()),
            (Some(0), Some(8))
        );
        let text = ok(&["import", "annuaire", file.to_str().unwrap(), "--base", b]);
        assert!(
            text.contains(&format!(
                "même fichier que l'import n° {} du ",
                first["batch_id"]
            )) && text.contains("rien n'a été modifié"),
            "{text}"
        );
        let history = json(&["historique", "--json", "--base", b]);
        let batches = history
            .as_array()
            .or_else(|| history["imports"].as_array())
            .expect("a list of imports");
        assert_eq!(batches.len(), 1, "no batch for the same file: {history}");
    }
}

#[tokio::test]
async fn an_old_edition_is_flagged_against_the_monthly_rhythm() {
    let base = TestBase::sqlite();
    let dir = tempfile::tempdir().unwrap();
    let file = annuaire_in(dir.path(), "35238", "20260903");
    let out = ok(&[
        "import",
        "annuaire",
        file.to_str().unwrap(),
        "--base",
        &base.location,
    ]);
    assert!(
        out.contains(
            "attention : Annuaire santé : édition du 3 septembre 2026, plus ancienne que le rythme mensuel de \
             publication : importez l'édition la plus récente"
        ),
        "{out}"
    );
    let v = json(&[
        "import",
        "annuaire",
        file.to_str().unwrap(),
        "--json",
        "--base",
        &base.location,
    ]);
    assert!(
        v["stale"].as_str().unwrap().contains("plus ancienne"),
        "{v}"
    );
}

#[tokio::test]
async fn the_installer_plans_then_imports_a_folder_in_order() {
    for base in TestBase::all().await {
        let b = base.location.as_str();
        let dir = tempfile::tempdir().unwrap();
        // Named so that alphabetical order would import the Annuaire before the communes.
        annuaire_in(dir.path(), "75111", "20261124");
        write(dir.path(), "z-communes.json", COMMUNES);
        std::fs::write(dir.path().join("notes.txt"), "pas un fichier officiel\n").unwrap();
        let folder = dir.path().to_str().unwrap();

        let plan = ok(&["installer", "--plan", "--dossier", folder, "--base", b]);
        for expected in [
            "1. Communes et EPCI",
            "https://unpkg.com/@etalab/decoupage-administratif/data/",
            "dans le dossier : z-communes.json",
            "dans le dossier : PS_LibreAcces_Personne_activite_202611240000.txt",
            "Non reconnu : notes.txt",
            "état : à faire",
        ] {
            assert!(plan.contains(expected), "{expected} in {plan}");
        }
        assert_eq!(
            json(&["historique", "--json", "--base", b])
                .to_string()
                .matches("\"kind\"")
                .count(),
            0,
            "the plan imports nothing"
        );

        let out = ok(&[
            "installer",
            "--dossier",
            folder,
            "--communes",
            "75056",
            "--base",
            b,
        ]);
        let communes_at = out.find("« z-communes.json »").expect("communes imported");
        let annuaire_at = out
            .find("« PS_LibreAcces_Personne_activite_202611240000.txt »")
            .expect("annuaire imported");
        assert!(communes_at < annuaire_at, "communes first: {out}");
        assert!(out.contains("Territoire défini : 1 commune."), "{out}");
        assert!(out.contains("Premiers indicateurs"), "{out}");
        assert!(
            out.contains("Accessibilité : il manque l'extrait OpenStreetMap"),
            "{out}"
        );

        let plan = ok(&["installer", "--plan", "--base", b]);
        assert!(plan.contains("état : fait (import n° "), "{plan}");
    }
}

/// `maillage … | head -1`: the reader goes away before the output is written.
fn into_closed_pipe(args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_maillage"))
        .args(args)
        .env_remove("MAILLAGE_BASE")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    drop(child.stdout.take());
    child.wait_with_output().unwrap()
}

#[test]
fn writing_into_a_closed_pipe_ends_quietly() {
    let base = TestBase::sqlite();
    ok(&[
        "territoire",
        "definir",
        "--communes",
        "35238",
        "--base",
        &base.location,
    ]);
    for args in [
        vec!["installer", "--plan"],
        vec!["indicateurs", "--format", "csv"],
        vec!["zones"],
        vec!["territoire"],
    ] {
        let mut all = args.clone();
        all.extend(["--base", &base.location]);
        let out = into_closed_pipe(&all);
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            "",
            "{args:?}: no message, no panic"
        );
        assert!(out.status.success(), "{args:?}: {:?}", out.status);
    }
}

/// The real `@etalab/decoupage-administratif` 6.0.0 files of ../shared/data: the communes import keeps the 45
/// arrondissements municipaux, and the Métropole de Lyon (EPCI 200046977) is its 58 member communes.
#[test]
fn real_communes_and_epci_define_the_metropole_de_lyon() {
    let (Some(communes), Some(epci)) = (
        maillage_testkit::shared_data("communes/decoupage_administratif_communes_2026.json"),
        maillage_testkit::shared_data("communes/decoupage_administratif_epci.json"),
    ) else {
        maillage_testkit::skip("données réelles ../shared/data/communes absentes");
        return;
    };
    let base = TestBase::sqlite();
    let b = base.location.as_str();
    ok(&[
        "import",
        "communes",
        communes.to_str().unwrap(),
        "--base",
        b,
    ]);
    let arrondissements = json(&["zones", "--json", "--base", b])
        .as_array()
        .expect("a list of zones")
        .iter()
        .filter(|z| z["kind"] == "arrondissement")
        .count();
    assert_eq!(arrondissements, 45);
    ok(&["import", "communes", epci.to_str().unwrap(), "--base", b]);
    let out = ok(&["territoire", "definir", "--epci", "200046977", "--base", b]);
    assert!(out.starts_with("Territoire défini : 58 communes"), "{out}");
    assert!(
        out.contains("Lyon (69123) : ses arrondissements municipaux (69381 à 69389)"),
        "{out}"
    );
    let t = json(&["territoire", "--json", "--base", b]);
    let members = t["communes"].as_array().unwrap();
    assert!(
        members.contains(&serde_json::json!("69266")),
        "Villeurbanne"
    );
}
