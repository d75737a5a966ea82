//! How recent each official source is: the edition of its last imported file against the rhythm at which its
//! publisher releases a new one, so that pages can say when an import is due.

use crate::{Result, Store};
use jiff::civil::Date;
use serde::Serialize;
use sqlx::Row;

/// How often a publisher releases a new edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rhythm {
    Monthly,
    Yearly,
}

/// The sources with a known publication rhythm, by batch kind.
pub const RHYTHMS: &[(&str, Rhythm)] = &[
    ("annuaire", Rhythm::Monthly),
    ("finess", Rhythm::Monthly),
    ("insee-iris", Rhythm::Yearly),
    ("ban", Rhythm::Monthly),
];

/// The last import of one source and how it stands against the source's rhythm.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceFreshness {
    pub kind: String,
    pub batch_id: i64,
    pub file_name: String,
    pub imported_at: String,
    /// Edition date of the file (ISO), from its content or its name; unknown for some files (BAN).
    pub edition: Option<String>,
    /// Yearly sources carry a vintage year rather than an edition date (INSEE population of year N).
    pub vintage_year: Option<i16>,
    pub rhythm: Rhythm,
    /// Older than the rhythm allows: a newer edition has been published since.
    pub stale: bool,
}

/// The freshness of every source with a rhythm that has been imported, in the order of [`RHYTHMS`].
pub async fn of_sources(store: &Store, today: Date) -> Result<Vec<SourceFreshness>> {
    let mut out = Vec::new();
    for &(kind, rhythm) in RHYTHMS {
        out.extend(of_source(store, kind, rhythm, today).await?);
    }
    Ok(out)
}

/// The freshness of one source (an import kind), when it is older than its publication rhythm.
pub async fn stale_of(store: &Store, kind: &str, today: Date) -> Result<Option<SourceFreshness>> {
    let Some(&(kind, rhythm)) = RHYTHMS.iter().find(|(k, _)| *k == kind) else {
        return Ok(None);
    };
    Ok(of_source(store, kind, rhythm, today)
        .await?
        .filter(|f| f.stale))
}

/// The freshness of the last import of `kind`, if it was ever imported.
async fn of_source(
    store: &Store,
    kind: &str,
    rhythm: Rhythm,
    today: Date,
) -> Result<Option<SourceFreshness>> {
    let row = sqlx::query(
        "SELECT id, file_name, vintage, imported_at FROM import_batch WHERE kind = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(kind)
    .fetch_optional(store.pool())
    .await?;
    let Some(row) = row else { return Ok(None) };
    let file_name: String = row.try_get("file_name")?;
    let vintage: Option<String> = row.try_get("vintage")?;
    let imported_at: String = row.try_get("imported_at")?;
    Ok(Some(assess(
        kind,
        rhythm,
        row.try_get("id")?,
        file_name,
        vintage,
        imported_at,
        today,
    )))
}

fn iso_date(s: &str) -> Option<Date> {
    s.get(..10)?.parse().ok()
}

fn assess(
    kind: &str,
    rhythm: Rhythm,
    batch_id: i64,
    file_name: String,
    vintage: Option<String>,
    imported_at: String,
    today: Date,
) -> SourceFreshness {
    let edition = vintage.as_deref().and_then(iso_date).or_else(|| {
        crate::imports::date_in_file_name(std::path::Path::new(&file_name))
            .and_then(|d| iso_date(&d))
    });
    let vintage_year = vintage
        .as_deref()
        .filter(|v| v.len() == 4)
        .and_then(|v| v.parse::<i16>().ok());
    let stale = match rhythm {
        Rhythm::Monthly => {
            // A file's edition is never later than its import: without an edition date, the import date
            // bounds it.
            let known = edition.or_else(|| iso_date(&imported_at));
            let limit = today.checked_sub(jiff::Span::new().months(2)).ok();
            matches!((known, limit), (Some(d), Some(l)) if d < l)
        }
        Rhythm::Yearly => match vintage_year {
            // INSEE publishes the population of year N by IRIS in the autumn of N + 3.
            Some(year) => {
                let latest = today.year() - if today.month() >= 10 { 3 } else { 4 };
                year < latest
            }
            None => {
                let limit = today.checked_sub(jiff::Span::new().years(1)).ok();
                matches!((edition, limit), (Some(d), Some(l)) if d < l)
            }
        },
    };
    SourceFreshness {
        kind: kind.to_string(),
        batch_id,
        file_name,
        imported_at,
        edition: edition.map(|d| d.to_string()),
        vintage_year,
        rhythm,
        stale,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(
        kind: &str,
        rhythm: Rhythm,
        file: &str,
        vintage: Option<&str>,
        today: &str,
    ) -> SourceFreshness {
        assess(
            kind,
            rhythm,
            1,
            file.into(),
            vintage.map(str::to_string),
            "2026-09-05T10:00:00Z".into(),
            today.parse().unwrap(),
        )
    }

    #[test]
    fn a_monthly_source_is_stale_after_two_months() {
        let f = at(
            "annuaire",
            Rhythm::Monthly,
            "PS_LibreAcces_Personne_activite_202609030000.txt",
            Some("2026-09-03"),
            "2026-12-07",
        );
        assert_eq!(f.edition.as_deref(), Some("2026-09-03"));
        assert!(f.stale);
        let fresh = at(
            "finess",
            Rhythm::Monthly,
            "etalab.csv",
            Some("2026-11-20"),
            "2026-12-07",
        );
        assert!(!fresh.stale);
    }

    #[test]
    fn without_an_edition_date_the_import_date_bounds_it() {
        let f = at(
            "ban",
            Rhythm::Monthly,
            "adresses-35.csv.gz",
            None,
            "2026-12-07",
        );
        assert_eq!(f.edition, None);
        assert!(f.stale, "imported on 5 September, so edited before");
        assert!(
            !at(
                "ban",
                Rhythm::Monthly,
                "adresses-35.csv.gz",
                None,
                "2026-10-01"
            )
            .stale
        );
    }

    #[test]
    fn a_yearly_vintage_is_stale_once_a_newer_one_is_published() {
        let f = at(
            "insee-iris",
            Rhythm::Yearly,
            "base-ic.CSV",
            Some("2022"),
            "2026-12-07",
        );
        assert_eq!(f.vintage_year, Some(2022));
        assert!(f.stale);
        assert!(
            !at(
                "insee-iris",
                Rhythm::Yearly,
                "b.CSV",
                Some("2023"),
                "2026-12-07"
            )
            .stale
        );
        assert!(
            !at(
                "insee-iris",
                Rhythm::Yearly,
                "b.CSV",
                Some("2022"),
                "2026-06-01"
            )
            .stale
        );
    }
}
