use crate::common::{assert_close, fixture, temp_file};
use maillage_formats::crs::{self, Crs};
use maillage_formats::finess::json::CoordinateCase;
use maillage_formats::finess::{self, FinessCategory, json};
use maillage_formats::{FormatErrorKind, WarningKind};
use maillage_testkit::finess_flux::{Ege, Pmej, write_flux};

const FILE: &str = "finess/etalab-cs1100507-stock-20261124-0000.csv";

fn find<'a>(f: &'a finess::FinessExtraction, id: &str) -> &'a finess::Etablissement {
    f.etablissements
        .iter()
        .find(|e| e.nofinesset == id)
        .unwrap()
}

#[test]
fn reads_latin1_extraction_and_joins_geolocation() {
    let f = finess::read_extraction(fixture(FILE)).unwrap();
    assert_eq!(f.extraction_date.as_deref(), Some("2026-11-24"));
    assert_eq!(f.etablissements.len(), 10);
    let ch = find(&f, "010000024");
    assert_eq!(ch.line, 2);
    assert_eq!(
        ch.libmft.as_deref(),
        Some("ARS établissements Publics de santé dotation globale")
    );
    assert_eq!(ch.commune_insee.as_deref(), Some("01451"));
    assert_eq!(ch.code_postal(), Some("01440"));
    assert_eq!(ch.category(), FinessCategory::Hopital);
    let p = ch.position.as_ref().unwrap();
    assert_eq!((p.crs, p.line), (Crs::Lambert93, 12));
    // Expected values: PROJ 9.1.1 cs2cs (see tests/fixtures/README.md).
    assert_close(p.lat, 46.2222857, 1e-6, "lat");
    assert_close(p.lon, 5.2091811, 1e-6, "lon");
    // CSV quoting with doubled quotes, Latin-1 accents.
    let lieu = find(&f, "980501506");
    assert_eq!(lieu.rs.as_deref(), Some("LIEU DE VIE \"MAVOUNA MEMA 1\""));
    assert_eq!(
        lieu.libcategagretab.as_deref(),
        Some("Etablissements et services multi-clientèles")
    );
    assert_eq!(lieu.commune_insee.as_deref(), Some("97606"));
    // numuai, last field of the newer layout.
    assert_eq!(find(&f, "690000003").numuai.as_deref(), Some("0691234A"));
    assert_eq!(
        find(&f, "980600027").commune_insee.as_deref(),
        Some("98613")
    );
}

#[test]
fn overseas_projections_match_proj() {
    let f = finess::read_extraction(fixture(FILE)).unwrap();
    // (id, system, latitude, longitude) — PROJ 9.1.1 cs2cs values.
    let expected = [
        ("970100012", Crs::Utm20N, 16.2340043, -61.5287371),
        ("970300026", Crs::Utm22N, 4.9234668, -52.3197273),
        ("970400024", Crs::Utm40S, -20.9757109, 55.2982070),
        ("980501506", Crs::Utm38S, -12.7798860, 45.2286781),
        ("970500001", Crs::Utm21N, 46.7733154, -56.1720129),
        ("690000001", Crs::Lambert93, 45.7589553, 4.8355317),
    ];
    for (id, crs, lat, lon) in expected {
        let p = find(&f, id)
            .position
            .as_ref()
            .unwrap_or_else(|| panic!("{id} has no position"));
        assert_eq!(p.crs, crs, "{id}");
        assert_close(p.lat, lat, 1e-6, id);
        assert_close(p.lon, lon, 1e-6, id);
    }
    // Wallis-et-Futuna has no geolocation record; the empty one of the MSP gives no position.
    assert!(find(&f, "980600027").position.is_none());
    assert!(find(&f, "690000005").position.is_none());
}

#[test]
fn swapped_coordinates_are_fixed_and_reported() {
    let f = finess::read_extraction(fixture(FILE)).unwrap();
    let p = find(&f, "690000003").position.as_ref().unwrap();
    assert_eq!((p.x, p.y), (845800.0, 6517500.0));
    assert_close(p.lat, 45.7415119, 1e-6, "lat");
    assert_close(p.lon, 4.8752612, 1e-6, "lon");
    let w: Vec<_> = f
        .warnings
        .iter()
        .filter(|w| matches!(w.kind, WarningKind::CoordinatesSwapped { .. }))
        .collect();
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].location.line, Some(19));
    assert_eq!(
        w[0].kind,
        WarningKind::CoordinatesSwapped {
            x: 6517500.0,
            y: 845800.0
        }
    );
}

