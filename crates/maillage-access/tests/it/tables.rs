//! Reading CSV inputs: what is accepted, and where each problem is reported.

use maillage_access::tables::*;
use maillage_access::*;
use std::path::{Path, PathBuf};

struct Files(tempfile::TempDir);

impl Files {
    fn new() -> Files {
        Files(tempfile::tempdir().unwrap())
    }
    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.0.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    }
}

fn err(path: &Path, line: u64, column: Option<usize>, kind: TableErrorKind) -> TableError {
    TableError {
        file: path.to_path_buf(),
        line: Some(line),
        column,
        kind,
    }
}

#[test]
fn reads_the_three_files() {
    let f = Files::new();
    // A byte-order mark, spaces and a quoted id are tolerated.
    let d = f.write("d.csv", "\u{feff}id,value\nA, 1000\n\"B,2\",2000\n");
    let s = f.write("s.csv", "id,value,hors_territoire\nS1,2,0\nS2,1.5,1\n");
    let t = f.write(
        "t.csv",
        "origin,destination,cost\nA,S1,5\n\"B,2\",S2,8.25\n",
    );
    let demand = read_demand(&d).unwrap();
    let supply = read_supply(&s, SupplyUnit::Fte).unwrap();
    assert_eq!(
        demand.zones()[1],
        Zone {
            id: "B,2".into(),
            demand: 2000.0,
            outside_territory: false
        }
    );
    assert_eq!(
        supply.sites()[1],
        Site {
            id: "S2".into(),
            supply: 1.5,
            outside_territory: true
        }
    );
    let costs = read_costs(&t, &demand, &supply).unwrap();
    assert_eq!(costs.len(), 2);
    let result = compute(&demand, &supply, &costs, &Params::new(Decay::luo_qi())).unwrap();
    assert_eq!(result.access, vec![2.0 / 1000.0, 1.5 / 2000.0]);
}

#[test]
fn reads_age_bands() {
    let f = Files::new();
    let d = f.write("d.csv", "id,jeunes,vieux\nZ,100,50\n");
    let bands = vec![
        NeedBand {
            label: "jeunes".into(),
            weight: 0.8,
        },
        NeedBand {
            label: "vieux".into(),
            weight: 1.4,
        },
    ];
    let demand = read_demand_by_age(&d, bands.clone()).unwrap();
    assert_eq!(demand.zones()[0].demand, 100.0 * 0.8 + 50.0 * 1.4);
    let swapped = f.write("e.csv", "id,vieux,jeunes\nZ,50,100\n");
    assert_eq!(
        read_demand_by_age(&swapped, bands).unwrap_err(),
        err(
            &swapped,
            1,
            Some(2),
            TableErrorKind::BadHeader {
                expected: "id,jeunes,vieux".into(),
                found: "id,vieux,jeunes".into()
            }
        )
    );
}

#[test]
fn header_problems() {
    let f = Files::new();
    let empty = f.write("empty.csv", "");
    assert_eq!(
        read_demand(&empty).unwrap_err(),
        TableError {
            file: empty.clone(),
            line: Some(1),
            column: None,
            kind: TableErrorKind::Empty
        }
    );
    let semicolon = f.write("semi.csv", "id;value\nA;1\n");
    assert_eq!(
        read_demand(&semicolon).unwrap_err(),
        err(
            &semicolon,
            1,
            Some(1),
            TableErrorKind::BadHeader {
                expected: "id,value".into(),
                found: "id;value".into()
            }
        )
    );
    let costs = f.write("t.csv", "origine,destination,cout\n");
    let demand = Demand::population(vec![]).unwrap();
    let supply = Supply::new(SupplyUnit::Fte, vec![]).unwrap();
    assert_eq!(
        read_costs(&costs, &demand, &supply).unwrap_err(),
        err(
            &costs,
            1,
            Some(1),
            TableErrorKind::BadHeader {
                expected: "origin,destination,cost".into(),
                found: "origine,destination,cout".into()
            }
        )
    );
    let gone = f.0.path().join("absent.csv");
    assert!(matches!(
        read_demand(&gone).unwrap_err().kind,
        TableErrorKind::Io(_)
    ));
}

