//! Stocks by lot: receipts, distributions (first expired, first out), levels and alerts. A distribution is one
//! transaction that first locks its item, so concurrent distributions of the same item run one after the other
//! and a lot never goes below zero (the `CHECK (available >= 0)` of the table is the last guard).

use super::cell::changeable;
use super::{
    Error, Result, SHARED, assignable, begin_read, code, day_text, instant, parse_day_opt, today,
};
use crate::Store;
use crate::change::Change;
use crate::change::reached_rows;
use crate::reach::Reach;
use jiff::Timestamp;
use jiff::civil::Date;
use maillage_crisis::stocks::{
    Lot, MovementKind, Recipient, StockAlert, alerts, allocate_fefo, allocate_from, usable,
};
use maillage_crisis::{Coded, CrisisError, fields};
use serde::Serialize;
use sqlx::Row;

#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub id: i64,
    pub code: String,
    pub label: String,
    pub unit: String,
    pub alert_threshold: Option<i64>,
    pub lots: Vec<Lot>,
    /// Units left in lots that have not expired.
    pub usable: i64,
    pub alerts: Vec<StockAlert>,
    /// The commune keeping the stock (None: the territory's stock).
    pub commune_code: Option<String>,
}

/// Declares an item (masques FFP2, gel hydroalcoolique...) kept by `commune`. The code is a short slug chosen by
/// the cell.
pub async fn add_item(
    tx: &mut Change,
    reach: &Reach,
    commune: Option<&str>,
    code_text: &str,
    label: &str,
    unit: &str,
    alert_threshold: Option<i64>,
) -> Result<i64> {
    let code_text = fields::required("code", code_text, 40)?.to_lowercase();
    if !code_text
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
    {
        return Err(
            CrisisError::Field(maillage_crisis::FieldError::InvalidField {
                field: "code",
                expected: "lettres sans accent, chiffres, - et _",
            })
            .into(),
        );
    }
    let label = fields::required("libelle", label, 150)?;
    let unit = fields::required("unite", unit, 40)?;
    if alert_threshold.is_some_and(|t| t < 0) {
        return Err(CrisisError::InvalidQuantity(alert_threshold.unwrap_or(0)).into());
    }
    assignable(reach, commune)?;
    let exists: Option<i64> =
        sqlx::query_scalar("SELECT id FROM crisis_stock_item WHERE code = $1")
            .bind(&code_text)
            .fetch_optional(tx.conn())
            .await?;
    if exists.is_some() {
        return Err(Error::Store(Box::new(crate::StoreError::AlreadyExists(
            format!("l'article « {} »", maillage_kit::quoted(&code_text)),
        ))));
    }
    Ok(sqlx::query_scalar(
        "INSERT INTO crisis_stock_item (code, label, unit, alert_threshold, version, commune_code)
         VALUES ($1, $2, $3, $4, 0, $5) RETURNING id",
    )
    .bind(code_text)
    .bind(label)
    .bind(unit)
    .bind(alert_threshold)
    .bind(commune)
    .fetch_one(tx.conn())
    .await?)
}

pub async fn set_threshold(
    tx: &mut Change,
    reach: &Reach,
    item_id: i64,
    threshold: Option<i64>,
) -> Result<()> {
    if let Some(t) = threshold.filter(|t| *t < 0) {
        return Err(CrisisError::InvalidQuantity(t).into());
    }
    let clause = changeable(reach, 3);
    let sql = format!(
        "UPDATE crisis_stock_item SET alert_threshold = $2 WHERE id = $1 AND {}",
        clause.sql
    );
    let n = clause
        .bind(
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(item_id)
                .bind(threshold),
        )
        .execute(tx.conn())
        .await?
        .rows_affected();
    if n == 0 {
        return Err(Error::NotFound {
            what: "article",
            id: item_id,
        });
    }
    Ok(())
}