#[test]
fn categories() {
    let f = finess::read_extraction(fixture(FILE)).unwrap();
    assert_eq!(
        find(&f, "690000001").category(),
        FinessCategory::PharmacieOfficine
    );
    assert_eq!(
        find(&f, "690000003").category(),
        FinessCategory::CentreDeSante
    );
    assert_eq!(
        find(&f, "690000005").category(),
        FinessCategory::MaisonDeSante
    );
    assert_eq!(find(&f, "970100012").category(), FinessCategory::Hopital); // 365
    assert_eq!(find(&f, "980501506").category(), FinessCategory::Autre);
    assert!(finess::is_hospital("106", ""));
}

#[test]
fn reads_2018_layout() {
    let f = finess::read_extraction(fixture("finess/etalab-cs1100507-stock-20180129-0428.csv"))
        .unwrap();
    assert_eq!(f.extraction_date.as_deref(), Some("2018-01-29"));
    let e = &f.etablissements[0];
    assert_eq!(e.maj.as_deref(), Some("2017-02-04"));
    assert_eq!(e.numuai, None);
    let p = e.position.as_ref().unwrap();
    assert_eq!(p.crs, Crs::Lambert93);
    assert_eq!(
        p.source.as_deref(),
        Some("1,ATLASANTE,100,IGN,BD_ADRESSE,V2.2,LAMBERT_93")
    );
}

#[test]
fn sourcecoordet_systems() {
    assert_eq!(
        finess::crs_of_source("2,ATLASANTE,89,BAN,EPSG:4471 RGM04/UTM zone 38S (Mayotte)"),
        Some(Crs::Utm38S)
    );
    assert_eq!(
        finess::crs_of_source("1,ATLASANTE,96,BAN,L93_METROPOLE"),
        Some(Crs::Lambert93)
    );
    assert_eq!(
        finess::crs_of_source("1,ATLASANTE,100,IGN,BD_ADRESSE,V2.2,UTM_S40"),
        Some(Crs::Utm40S)
    );
    assert_eq!(finess::crs_of_source(""), None);
}

fn latin1_fixture() -> String {
    let bytes = std::fs::read(fixture(FILE)).unwrap();
    encoding_rs::WINDOWS_1252.decode(&bytes).0.into_owned()
}

fn error_of(text: &str) -> maillage_formats::FormatError {
    let (_d, p) = temp_file("etalab.csv", &encoding_rs::WINDOWS_1252.encode(text).0);
    finess::read_extraction(&p).unwrap_err()
}

#[test]
fn duplicate_identifier() {
    let text = latin1_fixture();
    let dup = text.lines().nth(8).unwrap().to_string();
    let text = text.replacen(
        "geolocalisation;010000024",
        &format!("{dup}\r\ngeolocalisation;010000024"),
        1,
    );
    let e = error_of(&text);
    assert_eq!(
        e.kind,
        FormatErrorKind::DuplicateId {
            id: "690000001".into(),
            first_line: 9
        }
    );
    assert_eq!((e.location.line, e.location.column), (Some(12), Some(2)));
}

#[test]
fn wrong_field_count_and_truncation() {
    let text = latin1_fixture().replacen(";ASSOCIATION MESSO;", ";", 1);
    let e = error_of(&text);
    assert_eq!(
        e.kind,
        FormatErrorKind::FieldCount {
            expected: 32,
            found: 31
        }
    );
    assert_eq!(e.location.line, Some(6));
    let text = latin1_fixture();
    let cut = &text[..text.len() - 14]; // "geolocalisation;690000005;;"
    let e = error_of(cut);
    assert_eq!(e.kind, FormatErrorKind::Truncated);
    assert_eq!(e.location.line, Some(20));
}

#[test]
fn unparseable_coordinate_and_unknown_record() {
    let e = error_of(&latin1_fixture().replacen("657242.9", "657242,9x", 1));
    assert!(
        matches!(e.kind, FormatErrorKind::InvalidValue { ref value, expected: "coordinate" } if value == "657242,9x")
    );
    assert_eq!(
        (
            e.location.line,
            e.location.column,
            e.location.field.as_deref()
        ),
        (Some(13), Some(3), Some("coordxet"))
    );
    let e =
        error_of(&latin1_fixture().replacen("structureet;970300026", "structurexx;970300026", 1));
    assert!(matches!(
        e.kind,
        FormatErrorKind::InvalidValue {
            expected: "FINESS record type",
            ..
        }
    ));
    assert_eq!(e.location.line, Some(4));
}

