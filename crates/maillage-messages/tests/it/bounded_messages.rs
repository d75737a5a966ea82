//! Every error that can carry a value read from a file or typed in is worded in a short French message, whatever
//! the size of that value: the value is quoted to about 80 characters with "…" (issue 14: a 50 MB field quoted
//! whole flooded the audit log, the command line and the pages).
//!
//! Table-driven: each row builds one value-carrying error kind with 10 MB values (the way a hostile file would
//! bring them) and the message must stay under [`MESSAGE_MAX`] characters.

use maillage_access::tables::{TableError, TableErrorKind};
use maillage_access::{AccessError, Side, StepsError};
use maillage_analysis::AnalysisError;
use maillage_crisis::CrisisError;
use maillage_formats::error::expected;
use maillage_formats::{FormatError, FormatErrorKind, FormatWarning, Location, WarningKind};
use maillage_messages::French;
use maillage_network::NetworkError;
use maillage_routing::{CsvProblem, RoutingError, ZoneProblem};
use maillage_store::StoreError;
use maillage_store::accounts::AccountError;
use maillage_store::session::ImportNote;
use std::path::PathBuf;

/// Longest message accepted (about 500): a location, a sentence saying what to do, a few quoted extracts and
/// at most one list of names.
const MESSAGE_MAX: usize = 600;

/// A value of 10 MB, as a hostile file or form would bring it (accents: cutting must respect characters).
fn huge() -> String {
    "Établissement ".repeat(10 * 1024 * 1024 / "Établissement ".len())
}

fn many(count: usize) -> Vec<String> {
    (0..count).map(|_| huge()).collect()
}

/// A location whose field is 10 MB long: a header cell comes from the file (a sheet and a layer are tried on
/// their own, in [`a_sheet_or_layer_name_is_cut`]).
fn hostile_location() -> Location {
    Location::file("fichier-de-test.csv")
        .line(2)
        .column(3)
        .field(huge())
}

#[test]
fn a_sheet_or_layer_name_is_cut() {
    let error = FormatError::new(
        Location::file("contours-de-test.gpkg")
            .layer(huge())
            .feature(4),
        FormatErrorKind::EmptyLayer,
    );
    assert!(format!("{error:?}").len() < MESSAGE_MAX);
    assert_short("layer", &error.french());
    let raw = FormatError {
        location: Location {
            layer: Some(huge()),
            ..Location::file("contours-de-test.gpkg")
        },
        kind: FormatErrorKind::EmptyLayer,
    };
    assert_short("raw layer", &raw.french());
    let sheet = FormatError::new(
        Location::file("classeur-de-test.xlsx")
            .sheet(huge())
            .line(3)
            .field(huge()),
        FormatErrorKind::InvalidValue {
            value: huge(),
            expected: expected::NUMBER,
        },
    );
    assert!(format!("{sheet:?}").len() < MESSAGE_MAX);
    assert_short("sheet", &sheet.french());
}

/// Every kind of `maillage-formats` error that holds a text, built as the readers build them (the constructor
/// cuts) — and the same kinds built raw (the wording cuts).
fn format_kinds() -> Vec<(&'static str, FormatErrorKind)> {
    use FormatErrorKind::*;
    vec![
        ("Io", Io(huge())),
        (
            "WrongKind",
            WrongKind {
                expected: "GeoJSON",
                hint: Some(huge()),
            },
        ),
        (
            "BadHeader",
            BadHeader {
                expected: "a;b;c".into(),
                found: huge(),
            },
        ),
        ("MissingColumn", MissingColumn { column: huge() }),
        (
            "InvalidValue",
            InvalidValue {
                value: huge(),
                expected: expected::COMMUNE_CODE,
            },
        ),
        (
            "DuplicateId",
            DuplicateId {
                id: huge(),
                first_line: 2,
            },
        ),
        ("Geometry", Geometry(huge())),
        ("NotPolygon", NotPolygon { found: huge() }),
        ("UnsupportedCrs", UnsupportedCrs(huge())),
        ("Json", Json(huge().into())),
        ("Spreadsheet", Spreadsheet(huge())),
        ("NoTable", NoTable { looked_for: huge() }),
        (
            "CorruptArchive",
            CorruptArchive {
                format: "zip",
                detail: huge(),
            },
        ),
        (
            "ArchiveTooLarge",
            ArchiveTooLarge {
                member: huge(),
                limit: 1 << 30,
            },
        ),
        (
            "NoMember",
            NoMember {
                looked_for: huge(),
                found: many(3),
            },
        ),
        ("NoLayer", NoLayer { found: many(3) }),
        ("UnknownZonage", UnknownZonage { value: huge() }),
    ]
}