/// Bumps the version of an item the caller may change (its communes' stock; the territory's with every
/// commune): the row lock that serialises receipts and distributions of the item. `NotFound` otherwise.
async fn lock_item(tx: &mut Change, reach: &Reach, item_id: i64) -> Result<()> {
    let clause = changeable(reach, 2);
    let sql = format!(
        "UPDATE crisis_stock_item SET version = version + 1 WHERE id = $1 AND {}",
        clause.sql
    );
    let n = clause
        .bind(sqlx::query(sqlx::AssertSqlSafe(sql)).bind(item_id))
        .execute(tx.conn())
        .await?
        .rows_affected();
    if n == 0 {
        return Err(Error::NotFound {
            what: "article",
            id: item_id,
        });
    }
    Ok(())
}

pub struct Receipt<'a> {
    pub item_id: i64,
    pub lot_number: &'a str,
    pub expiry: Option<Date>,
    pub quantity: i64,
    pub supplier: Option<&'a str>,
}

/// Records a receipt: a new lot, or more units of a lot already known. Returns the lot's id.
pub async fn receive(
    tx: &mut Change,
    reach: &Reach,
    r: &Receipt<'_>,
    by: &str,
    now: Timestamp,
) -> Result<i64> {
    if r.quantity <= 0 {
        return Err(CrisisError::InvalidQuantity(r.quantity).into());
    }
    let lot_number = fields::required("lot", r.lot_number, 80)?;
    let supplier = fields::optional("fournisseur", r.supplier.unwrap_or(""), 150)?;
    let at = instant(now);
    lock_item(tx, reach, r.item_id).await?;
    let existing: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM crisis_stock_lot WHERE item_id = $1 AND lot_number = $2",
    )
    .bind(r.item_id)
    .bind(&lot_number)
    .fetch_optional(tx.conn())
    .await?;
    let lot_id = match existing {
        Some(id) => {
            sqlx::query(
                "UPDATE crisis_stock_lot SET received_qty = received_qty + $2, available = available + $2 WHERE id = $1",
            )
            .bind(id)
            .bind(r.quantity)
            .execute(tx.conn())
            .await?;
            id
        }
        None => sqlx::query_scalar(
            "INSERT INTO crisis_stock_lot (item_id, lot_number, expiry, received_qty, available, supplier, received_at)
             VALUES ($1, $2, $3, $4, $4, $5, $6) RETURNING id",
        )
        .bind(r.item_id)
        .bind(&lot_number)
        .bind(r.expiry.map(day_text))
        .bind(r.quantity)
        .bind(supplier.clone())
        .bind(&at)
        .fetch_one(tx.conn())
        .await?,
    };
    sqlx::query(
        "INSERT INTO crisis_stock_movement (lot_id, kind, quantity, recipient, at, recorded_by)
         VALUES ($1, 'reception', $2, $3, $4, $5)",
    )
    .bind(lot_id)
    .bind(r.quantity)
    .bind(supplier)
    .bind(&at)
    .bind(by)
    .execute(tx.conn())
    .await?;
    Ok(lot_id)
}

pub struct Distribution<'a> {
    pub item_id: i64,
    /// A given lot; None: first expired, first out.
    pub lot_id: Option<i64>,
    pub quantity: i64,
    pub recipient_kind: Recipient,
    /// Who received it (a structure, a pharmacy, "habitants du quartier X"): never a named inhabitant.
    pub recipient: &'a str,
}

async fn lots_in(tx: &mut Change, item_id: i64) -> Result<Vec<Lot>> {
    let rows = sqlx::query("SELECT id, lot_number, expiry, available FROM crisis_stock_lot WHERE item_id = $1 ORDER BY id")
        .bind(item_id)
        .fetch_all(tx.conn())
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Lot {
                id: r.try_get("id")?,
                number: r.try_get("lot_number")?,
                expiry: parse_day_opt("crisis_stock_lot.expiry", r.try_get("expiry")?)?,
                available: r.try_get("available")?,
            })
        })
        .collect()
}

