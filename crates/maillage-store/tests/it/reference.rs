//! Reference figures (départements, France) counted in the same pass as the national files, on both backends:
//! equal to a plain count of a generated national Annuaire, pharmacies of a FINESS flux per département,
//! densities on the populations of the communes file with their vintage, replaced by each new import,
//! unchanged by an identical one. Files are FIXTURES, not real data (see `maillage_testkit::fixtures::national`).

use maillage_indicators::{Indicator, compute};
use maillage_store::imports::{self, Silent};
use maillage_store::reference::{self, FRANCE_CODE, Figure, Level};
use maillage_store::{Store, observatory};
use maillage_testkit::finess_flux::{Ege, Pmej, write_flux};
use maillage_testkit::fixtures::national::{self, COMMUNES, PROFESSIONS, Row};
use maillage_testkit::{TestBase, shared_data, skip};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

const ANNUAIRE_NAME: &str = "PS_LibreAcces_Personne_activite_202611240000.txt";

/// The département of a commune code, written out plainly for the test: overseas codes take three characters,
/// others two; the collectivité d'outre-mer 975 and rows without a commune belong to no département.
fn plain_departement(commune: &str) -> Option<String> {
    if commune.is_empty() || commune.starts_with("975") {
        return None;
    }
    let n = if commune.starts_with("97") { 3 } else { 2 };
    Some(commune[..n].to_string())
}

