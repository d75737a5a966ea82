//! Indicators of a fiche action (baseline, target, optional link to an observatory indicator) and their
//! dated measures.

use crate::Store;
use crate::change::Change;
use crate::network::{
    Owner, Reach, Result, code, day, day_opt, day_text, guard, instant, read_if_reached, touched,
};
use jiff::Timestamp;
use jiff::civil::Date;
use maillage_network::codes::IndicatorKind;
use maillage_network::{Coded, NetworkError, fields, parse_code};
use sqlx::Row;
use sqlx::any::AnyRow;

/// An observatory indicator an indicator of the CLS follows (its code, profession and zone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObservatoryLink {
    pub indicator: String,
    pub profession: String,
    pub zone_kind: String,
    pub zone_code: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    pub id: i64,
    pub fiche_id: i64,
    pub kind: IndicatorKind,
    pub label: String,
    pub unit: Option<String>,
    pub baseline: Option<f64>,
    pub baseline_on: Option<Date>,
    pub target: Option<f64>,
    pub target_on: Option<Date>,
    pub source: Option<String>,
    pub observatory: Option<ObservatoryLink>,
}

#[derive(Debug, Clone, Default)]
pub struct IndicatorForm {
    pub kind: String,
    pub label: String,
    pub unit: String,
    pub baseline: String,
    pub baseline_on: String,
    pub target: String,
    pub target_on: String,
    pub source: String,
    /// `code|profession|zone kind|zone code`, or empty.
    pub observatory: String,
}

pub(super) fn indicator_of(r: &AnyRow) -> Result<Indicator> {
    let link = (
        r.try_get::<Option<String>, _>("observatory_indicator")?,
        r.try_get::<Option<String>, _>("observatory_profession")?,
        r.try_get::<Option<String>, _>("observatory_zone_kind")?,
        r.try_get::<Option<String>, _>("observatory_zone_code")?,
    );
    Ok(Indicator {
        id: r.try_get("id")?,
        fiche_id: r.try_get("fiche_id")?,
        kind: code("cls_indicator.kind", &r.try_get::<String, _>("kind")?)?,
        label: r.try_get("label")?,
        unit: r.try_get("unit")?,
        baseline: r.try_get("baseline")?,
        baseline_on: day_opt("cls_indicator.baseline_on", r.try_get("baseline_on")?)?,
        target: r.try_get("target")?,
        target_on: day_opt("cls_indicator.target_on", r.try_get("target_on")?)?,
        source: r.try_get("source")?,
        observatory: match link {
            (Some(indicator), Some(profession), Some(zone_kind), Some(zone_code)) => {
                Some(ObservatoryLink {
                    indicator,
                    profession,
                    zone_kind,
                    zone_code,
                })
            }
            _ => None,
        },
    })
}

pub(super) const INDICATOR_COLUMNS: &str = "i.id, i.fiche_id, i.kind, i.label, i.unit, i.baseline, i.baseline_on, i.target, \
     i.target_on, i.source, i.observatory_indicator, i.observatory_profession, i.observatory_zone_kind, \
     i.observatory_zone_code";

fn parse_link(text: &str) -> Result<Option<ObservatoryLink>> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let parts: Vec<&str> = t.split('|').map(str::trim).collect();
    let ok = |s: &str| {
        !s.is_empty() && s.len() <= 60 && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    match parts.as_slice() {
        [i, p, k, c] if [i, p, k, c].iter().all(|s| ok(s)) => Ok(Some(ObservatoryLink {
            indicator: i.to_string(),
            profession: p.to_string(),
            zone_kind: k.to_string(),
            zone_code: c.to_string(),
        })),
        _ => Err(
            NetworkError::Field(maillage_network::FieldError::InvalidField {
                field: "observatoire",
                expected: "un indicateur de l'observatoire",
            })
            .into(),
        ),
    }
}

