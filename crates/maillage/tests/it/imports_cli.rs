//! The command-line interfaces the checks use: `maillage import … --json`, `maillage zones --json`,
//! `maillage indicateurs`, `sauvegarde` / `restauration`, French errors, and crash safety (SIGKILL).

use crate::common::{demo_base, maillage, ok, snapshot};
use maillage_testkit::TestBase;
use maillage_testkit::format_fixture as fixture;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const ANNUAIRE: &str = "annuaire/PS_LibreAcces_Personne_activite_202611240000.txt";

#[tokio::test]
async fn import_json_reports_the_counts_the_checks_read() {
    for base in TestBase::all().await {
        let file = fixture(ANNUAIRE);
        let out = ok(
            &base.location,
            &["import", "annuaire", file.to_str().unwrap(), "--json"],
        );
        let v: serde_json::Value = serde_json::from_str(out.trim()).expect("one JSON object");
        assert_eq!(v["kind"], "annuaire");
        assert_eq!(v["file"], file.to_str().unwrap());
        for (k, n) in [
            ("rows_read", 8),
            ("inserted", 8),
            ("updated", 0),
            ("unchanged", 0),
            ("rejected", 0),
        ] {
            assert_eq!(v[k], n, "{k} in {out}");
        }
        let again: serde_json::Value = serde_json::from_str(&ok(
            &base.location,
            &["import", "annuaire", file.to_str().unwrap(), "--json"],
        ))
        .unwrap();
        assert_eq!(
            (again["inserted"].as_u64(), again["unchanged"].as_u64()),
            (Some(0), Some(8))
        );
    }
}

#[tokio::test]
async fn zones_json_lists_code_kind_name_population() {
    let Some(lyon) = maillage_testkit::shared_data("iris_lyon/iris_lyon_metropole.geojson") else {
        return;
    };
    for base in TestBase::all().await {
        ok(
            &base.location,
            &["import", "contours", lyon.to_str().unwrap(), "--json"],
        );
        let zones: Vec<serde_json::Value> =
            serde_json::from_str(&ok(&base.location, &["zones", "--json"])).unwrap();
        assert_eq!(zones.len(), 358);
        let total: i64 = zones
            .iter()
            .map(|z| z["population"].as_i64().unwrap())
            .sum();
        assert_eq!(total, 941_851);
        assert!(zones.iter().all(|z| z["kind"] == "iris"
            && z["code"].as_str().unwrap().len() == 9
            && z["name"].is_string()));
    }
}

#[tokio::test]
async fn a_rejected_file_exits_non_zero_with_a_french_message_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read_to_string(fixture(ANNUAIRE)).unwrap();
    let mut lines: Vec<String> = good.lines().map(str::to_string).collect();
    lines[4] = lines[4]
        .replacen("|FIXTURE-", "|", 1)
        .replacen("|Julie|", "|Julie|extra|", 1);
    let bad = dir
        .path()
        .join("PS_LibreAcces_Personne_activite_colonnes.txt");
    std::fs::write(&bad, lines.join("\n") + "\n").unwrap();
    for base in TestBase::all().await {
        ok(
            &base.location,
            &["import", "annuaire", fixture(ANNUAIRE).to_str().unwrap()],
        );
        let before = snapshot(&base.location, dir.path());
        let out = maillage(
            &base.location,
            &["import", "annuaire", bad.to_str().unwrap(), "--json"],
        );
        assert!(!out.status.success());
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.starts_with("erreur : "), "{err}");
        assert!(
            err.contains("PS_LibreAcces_Personne_activite_colonnes.txt") && err.contains("ligne 5"),
            "{err}"
        );
        assert!(err.contains("nombre de champs"), "{err}");
        assert!(out.stdout.is_empty(), "no JSON report for a failed import");
        assert_eq!(snapshot(&base.location, dir.path()), before);

        // A missing file, an unknown kind: French, exit code non-zero.
        let out = maillage(&base.location, &["import", "annuaire", "/nulle/part.txt"]);
        assert!(
            !out.status.success() && String::from_utf8_lossy(&out.stderr).contains("introuvable")
        );
        let out = maillage(&base.location, &["import", "inconnu", "x"]);
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("valeur « inconnu » invalide"));
    }
}