#[test]
fn latin1_oddities() {
    // A byte Windows-1252 leaves undefined: corruption.
    let mut bytes = std::fs::read(fixture(FILE)).unwrap();
    let pos = bytes.windows(7).position(|w| w == b"VIRIAT;").unwrap();
    bytes[pos] = 0x81;
    let (_d, p) = temp_file("etalab.csv", &bytes);
    let e = finess::read_extraction(&p).unwrap_err();
    assert_eq!(
        e.kind,
        FormatErrorKind::Encoding {
            expected: "Latin-1"
        }
    );
    assert_eq!((e.location.line, e.location.column), (Some(2), Some(16)));
    // The same file re-saved as UTF-8 is read, with a warning.
    let (_d2, p2) = temp_file("etalab-utf8.csv", latin1_fixture().as_bytes());
    let f = finess::read_extraction(&p2).unwrap();
    assert_eq!(
        find(&f, "010000024").libmft.as_deref(),
        Some("ARS établissements Publics de santé dotation globale")
    );
    assert!(
        f.warnings
            .iter()
            .any(|w| w.kind == WarningKind::Utf8InsteadOfLatin1)
    );
}

#[test]
fn coordinates_outside_territory_are_dropped_with_a_warning() {
    // Réunion coordinates given to a Guadeloupe establishment.
    let text = latin1_fixture().replacen("657242.9;1795384.4", "323086.6;7679599.8", 1);
    let (_d, p) = temp_file("etalab.csv", &encoding_rs::WINDOWS_1252.encode(&text).0);
    let f = finess::read_extraction(&p).unwrap();
    assert!(find(&f, "970100012").position.is_none());
    let w = f
        .warnings
        .iter()
        .find(|w| matches!(w.kind, WarningKind::CoordinatesOutsideTerritory { .. }))
        .unwrap();
    assert_eq!(w.location.line, Some(13));
}

#[test]
fn empty_and_wrong_files() {
    let (_d, p) = temp_file("etalab.csv", b"");
    assert_eq!(
        finess::read_extraction(&p).unwrap_err().kind,
        FormatErrorKind::Empty
    );
    let e = finess::read_extraction(fixture(
        "annuaire/PS_LibreAcces_Personne_activite_202611240000.txt",
    ))
    .unwrap_err();
    assert_eq!(
        e.kind,
        FormatErrorKind::WrongKind {
            expected: "FINESS (extraction des établissements)",
            hint: Some("Annuaire santé (PS_LibreAcces_Personne_activite)".into())
        }
    );
}

#[test]
fn json_flux_positions_and_swaps() {
    let f = json::read_flux(fixture("finess/finess-structures-journalier-20261124.json")).unwrap();
    assert_eq!(
        f.generated_at.as_deref(),
        Some("2026-11-24T05:00:00.000000000Z")
    );
    assert_eq!(f.etablissements.len(), 4);
    let convert = &f.etablissements[0];
    assert_eq!(
        (convert.nofinesset.as_str(), convert.nofinessej.as_deref()),
        ("010780195", Some("010000156"))
    );
    assert_eq!(convert.categetab.as_deref(), Some("365"));
    assert!(convert.active);
    // coordonneeX holds the northing: Lambert-93 swapped, which lands on the BAN point given in degrees.
    assert_eq!(
        convert.coordinates,
        CoordinateCase::Placed {
            crs: Crs::Lambert93,
            swapped: true
        }
    );
    let (lon, lat) = convert.position.unwrap();
    assert_close(lat, 46.211257, 1e-4, "lat");
    assert_close(lon, 5.254203, 1e-4, "lon");
    // The closed SMUR: padded values trimmed, no coordinates, its closing date.
    let smur = &f.etablissements[1];
    assert!(!smur.active);
    assert_eq!(smur.datefermeture.as_deref(), Some("1993-01-01"));
    assert_eq!(
        (smur.typvoie.as_deref(), smur.voie.as_deref()),
        (Some("R"), Some("AIME VINGTRINIER"))
    );
    assert_eq!(smur.position, None);
    assert_eq!(smur.coordinates, CoordinateCase::Missing);
    // Réunion, UTM 40S only.
    let (lon, lat) = f.etablissements[2].position.unwrap();
    assert_close(lat, -20.8831447, 1e-6, "lat");
    assert_close(lon, 55.4425938, 1e-6, "lon");
    assert_eq!(
        f.etablissements[2].coordinates,
        CoordinateCase::Placed {
            crs: Crs::Utm40S,
            swapped: false
        }
    );
    // Latitude and longitude swapped in the direction fields.
    let (lon, lat) = f.etablissements[3].position.unwrap();
    assert_eq!((lon, lat), (4.8355317, 45.7589553));
    assert_eq!(
        f.etablissements[3].coordinates,
        CoordinateCase::Placed {
            crs: Crs::Wgs84,
            swapped: true
        }
    );
}

