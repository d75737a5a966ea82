//! Zonage médecins of the ARS (CartoSanté export or an ARS file): the zonage of each commune and QPV of the
//! territory with the date of its arrêté, written through `rows` (a newer file marks the rows it no longer
//! lists removed), and read back for zone pages, the map layer and exports.

use super::Progress;
use crate::batch::Source;
use crate::rows::{HashedTable, Val};
use crate::session::{ImportNote, ImportReport, ImportSession};
use crate::{Result, Store, territory};
use maillage_formats::zonage::read_zonage;
pub use maillage_formats::zonage::{Zonage, ZonageColumns};
use maillage_formats::{FormatError, FormatErrorKind, FormatWarning, Location, WarningKind};
use serde::Serialize;
use sqlx::Row;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

const TABLE: &str = "zonage_medecins";
const COLUMNS: &[&str] = &[
    "unit",
    "code",
    "zonage",
    "quartiers_only",
    "arrete",
    "label",
];

/// `arrete`: the date (ISO) of the arrêté for rows that carry none.
pub async fn import(
    store: &Store,
    path: &Path,
    columns: &ZonageColumns,
    arrete: Option<&str>,
    progress: &dyn Progress,
) -> Result<ImportReport> {
    let filter = territory::filter(store).await?;
    let file = read_zonage(path, columns, arrete)?;
    progress.rows(file.records.len() as u64, None);
    let latest = file.records.iter().map(|r| r.arrete.clone()).max();
    let source = Source::of_file(
        crate::imports::SourceKind::Zonage.code(),
        path,
        latest.clone(),
    )?;
    let mut s = ImportSession::start(store, source).await?;
    if !file.unknown_columns.is_empty() {
        s.note(ImportNote::Format {
            warning: FormatWarning {
                location: Location::file(path).line(1),
                kind: WarningKind::UnknownColumns {
                    columns: file.unknown_columns.clone(),
                },
            },
        });
    }
    let known_qpv: HashSet<String> =
        sqlx::query_scalar("SELECT code FROM zone WHERE kind = 'qpv' AND removed_batch_id IS NULL")
            .fetch_all(s.tx.conn())
            .await?
            .into_iter()
            .collect();
    let mut table = HashedTable::load(&mut s.tx, TABLE, "zonage_key", COLUMNS, s.batch_id).await?;
    // Key → (what the file said, where): a commune given twice with two zonages is an error of the file.
    let mut written: HashMap<String, (Vec<Val>, Location)> = HashMap::new();
    let mut by_zonage: BTreeMap<&'static str, u64> = BTreeMap::new();
    let (mut communes, mut qpvs) = (0u64, 0u64);
    for r in &file.records {
        let kept_communes: Vec<&String> = r
            .communes
            .iter()
            .filter(|c| filter.keeps_commune(c))
            .collect();
        // A QPV is kept with the commune of its row, or, alone on its row, when the base knows it (or holds
        // every commune).
        let qpv_kept = |q: &String| {
            if r.communes.is_empty() {
                filter.unrestricted() || known_qpv.contains(q)
            } else {
                !kept_communes.is_empty()
            }
        };
        let units = r
            .communes
            .iter()
            .map(|c| ("commune", c, kept_communes.contains(&c)))
            .chain(r.qpvs.iter().map(|q| ("qpv", q, qpv_kept(q))));
        for (unit, code, kept) in units {
            s.counts.rows_read += 1;
            if !kept {
                s.counts.filtered += 1;
                continue;
            }
            let key = format!("{unit}:{code}");
            let values = vec![
                Val::text(unit),
                Val::text(code),
                Val::text(r.value.zonage.code()),
                Val::Int(Some(i64::from(r.value.quartiers_only))),
                Val::text(&r.arrete),
                Val::opt(r.label.clone()),
            ];
            if let Some((first, at)) = written.get(&key) {
                if first[2..5] != values[2..5] {
                    return Err(FormatError::new(
                        r.location.clone(),
                        FormatErrorKind::DuplicateId {
                            id: code.clone(),
                            first_line: at.line.unwrap_or(0),
                        },
                    )
                    .into());
                }
                s.counts.unchanged += 1;
                continue;
            }
            written.insert(key.clone(), (values.clone(), r.location.clone()));
            let change = table.put(&mut s.tx, &key, values).await?;
            s.counts.record(change);
            *by_zonage.entry(r.value.zonage.code()).or_default() += 1;
            if unit == "commune" {
                communes += 1;
            } else {
                qpvs += 1;
            }
            if table.wants_flush() {
                table.flush(&mut s.tx).await?;
            }
        }
    }
    s.counts.removed = table.mark_unseen_removed(&mut s.tx).await?;
    let details = serde_json::json!({
        "format": file.layout, "communes": communes, "qpv": qpvs, "par_zonage": by_zonage, "arrete": latest,
    });
    s.commit(latest, details).await
}

/// The zonage of one commune or QPV, as in force.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ZonageEntry {
    /// `commune` or `qpv`.
    pub unit: String,
    pub code: String,
    /// `ZIP`, `ZAC`, `ZAR`, `ZV`, `HZ`.
    pub zonage: String,
    /// The zonage holds for some grands quartiers of the commune only.
    pub quartiers_only: bool,
    /// ISO date of the arrêté.
    pub arrete: String,
    pub label: Option<String>,
}

impl ZonageEntry {
    pub fn kind(&self) -> Option<Zonage> {
        Zonage::from_code(&self.zonage)
    }
}

fn entry(r: &sqlx::any::AnyRow) -> Result<ZonageEntry> {
    Ok(ZonageEntry {
        unit: r.try_get("unit")?,
        code: r.try_get("code")?,
        zonage: r.try_get("zonage")?,
        quartiers_only: r.try_get::<i64, _>("quartiers_only")? != 0,
        arrete: r.try_get("arrete")?,
        label: r.try_get("label")?,
    })
}

/// Every zonage in force, by unit then code.
pub async fn all(store: &Store) -> Result<Vec<ZonageEntry>> {
    sqlx::query(
        "SELECT unit, code, zonage, quartiers_only, arrete, label FROM zonage_medecins
         WHERE removed_batch_id IS NULL ORDER BY unit, code",
    )
    .fetch_all(store.pool())
    .await?
    .iter()
    .map(entry)
    .collect()
}

/// Whether any zonage is in force (the map offers its layer then).
pub async fn any(store: &Store) -> Result<bool> {
    Ok(
        sqlx::query("SELECT 1 FROM zonage_medecins WHERE removed_batch_id IS NULL LIMIT 1")
            .fetch_optional(store.pool())
            .await?
            .is_some(),
    )
}

/// The zonage of a commune (`unit` = `commune`) or a QPV (`qpv`), if the base has one.
pub async fn of_zone(store: &Store, unit: &str, code: &str) -> Result<Option<ZonageEntry>> {
    sqlx::query(
        "SELECT unit, code, zonage, quartiers_only, arrete, label FROM zonage_medecins
         WHERE unit = $1 AND code = $2 AND removed_batch_id IS NULL",
    )
    .bind(unit)
    .bind(code)
    .fetch_optional(store.pool())
    .await?
    .as_ref()
    .map(entry)
    .transpose()
}
