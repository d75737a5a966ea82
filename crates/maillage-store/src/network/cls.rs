//! Contrats locaux de santé: the contract of each generation (period, signatories, territory), its axes,
//! objectives and fiches actions (pilot, co-pilots, partners, public, territory, budget and funders, schedule,
//! status, nature), indicators with baseline, target and dated measures (optionally linked to an observatory
//! indicator), and the funding tracker with its reports (bilans). [`tree`] reads a whole contract at once for
//! its dashboard and its evaluation report.

use super::{
    Error, Owner, Reach, Result, Territorywide, begin_read, code, day, day_opt, day_text, guard,
    instant, may_assign, read_if_reached, touched,
};
use crate::Store;
use crate::change::Change;
use crate::change::reached_rows;
use crate::network::Refusal;
use jiff::Timestamp;
use jiff::civil::Date;
use maillage_network::codes::{
    ClsStatus, FicheNature, FicheStatus, FundingScheme, FundingStatus, IndicatorKind,
};
use maillage_network::progress::{self, AxisProgress, FicheInput, IndicatorProgress};
use maillage_network::{Coded, NetworkError, fields, parse_code};
use sqlx::Row;
use sqlx::any::AnyRow;
use std::collections::BTreeMap;

// ---------------------------------------------------------------------------------------------------------------
// Contracts and signatories.

#[derive(Debug, Clone, PartialEq)]
pub struct Contract {
    pub id: i64,
    /// The commune keeping the contract (None: an intercommunal contract of the whole territory).
    pub commune_code: Option<String>,
    pub name: String,
    pub generation: i64,
    pub starts_on: Date,
    pub ends_on: Date,
    pub territory: String,
    pub status: ClsStatus,
    pub signed_on: Option<Date>,
    pub summary: Option<String>,
    pub updated_at: String,
}

#[derive(Debug, Clone, Default)]
pub struct ContractForm {
    /// The commune keeping the contract (None: the whole territory).
    pub commune: Option<String>,
    pub name: String,
    pub generation: String,
    pub starts_on: String,
    pub ends_on: String,
    pub territory: String,
    pub status: String,
    pub signed_on: String,
    pub summary: String,
}

fn contract_of(r: &AnyRow) -> Result<Contract> {
    Ok(Contract {
        id: r.try_get("id")?,
        commune_code: r.try_get("commune_code")?,
        name: r.try_get("name")?,
        generation: r.try_get("generation")?,
        starts_on: day(
            "cls_contract.starts_on",
            &r.try_get::<String, _>("starts_on")?,
        )?,
        ends_on: day("cls_contract.ends_on", &r.try_get::<String, _>("ends_on")?)?,
        territory: r.try_get("territory")?,
        status: code("cls_contract.status", &r.try_get::<String, _>("status")?)?,
        signed_on: day_opt("cls_contract.signed_on", r.try_get("signed_on")?)?,
        summary: r.try_get("summary")?,
        updated_at: r.try_get("updated_at")?,
    })
}

const CONTRACT_COLUMNS: &str = "id, commune_code, name, generation, starts_on, ends_on, territory, status, signed_on, summary, updated_at";

pub async fn save_contract(
    tx: &mut Change,
    reach: &Reach,
    id: Option<i64>,
    f: &ContractForm,
    now: Timestamp,
) -> Result<i64> {
    if let Some(id) = id {
        guard(tx, reach, Owner::Contract, id).await?;
    }
    may_assign(reach, f.commune.as_deref())?;
    let name = fields::required_line("nom", &f.name, 200)?;
    let generation =
        fields::integer("generation", &f.generation, 1, 20)?.ok_or(NetworkError::MissingField {
            field: "generation",
        })?;
    let starts_on = fields::required_date("debut", &f.starts_on)?;
    let ends_on = fields::required_date("fin", &f.ends_on)?;
    fields::period("periode", Some(starts_on), Some(ends_on))?;
    let territory = fields::required_line("territoire", &f.territory, 200)?;
    let status: ClsStatus = match f.status.trim() {
        "" => ClsStatus::Preparation,
        s => parse_code("statut", s)?,
    };
    let signed_on = fields::date("signature", &f.signed_on)?;
    let summary = fields::optional("presentation", &f.summary, 5000)?;
    let at = instant(now);
    match id {
        None => Ok(sqlx::query_scalar(
            "INSERT INTO cls_contract (name, generation, starts_on, ends_on, territory, status, signed_on, summary,
                 created_at, updated_at, commune_code)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10) RETURNING id",
        )
        .bind(name)
        .bind(generation)
        .bind(starts_on.to_string())
        .bind(ends_on.to_string())
        .bind(territory)
        .bind(status.code())
        .bind(day_text(signed_on))
        .bind(summary)
        .bind(at)
        .bind(&f.commune)
        .fetch_one(tx.conn())
        .await?),
        Some(id) => {
            let n = sqlx::query(
                "UPDATE cls_contract SET name = $2, generation = $3, starts_on = $4, ends_on = $5, territory = $6,
                     status = $7, signed_on = $8, summary = $9, updated_at = $10, commune_code = $11 WHERE id = $1",
            )
            .bind(id)
            .bind(name)
            .bind(generation)
            .bind(starts_on.to_string())
            .bind(ends_on.to_string())
            .bind(territory)
            .bind(status.code())
            .bind(day_text(signed_on))
            .bind(summary)
            .bind(at)
            .bind(&f.commune)
            .execute(tx.conn())
            .await?
            .rows_affected();
            touched(n, "contrat", id)?;
            Ok(id)
        }
    }
}