/// Records a distribution and takes its units from the lots. Returns the (lot, quantity) taken. Refused with
/// the shortage when the usable stock is not enough: nothing is taken then.
pub async fn distribute(
    tx: &mut Change,
    reach: &Reach,
    d: &Distribution<'_>,
    by: &str,
    now: Timestamp,
) -> Result<Vec<(i64, i64)>> {
    let recipient = fields::required("destinataire", d.recipient, 200)?;
    // Lock the item first: concurrent distributions of it wait here, then see the lots as the previous one left
    // them.
    lock_item(tx, reach, d.item_id).await?;
    let label: String = sqlx::query_scalar("SELECT label FROM crisis_stock_item WHERE id = $1")
        .bind(d.item_id)
        .fetch_one(tx.conn())
        .await?;
    let lots = lots_in(tx, d.item_id).await?;
    let day = today(now);
    let plan = match d.lot_id {
        None => allocate_fefo(&label, &lots, d.quantity, day)?,
        Some(id) => {
            let lot = lots
                .iter()
                .find(|l| l.id == id)
                .ok_or(Error::NotFound { what: "lot", id })?;
            allocate_from(&label, lot, d.quantity, day)?
        }
    };
    let at = instant(now);
    for (lot_id, quantity) in &plan {
        // Conditional: even if the lock above were lost, the lot cannot be overdrawn.
        let n = sqlx::query("UPDATE crisis_stock_lot SET available = available - $2 WHERE id = $1 AND available >= $2")
            .bind(lot_id)
            .bind(quantity)
            .execute(tx.conn())
            .await?
            .rows_affected();
        if n == 0 {
            let available: i64 = lots
                .iter()
                .filter(|l| !l.expired(day))
                .map(|l| l.available)
                .sum();
            return Err(CrisisError::InsufficientStock {
                item: maillage_kit::quoted(&label),
                requested: d.quantity,
                available,
            }
            .into());
        }
        sqlx::query(
            "INSERT INTO crisis_stock_movement (lot_id, kind, quantity, recipient_kind, recipient, at, recorded_by)
             VALUES ($1, 'distribution', $2, $3, $4, $5, $6)",
        )
        .bind(lot_id)
        .bind(quantity)
        .bind(d.recipient_kind.code())
        .bind(&recipient)
        .bind(&at)
        .bind(by)
        .execute(tx.conn())
        .await?;
    }
    Ok(plan)
}

/// Every item the caller reaches with its lots, usable quantity and alerts on the day of `now` (expiries looked
/// at `horizon_days` ahead).
pub async fn items(
    store: &Store,
    reach: &Reach,
    now: Timestamp,
    horizon_days: i64,
) -> Result<Vec<Item>> {
    let day = today(now);
    let mut tx = begin_read(store, reach).await?;
    let clause = reach.clause("commune_code", 1, SHARED);
    let sql = format!(
        "SELECT id, code, label, unit, alert_threshold, commune_code FROM crisis_stock_item WHERE {}
         ORDER BY label, id",
        clause.sql
    );
    let rows = clause
        .bind(sqlx::query(sqlx::AssertSqlSafe(sql)))
        .fetch_all(tx.conn())
        .await?;
    let clause = reach.clause("i.commune_code", 1, SHARED);
    let sql = format!(
        "SELECT l.id, l.item_id, l.lot_number, l.expiry, l.available
         FROM crisis_stock_lot l JOIN crisis_stock_item i ON i.id = l.item_id WHERE {}
         ORDER BY CASE WHEN l.expiry IS NULL THEN 1 ELSE 0 END, l.expiry, l.id",
        clause.sql
    );
    let lot_rows = clause
        .bind(sqlx::query(sqlx::AssertSqlSafe(sql)))
        .fetch_all(tx.conn())
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let id: i64 = r.try_get("id")?;
        let mut lots = Vec::new();
        for l in lot_rows.iter() {
            if l.try_get::<i64, _>("item_id")? == id {
                lots.push(Lot {
                    id: l.try_get("id")?,
                    number: l.try_get("lot_number")?,
                    expiry: parse_day_opt("crisis_stock_lot.expiry", l.try_get("expiry")?)?,
                    available: l.try_get("available")?,
                });
            }
        }
        let threshold: Option<i64> = r.try_get("alert_threshold")?;
        out.push(Item {
            id,
            code: r.try_get("code")?,
            label: r.try_get("label")?,
            unit: r.try_get("unit")?,
            alert_threshold: threshold,
            usable: usable(&lots, day),
            alerts: alerts(&lots, threshold, day, horizon_days),
            lots,
            commune_code: r.try_get("commune_code")?,
        });
    }
    Ok(out)
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Movement {
    pub id: i64,
    pub at: String,
    pub item: String,
    pub lot: String,
    pub kind: MovementKind,
    pub quantity: i64,
    pub recipient_kind: Option<Recipient>,
    pub recipient: Option<String>,
    pub recorded_by: String,
}