/// FIXTURE (not real data): one record per form of coordinates met in the flux.
fn coordinate_forms() -> Vec<Pmej> {
    let (lyon_lon, lyon_lat) = (4.8355317, 45.7589553);
    let l93 = crs::from_wgs84(Crs::Lambert93, 5.254203, 46.211257).unwrap();
    let utm20 = crs::from_wgs84(Crs::Utm20N, -61.5331, 16.2411).unwrap();
    let ege = |finess: &str, commune: &str, xy: Option<(f64, f64)>| Ege {
        xy,
        ..Ege::active(
            finess,
            &format!("FIXTURE {finess}"),
            "620",
            commune,
            "69002",
        )
    };
    let mut closed = ege("690000080", "69382", Some((lyon_lon, lyon_lat)));
    closed.state = "I";
    closed.closed_on = Some("2026-11-30".into());
    let mut direction_only = ege("690000098", "69382", None);
    direction_only.direction = Some((lyon_lat, lyon_lon));
    vec![
        Pmej {
            finess: "690000999".into(),
            name: "FIXTURE ENTITE".into(),
            ege: vec![
                ege("690000015", "69382", Some((lyon_lon, lyon_lat))),
                ege("690000023", "69382", Some((lyon_lat, lyon_lon))),
                ege("010000031", "01053", Some(l93)),
                ege("010000049", "01053", Some((l93.1, l93.0))),
            ],
        },
        Pmej {
            finess: "970100999".into(),
            name: "FIXTURE OUTRE-MER".into(),
            ege: vec![
                ege("970400001", "97415", Some((338000.0, 7690000.0))),
                ege("970100015", "97101", Some((utm20.1, utm20.0))),
            ],
        },
        Pmej {
            finess: "690000888".into(),
            name: "FIXTURE SANS POSITION".into(),
            ege: vec![
                ege("690000056", "69382", None),
                ege("690000064", "69382", Some((1.0, 2.0))),
                ege("010000056", "", Some(l93)),
                closed,
                direction_only,
            ],
        },
    ]
}

#[test]
fn json_flux_coordinates_told_by_their_values() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir
        .path()
        .join("finess-structures-journalier-20261201.json");
    let gz = dir
        .path()
        .join("finess-structures-journalier-20261201.json.gz");
    write_flux(&plain, "2026-12-01T05:00:00Z", coordinate_forms()).unwrap();
    write_flux(&gz, "2026-12-01T05:00:00Z", coordinate_forms()).unwrap();
    let f = json::read_flux(&plain).unwrap();
    assert_eq!(f.generated_at.as_deref(), Some("2026-12-01T05:00:00Z"));
    let z = json::read_flux(&gz).unwrap();
    assert_eq!(
        f.etablissements, z.etablissements,
        "gzip and plain read alike"
    );
    let case = |id: &str| {
        let e = f
            .etablissements
            .iter()
            .find(|e| e.nofinesset == id)
            .unwrap();
        (e.coordinates, e.position)
    };
    let placed = |crs, swapped| CoordinateCase::Placed { crs, swapped };
    let lyon = Some((4.8355317, 45.7589553));
    assert_eq!(case("690000015"), (placed(Crs::Wgs84, false), lyon));
    assert_eq!(case("690000023"), (placed(Crs::Wgs84, true), lyon));
    for id in ["010000031", "010000049", "010000056"] {
        let (c, p) = case(id);
        let (lon, lat) = p.unwrap();
        assert_close(lon, 5.254203, 1e-7, id);
        assert_close(lat, 46.211257, 1e-7, id);
        assert_eq!(c, placed(Crs::Lambert93, id == "010000049"), "{id}");
    }
    assert_eq!(case("970400001").0, placed(Crs::Utm40S, false));
    let (c, p) = case("970100015");
    assert_eq!(c, placed(Crs::Utm20N, true));
    assert_close(p.unwrap().0, -61.5331, 1e-7, "lon");
    assert_eq!(case("690000056"), (CoordinateCase::Missing, None));
    assert_eq!(case("690000064"), (CoordinateCase::Unknown, None));
    assert_eq!(case("690000098"), (placed(Crs::Wgs84, false), lyon));
    let closed = f
        .etablissements
        .iter()
        .find(|e| e.nofinesset == "690000080")
        .unwrap();
    assert!(!closed.active);
    assert_eq!(closed.datefermeture.as_deref(), Some("2026-11-30"));
    // Where each comes from: element index and the line where its element starts.
    let e = f
        .etablissements
        .iter()
        .find(|e| e.nofinesset == "970400001")
        .unwrap();
    assert_eq!(e.pmej_index, 1);
    let text = std::fs::read_to_string(&plain).unwrap();
    let line = text[..text.find("970100999").unwrap()].lines().count() as u64;
    assert!(
        e.line < line && e.line > 1,
        "element line {} before line {line}",
        e.line
    );
}