/// The contracts the caller reaches, latest generation first.
pub async fn contracts(store: &Store, reach: &Reach) -> Result<Vec<Contract>> {
    let rows =
        reached_rows(store, reach, "commune_code", Territorywide::Shared, &format!("SELECT {CONTRACT_COLUMNS} FROM cls_contract WHERE {{reach}} ORDER BY starts_on DESC, generation DESC, id DESC")).await?;
    rows.iter().map(contract_of).collect()
}

pub async fn contract(store: &Store, reach: &Reach, id: i64) -> Result<Option<Contract>> {
    let Some(mut tx) = read_if_reached(store, reach, Owner::Contract, id).await? else {
        return Ok(None);
    };
    let sql = format!("SELECT {CONTRACT_COLUMNS} FROM cls_contract WHERE id = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(tx.conn())
        .await?
        .as_ref()
        .map(contract_of)
        .transpose()
}

#[derive(Debug, Clone, PartialEq)]
pub struct Signatory {
    pub id: i64,
    pub name: String,
    pub represented_by: Option<String>,
    pub signed_on: Option<Date>,
}

pub async fn add_signatory(
    tx: &mut Change,
    reach: &Reach,
    contract_id: i64,
    name: &str,
    represented_by: &str,
    signed_on: &str,
) -> Result<i64> {
    guard(tx, reach, Owner::Contract, contract_id).await?;
    let name = fields::required_line("signataire", name, 200)?;
    let represented_by = fields::line("represente_par", represented_by, 200)?;
    let signed_on = fields::date("signature", signed_on)?;
    Ok(sqlx::query_scalar(
        "INSERT INTO cls_signatory (contract_id, name, represented_by, signed_on) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(contract_id)
    .bind(name)
    .bind(represented_by)
    .bind(day_text(signed_on))
    .fetch_one(tx.conn())
    .await?)
}

pub async fn delete_signatory(
    tx: &mut Change,
    reach: &Reach,
    contract_id: i64,
    id: i64,
) -> Result<()> {
    guard(tx, reach, Owner::Contract, contract_id).await?;
    let n = sqlx::query("DELETE FROM cls_signatory WHERE id = $1 AND contract_id = $2")
        .bind(id)
        .bind(contract_id)
        .execute(tx.conn())
        .await?
        .rows_affected();
    touched(n, "signataire", id)
}

// ---------------------------------------------------------------------------------------------------------------
// Axes, objectives, fiches.

#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    pub id: i64,
    pub contract_id: i64,
    pub position: i64,
    pub title: String,
    pub description: Option<String>,
}

/// Adds an axis at the end (`id` None) or renames one.
pub async fn save_axis(
    tx: &mut Change,
    reach: &Reach,
    id: Option<i64>,
    contract_id: i64,
    title: &str,
    description: &str,
) -> Result<i64> {
    // The update names its contract too: reaching the contract is reaching the axis.
    guard(tx, reach, Owner::Contract, contract_id).await?;
    let title = fields::required_line("titre", title, 300)?;
    let description = fields::optional("description", description, 5000)?;
    match id {
        None => {
            Ok(sqlx::query_scalar(
                "INSERT INTO cls_axis (contract_id, position, title, description)
                 VALUES ($1, (SELECT COALESCE(MAX(position), 0) + 1 FROM cls_axis WHERE contract_id = $1), $2, $3)
                 RETURNING id",
            )
            .bind(contract_id)
            .bind(title)
            .bind(description)
            .fetch_one(tx.conn())
            .await?)
        }
        Some(id) => {
            let n = sqlx::query("UPDATE cls_axis SET title = $3, description = $4 WHERE id = $1 AND contract_id = $2")
                .bind(id)
                .bind(contract_id)
                .bind(title)
                .bind(description)
                .execute(tx.conn())
                .await?
                .rows_affected();
            touched(n, "axe", id)?;
            Ok(id)
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Objective {
    pub id: i64,
    pub axis_id: i64,
    pub position: i64,
    pub title: String,
}

pub async fn save_objective(
    tx: &mut Change,
    reach: &Reach,
    id: Option<i64>,
    axis_id: i64,
    title: &str,
) -> Result<i64> {
    guard(tx, reach, Owner::Axis, axis_id).await?;
    let title = fields::required_line("objectif", title, 400)?;
    match id {
        None => {
            Ok(sqlx::query_scalar(
                "INSERT INTO cls_objective (axis_id, position, title)
                 VALUES ($1, (SELECT COALESCE(MAX(position), 0) + 1 FROM cls_objective WHERE axis_id = $1), $2)
                 RETURNING id",
            )
            .bind(axis_id)
            .bind(title)
            .fetch_one(tx.conn())
            .await?)
        }
        Some(id) => {
            let n =
                sqlx::query("UPDATE cls_objective SET title = $3 WHERE id = $1 AND axis_id = $2")
                    .bind(id)
                    .bind(axis_id)
                    .bind(title)
                    .execute(tx.conn())
                    .await?
                    .rows_affected();
            touched(n, "objectif", id)?;
            Ok(id)
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Fiche {
    pub id: i64,
    pub objective_id: i64,
    pub number: String,
    pub title: String,
    pub description: Option<String>,
    pub pilot: String,
    pub copilots: Option<String>,
    pub partners: Option<String>,
    pub target_public: Option<String>,
    pub territory: Option<String>,
    pub budget: Option<f64>,
    pub starts_on: Option<Date>,
    pub ends_on: Option<Date>,
    pub status: FicheStatus,
    pub nature: FicheNature,
    pub updated_at: String,
    pub updated_by: String,
}

#[derive(Debug, Clone, Default)]
pub struct FicheForm {
    pub number: String,
    pub title: String,
    pub description: String,
    pub pilot: String,
    pub copilots: String,
    pub partners: String,
    pub target_public: String,
    pub territory: String,
    pub budget: String,
    pub starts_on: String,
    pub ends_on: String,
    pub status: String,
    pub nature: String,
}

fn fiche_of(r: &AnyRow) -> Result<Fiche> {
    Ok(Fiche {
        id: r.try_get("id")?,
        objective_id: r.try_get("objective_id")?,
        number: r.try_get("number")?,
        title: r.try_get("title")?,
        description: r.try_get("description")?,
        pilot: r.try_get("pilot")?,
        copilots: r.try_get("copilots")?,
        partners: r.try_get("partners")?,
        target_public: r.try_get("target_public")?,
        territory: r.try_get("territory")?,
        budget: r.try_get("budget")?,
        starts_on: day_opt("cls_fiche.starts_on", r.try_get("starts_on")?)?,
        ends_on: day_opt("cls_fiche.ends_on", r.try_get("ends_on")?)?,
        status: code("cls_fiche.status", &r.try_get::<String, _>("status")?)?,
        nature: code("cls_fiche.nature", &r.try_get::<String, _>("nature")?)?,
        updated_at: r.try_get("updated_at")?,
        updated_by: r.try_get("updated_by")?,
    })
}

const FICHE_COLUMNS: &str = "f.id, f.objective_id, f.number, f.title, f.description, f.pilot, f.copilots, f.partners, \
     f.target_public, f.territory, f.budget, f.starts_on, f.ends_on, f.status, f.nature, f.updated_at, f.updated_by";

/// Adds a fiche to an objective (`id` None) or replaces one (`objective_id` is then its objective).
pub async fn save_fiche(
    tx: &mut Change,
    reach: &Reach,
    id: Option<i64>,
    objective_id: i64,
    f: &FicheForm,
    by: &str,
    now: Timestamp,
) -> Result<i64> {
    match id {
        Some(id) => guard(tx, reach, Owner::Fiche, id).await?,
        None => guard(tx, reach, Owner::Objective, objective_id).await?,
    }
    let number = fields::required_line("numero", &f.number, 20)?;
    let title = fields::required_line("titre", &f.title, 300)?;
    let description = fields::optional("description", &f.description, 10_000)?;
    let pilot = fields::required_line("pilote", &f.pilot, 200)?;
    let copilots = fields::line("copilotes", &f.copilots, 400)?;
    let partners = fields::optional("partenaires", &f.partners, 2000)?;
    let target_public = fields::line("public_cible", &f.target_public, 400)?;
    let territory = fields::line("territoire", &f.territory, 200)?;
    let budget = fields::decimal("budget", &f.budget)?;
    if budget.is_some_and(|b| b < 0.0) {
        return Err(NetworkError::InvalidField {
            field: "budget",
            expected: "un montant positif",
        }
        .into());
    }
    let starts_on = fields::date("debut", &f.starts_on)?;
    let ends_on = fields::date("fin", &f.ends_on)?;
    fields::period("calendrier", starts_on, ends_on)?;
    let status: FicheStatus = match f.status.trim() {
        "" => FicheStatus::NotStarted,
        s => parse_code("statut", s)?,
    };
    let nature: FicheNature = match f.nature.trim() {
        "" => FicheNature::New,
        s => parse_code("nature", s)?,
    };
    let at = instant(now);
    match id {
        None => {
            Ok(sqlx::query_scalar(
                "INSERT INTO cls_fiche (objective_id, number, title, description, pilot, copilots, partners, target_public,
                     territory, budget, starts_on, ends_on, status, nature, created_at, updated_at, updated_by)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, $16) RETURNING id",
            )
            .bind(objective_id)
            .bind(number)
            .bind(title)
            .bind(description)
            .bind(pilot)
            .bind(copilots)
            .bind(partners)
            .bind(target_public)
            .bind(territory)
            .bind(budget)
            .bind(day_text(starts_on))
            .bind(day_text(ends_on))
            .bind(status.code())
            .bind(nature.code())
            .bind(at)
            .bind(by)
            .fetch_one(tx.conn())
            .await?)
        }
        Some(id) => {
            let n = sqlx::query(
                "UPDATE cls_fiche SET number = $2, title = $3, description = $4, pilot = $5, copilots = $6, partners = $7,
                     target_public = $8, territory = $9, budget = $10, starts_on = $11, ends_on = $12, status = $13,
                     nature = $14, updated_at = $15, updated_by = $16
                 WHERE id = $1",
            )
            .bind(id)
            .bind(number)
            .bind(title)
            .bind(description)
            .bind(pilot)
            .bind(copilots)
            .bind(partners)
            .bind(target_public)
            .bind(territory)
            .bind(budget)
            .bind(day_text(starts_on))
            .bind(day_text(ends_on))
            .bind(status.code())
            .bind(nature.code())
            .bind(at)
            .bind(by)
            .execute(tx.conn())
            .await?
            .rows_affected();
            touched(n, "fiche action", id)?;
            Ok(id)
        }
    }
}

/// The contract a fiche the caller reaches belongs to.
pub async fn contract_of_fiche(store: &Store, reach: &Reach, fiche_id: i64) -> Result<Option<i64>> {
    let Some(mut tx) = read_if_reached(store, reach, Owner::Fiche, fiche_id).await? else {
        return Ok(None);
    };
    Ok(sqlx::query_scalar(
        "SELECT a.contract_id FROM cls_fiche f JOIN cls_objective o ON o.id = f.objective_id
         JOIN cls_axis a ON a.id = o.axis_id WHERE f.id = $1",
    )
    .bind(fiche_id)
    .fetch_optional(tx.conn())
    .await?)
}

#[derive(Debug, Clone, PartialEq)]
pub struct Funder {
    pub id: i64,
    pub fiche_id: i64,
    pub funder: String,
    pub amount: Option<f64>,
}

pub async fn add_funder(
    tx: &mut Change,
    reach: &Reach,
    fiche_id: i64,
    funder: &str,
    amount: &str,
) -> Result<i64> {
    guard(tx, reach, Owner::Fiche, fiche_id).await?;
    let funder = fields::required_line("financeur", funder, 200)?;
    let amount = fields::decimal("montant", amount)?;
    if amount.is_some_and(|a| a < 0.0) {
        return Err(NetworkError::InvalidField {
            field: "montant",
            expected: "un montant positif",
        }
        .into());
    }
    Ok(sqlx::query_scalar(
        "INSERT INTO cls_fiche_funder (fiche_id, funder, amount) VALUES ($1, $2, $3) RETURNING id",
    )
    .bind(fiche_id)
    .bind(funder)
    .bind(amount)
    .fetch_one(tx.conn())
    .await?)
}

pub async fn delete_funder(tx: &mut Change, reach: &Reach, fiche_id: i64, id: i64) -> Result<()> {
    guard(tx, reach, Owner::Fiche, fiche_id).await?;
    let n = sqlx::query("DELETE FROM cls_fiche_funder WHERE id = $1 AND fiche_id = $2")
        .bind(id)
        .bind(fiche_id)
        .execute(tx.conn())
        .await?
        .rows_affected();
    touched(n, "financeur", id)
}

// ---------------------------------------------------------------------------------------------------------------
// Indicators and measures.

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

fn indicator_of(r: &AnyRow) -> Result<Indicator> {
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

const INDICATOR_COLUMNS: &str = "i.id, i.fiche_id, i.kind, i.label, i.unit, i.baseline, i.baseline_on, i.target, \
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
        _ => Err(NetworkError::InvalidField {
            field: "observatoire",
            expected: "un indicateur de l'observatoire",
        }
        .into()),
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

fn measure_of(r: &AnyRow) -> Result<Measure> {
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
    let value =
        fields::decimal("valeur", value)?.ok_or(NetworkError::MissingField { field: "valeur" })?;
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

// ---------------------------------------------------------------------------------------------------------------
// Funding and reports.

#[derive(Debug, Clone, PartialEq)]
pub struct Funding {
    pub id: i64,
    pub contract_id: i64,
    pub fiche_id: Option<i64>,
    pub funder: String,
    pub scheme: FundingScheme,
    pub title: String,
    pub requested: Option<f64>,
    pub granted: Option<f64>,
    pub status: FundingStatus,
    pub applied_on: Option<Date>,
    pub decided_on: Option<Date>,
    pub period_start: Option<Date>,
    pub period_end: Option<Date>,
}

#[derive(Debug, Clone, Default)]
pub struct FundingForm {
    pub fiche_id: Option<i64>,
    pub funder: String,
    pub scheme: String,
    pub title: String,
    pub requested: String,
    pub granted: String,
    pub status: String,
    pub applied_on: String,
    pub decided_on: String,
    pub period_start: String,
    pub period_end: String,
}

fn funding_of(r: &AnyRow) -> Result<Funding> {
    Ok(Funding {
        id: r.try_get("id")?,
        contract_id: r.try_get("contract_id")?,
        fiche_id: r.try_get("fiche_id")?,
        funder: r.try_get("funder")?,
        scheme: code("cls_funding.scheme", &r.try_get::<String, _>("scheme")?)?,
        title: r.try_get("title")?,
        requested: r.try_get("requested")?,
        granted: r.try_get("granted")?,
        status: code("cls_funding.status", &r.try_get::<String, _>("status")?)?,
        applied_on: day_opt("cls_funding.applied_on", r.try_get("applied_on")?)?,
        decided_on: day_opt("cls_funding.decided_on", r.try_get("decided_on")?)?,
        period_start: day_opt("cls_funding.period_start", r.try_get("period_start")?)?,
        period_end: day_opt("cls_funding.period_end", r.try_get("period_end")?)?,
    })
}

const FUNDING_COLUMNS: &str = "id, contract_id, fiche_id, funder, scheme, title, requested, granted, status, applied_on, \
     decided_on, period_start, period_end";

pub async fn save_funding(
    tx: &mut Change,
    reach: &Reach,
    id: Option<i64>,
    contract_id: i64,
    f: &FundingForm,
    now: Timestamp,
) -> Result<i64> {
    // The update names its contract too: reaching the contract is reaching the funding.
    guard(tx, reach, Owner::Contract, contract_id).await?;
    let funder = fields::required_line("financeur", &f.funder, 200)?;
    let scheme: FundingScheme = parse_code("dispositif", &f.scheme)?;
    let title = fields::required_line("intitule", &f.title, 300)?;
    let requested = fields::decimal("montant_demande", &f.requested)?;
    let granted = fields::decimal("montant_accorde", &f.granted)?;
    if requested.is_some_and(|v| v < 0.0) || granted.is_some_and(|v| v < 0.0) {
        return Err(NetworkError::InvalidField {
            field: "montant_demande",
            expected: "un montant positif",
        }
        .into());
    }
    let status: FundingStatus = match f.status.trim() {
        "" => FundingStatus::Planned,
        s => parse_code("statut", s)?,
    };
    let applied_on = fields::date("date_depot", &f.applied_on)?;
    let decided_on = fields::date("date_decision", &f.decided_on)?;
    let period_start = fields::date("debut", &f.period_start)?;
    let period_end = fields::date("fin", &f.period_end)?;
    fields::period("periode", period_start, period_end)?;
    if let Some(fiche) = f.fiche_id {
        let of: Option<i64> = sqlx::query_scalar(
            "SELECT a.contract_id FROM cls_fiche f JOIN cls_objective o ON o.id = f.objective_id
             JOIN cls_axis a ON a.id = o.axis_id WHERE f.id = $1",
        )
        .bind(fiche)
        .fetch_optional(tx.conn())
        .await?;
        if of != Some(contract_id) {
            return Err(Error::Refused(Refusal::Mismatch {
                what: "fiche action",
                id: fiche,
            }));
        }
    }
    let at = instant(now);
    match id {
        None => {
            Ok(sqlx::query_scalar(
                "INSERT INTO cls_funding (contract_id, fiche_id, funder, scheme, title, requested, granted, status,
                     applied_on, decided_on, period_start, period_end, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
            )
            .bind(contract_id)
            .bind(f.fiche_id)
            .bind(funder)
            .bind(scheme.code())
            .bind(title)
            .bind(requested)
            .bind(granted)
            .bind(status.code())
            .bind(day_text(applied_on))
            .bind(day_text(decided_on))
            .bind(day_text(period_start))
            .bind(day_text(period_end))
            .bind(at)
            .fetch_one(tx.conn())
            .await?)
        }
        Some(id) => {
            let n = sqlx::query(
                "UPDATE cls_funding SET fiche_id = $3, funder = $4, scheme = $5, title = $6, requested = $7, granted = $8,
                     status = $9, applied_on = $10, decided_on = $11, period_start = $12, period_end = $13,
                     updated_at = $14
                 WHERE id = $1 AND contract_id = $2",
            )
            .bind(id)
            .bind(contract_id)
            .bind(f.fiche_id)
            .bind(funder)
            .bind(scheme.code())
            .bind(title)
            .bind(requested)
            .bind(granted)
            .bind(status.code())
            .bind(day_text(applied_on))
            .bind(day_text(decided_on))
            .bind(day_text(period_start))
            .bind(day_text(period_end))
            .bind(at)
            .execute(tx.conn())
            .await?
            .rows_affected();
            touched(n, "financement", id)?;
            Ok(id)
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub id: i64,
    pub funding_id: i64,
    pub label: String,
    pub due_on: Date,
    pub submitted_on: Option<Date>,
}

fn report_of(r: &AnyRow) -> Result<Report> {
    Ok(Report {
        id: r.try_get("id")?,
        funding_id: r.try_get("funding_id")?,
        label: r.try_get("label")?,
        due_on: day(
            "cls_funding_report.due_on",
            &r.try_get::<String, _>("due_on")?,
        )?,
        submitted_on: day_opt(
            "cls_funding_report.submitted_on",
            r.try_get("submitted_on")?,
        )?,
    })
}

pub async fn add_report(
    tx: &mut Change,
    reach: &Reach,
    funding_id: i64,
    label: &str,
    due_on: &str,
) -> Result<i64> {
    guard(tx, reach, Owner::Funding, funding_id).await?;
    let label = fields::required_line("bilan", label, 200)?;
    let due_on = fields::required_date("echeance", due_on)?;
    Ok(sqlx::query_scalar("INSERT INTO cls_funding_report (funding_id, label, due_on) VALUES ($1, $2, $3) RETURNING id")
        .bind(funding_id)
        .bind(label)
        .bind(due_on.to_string())
        .fetch_one(tx.conn())
        .await?)
}

/// Marks a report sent on `submitted_on` (empty: not sent). Returns its funding's contract.
pub async fn submit_report(
    tx: &mut Change,
    reach: &Reach,
    id: i64,
    submitted_on: &str,
) -> Result<i64> {
    guard(tx, reach, Owner::Report, id).await?;
    let submitted = fields::date("date_envoi", submitted_on)?;
    let contract: Option<i64> = sqlx::query_scalar(
        "SELECT f.contract_id FROM cls_funding_report r JOIN cls_funding f ON f.id = r.funding_id WHERE r.id = $1",
    )
    .bind(id)
    .fetch_optional(tx.conn())
    .await?;
    let contract = contract.ok_or(Error::NotFound { what: "bilan", id })?;
    sqlx::query("UPDATE cls_funding_report SET submitted_on = $2 WHERE id = $1")
        .bind(id)
        .bind(day_text(submitted))
        .execute(tx.conn())
        .await?;
    Ok(contract)
}

/// Every report of every contract the caller reaches, by due date, with its funding (for reminders and the
/// calendar).
pub async fn all_reports(store: &Store, reach: &Reach) -> Result<Vec<(Report, Funding)>> {
    let clause = reach.clause("c.commune_code", 1, Territorywide::Shared);
    let mut tx = begin_read(store, reach).await?;
    let fundings: BTreeMap<i64, Funding> = clause
        .bind(sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {FUNDING_COLUMNS} FROM cls_funding WHERE contract_id IN (SELECT c.id FROM cls_contract c WHERE {})",
            clause.sql
        ))))
        .fetch_all(tx.conn())
    .await?
    .iter()
    .map(|r| funding_of(r).map(|f| (f.id, f)))
    .collect::<Result<_>>()?;
    let rows = sqlx::query("SELECT id, funding_id, label, due_on, submitted_on FROM cls_funding_report ORDER BY due_on, id")
        .fetch_all(tx.conn())
        .await?;
    tx.commit().await?;
    let mut out = Vec::new();
    for r in &rows {
        let report = report_of(r)?;
        if let Some(f) = fundings.get(&report.funding_id) {
            out.push((report, f.clone()));
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------------------------
// A whole contract.

#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorTree {
    pub indicator: Indicator,
    /// Oldest first.
    pub measures: Vec<Measure>,
}

impl IndicatorTree {
    /// How far the measures have gone from baseline to target ([`maillage_network::progress`]).
    pub fn progress(&self) -> IndicatorProgress {
        let measures: Vec<(Date, f64)> = self
            .measures
            .iter()
            .map(|m| (m.measured_on, m.value))
            .collect();
        progress::indicator(self.indicator.baseline, self.indicator.target, &measures)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct FicheTree {
    pub fiche: Fiche,
    pub funders: Vec<Funder>,
    pub indicators: Vec<IndicatorTree>,
}

impl FicheTree {
    fn progress_input(&self) -> FicheInput {
        FicheInput {
            status: self.fiche.status,
            indicators: self
                .indicators
                .iter()
                .map(IndicatorTree::progress)
                .collect(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ObjectiveTree {
    pub objective: Objective,
    pub fiches: Vec<FicheTree>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AxisTree {
    pub axis: Axis,
    pub objectives: Vec<ObjectiveTree>,
}

impl AxisTree {
    /// Progress of the axis: its fiches carried out, its indicators towards their targets.
    pub fn progress(&self) -> AxisProgress {
        let fiches: Vec<FicheInput> = self
            .objectives
            .iter()
            .flat_map(|o| o.fiches.iter())
            .map(FicheTree::progress_input)
            .collect();
        progress::axis(&fiches)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct FundingTree {
    pub funding: Funding,
    pub reports: Vec<Report>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ContractTree {
    pub contract: Contract,
    pub signatories: Vec<Signatory>,
    pub axes: Vec<AxisTree>,
    pub fundings: Vec<FundingTree>,
}

impl ContractTree {
    /// Every fiche of the contract, in order.
    pub fn fiches(&self) -> impl Iterator<Item = &FicheTree> {
        self.axes
            .iter()
            .flat_map(|a| a.objectives.iter().flat_map(|o| o.fiches.iter()))
    }

    pub fn fiche(&self, id: i64) -> Option<&FicheTree> {
        self.fiches().find(|f| f.fiche.id == id)
    }

    /// Progress of the whole contract ([`maillage_network::progress`]).
    pub fn progress(&self) -> AxisProgress {
        let fiches: Vec<FicheInput> = self.fiches().map(FicheTree::progress_input).collect();
        progress::axis(&fiches)
    }
}

/// Reads a whole contract: signatories, axes, objectives, fiches with their funders, indicators and measures,
/// fundings with their reports.
pub async fn tree(store: &Store, reach: &Reach, contract_id: i64) -> Result<Option<ContractTree>> {
    let Some(contract) = contract(store, reach, contract_id).await? else {
        return Ok(None);
    };
    let mut tx = begin_read(store, reach).await?;
    let signatories = sqlx::query(
        "SELECT id, name, represented_by, signed_on FROM cls_signatory WHERE contract_id = $1 ORDER BY id",
    )
    .bind(contract_id)
    .fetch_all(tx.conn())
    .await?
    .iter()
    .map(|r| {
        Ok(Signatory {
            id: r.try_get("id")?,
            name: r.try_get("name")?,
            represented_by: r.try_get("represented_by")?,
            signed_on: day_opt("cls_signatory.signed_on", r.try_get("signed_on")?)?,
        })
    })
    .collect::<Result<Vec<_>>>()?;
    let axes = sqlx::query(
        "SELECT id, contract_id, position, title, description FROM cls_axis WHERE contract_id = $1 ORDER BY position, id",
    )
    .bind(contract_id)
    .fetch_all(tx.conn())
    .await?
    .iter()
    .map(|r| {
        Ok(Axis {
            id: r.try_get("id")?,
            contract_id: r.try_get("contract_id")?,
            position: r.try_get("position")?,
            title: r.try_get("title")?,
            description: r.try_get("description")?,
        })
    })
    .collect::<Result<Vec<_>>>()?;
    let objectives = sqlx::query(
        "SELECT o.id, o.axis_id, o.position, o.title FROM cls_objective o JOIN cls_axis a ON a.id = o.axis_id
         WHERE a.contract_id = $1 ORDER BY o.position, o.id",
    )
    .bind(contract_id)
    .fetch_all(tx.conn())
    .await?
    .iter()
    .map(|r| {
        Ok(Objective {
            id: r.try_get("id")?,
            axis_id: r.try_get("axis_id")?,
            position: r.try_get("position")?,
            title: r.try_get("title")?,
        })
    })
    .collect::<Result<Vec<_>>>()?;
    let in_contract = "JOIN cls_objective o ON o.id = f.objective_id JOIN cls_axis a ON a.id = o.axis_id WHERE a.contract_id = $1";
    let fiches = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {FICHE_COLUMNS} FROM cls_fiche f {in_contract} ORDER BY f.number, f.id"
    )))
    .bind(contract_id)
    .fetch_all(tx.conn())
    .await?
    .iter()
    .map(fiche_of)
    .collect::<Result<Vec<_>>>()?;
    let funders = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT x.id, x.fiche_id, x.funder, x.amount FROM cls_fiche_funder x JOIN cls_fiche f ON f.id = x.fiche_id
         {in_contract} ORDER BY x.id"
    )))
    .bind(contract_id)
    .fetch_all(tx.conn())
    .await?
    .iter()
    .map(|r| {
        Ok(Funder {
            id: r.try_get("id")?,
            fiche_id: r.try_get("fiche_id")?,
            funder: r.try_get("funder")?,
            amount: r.try_get("amount")?,
        })
    })
    .collect::<Result<Vec<_>>>()?;
    let indicators = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {INDICATOR_COLUMNS} FROM cls_indicator i JOIN cls_fiche f ON f.id = i.fiche_id {in_contract} ORDER BY i.id"
    )))
    .bind(contract_id)
    .fetch_all(tx.conn())
    .await?
    .iter()
    .map(indicator_of)
    .collect::<Result<Vec<_>>>()?;
    let measures = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT m.id, m.indicator_id, m.measured_on, m.value, m.source, m.note, m.recorded_by FROM cls_measure m
         JOIN cls_indicator i ON i.id = m.indicator_id JOIN cls_fiche f ON f.id = i.fiche_id {in_contract}
         ORDER BY m.measured_on, m.id"
    )))
    .bind(contract_id)
    .fetch_all(tx.conn())
    .await?
    .iter()
    .map(measure_of)
    .collect::<Result<Vec<_>>>()?;
    let fundings = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {FUNDING_COLUMNS} FROM cls_funding WHERE contract_id = $1 ORDER BY id"
    )))
    .bind(contract_id)
    .fetch_all(tx.conn())
    .await?
    .iter()
    .map(funding_of)
    .collect::<Result<Vec<_>>>()?;
    let reports = sqlx::query(
        "SELECT r.id, r.funding_id, r.label, r.due_on, r.submitted_on FROM cls_funding_report r
         JOIN cls_funding f ON f.id = r.funding_id WHERE f.contract_id = $1 ORDER BY r.due_on, r.id",
    )
    .bind(contract_id)
    .fetch_all(tx.conn())
    .await?
    .iter()
    .map(report_of)
    .collect::<Result<Vec<_>>>()?;
    tx.commit().await?;

    let mut measures_of: BTreeMap<i64, Vec<Measure>> = BTreeMap::new();
    for m in measures {
        measures_of.entry(m.indicator_id).or_default().push(m);
    }
    let mut indicators_of: BTreeMap<i64, Vec<IndicatorTree>> = BTreeMap::new();
    for i in indicators {
        let measures = measures_of.remove(&i.id).unwrap_or_default();
        indicators_of
            .entry(i.fiche_id)
            .or_default()
            .push(IndicatorTree {
                indicator: i,
                measures,
            });
    }
    let mut funders_of: BTreeMap<i64, Vec<Funder>> = BTreeMap::new();
    for f in funders {
        funders_of.entry(f.fiche_id).or_default().push(f);
    }
    let mut fiches_of: BTreeMap<i64, Vec<FicheTree>> = BTreeMap::new();
    for f in fiches {
        let t = FicheTree {
            funders: funders_of.remove(&f.id).unwrap_or_default(),
            indicators: indicators_of.remove(&f.id).unwrap_or_default(),
            fiche: f,
        };
        fiches_of.entry(t.fiche.objective_id).or_default().push(t);
    }
    let mut objectives_of: BTreeMap<i64, Vec<ObjectiveTree>> = BTreeMap::new();
    for o in objectives {
        let fiches = fiches_of.remove(&o.id).unwrap_or_default();
        objectives_of
            .entry(o.axis_id)
            .or_default()
            .push(ObjectiveTree {
                objective: o,
                fiches,
            });
    }
    let axes = axes
        .into_iter()
        .map(|a| AxisTree {
            objectives: objectives_of.remove(&a.id).unwrap_or_default(),
            axis: a,
        })
        .collect();
    let mut reports_of: BTreeMap<i64, Vec<Report>> = BTreeMap::new();
    for r in reports {
        reports_of.entry(r.funding_id).or_default().push(r);
    }
    let fundings = fundings
        .into_iter()
        .map(|f| FundingTree {
            reports: reports_of.remove(&f.id).unwrap_or_default(),
            funding: f,
        })
        .collect();
    Ok(Some(ContractTree {
        contract,
        signatories,
        axes,
        fundings,
    }))
}

/// The contract of a funding the caller reaches.
pub async fn contract_of_funding(
    store: &Store,
    reach: &Reach,
    funding_id: i64,
) -> Result<Option<i64>> {
    let Some(mut tx) = read_if_reached(store, reach, Owner::Funding, funding_id).await? else {
        return Ok(None);
    };
    let contract = sqlx::query_scalar("SELECT contract_id FROM cls_funding WHERE id = $1")
        .bind(funding_id)
        .fetch_optional(tx.conn())
        .await?;
    tx.commit().await?;
    Ok(contract)
}

/// The contract of a funding report the caller reaches.
pub async fn contract_of_report(
    store: &Store,
    reach: &Reach,
    report_id: i64,
) -> Result<Option<i64>> {
    let Some(mut tx) = read_if_reached(store, reach, Owner::Report, report_id).await? else {
        return Ok(None);
    };
    let contract = sqlx::query_scalar(
        "SELECT f.contract_id FROM cls_funding_report r JOIN cls_funding f ON f.id = r.funding_id WHERE r.id = $1",
    )
    .bind(report_id)
    .fetch_optional(tx.conn())
    .await?;
    tx.commit().await?;
    Ok(contract)
}