/// The latest movements of the stocks the caller reaches, newest first.
pub async fn movements(store: &Store, reach: &Reach, limit: i64) -> Result<Vec<Movement>> {
    let mut tx = begin_read(store, reach).await?;
    let clause = reach.clause("i.commune_code", 2, SHARED);
    let sql = format!(
        "SELECT m.id, m.at, i.label AS item, l.lot_number, m.kind, m.quantity, m.recipient_kind, m.recipient, m.recorded_by
         FROM crisis_stock_movement m JOIN crisis_stock_lot l ON l.id = m.lot_id JOIN crisis_stock_item i ON i.id = l.item_id
         WHERE {} ORDER BY m.id DESC LIMIT $1",
        clause.sql
    );
    let rows = clause
        .bind(sqlx::query(sqlx::AssertSqlSafe(sql)).bind(limit))
        .fetch_all(tx.conn())
        .await?;
    rows.iter()
        .map(|r| {
            let rk: Option<String> = r.try_get("recipient_kind")?;
            Ok(Movement {
                id: r.try_get("id")?,
                at: r.try_get("at")?,
                item: r.try_get("item")?,
                lot: r.try_get("lot_number")?,
                kind: code(
                    "crisis_stock_movement.kind",
                    &r.try_get::<String, _>("kind")?,
                )?,
                quantity: r.try_get("quantity")?,
                recipient_kind: rk
                    .map(|k| code("crisis_stock_movement.recipient_kind", &k))
                    .transpose()?,
                recipient: r.try_get("recipient")?,
                recorded_by: r.try_get("recorded_by")?,
            })
        })
        .collect()
}

/// Quantities distributed by item and recipient kind: (item label, recipient kind code, total).
/// Of the stocks the caller reaches.
pub async fn distributed_by_recipient(
    store: &Store,
    reach: &Reach,
) -> Result<Vec<(String, String, i64)>> {
    let rows =
        reached_rows(store, reach, "i.commune_code", SHARED, "SELECT i.label AS item, m.recipient_kind, CAST(SUM(m.quantity) AS BIGINT) AS total
         FROM crisis_stock_movement m JOIN crisis_stock_lot l ON l.id = m.lot_id JOIN crisis_stock_item i ON i.id = l.item_id
         WHERE m.kind = 'distribution' AND {reach} GROUP BY i.label, m.recipient_kind ORDER BY i.label, m.recipient_kind").await?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("item")?,
                r.try_get("recipient_kind")?,
                r.try_get("total")?,
            ))
        })
        .collect()
}

/// The sum of what a lot received minus what it gave, for checks: equals `available` when nothing is wrong.
pub async fn lot_balance(store: &Store, reach: &Reach, lot_id: i64) -> Result<(i64, i64)> {
    let mut tx = begin_read(store, reach).await?;
    let clause = reach.clause("i.commune_code", 2, SHARED);
    let sql = format!(
        "SELECT l.available,
                CAST(COALESCE(SUM(CASE WHEN m.kind = 'reception' THEN m.quantity ELSE -m.quantity END), 0) AS BIGINT) AS balance
         FROM crisis_stock_lot l JOIN crisis_stock_item i ON i.id = l.item_id
              LEFT JOIN crisis_stock_movement m ON m.lot_id = l.id
         WHERE l.id = $1 AND {} GROUP BY l.available",
        clause.sql
    );
    let row = clause
        .bind(sqlx::query(sqlx::AssertSqlSafe(sql)).bind(lot_id))
        .fetch_optional(tx.conn())
        .await?
        .ok_or(Error::NotFound {
            what: "lot",
            id: lot_id,
        })?;
    Ok((row.try_get("available")?, row.try_get("balance")?))
}