#[test]
fn json_flux_errors() {
    let (_d, p) = temp_file("flux.json", b"{\"pmej\": [ {\"ege\": 3} ]}");
    let e = json::read_flux(&p).unwrap_err();
    assert!(matches!(e.kind, FormatErrorKind::Json(_)));
    assert_eq!((e.location.line, e.location.feature), (Some(1), Some(0)));
    let e = json::read_flux(fixture(FILE)).unwrap_err();
    assert!(matches!(e.kind, FormatErrorKind::WrongKind { .. }));
    let (_d, p) = temp_file("vide.json", b"  \n");
    assert_eq!(
        json::read_flux(&p).unwrap_err().kind,
        FormatErrorKind::Empty
    );
    // Two elements without a comma between them: located on the second one.
    let (_d, p) = temp_file(
        "flux.json",
        b"{\"generatedAt\": \"2026-12-01\",\n \"pmej\": [ {\"ege\": []}\n {\"ege\": []} ]}",
    );
    let e = json::read_flux(&p).unwrap_err();
    assert!(matches!(e.kind, FormatErrorKind::Json(_)), "{e:?}");
    assert_eq!((e.location.line, e.location.column), (Some(3), Some(2)));
    // A top-level object without `pmej` is not a flux.
    let (_d, p) = temp_file("autre.json", b"{\"schemaVersion\": \"v1\", \"gcc\": []}");
    assert!(matches!(
        json::read_flux(&p).unwrap_err().kind,
        FormatErrorKind::WrongKind { .. }
    ));
}

#[test]
fn json_flux_cut_short_is_located() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("flux.json");
    write_flux(&plain, "2026-12-01T05:00:00Z", coordinate_forms()).unwrap();
    let text = std::fs::read(&plain).unwrap();
    // A plain download interrupted in the middle of the second element.
    let cut = dir.path().join("coupe.json");
    let at = text.windows(9).position(|w| w == b"970100999").unwrap();
    std::fs::write(&cut, &text[..at]).unwrap();
    let e = json::read_flux(&cut).unwrap_err();
    assert_eq!(e.kind, FormatErrorKind::Incomplete);
    assert!(e.location.line.unwrap() > 10, "{:?}", e.location);
    // A gzip stream cut short (the usual broken download of the .json.gz).
    let gz = dir.path().join("flux.json.gz");
    write_flux(&gz, "2026-12-01T05:00:00Z", coordinate_forms()).unwrap();
    let bytes = std::fs::read(&gz).unwrap();
    let cut = dir.path().join("coupe.json.gz");
    std::fs::write(&cut, &bytes[..bytes.len() * 2 / 3]).unwrap();
    let e = json::read_flux(&cut).unwrap_err();
    assert_eq!(e.kind, FormatErrorKind::Incomplete, "{e:?}");
    assert!(e.location.line.is_some());
}

#[test]
fn json_flux_record_size_is_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("flux.json");
    let mut big = Ege::active("690000015", "", "620", "69382", "69002");
    big.name = "X".repeat(json::MAX_RECORD_BYTES);
    let pmej = vec![
        Pmej {
            finess: "690000999".into(),
            name: "A".into(),
            ege: vec![Ege::active("690000023", "B", "620", "69382", "69002")],
        },
        Pmej {
            finess: "690000998".into(),
            name: "C".into(),
            ege: vec![big],
        },
    ];
    write_flux(&p, "2026-12-01T05:00:00Z", pmej).unwrap();
    let mut r = json::FluxReader::open(&p).unwrap();
    assert_eq!(
        r.next_etablissement().unwrap().unwrap().nofinesset,
        "690000023"
    );
    let e = r.next_etablissement().unwrap_err();
    assert_eq!(
        e.kind,
        FormatErrorKind::RecordTooLarge {
            limit_bytes: json::MAX_RECORD_BYTES
        }
    );
    assert_eq!(e.location.feature, Some(1));
}