/// Counts the fixture by hand: distinct professionals per (zone, profession).
fn plain_count(rows: &[Row]) -> BTreeMap<(String, String), u64> {
    let mut seen: HashSet<(String, String, String)> = HashSet::new();
    let mut out: BTreeMap<(String, String), u64> = BTreeMap::new();
    for r in rows {
        let expected = PROFESSIONS
            .iter()
            .find(|p| (p.0, p.2) == (r.profession_code, r.skill_code))
            .and_then(|p| p.4);
        let (Some(profession), Some(dep)) = (expected, plain_departement(r.commune)) else {
            continue;
        };
        for zone in [dep, FRANCE_CODE.to_string()] {
            if seen.insert((zone.clone(), profession.to_string(), r.national_id.clone())) {
                *out.entry((zone, profession.to_string())).or_default() += 1;
            }
        }
    }
    out
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// The counts the store holds for one source, without zeros.
fn stored(figures: &[Figure], source: &str) -> BTreeMap<(String, String), u64> {
    figures
        .iter()
        .filter(|f| f.source == source && f.count > 0)
        .map(|f| ((f.code.clone(), f.profession.clone()), f.count))
        .collect()
}

/// A store with the fixture communes and Poitiers as territory.
async fn store_with_communes(base: &TestBase, dir: &Path) -> Store {
    let store = Store::open(&base.location).await.unwrap();
    let communes = write(dir, "communes.json", &national::communes_json());
    imports::communes::import(&store, &communes, Some(2023), &Silent)
        .await
        .unwrap();
    maillage_store::territory::define(&store, Some("Poitiers".into()), &["86194".into()], &[], 0.0)
        .await
        .unwrap();
    store
}

#[tokio::test]
async fn annuaire_reference_counts_equal_a_plain_count_of_the_national_file() {
    let dir = tempfile::tempdir().unwrap();
    let rows = national::rows(400);
    let expected = plain_count(&rows);
    // The fixture has what the counting rules are about.
    let by_person = rows
        .iter()
        .fold(BTreeMap::<&str, Vec<&str>>::new(), |mut m, r| {
            m.entry(&r.national_id).or_default().push(r.commune);
            m
        });
    assert!(
        by_person
            .values()
            .any(|c| c.len() > 1 && c.iter().all(|x| *x == c[0] && !x.is_empty()))
    );
    assert!(by_person.values().any(|c| {
        let deps: BTreeSet<_> = c.iter().filter_map(|x| plain_departement(x)).collect();
        deps.len() > 1
    }));
    for dep in ["2A", "2B", "974", "976", "971", "75", "69", "13", "86"] {
        assert!(
            expected.keys().any(|(z, _)| z == dep),
            "{dep} in the fixture"
        );
    }
    for base in TestBase::all().await {
        let sub = dir.path().join(base.backend);
        std::fs::create_dir_all(&sub).unwrap();
        let store = store_with_communes(&base, &sub).await;
        let file = write(&sub, ANNUAIRE_NAME, &national::annuaire_text(&rows));
        let report = imports::annuaire::import(&store, &file, &Silent)
            .await
            .unwrap();
        // Only Poitiers' rows are written; every row counts for the reference.
        assert!(report.counts.filtered > 0 && report.counts.inserted > 0);
        let figures = reference::figures(&store).await.unwrap();
        assert_eq!(stored(&figures, "annuaire"), expected, "{}", base.backend);
        // Every département and France are there, zeros included, dated by the import.
        let zones: BTreeSet<(Level, &str)> =
            figures.iter().map(|f| (f.level, f.code.as_str())).collect();
        assert_eq!(zones.len(), 102, "{}", base.backend);
        assert!(
            figures.iter().all(
                |f| f.batch_id == report.batch_id && f.vintage.as_deref() == Some("2026-11-24")
            )
        );
        let corse = figures.iter().find(|f| f.code == "2A").unwrap();
        assert_eq!(corse.name, "Corse-du-Sud");

        // The same file again changes nothing.
        let again = imports::annuaire::import(&store, &file, &Silent)
            .await
            .unwrap();
        assert!(!again.recorded, "{}", base.backend);
        assert_eq!(reference::figures(&store).await.unwrap(), figures);

        // A newer edition replaces the counts (here: a quarter of the professionals left).
        let fewer: Vec<Row> = rows
            .iter()
            .filter(|r| !r.national_id.ends_with('3'))
            .cloned()
            .collect();
        let newer = write(
            &sub,
            "PS_LibreAcces_Personne_activite_202612240000.txt",
            &national::annuaire_text(&fewer),
        );
        let third = imports::annuaire::import(&store, &newer, &Silent)
            .await
            .unwrap();
        let replaced = reference::figures(&store).await.unwrap();
        assert_eq!(
            stored(&replaced, "annuaire"),
            plain_count(&fewer),
            "{}",
            base.backend
        );
        assert!(replaced.iter().all(|f| f.batch_id == third.batch_id));
        assert_eq!(replaced.len(), figures.len());
    }
}

#[tokio::test]
async fn populations_per_departement_and_densities_with_their_vintage() {
    let dir = tempfile::tempdir().unwrap();
    let rows = national::rows(200);
    let expected = plain_count(&rows);
    for base in TestBase::all().await {
        let sub = dir.path().join(base.backend);
        std::fs::create_dir_all(&sub).unwrap();
        let store = store_with_communes(&base, &sub).await;
        let file = write(&sub, ANNUAIRE_NAME, &national::annuaire_text(&rows));
        imports::annuaire::import(&store, &file, &Silent)
            .await
            .unwrap();

        // Populations added up by hand: communes only (arrondissements are part of their commune), no 975.
        let mut population: BTreeMap<String, f64> = BTreeMap::new();
        for (code, _, _, p, kind, _) in COMMUNES {
            if let (Some(d), "commune-actuelle") = (plain_departement(code), *kind) {
                *population.entry(d).or_default() += *p as f64;
                *population.entry(FRANCE_CODE.into()).or_default() += *p as f64;
            }
        }
        let figures = reference::figures(&store).await.unwrap();
        for f in &figures {
            assert_eq!(
                f.population,
                population.get(&f.code).copied(),
                "{} {}",
                f.code,
                base.backend
            );
            if f.population.is_some() {
                assert_eq!(f.population_vintage, Some(2023));
            }
        }
        assert_eq!(population["86"], 121_000.0);

        // The indicators list Poitiers' département and France, densities on those populations.
        let inputs = observatory::indicator_inputs(&store).await.unwrap();
        let kinds: BTreeSet<(&str, &str)> = inputs
            .references
            .iter()
            .map(|r| (r.zone.kind.as_str(), r.zone.code.as_str()))
            .collect();
        assert_eq!(
            kinds,
            BTreeSet::from([("departement", "86"), ("france", "FR")])
        );
        let out = compute(&inputs);
        for (zone, kind) in [("86", "departement"), ("FR", "france")] {
            let n = expected
                .get(&(zone.to_string(), "medecin_generaliste".into()))
                .copied()
                .unwrap_or(0) as f64;
            let pop = population[zone];
            let row = |i: Indicator| {
                out.iter()
                    .find(|r| {
                        r.indicator == i
                            && r.zone_kind == kind
                            && r.zone_code == zone
                            && r.profession == "medecin_generaliste"
                    })
                    .unwrap_or_else(|| panic!("{i:?} {zone}"))
            };
            assert_eq!(row(Indicator::Count).value, Some(n));
            assert_eq!(row(Indicator::Per100k).value, Some(n / pop * 1e5));
            assert_eq!(row(Indicator::Per10k).value, Some(n / pop * 1e4));
            assert_eq!(row(Indicator::Per10k).population_vintage, Some(2023));
        }
        // Re-importing the communes file keeps the populations; once the territory's communes are settled
        // (the first re-import drops those outside the territory), it changes nothing.
        let communes = sub.join("communes.json");
        imports::communes::import(&store, &communes, Some(2023), &Silent)
            .await
            .unwrap();
        let again = imports::communes::import(&store, &communes, Some(2023), &Silent)
            .await
            .unwrap();
        assert!(!again.recorded, "{}", base.backend);
        assert_eq!(reference::figures(&store).await.unwrap(), figures);
    }
}

#[tokio::test]
async fn finess_pharmacies_per_departement() {
    let dir = tempfile::tempdir().unwrap();
    // (FINESS, category, commune, active): officines in force count, other categories and closed ones do not.
    let establishments = [
        ("860000011", "620", "86194", true),
        ("860000029", "620", "86066", true),
        ("860000037", "620", "86066", false),
        ("860000045", "355", "86194", true),
        ("2A0000014", "620", "2A004", true),
        ("2B0000012", "620", "2B033", true),
        ("2B0000020", "620", "2B033", true),
        ("970400018", "620", "97411", true),
        ("750000010", "620", "75112", true),
        ("130000011", "620", "13205", true),
        ("975000017", "620", "97502", true),
    ];
    let mut expected: BTreeMap<(String, String), u64> = BTreeMap::new();
    for (_, category, commune, active) in establishments {
        if category != "620" || !active {
            continue;
        }
        if let Some(d) = plain_departement(commune) {
            for zone in [d, FRANCE_CODE.to_string()] {
                *expected.entry((zone, "pharmacie".into())).or_default() += 1;
            }
        }
    }
    for base in TestBase::all().await {
        let sub = dir.path().join(base.backend);
        std::fs::create_dir_all(&sub).unwrap();
        let store = store_with_communes(&base, &sub).await;
        let path = sub.join("finess-structures-journalier-20261201.json.gz");
        let pmej = establishments
            .iter()
            .map(|(finess, category, commune, active)| {
                let mut e = Ege::active(
                    finess,
                    &format!("FIXTURE {finess}"),
                    category,
                    commune,
                    "00000",
                );
                if !active {
                    e.state = "I";
                    e.closed_on = Some("2026-06-30".into());
                }
                Pmej {
                    finess: format!("{}9", &finess[..8]),
                    name: format!("FIXTURE ENTITE {finess}"),
                    ege: vec![e],
                }
            });
        write_flux(&path, "2026-12-01T05:00:00Z", pmej.collect::<Vec<_>>()).unwrap();
        imports::finess::import(&store, &path, &Silent)
            .await
            .unwrap();
        let figures = reference::figures(&store).await.unwrap();
        assert_eq!(stored(&figures, "finess"), expected, "{}", base.backend);
        assert!(
            figures
                .iter()
                .filter(|f| f.source == "finess")
                .all(|f| f.profession == "pharmacie")
        );
        assert_eq!(expected[&("2B".to_string(), "pharmacie".to_string())], 2);
    }
}

/// The real communes file: every département's population, and France's (metropolitan France and the
/// départements d'outre-mer), from the communes of `@etalab/decoupage-administratif`.
#[tokio::test]
async fn real_communes_give_every_departement_a_population() {
    let Some(communes) = shared_data("communes/decoupage_administratif_communes_2026.json") else {
        skip(
            "../shared/data/communes absent: populations of the départements not checked on real data",
        );
        return;
    };
    let base = TestBase::sqlite();
    let store = Store::open(&base.location).await.unwrap();
    imports::communes::import(&store, &communes, None, &Silent)
        .await
        .unwrap();
    // Populations are read joined to counts: import a fixture Annuaire for them.
    let text = std::fs::read_to_string(&communes).unwrap();
    let list: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    let mut by_dep: BTreeMap<String, f64> = BTreeMap::new();
    for c in &list {
        if c["type"] == "commune-actuelle" && c["zone"] != "com" {
            *by_dep
                .entry(c["departement"].as_str().unwrap().to_string())
                .or_default() += c["population"].as_f64().unwrap_or(0.0);
        }
    }
    assert_eq!(by_dep.len(), 101);
    let rows = national::rows(50);
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), ANNUAIRE_NAME, &national::annuaire_text(&rows));
    imports::annuaire::import(&store, &file, &Silent)
        .await
        .unwrap();
    let figures = reference::figures(&store).await.unwrap();
    for f in figures.iter().filter(|f| f.level == Level::Departement) {
        assert_eq!(f.population, Some(by_dep[&f.code]), "{}", f.code);
    }
    let france = figures.iter().find(|f| f.level == Level::France).unwrap();
    assert_eq!(france.population, Some(by_dep.values().sum::<f64>()));
    assert!(france.population.unwrap() > 68_000_000.0);
}

/// A national file that fails half-way (a row cut short) leaves the reference figures as they were: they are
/// written in the import's transaction.
#[tokio::test]
async fn a_bad_national_file_changes_no_reference_figure() {
    let dir = tempfile::tempdir().unwrap();
    let rows = national::rows(100);
    for base in TestBase::all().await {
        let sub = dir.path().join(base.backend);
        std::fs::create_dir_all(&sub).unwrap();
        let store = store_with_communes(&base, &sub).await;
        let file = write(&sub, ANNUAIRE_NAME, &national::annuaire_text(&rows));
        imports::annuaire::import(&store, &file, &Silent)
            .await
            .unwrap();
        let before = reference::figures(&store).await.unwrap();
        let mut text = national::annuaire_text(&national::rows(150));
        text.push_str("8|19999|819999|FIXTURE-COUPEE|\n");
        let bad = write(
            &sub,
            "PS_LibreAcces_Personne_activite_202612240000.txt",
            &text,
        );
        assert!(
            imports::annuaire::import(&store, &bad, &Silent)
                .await
                .is_err()
        );
        assert_eq!(
            reference::figures(&store).await.unwrap(),
            before,
            "{}",
            base.backend
        );
    }
}