fn assert_short(what: &str, message: &str) {
    let chars = message.chars().count();
    assert!(
        chars < MESSAGE_MAX,
        "{what}: message of {chars} characters: {}",
        maillage_formats::text::cut(message, 1000)
    );
    assert!(!message.is_empty(), "{what}: empty message");
}

#[test]
fn a_format_error_keeps_at_most_an_extract_of_each_value_from_its_construction() {
    for (name, kind) in format_kinds() {
        let error = FormatError::new(hostile_location(), kind);
        // What the error holds, whatever is done with it later (logged, serialised, worded).
        let held = format!("{error:?}");
        assert!(
            held.len() < 4 * MESSAGE_MAX,
            "{name}: the error holds {} bytes",
            held.len()
        );
        assert_short(name, &error.french());
        assert!(
            error.french().contains('…'),
            "{name}: the cut is not shown: {}",
            error.french()
        );
    }
}

#[test]
fn a_format_error_built_raw_is_still_worded_short() {
    for (name, kind) in format_kinds() {
        // Bypassing the constructor, as a struct literal would: the wording is the second guard.
        let error = FormatError {
            location: Location {
                field: Some(huge()),
                ..hostile_location()
            },
            kind,
        };
        assert_short(name, &error.french());
    }
}

#[test]
fn warnings_and_import_notes_quote_extracts() {
    let location = hostile_location();
    let warnings = vec![
        (
            "OrphanGeolocation",
            WarningKind::OrphanGeolocation { id: huge() },
        ),
        (
            "UnknownProjection",
            WarningKind::UnknownProjection { source: huge() },
        ),
        (
            "UnknownColumns",
            WarningKind::UnknownColumns { columns: many(25) },
        ),
    ];
    for (name, kind) in warnings {
        let warning = FormatWarning {
            location: location.clone(),
            kind,
        };
        assert_short(name, &warning.french());
        assert_short(
            name,
            &ImportNote::Format {
                warning: warning.clone(),
            }
            .french(),
        );
    }
    let notes = vec![
        (
            "DuplicateAddress",
            ImportNote::DuplicateAddress {
                line: 3,
                id: huge(),
            },
        ),
        (
            "ClosedEstablishment",
            ImportNote::ClosedEstablishment { finess: huge() },
        ),
    ];
    for (name, note) in notes {
        assert_short(name, &note.french());
    }
}

#[test]
fn store_errors_quote_extracts() {
    let raw_format = FormatError {
        location: hostile_location(),
        kind: FormatErrorKind::InvalidValue {
            value: huge(),
            expected: expected::NUMBER,
        },
    };
    let errors: Vec<(&str, StoreError)> = vec![
        (
            "Connect",
            StoreError::Connect {
                location: huge(),
                reason: huge(),
            },
        ),
        ("Migration", StoreError::Migration(huge())),
        ("Format", StoreError::Format(Box::new(raw_format))),
        (
            "Io",
            StoreError::Io {
                path: huge(),
                reason: huge(),
            },
        ),
        (
            "NotABackup",
            StoreError::NotABackup {
                path: huge(),
                reason: maillage_store::BackupProblem::Unreadable(huge()),
            },
        ),
        (
            "UnknownZone",
            StoreError::UnknownZone {
                kind: huge(),
                code: huge(),
            },
        ),
        ("UnknownCommune", StoreError::UnknownCommune(huge())),
        (
            "InvalidValue",
            StoreError::InvalidValue {
                field: "population",
                value: huge(),
            },
        ),
        ("AlreadyExists", StoreError::AlreadyExists(huge())),
        (
            "UnknownEpci (none known)",
            StoreError::UnknownEpci {
                code: huge(),
                epci_known: 0,
            },
        ),
        (
            "UnknownEpci",
            StoreError::UnknownEpci {
                code: huge(),
                epci_known: 12,
            },
        ),
    ];
    for (name, error) in errors {
        assert_short(name, &error.french());
    }
    let accounts: Vec<(&str, AccountError)> = vec![
        ("InvalidIdentifier", AccountError::InvalidIdentifier(huge())),
        ("IdentifierTaken", AccountError::IdentifierTaken(huge())),
        ("UnknownRole", AccountError::UnknownRole(huge())),
        (
            "InvalidCommuneCode",
            AccountError::InvalidCommuneCode(huge()),
        ),
        ("UnknownAccount", AccountError::UnknownAccount(huge())),
    ];
    for (name, error) in accounts {
        assert_short(name, &error.french());
    }
}