#[test]
fn value_problems_give_line_and_column() {
    let f = Files::new();
    let cases: &[(&str, u64, Option<usize>, TableErrorKind)] = &[
        (
            "id,value\nA,1\nB,-3\n",
            3,
            Some(2),
            TableErrorKind::Negative {
                field: "value".into(),
                value: -3.0,
            },
        ),
        (
            "id,value\nA,1\nB,\n",
            3,
            Some(2),
            TableErrorKind::MissingValue {
                field: "value".into(),
            },
        ),
        (
            "id,value\nA,1\n,4\n",
            3,
            Some(1),
            TableErrorKind::MissingValue { field: "id".into() },
        ),
        (
            "id,value\nA,1,5\n",
            2,
            None,
            TableErrorKind::FieldCount {
                expected: 2,
                found: 3,
            },
        ),
        (
            "id,value\nA,12,5\n",
            2,
            None,
            TableErrorKind::FieldCount {
                expected: 2,
                found: 3,
            },
        ),
        (
            "id,value\nA,douze\n",
            2,
            Some(2),
            TableErrorKind::NotANumber {
                field: "value".into(),
                value: "douze".into(),
            },
        ),
        (
            "id,value\nA,NaN\n",
            2,
            Some(2),
            TableErrorKind::NotFinite {
                field: "value".into(),
                value: "NaN".into(),
            },
        ),
        (
            "id,value\nA,1\nB,2\nA,3\n",
            4,
            Some(1),
            TableErrorKind::DuplicateId {
                id: "A".into(),
                first_line: 2,
            },
        ),
        (
            "id,value,hors_territoire\nA,1,oui\n",
            2,
            Some(3),
            TableErrorKind::InvalidFlag {
                field: "hors_territoire".into(),
                value: "oui".into(),
            },
        ),
    ];
    for (text, line, column, kind) in cases {
        let path = f.write("d.csv", text);
        assert_eq!(
            read_demand(&path).unwrap_err(),
            err(&path, *line, *column, kind.clone()),
            "{text:?}"
        );
    }
    let bad_utf8 = f.0.path().join("latin1.csv");
    std::fs::write(&bad_utf8, b"id,value\nCr\xe9teil,1\n").unwrap();
    assert_eq!(
        read_demand(&bad_utf8).unwrap_err(),
        err(&bad_utf8, 2, Some(1), TableErrorKind::NotUtf8)
    );
    // Lines stay right after CRLF ends (Windows), blank lines and quoted line breaks.
    let crlf = f.write(
        "crlf.csv",
        "id,value\r\nA,1\r\n\r\n\"B\nbis\",2\r\nC,-1\r\n",
    );
    assert_eq!(
        read_demand(&crlf).unwrap_err(),
        err(
            &crlf,
            6,
            Some(2),
            TableErrorKind::Negative {
                field: "value".into(),
                value: -1.0
            }
        )
    );
    let quote = f.write("quote.csv", "id,value\n\"A,1\n");
    let e = read_demand(&quote).unwrap_err();
    assert_eq!(e.line, Some(2));
}

#[test]
fn cost_problems_give_line_and_column() {
    let f = Files::new();
    let demand = read_demand(&f.write("d.csv", "id,value\nA,10\nB,20\n")).unwrap();
    let supply = read_supply(&f.write("s.csv", "id,value\nS,1\n"), SupplyUnit::Headcount).unwrap();
    let cases: &[(&str, u64, Option<usize>, TableErrorKind)] = &[
        (
            "origin,destination,cost\nA,S,1\nX,S,2\n",
            3,
            Some(1),
            TableErrorKind::UnknownId {
                side: Side::Demand,
                id: "X".into(),
            },
        ),
        (
            "origin,destination,cost\nA,T,2\n",
            2,
            Some(2),
            TableErrorKind::UnknownId {
                side: Side::Supply,
                id: "T".into(),
            },
        ),
        (
            "origin,destination,cost\nA,S,-2\n",
            2,
            Some(3),
            TableErrorKind::Negative {
                field: "cost".into(),
                value: -2.0,
            },
        ),
        (
            "origin,destination,cost\nA,S,inf\n",
            2,
            Some(3),
            TableErrorKind::NotFinite {
                field: "cost".into(),
                value: "inf".into(),
            },
        ),
        (
            "origin,destination,cost\nA,S\n",
            2,
            None,
            TableErrorKind::FieldCount {
                expected: 3,
                found: 2,
            },
        ),
        // The line of a repeated pair is found even after a blank line.
        (
            "origin,destination,cost\nA,S,1\n\nB,S,2\nA,S,3\n",
            5,
            None,
            TableErrorKind::DuplicatePair {
                origin: "A".into(),
                destination: "S".into(),
                first_line: 2,
            },
        ),
    ];
    for (text, line, column, kind) in cases {
        let path = f.write("t.csv", text);
        assert_eq!(
            read_costs(&path, &demand, &supply).unwrap_err(),
            err(&path, *line, *column, kind.clone()),
            "{text:?}"
        );
    }
}
