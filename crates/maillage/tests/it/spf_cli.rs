//! `maillage import spf <fichier>`: the Santé publique France files of the crisis module's web form, on the
//! command line, with each zone's population taken from the base and said (source and vintage), or typed.

use crate::common::{json, maillage, ok};
use maillage_testkit::{TestBase, format_fixture};
use std::path::{Path, PathBuf};

fn zone<'a>(report: &'a serde_json::Value, code: &str) -> &'a serde_json::Value {
    report["details"]["populations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|z| z["zone"] == code)
        .unwrap_or_else(|| panic!("zone {code} in {report}"))
}

const INSEE_2020: &str = "insee/base-ic-evol-struct-pop-2020.CSV";

/// Communes in the `@etalab/decoupage-administratif` layout. FIXTURE, not real data: made-up populations.
fn communes_fixture(dir: &Path) -> PathBuf {
    let path = dir.join("communes-fixture-non-reelles.json");
    std::fs::write(
        &path,
        r#"[
{"code":"69029","nom":"Bron","departement":"69","region":"84","type":"commune-actuelle","codesPostaux":["69500"],"population":40000},
{"code":"69266","nom":"Villeurbanne","departement":"69","region":"84","type":"commune-actuelle","codesPostaux":["69100"],"population":150000},
{"code":"69123","nom":"Lyon","departement":"69","region":"84","type":"commune-actuelle","codesPostaux":["69003"],"population":500000},
{"code":"69383","nom":"Lyon 3e Arrondissement","departement":"69","region":"84","type":"arrondissement-municipal","commune":"69123","codesPostaux":["69003"],"population":100000}
]"#,
    )
    .unwrap();
    path
}

/// Ten days of tests and cases of two communes, layout `sp-pos-quot-com` without `pop`. FIXTURE, not real data.
fn spf_fixture(dir: &Path, communes: &[&str]) -> (PathBuf, Vec<(String, String, f64, f64)>) {
    let path = dir.join("sp-pos-quot-com-fixture-non-reelle.csv");
    let mut text = String::from("com;jour;P;T;cl_age90\n");
    let mut rows = Vec::new();
    for (i, code) in communes.iter().enumerate() {
        for d in 1..=10u32 {
            let p = f64::from(d * 3 + i as u32);
            let t = f64::from(100 + d * 7);
            let day = format!("2021-02-{d:02}");
            text.push_str(&format!("{code};{day};{p};{t};0\n"));
            // An age class row, left out (only "all ages" is kept).
            text.push_str(&format!("{code};{day};1;2;9\n"));
            rows.push((code.to_string(), day, p, t));
        }
    }
    std::fs::write(&path, text).unwrap();
    (path, rows)
}

/// The population of the IRIS of a commune in the INSEE fixture (column `P20_POP`).
fn insee_population(commune_prefix: &str) -> (f64, usize) {
    let text = std::fs::read_to_string(format_fixture(INSEE_2020)).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(';').collect();
    let com = header.iter().position(|h| *h == "COM").unwrap();
    let pop = header.iter().position(|h| *h == "P20_POP").unwrap();
    let mut total = (0.0, 0);
    for l in lines {
        let f: Vec<&str> = l.split(';').collect();
        if f[com].starts_with(commune_prefix) {
            total.0 += f[pop].parse::<f64>().unwrap();
            total.1 += 1;
        }
    }
    total
}

fn last_week(rows: &[(String, String, f64, f64)], code: &str) -> (String, f64, f64) {
    let mine: Vec<_> = rows.iter().filter(|r| r.0 == code).collect();
    let week = &mine[mine.len() - 7..];
    (
        week.last().unwrap().1.clone(),
        week.iter().map(|r| r.2).sum(),
        week.iter().map(|r| r.3).sum(),
    )
}