#[test]
fn crisis_and_network_refusals_quote_extracts() {
    let crisis: Vec<(&str, CrisisError)> = vec![
        (
            "InsufficientStock",
            CrisisError::InsufficientStock {
                item: huge(),
                requested: 3,
                available: 1,
            },
        ),
        (
            "ExpiredLot",
            CrisisError::ExpiredLot {
                lot: huge(),
                expiry: "2026-07-01".parse().expect("a date"),
            },
        ),
        (
            "PopulationMissing",
            CrisisError::PopulationMissing { zone: huge() },
        ),
    ];
    for (name, error) in crisis {
        assert_short(name, &error.french());
    }
    let network: Vec<(&str, NetworkError)> = vec![
        (
            "InvertedRange",
            NetworkError::InvertedRange {
                field: "age",
                low: huge(),
                high: huge(),
            },
        ),
        (
            "CsvLine",
            NetworkError::CsvLine {
                line: 4,
                column: huge(),
                problem: Box::new(NetworkError::CsvUnknownColumn(huge())),
            },
        ),
        ("CsvMissingColumn", NetworkError::CsvMissingColumn(huge())),
        ("CsvUnknownColumn", NetworkError::CsvUnknownColumn(huge())),
        (
            "CsvUnreadable",
            NetworkError::CsvUnreadable {
                line: 2,
                reason: maillage_network::CsvProblem::Header(huge()),
            },
        ),
        (
            "CsvDuplicateKey",
            NetworkError::CsvDuplicateKey {
                key: huge(),
                first: 2,
                second: 9,
            },
        ),
    ];
    for (name, error) in network {
        assert_short(name, &error.french());
    }
}

