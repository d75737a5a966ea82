//! The invariant "one write mechanism", checked: a table written through `rows` (it carries `row_hash` and
//! `removed_batch_id`, read from a fresh store's schema) is inserted into, updated and deleted from by
//! `src/rows.rs` only. Every SQL statement of the store's sources naming such a table outside `rows.rs` fails
//! this test, unless it only derives keys (`SET row_key = …`, a restore of an older backup) or is one of the
//! [`OUTSIDE_ROWS`] exceptions, a list that only shrinks. A statement whose table is built at run time must be
//! one of [`DYNAMIC_TABLES`]. Like the workspace's tidy tests it reads text, not a parsed program: it catches
//! the statements as the store writes them (upper-case SQL keywords in string literals).

use maillage_store::Store;
use maillage_testkit::TestBase;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Writes of a `rows` table outside `rows.rs` still to move, with why they are there: (file under `src/`,
/// table, why). Remove an entry when its write goes through `rows`; the test fails while an entry matches
/// nothing.
const OUTSIDE_ROWS: &[(&str, &str, &str)] = &[
    (
        "geocoding.rs",
        "practice_site",
        "positions found after the import (FINESS, BAN) written into the site's hashed lon/lat",
    ),
    (
        "imports/finess.rs",
        "establishment",
        "closing dates of the establishments a snapshot no longer holds (closed_on, outside the hash)",
    ),
];

/// Files whose statements name their table at run time, and why that is no import's write.
const DYNAMIC_TABLES: &[(&str, &str)] = &[
    ("rows.rs", "the mechanism itself"),
    (
        "backup.rs",
        "a restore copies every table as saved, after emptying it",
    ),
    (
        "gpkg.rs",
        "writes a GeoPackage file for export, not the store",
    ),
];

/// The tables written through `rows`, from the schema of a fresh SQLite store.
async fn rows_tables() -> BTreeSet<String> {
    let base = TestBase::sqlite();
    let store = Store::open(&base.location).await.unwrap();
    sqlx::query_scalar(
        "SELECT m.name FROM sqlite_master m WHERE m.type = 'table'
           AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) c WHERE c.name = 'row_hash')
           AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) c WHERE c.name = 'removed_batch_id')",
    )
    .fetch_all(store.pool())
    .await
    .unwrap()
    .into_iter()
    .collect()
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// One write statement found in a source: its verb, the table it names (`{…}` when built at run time) and
/// the columns it sets (an `UPDATE`).
#[derive(Debug)]
struct Write {
    table: String,
    sets: Vec<String>,
}

/// The write statements of `text`: `INSERT INTO t`, `UPDATE t SET …`, `DELETE FROM t`.
fn writes(text: &str) -> Vec<Write> {
    let mut out = Vec::new();
    for verb in ["INSERT INTO", "UPDATE", "DELETE FROM"] {
        for (at, _) in text.match_indices(verb) {
            let before = text[..at].chars().next_back();
            if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
                continue;
            }
            let rest = text[at + verb.len()..].trim_start();
            let rest = rest
                .strip_prefix("\\\"")
                .or_else(|| rest.strip_prefix('"'))
                .unwrap_or(rest);
            let table: String = if rest.starts_with('{') {
                "{…}".into()
            } else {
                rest.chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect()
            };
            if table.is_empty() || table == "SET" {
                continue;
            }
            let sets = if verb == "UPDATE" {
                set_columns(rest)
            } else {
                Vec::new()
            };
            out.push(Write { table, sets });
        }
    }
    out
}

/// The columns an `UPDATE t SET a = …, b = … WHERE …` sets: the name before `=` of each item of its `SET`
/// list at the top level (commas inside subqueries skipped), up to the end of the string literal.
fn set_columns(statement: &str) -> Vec<String> {
    let Some(start) = statement.char_indices().find_map(|(i, _)| {
        let after = statement[i..].strip_prefix("SET")?;
        let before = statement[..i].chars().next_back();
        (before.is_some_and(char::is_whitespace) && after.starts_with(char::is_whitespace))
            .then_some(i + 3)
    }) else {
        return Vec::new();
    };
    let mut items = vec![String::new()];
    let mut depth = 0;
    for c in statement[start..].chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            '"' if depth == 0 => break,
            ',' if depth == 0 => {
                items.push(String::new());
                continue;
            }
            _ => {}
        }
        if let Some(item) = items.last_mut() {
            item.push(c);
        }
    }
    items
        .iter()
        .filter_map(|i| i.split('=').next())
        .map(|name| name.trim().to_string())
        .filter(|name| !name.is_empty() && !name.contains(char::is_whitespace))
        .collect()
}

#[tokio::test]
async fn tables_written_through_rows_are_written_by_rows_only() {
    let tables = rows_tables().await;
    for expected in ["zone", "population", "professional_acts", "apl_drees"] {
        assert!(tables.contains(expected), "{expected} in {tables:?}");
    }
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut offenders = Vec::new();
    let mut used: BTreeSet<(&str, &str)> = BTreeSet::new();
    for file in &files {
        let name = file
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(file).unwrap();
        for w in writes(&text) {
            if w.table == "{…}" {
                if !DYNAMIC_TABLES.iter().any(|(f, _)| *f == name) {
                    offenders.push(format!("{name}: a write to a table named at run time"));
                }
                continue;
            }
            if name == "rows.rs" || !tables.contains(&w.table) {
                continue;
            }
            if !w.sets.is_empty() && w.sets.iter().all(|c| c == "row_key") {
                continue;
            }
            match OUTSIDE_ROWS
                .iter()
                .find(|(f, t, _)| *f == name && *t == w.table)
            {
                Some((f, t, _)) => {
                    used.insert((f, t));
                }
                None => offenders.push(format!("{name}: writes {} outside rows", w.table)),
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "Tables written through `rows` ({tables:?}) are written by `rows.rs` only: go through \
         `rows::HashedTable` (see zones.rs, imports/activity.rs):\n{}",
        offenders.join("\n")
    );
    for (file, table, _) in OUTSIDE_ROWS {
        assert!(
            used.contains(&(file, table)),
            "{file} no longer writes {table} outside rows: remove it from OUTSIDE_ROWS"
        );
    }
}

#[test]
fn the_scanner_finds_writes_and_the_columns_they_set() {
    let found = writes(
        "sqlx::query(\"INSERT INTO zone (id) VALUES ($1)\"); sqlx::query(\"DELETE FROM \\\"{table}\\\"\");
         \"UPDATE practice_site SET lon = (SELECT e.lon FROM establishment e WHERE e.x = 1, 2), lat = $2
          WHERE site_key = $1\"; \"UPDATE apl_drees SET row_key = a || '|' || b WHERE row_key IS NULL\";
         \"INSERT INTO audit_log (a) VALUES (1) ON CONFLICT (a) DO UPDATE SET a = 2\"; LAST_UPDATE zone",
    );
    let shown: Vec<(String, Vec<String>)> = found.into_iter().map(|w| (w.table, w.sets)).collect();
    let expect = |t: &str, s: &[&str]| (t.to_string(), s.iter().map(|c| c.to_string()).collect());
    assert_eq!(
        shown,
        vec![
            expect("zone", &[]),
            expect("audit_log", &[]),
            expect("practice_site", &["lon", "lat"]),
            expect("apl_drees", &["row_key"]),
            expect("{…}", &[]),
        ]
    );
}