#[tokio::test]
async fn each_commune_takes_its_population_from_the_base_and_says_which() {
    let dir = tempfile::tempdir().unwrap();
    for base in TestBase::all().await {
        let b = base.location.as_str();
        // Populations légales of 2019, older than the INSEE IRIS figures of 2020: the IRIS win where there are.
        let communes = communes_fixture(dir.path());
        ok(
            b,
            &[
                "import",
                "communes",
                communes.to_str().unwrap(),
                "--millesime",
                "2019",
            ],
        );
        ok(
            b,
            &[
                "import",
                "insee-iris",
                format_fixture(INSEE_2020).to_str().unwrap(),
            ],
        );
        let (file, rows) = spf_fixture(dir.path(), &["69029", "69123", "69266"]);
        let report = json(b, &["import", "spf", file.to_str().unwrap(), "--json"]);
        assert_eq!(report["kind"], "spf");
        assert_eq!(report["inserted"], 30, "{report}");
        assert_eq!(report["filtered"], 30, "age classes left out: {report}");

        // Bron: its IRIS of the INSEE file; Lyon: the IRIS of its arrondissements; Villeurbanne: no IRIS, so its
        // population légale.
        let (bron, bron_iris) = insee_population("69029");
        let (lyon, lyon_iris) = insee_population("6938");
        for (code, population, source) in [
            (
                "69029",
                bron,
                format!("INSEE 2020 (IRIS agrégés : {bron_iris})"),
            ),
            (
                "69123",
                lyon,
                format!("INSEE 2020 (IRIS agrégés : {lyon_iris})"),
            ),
            (
                "69266",
                150_000.0,
                "population légale 2019 (communes)".to_string(),
            ),
        ] {
            let z = zone(&report, code);
            assert!(
                (z["habitants"].as_f64().unwrap() - population).abs() < 1e-6,
                "{z}"
            );
            assert_eq!(z["source"], source.as_str(), "{z}");
            let (day, p7, t7) = last_week(&rows, code);
            assert_eq!(z["jour"], day.as_str());
            let incidence = z["incidence_7j"].as_f64().unwrap();
            assert!(
                (incidence - p7 * 100_000.0 / population).abs() < 1e-6,
                "{z}"
            );
            let positivity = z["positivite_7j"].as_f64().unwrap();
            assert!((positivity - p7 * 100.0 / t7).abs() < 1e-9, "{z}");
        }

        // The French report says the population and its vintage.
        let text = ok(b, &["import", "spf", file.to_str().unwrap()]);
        assert!(
            text.contains(
                "commune 69266 : population légale 2019 (communes) : 150\u{202f}000 habitants"
            ),
            "{text}"
        );
        assert!(text.contains("INSEE 2020 (IRIS agrégés"), "{text}");
        assert!(text.contains("incidence sur 7 jours"), "{text}");
    }
}

#[tokio::test]
async fn a_typed_population_overrides_the_base_for_a_file_of_one_zone_only() {
    let dir = tempfile::tempdir().unwrap();
    for base in TestBase::all().await {
        let b = base.location.as_str();
        ok(
            b,
            &[
                "import",
                "communes",
                communes_fixture(dir.path()).to_str().unwrap(),
            ],
        );
        let (one, rows) = spf_fixture(dir.path(), &["69266"]);
        let one_zone = dir.path().join("une-zone.csv");
        std::fs::rename(&one, &one_zone).unwrap();
        let report = json(
            b,
            &[
                "import",
                "spf",
                one_zone.to_str().unwrap(),
                "--population",
                "120000",
                "--json",
            ],
        );
        let z = zone(&report, "69266");
        assert_eq!(z["habitants"], 120_000.0);
        assert_eq!(z["source"], "population saisie à l'import");
        let (_, p7, _) = last_week(&rows, "69266");
        assert!((z["incidence_7j"].as_f64().unwrap() - p7 * 100_000.0 / 120_000.0).abs() < 1e-6);

        // Several zones and one typed population: refused in French, nothing imported.
        let (two, _) = spf_fixture(dir.path(), &["69029", "69123"]);
        let before = json(b, &["import", "spf", one_zone.to_str().unwrap(), "--json"]);
        assert_eq!(before["inserted"], 0);
        let out = maillage(
            b,
            &[
                "import",
                "spf",
                two.to_str().unwrap(),
                "--population",
                "1000",
            ],
        );
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(
                "une population saisie ne vaut que pour une zone, et ce fichier en compte 2"
            ),
            "{err}"
        );
        assert!(err.contains("Rien n'a été importé"), "{err}");
        // The two communes were not written: importing the file now inserts all its rows.
        let after = json(b, &["import", "spf", two.to_str().unwrap(), "--json"]);
        assert_eq!(after["inserted"], 20, "{after}");
    }
}

/// Real files of Santé publique France (by département) over the real communes of 2026: the département's
/// population is the sum of its communes' populations légales, and the rates recomputed with it stay close to
/// those SpF published (computed with the population of its own year).
#[tokio::test]
async fn real_departement_files_use_the_sum_of_the_communes() {
    let (Some(cas), Some(incidence), Some(communes)) = (
        maillage_testkit::shared_data("covid_dep/cas_dep.csv"),
        maillage_testkit::shared_data("covid_dep/incidence_dep.csv"),
        maillage_testkit::shared_data("communes/decoupage_administratif_communes_2026.json"),
    ) else {
        return;
    };
    let base = TestBase::sqlite();
    let b = base.location.as_str();
    ok(b, &["import", "communes", communes.to_str().unwrap()]);
    let report = json(b, &["import", "spf", cas.to_str().unwrap(), "--json"]);
    assert_eq!(report["details"]["niveau"], "departement");

    let all: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(&communes).unwrap()).unwrap();
    let rhone: Vec<&serde_json::Value> = all
        .iter()
        .filter(|c| c["type"] == "commune-actuelle" && c["departement"] == "69")
        .collect();
    let population: f64 = rhone.iter().filter_map(|c| c["population"].as_f64()).sum();
    let z = zone(&report, "69");
    assert_eq!(z["habitants"].as_f64().unwrap(), population, "{z}");
    assert_eq!(
        z["source"],
        format!("population légale 2026 (somme de {} communes)", rhone.len()).as_str()
    );

    // Our incidence on the last day, from the file's own counts, against the published one.
    let text = std::fs::read_to_string(&cas).unwrap();
    let mut p: Vec<(String, f64)> = text
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[1] == "69").then(|| (f[0].to_string(), f[2].parse().unwrap_or(0.0)))
        })
        .collect();
    p.sort_by(|a, b| a.0.cmp(&b.0));
    let day = z["jour"].as_str().unwrap();
    let end = p.iter().position(|(d, _)| d == day).unwrap();
    let p7: f64 = p[end - 6..=end].iter().map(|x| x.1).sum();
    let ours = z["incidence_7j"].as_f64().unwrap();
    assert!((ours - p7 * 100_000.0 / population).abs() < 1e-6, "{z}");
    let published: f64 = std::fs::read_to_string(&incidence)
        .unwrap()
        .lines()
        .find_map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[0] == "69" && f[1] == day).then(|| f[2].parse().unwrap())
        })
        .expect("published incidence of the same day");
    assert!(
        (ours / published - 1.0).abs() < 0.05,
        "ours {ours}, published {published}"
    );
}