pub async fn save_indicator(
    tx: &mut Change,
    reach: &Reach,
    id: Option<i64>,
    fiche_id: i64,
    f: &IndicatorForm,
) -> Result<i64> {
    // The update names its fiche too: reaching the fiche is reaching the indicator.
    guard(tx, reach, Owner::Fiche, fiche_id).await?;
    let kind: IndicatorKind = match f.kind.trim() {
        "" => IndicatorKind::Result,
        s => parse_code("type", s)?,
    };
    let label = fields::required_line("libelle", &f.label, 300)?;
    let unit = fields::line("unite", &f.unit, 40)?;
    let baseline = fields::decimal("valeur_reference", &f.baseline)?;
    let baseline_on = fields::date("date_reference", &f.baseline_on)?;
    let target = fields::decimal("cible", &f.target)?;
    let target_on = fields::date("date_cible", &f.target_on)?;
    let source = fields::line("source", &f.source, 300)?;
    let link = parse_link(&f.observatory)?;
    let l = link.as_ref();
    match id {
        None => {
            Ok(sqlx::query_scalar(
                "INSERT INTO cls_indicator (fiche_id, kind, label, unit, baseline, baseline_on, target, target_on, source,
                     observatory_indicator, observatory_profession, observatory_zone_kind, observatory_zone_code)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
            )
            .bind(fiche_id)
            .bind(kind.code())
            .bind(label)
            .bind(unit)
            .bind(baseline)
            .bind(day_text(baseline_on))
            .bind(target)
            .bind(day_text(target_on))
            .bind(source)
            .bind(l.map(|l| l.indicator.clone()))
            .bind(l.map(|l| l.profession.clone()))
            .bind(l.map(|l| l.zone_kind.clone()))
            .bind(l.map(|l| l.zone_code.clone()))
            .fetch_one(tx.conn())
            .await?)
        }
        Some(id) => {
            let n = sqlx::query(
                "UPDATE cls_indicator SET kind = $3, label = $4, unit = $5, baseline = $6, baseline_on = $7, target = $8,
                     target_on = $9, source = $10, observatory_indicator = $11, observatory_profession = $12,
                     observatory_zone_kind = $13, observatory_zone_code = $14
                 WHERE id = $1 AND fiche_id = $2",
            )
            .bind(id)
            .bind(fiche_id)
            .bind(kind.code())
            .bind(label)
            .bind(unit)
            .bind(baseline)
            .bind(day_text(baseline_on))
            .bind(target)
            .bind(day_text(target_on))
            .bind(source)
            .bind(l.map(|l| l.indicator.clone()))
            .bind(l.map(|l| l.profession.clone()))
            .bind(l.map(|l| l.zone_kind.clone()))
            .bind(l.map(|l| l.zone_code.clone()))
            .execute(tx.conn())
            .await?
            .rows_affected();
            touched(n, "indicateur", id)?;
            Ok(id)
        }
    }
}

pub async fn indicator(store: &Store, reach: &Reach, id: i64) -> Result<Option<Indicator>> {
    let Some(mut tx) = read_if_reached(store, reach, Owner::Indicator, id).await? else {
        return Ok(None);
    };
    let sql = format!("SELECT {INDICATOR_COLUMNS} FROM cls_indicator i WHERE i.id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(tx.conn())
        .await?
        .as_ref()
        .map(indicator_of)
        .transpose()
}

#[derive(Debug, Clone, PartialEq)]
pub struct Measure {
    pub id: i64,
    pub indicator_id: i64,
    pub measured_on: Date,
    pub value: f64,
    pub source: Option<String>,
    pub note: Option<String>,
    pub recorded_by: String,
}

pub(super) fn measure_of(r: &AnyRow) -> Result<Measure> {
    Ok(Measure {
        id: r.try_get("id")?,
        indicator_id: r.try_get("indicator_id")?,
        measured_on: day(
            "cls_measure.measured_on",
            &r.try_get::<String, _>("measured_on")?,
        )?,
        value: r.try_get("value")?,
        source: r.try_get("source")?,
        note: r.try_get("note")?,
        recorded_by: r.try_get("recorded_by")?,
    })
}

/// Records a measure; a second measure of the same day replaces the first.
#[allow(clippy::too_many_arguments)]
pub async fn add_measure(
    tx: &mut Change,
    reach: &Reach,
    indicator_id: i64,
    measured_on: &str,
    value: &str,
    source: &str,
    note: &str,
    by: &str,
    now: Timestamp,
) -> Result<i64> {
    guard(tx, reach, Owner::Indicator, indicator_id).await?;
    let measured_on = fields::required_date("date_mesure", measured_on)?;
    let value = fields::decimal("valeur", value)?.ok_or(NetworkError::Field(
        maillage_network::FieldError::MissingField { field: "valeur" },
    ))?;
    let source = fields::line("source", source, 300)?;
    let note = fields::optional("note", note, 2000)?;
    Ok(sqlx::query_scalar(
        "INSERT INTO cls_measure (indicator_id, measured_on, value, source, note, recorded_at, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (indicator_id, measured_on) DO UPDATE SET value = excluded.value, source = excluded.source,
             note = excluded.note, recorded_at = excluded.recorded_at, recorded_by = excluded.recorded_by
         RETURNING id",
    )
    .bind(indicator_id)
    .bind(measured_on.to_string())
    .bind(value)
    .bind(source)
    .bind(note)
    .bind(instant(now))
    .bind(by)
    .fetch_one(tx.conn())
    .await?)
}

pub async fn delete_measure(
    tx: &mut Change,
    reach: &Reach,
    indicator_id: i64,
    id: i64,
) -> Result<()> {
    guard(tx, reach, Owner::Indicator, indicator_id).await?;
    let n = sqlx::query("DELETE FROM cls_measure WHERE id = $1 AND indicator_id = $2")
        .bind(id)
        .bind(indicator_id)
        .execute(tx.conn())
        .await?
        .rows_affected();
    touched(n, "mesure", id)
}