/// `maillage import annuaire <bundle.zip>` as downloaded from the ANS: imported, the unused 2026 columns
/// named in a French note; a damaged zip and a zip without the activity file are refused in French.
#[tokio::test]
async fn the_ans_zip_bundle_imports_from_the_command_line() {
    use maillage_testkit::fixtures::annuaire::{
        DIPLOMAS, DIPLOMAS_MEMBER, activity_without_skills, bundle,
    };
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("fixture-annuaire-bundle.zip");
    let bytes = bundle(&activity_without_skills(), true);
    std::fs::write(&zip, &bytes).unwrap();
    let cut = dir.path().join("fixture-coupe.zip");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let without = dir.path().join("fixture-sans-activite.zip");
    std::fs::write(
        &without,
        maillage_testkit::fixtures::zip(&[(DIPLOMAS_MEMBER, DIPLOMAS.as_bytes())]),
    )
    .unwrap();
    for base in TestBase::all().await {
        let out = ok(
            &base.location,
            &["import", "annuaire", zip.to_str().unwrap()],
        );
        assert!(out.contains("8 lignes lues : 8 ajoutées"), "{out}");
        assert!(out.contains("millésime : 2026-11-24"), "{out}");
        assert!(
            out.contains("4 colonnes non utilisées par Maillage, ignorées : « Code fonction »"),
            "{out}"
        );
        let before = snapshot(&base.location, dir.path());
        for (file, expected) in [
            (
                &cut,
                "archive zip illisible ou incomplète ; téléchargez-la à nouveau",
            ),
            (
                &without,
                "l'archive ne contient aucun fichier utilisable (PS_LibreAcces_Personne_activite_<date>.txt \
                 recherché) : elle contient : « PS_LibreAcces_Dipl_AutExerc_202611240000.txt »",
            ),
        ] {
            let out = maillage(
                &base.location,
                &["import", "annuaire", file.to_str().unwrap()],
            );
            assert!(!out.status.success());
            let err = String::from_utf8(out.stderr).unwrap();
            assert!(err.starts_with("erreur : "), "{err}");
            assert!(err.contains(expected), "{err}");
        }
        assert_eq!(snapshot(&base.location, dir.path()), before);
    }
}

/// A 60,000-row Annuaire file in the official format, built from a fixture row.
fn big_annuaire(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(fixture(ANNUAIRE)).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let row = lines.next().unwrap();
    let path = dir.join("PS_LibreAcces_Personne_activite_202701010000.txt");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    use std::io::Write;
    writeln!(out, "{header}").unwrap();
    for i in 0..60_000u64 {
        let r = row
            .replace("810000000001", &format!("8{:011}", 20_000_000_000u64 + i))
            .replace("S10000001", &format!("S{:08}", 30_000_000 + i));
        writeln!(out, "{r}").unwrap();
    }
    out.flush().unwrap();
    path
}

#[tokio::test]
async fn an_import_killed_mid_file_leaves_the_store_exactly_as_before() {
    let dir = tempfile::tempdir().unwrap();
    let big = big_annuaire(dir.path());
    for base in TestBase::all().await {
        ok(
            &base.location,
            &["import", "annuaire", fixture(ANNUAIRE).to_str().unwrap()],
        );
        let before = snapshot(&base.location, dir.path());
        let mut child = Command::new(env!("CARGO_BIN_EXE_maillage"))
            .args([
                "import",
                "annuaire",
                big.to_str().unwrap(),
                "--json",
                "--progression-json",
                "--base",
                &base.location,
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stderr = BufReader::new(child.stderr.take().unwrap());
        let mut reached = 0;
        for line in stderr.lines() {
            let line = line.unwrap();
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(&line) {
                reached = v["lignes_lues"].as_u64().unwrap_or(0);
                if reached >= 20_000 {
                    break;
                }
            }
        }
        assert!(
            reached >= 20_000,
            "the import was still reading when killed"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "the import is still running"
        );
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        assert_eq!(
            snapshot(&base.location, dir.path()),
            before,
            "{}: nothing of the killed import remains",
            base.backend
        );
        // And the store still works: the same import, run to the end, commits.
        let done: serde_json::Value = serde_json::from_str(&ok(
            &base.location,
            &["import", "annuaire", big.to_str().unwrap(), "--json"],
        ))
        .unwrap();
        assert_eq!(done["rows_read"], 60_000);
    }
}

#[tokio::test]
async fn backup_and_restore_commands_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let demo = PathBuf::from(demo_base(dir.path()));
    let file = dir.path().join("demo.sauvegarde");
    ok(
        demo.to_str().unwrap(),
        &["sauvegarde", file.to_str().unwrap()],
    );
    for base in TestBase::all().await {
        ok(&base.location, &["restauration", file.to_str().unwrap()]);
        assert_eq!(
            snapshot(&base.location, dir.path()),
            snapshot(demo.to_str().unwrap(), dir.path()),
            "{}",
            base.backend
        );
        // A base with data is not replaced without --remplacer.
        let out = maillage(&base.location, &["restauration", file.to_str().unwrap()]);
        assert!(
            !out.status.success() && String::from_utf8_lossy(&out.stderr).contains("--remplacer")
        );
        // Nor with it, once the base has an audit journal: the journal is never erased; the base is unchanged.
        let out = maillage(
            &base.location,
            &["restauration", file.to_str().unwrap(), "--remplacer"],
        );
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success() && said.contains("base neuve"),
            "{said}"
        );
        assert_eq!(
            snapshot(&base.location, dir.path()),
            snapshot(demo.to_str().unwrap(), dir.path()),
            "{}",
            base.backend
        );
    }
}