#[test]
fn accessibility_routing_and_analysis_errors_quote_extracts() {
    let steps: Vec<(&str, StepsError)> = vec![
        (
            "Syntax",
            StepsError::Syntax {
                item: 1,
                text: huge(),
            },
        ),
        (
            "NotANumber",
            StepsError::NotANumber {
                item: 1,
                text: huge(),
            },
        ),
    ];
    for (name, error) in steps {
        assert_short(name, &error.french());
    }
    let access: Vec<(&str, AccessError)> = vec![
        (
            "DuplicateId",
            AccessError::DuplicateId {
                side: Side::Demand,
                id: huge(),
                first: 0,
                second: 1,
            },
        ),
        (
            "InvalidValue",
            AccessError::InvalidValue {
                side: Side::Supply,
                id: huge(),
                value: -1.0,
            },
        ),
        (
            "BandCount",
            AccessError::BandCount {
                id: huge(),
                expected: 3,
                found: 2,
            },
        ),
        (
            "InvalidBandValue",
            AccessError::InvalidBandValue {
                id: huge(),
                band: huge(),
                value: -1.0,
            },
        ),
        (
            "DuplicateBand",
            AccessError::DuplicateBand { label: huge() },
        ),
        (
            "InvalidNeedWeight",
            AccessError::InvalidNeedWeight {
                label: huge(),
                weight: -1.0,
            },
        ),
        (
            "UnknownId",
            AccessError::UnknownId {
                side: Side::Supply,
                id: huge(),
                pair: 0,
            },
        ),
        (
            "InvalidCost",
            AccessError::InvalidCost {
                zone: huge(),
                site: huge(),
                cost: -1.0,
                pair: 0,
            },
        ),
        (
            "DuplicatePair",
            AccessError::DuplicatePair {
                zone: huge(),
                site: huge(),
                first: 0,
                second: 1,
            },
        ),
    ];
    for (name, error) in access {
        assert_short(name, &error.french());
    }
    let table_kinds: Vec<(&str, TableErrorKind)> = vec![
        ("Io", TableErrorKind::Io(huge())),
        (
            "BadHeader",
            TableErrorKind::BadHeader {
                expected: "id,population".into(),
                found: huge(),
            },
        ),
        ("Malformed", TableErrorKind::Malformed(huge())),
        (
            "MissingValue",
            TableErrorKind::MissingValue { field: huge() },
        ),
        (
            "NotANumber",
            TableErrorKind::NotANumber {
                field: huge(),
                value: huge(),
            },
        ),
        (
            "NotFinite",
            TableErrorKind::NotFinite {
                field: huge(),
                value: huge(),
            },
        ),
        (
            "Negative",
            TableErrorKind::Negative {
                field: huge(),
                value: -1.0,
            },
        ),
        (
            "InvalidFlag",
            TableErrorKind::InvalidFlag {
                field: huge(),
                value: huge(),
            },
        ),
        (
            "DuplicateId",
            TableErrorKind::DuplicateId {
                id: huge(),
                first_line: 2,
            },
        ),
        (
            "UnknownId",
            TableErrorKind::UnknownId {
                side: Side::Demand,
                id: huge(),
            },
        ),
        (
            "DuplicatePair",
            TableErrorKind::DuplicatePair {
                origin: huge(),
                destination: huge(),
                first_line: 2,
            },
        ),
    ];
    for (name, kind) in table_kinds {
        let error = TableError {
            file: PathBuf::from("couts-de-test.csv"),
            line: Some(3),
            column: Some(2),
            kind,
        };
        assert_short(name, &error.french());
    }
    let path = PathBuf::from("points-de-test.csv");
    let routing: Vec<(&str, RoutingError)> = vec![
        (
            "Io",
            RoutingError::Io {
                path: path.clone(),
                message: huge(),
            },
        ),
        (
            "Pbf",
            RoutingError::Pbf {
                path: path.clone(),
                message: huge(),
            },
        ),
        (
            "ProfileMismatch",
            RoutingError::ProfileMismatch {
                path: path.clone(),
                found: huge(),
                requested: maillage_routing::Profile::Car,
            },
        ),
        (
            "Csv MissingColumn",
            RoutingError::Csv {
                path: path.clone(),
                line: 1,
                column: None,
                problem: CsvProblem::MissingColumn {
                    column: "lon",
                    found: many(30),
                },
            },
        ),
        (
            "Csv NotANumber",
            RoutingError::Csv {
                path: path.clone(),
                line: 2,
                column: Some(2),
                problem: CsvProblem::NotANumber {
                    field: "lon",
                    value: huge(),
                },
            },
        ),
        (
            "Csv Unreadable",
            RoutingError::Csv {
                path: path.clone(),
                line: 2,
                column: None,
                problem: CsvProblem::Unreadable(huge()),
            },
        ),
        (
            "DuplicatePointId",
            RoutingError::DuplicatePointId {
                path: path.clone(),
                id: huge(),
                line: 3,
                first_line: 2,
            },
        ),
        (
            "Zones Json",
            RoutingError::Zones {
                path: path.clone(),
                feature: None,
                problem: ZoneProblem::Json(huge()),
            },
        ),
        (
            "Zones Geometry",
            RoutingError::Zones {
                path: path.clone(),
                feature: Some(0),
                problem: ZoneProblem::Geometry(huge()),
            },
        ),
        (
            "Zones MissingPopulation",
            RoutingError::Zones {
                path: path.clone(),
                feature: Some(0),
                problem: ZoneProblem::MissingPopulation { field: huge() },
            },
        ),
        (
            "Zones InvalidPopulation",
            RoutingError::Zones {
                path: path.clone(),
                feature: Some(0),
                problem: ZoneProblem::InvalidPopulation {
                    field: huge(),
                    value: huge(),
                },
            },
        ),
    ];
    for (name, error) in routing {
        assert_short(name, &error.french());
    }
    let analysis: Vec<(&str, AnalysisError)> = vec![
        ("NoSupply", AnalysisError::NoSupply { profession: huge() }),
        (
            "UnknownProfession",
            AnalysisError::UnknownProfession(huge()),
        ),
    ];
    for (name, error) in analysis {
        assert_short(name, &error.french());
    }
}