/// SpF's own file carries its fixed population (`pop`): the rates use the INSEE population of the base all the
/// same, and the report shows SpF's beside it with the gap. A file imported before the INSEE one uses SpF's
/// population until the INSEE population arrives, then the INSEE one (read when rates are computed).
#[tokio::test]
async fn the_insee_population_is_used_and_spf_own_is_shown_with_the_gap() {
    let dir = tempfile::tempdir().unwrap();
    // FIXTURE (not real data): `sp-pos-quot-com` with its `pop` column, ten days of Bron.
    let file = dir
        .path()
        .join("sp-pos-quot-com-avec-pop-fixture-non-reelle.csv");
    let spf_population = 40_500.0;
    let mut text = String::from("com;jour;P;T;cl_age90;pop\n");
    let mut rows = Vec::new();
    for d in 1..=10u32 {
        let (p, t) = (f64::from(d * 2), f64::from(90 + d));
        let day = format!("2021-02-{d:02}");
        text.push_str(&format!("69029;{day};{p};{t};0;{spf_population}\n"));
        rows.push(("69029".to_string(), day, p, t));
    }
    std::fs::write(&file, text).unwrap();
    let (insee, _) = insee_population("69029");
    let (day, p7, t7) = last_week(&rows, "69029");
    for base in TestBase::all().await {
        let b = base.location.as_str();
        // No population in the base yet: SpF's own is used, and no gap is claimed.
        let report = json(b, &["import", "spf", file.to_str().unwrap(), "--json"]);
        let z = zone(&report, "69029");
        assert_eq!(z["habitants"], spf_population, "{z}");
        assert!(
            z["source"]
                .as_str()
                .unwrap()
                .starts_with("fichier Santé publique France")
        );
        let text = ok(b, &["import", "spf", file.to_str().unwrap()]);
        assert!(!text.contains("(écart"), "{text}");
        assert!(
            text.contains("population du fichier Santé publique France"),
            "{text}"
        );

        // The INSEE population arrives: the rates use it, and SpF's is shown beside it.
        ok(
            b,
            &[
                "import",
                "insee-iris",
                format_fixture(INSEE_2020).to_str().unwrap(),
            ],
        );
        let report = json(b, &["import", "spf", file.to_str().unwrap(), "--json"]);
        let z = zone(&report, "69029");
        assert!(
            (z["habitants"].as_f64().unwrap() - insee).abs() < 1e-6,
            "{z}"
        );
        assert!(
            z["source"].as_str().unwrap().starts_with("INSEE 2020"),
            "{z}"
        );
        assert_eq!(z["jour"], day.as_str());
        let incidence = z["incidence_7j"].as_f64().unwrap();
        assert!((incidence - p7 * 100_000.0 / insee).abs() < 1e-6, "{z}");
        let screening = z["depistage_7j"].as_f64().unwrap();
        assert!((screening - t7 * 100_000.0 / insee).abs() < 1e-6, "{z}");
        assert_eq!(z["population_spf"], spf_population);
        let gap = (insee - spf_population) * 100.0 / spf_population;
        assert!(
            (z["ecart_population_pourcent"].as_f64().unwrap() - gap).abs() < 1e-9,
            "{z}"
        );
        let text = ok(b, &["import", "spf", file.to_str().unwrap()]);
        let expected = format!(
            "population utilisée par Santé publique France : 40\u{202f}500 (écart {}{} %)",
            if gap >= 0.0 { "+" } else { "−" },
            format!("{:.1}", gap.abs()).replace('.', ",")
        );
        assert!(text.contains("INSEE 2020 (IRIS agrégés"), "{text}");
        assert!(text.contains(&expected), "{expected} in {text}");
    }
}