#[tokio::test]
async fn indicators_with_secrecy_for_sharing_outside() {
    let dir = tempfile::tempdir().unwrap();
    let demo = demo_base(dir.path());
    let base = demo.as_str();
    let open = ok(base, &["indicateurs", "--format", "csv"]);
    let shared = ok(base, &["indicateurs", "--format", "csv", "--diffusion"]);
    let mut r = csv::Reader::from_reader(open.as_bytes());
    assert_eq!(
        r.headers().unwrap().iter().take(6).collect::<Vec<_>>(),
        [
            "indicateur",
            "type_zone",
            "code_zone",
            "nom_zone",
            "profession",
            "valeur"
        ]
    );
    let open_rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let shared_rows: Vec<csv::StringRecord> = csv::Reader::from_reader(shared.as_bytes())
        .records()
        .map(Result::unwrap)
        .collect();
    assert_eq!(open_rows.len(), shared_rows.len());
    // Every small count is hidden when shared, and shown otherwise.
    let mut hidden = 0;
    for (o, s) in open_rows.iter().zip(&shared_rows) {
        if &o[0] == "effectif" {
            let n: f64 = o[5].parse().unwrap();
            if n > 0.0 && n < 5.0 {
                assert_eq!(&s[5], "< 5", "{o:?}");
                hidden += 1;
            }
        }
    }
    assert!(hidden > 0);
    assert!(!open.contains("< 5"));
    let json: serde_json::Value = serde_json::from_str(&ok(
        base,
        &["indicateurs", "--format", "json", "--diffusion"],
    ))
    .unwrap();
    assert_eq!(json["secret_statistique"]["seuil"], 5);
    assert!(
        json["sources"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["type"] == "demo")
    );
    assert!(
        json["methodes"]["densite_10000"]
            .as_str()
            .unwrap()
            .contains("10 000")
    );
}

/// The FINESS JSON flux as published (`.json.gz`, FIXTURE generated here, not real data): the report names each
/// form of coordinates in French; the same file cut short is refused with its place, and changes nothing.
#[tokio::test]
async fn finess_flux_reports_its_coordinates_and_a_cut_download_is_refused() {
    use maillage_formats::crs::{Crs, from_wgs84};
    use maillage_testkit::finess_flux::{Ege, Pmej, write_flux};
    let dir = tempfile::tempdir().unwrap();
    let (lon, lat) = (4.8355317, 45.7589553);
    let (x, y) = from_wgs84(Crs::Lambert93, lon, lat).unwrap();
    let ege = |finess: &str, xy: Option<(f64, f64)>| Ege {
        xy,
        ..Ege::active(finess, "FIXTURE PHARMACIE", "620", "69382", "69002")
    };
    let pmej: Vec<Pmej> = [
        ege("690000015", Some((x, y))),
        ege("690000023", Some((y, x))),
        ege("690000031", Some((lon, lat))),
        ege("690000049", None),
    ]
    .into_iter()
    .map(|e| Pmej {
        finess: "690000999".into(),
        name: "FIXTURE ENTITE".into(),
        ege: vec![e],
    })
    .collect();
    let file = dir
        .path()
        .join("finess-structures-journalier-20261207.json.gz");
    write_flux(&file, "2026-12-07T05:00:00Z", pmej).unwrap();
    let bytes = std::fs::read(&file).unwrap();
    let cut = dir
        .path()
        .join("finess-structures-journalier-20261208.json.gz");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    for base in TestBase::all().await {
        let out = ok(
            &base.location,
            &["import", "finess", file.to_str().unwrap()],
        );
        assert!(
            out.contains("1 en WGS84 (degrés), 2 en Lambert-93, 1 sans position")
                && out.contains("dont 1 couple X et Y inversés"),
            "{out}"
        );
        let before = snapshot(&base.location, dir.path());
        let out = maillage(&base.location, &["import", "finess", cut.to_str().unwrap()]);
        assert!(!out.status.success());
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.starts_with("erreur : ")
                && err.contains("finess-structures-journalier-20261208.json.gz")
                && err.contains("ligne ")
                && err.contains("incomplet"),
            "{err}"
        );
        assert_eq!(snapshot(&base.location, dir.path()), before);
    }
}
