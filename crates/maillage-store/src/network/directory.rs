//! The directory of actors and their contact persons. Entries are [`ActorRecord`]s checked by
//! `maillage-network`; CSV imports update entries by their identifier (`slug`) and add the others, in one
//! transaction. Contact persons are personal data: the web layer audits their changes and exports.

use super::{
    Error, Owner, Reach, Result, Territorywide, begin_read, code, code_opt, codes, commune_of,
    guard, instant, is_unique_violation, may_assign, touched,
};
use crate::Store;
use crate::change::Change;
use crate::listing::{Slice, Window};
use crate::network::Refusal;
use jiff::Timestamp;
use maillage_network::codes::Visibility;
use maillage_network::directory::{self, ActorRecord};
use maillage_network::{Coded, fields, join_codes};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

/// A stored entry: its record (with `key` set to its identifier) and when it last changed.
#[derive(Debug, Clone, PartialEq)]
pub struct Actor {
    pub id: i64,
    /// The commune keeping the entry (None: the whole territory).
    pub commune_code: Option<String>,
    pub record: ActorRecord,
    pub updated_at: String,
    pub updated_by: String,
}

const ACTOR_COLUMNS: &str = "id, slug, kind, name, missions, specific_missions, target_public, access_conditions, address, \
     postcode, commune, phone, email, website, opening_hours, appointment, cost, age_min, age_max, languages, themes, \
     publics, territory, accessible, visibility, lon, lat, updated_at, updated_by, commune_code";

fn actor_of(r: &AnyRow) -> Result<Actor> {
    let lon: Option<f64> = r.try_get("lon")?;
    let lat: Option<f64> = r.try_get("lat")?;
    Ok(Actor {
        id: r.try_get("id")?,
        commune_code: r.try_get("commune_code")?,
        record: ActorRecord {
            key: Some(r.try_get("slug")?),
            kind: code("network_actor.kind", &r.try_get::<String, _>("kind")?)?,
            name: r.try_get("name")?,
            missions: r.try_get("missions")?,
            specific_missions: r.try_get("specific_missions")?,
            target_public: r.try_get("target_public")?,
            access_conditions: r.try_get("access_conditions")?,
            address: r.try_get("address")?,
            postcode: r.try_get("postcode")?,
            commune: r.try_get("commune")?,
            phone: r.try_get("phone")?,
            email: r.try_get("email")?,
            website: r.try_get("website")?,
            opening_hours: r.try_get("opening_hours")?,
            appointment: code_opt("network_actor.appointment", r.try_get("appointment")?)?,
            cost: code_opt("network_actor.cost", r.try_get("cost")?)?,
            age_min: r.try_get("age_min")?,
            age_max: r.try_get("age_max")?,
            languages: codes(
                "network_actor.languages",
                &r.try_get::<String, _>("languages")?,
            )?,
            themes: codes("network_actor.themes", &r.try_get::<String, _>("themes")?)?,
            publics: codes("network_actor.publics", &r.try_get::<String, _>("publics")?)?,
            territory: r.try_get("territory")?,
            accessible: r.try_get::<Option<i64>, _>("accessible")?.map(|v| v != 0),
            visibility: code(
                "network_actor.visibility",
                &r.try_get::<String, _>("visibility")?,
            )?,
            position: lon.zip(lat),
        },
        updated_at: r.try_get("updated_at")?,
        updated_by: r.try_get("updated_by")?,
    })
}

/// Every entry the caller reaches, by name; `public_only` for the public directory (public data: it reads
/// with [`Reach::everything`]).
pub async fn actors(store: &Store, reach: &Reach, public_only: bool) -> Result<Vec<Actor>> {
    let clause = reach.clause("commune_code", 3, Territorywide::Shared);
    let sql = format!(
        "SELECT {ACTOR_COLUMNS} FROM network_actor WHERE ($1 = 0 OR visibility = $2) AND deleted_at IS NULL AND {} \
         ORDER BY name, id",
        clause.sql
    );
    let mut tx = begin_read(store, reach).await?;
    let rows = clause
        .bind(
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(i64::from(public_only))
                .bind(Visibility::Public.code()),
        )
        .fetch_all(tx.conn())
        .await?;
    tx.commit().await?;
    rows.iter().map(actor_of).collect()
}

/// One page of the entries the caller reaches that answer a directory search, best first (the ranking of
/// `maillage-network`, which weighs every entry: they are read here, and only the page leaves the store), and how
/// many answer in all. `public_only` as for [`actors`].
pub async fn search(
    store: &Store,
    reach: &Reach,
    public_only: bool,
    query: &directory::Search,
    window: Window,
) -> Result<Slice<Actor>> {
    let mut all: Vec<Option<Actor>> = actors(store, reach, public_only)
        .await?
        .into_iter()
        .map(Some)
        .collect();
    let hits = {
        let records: Vec<&ActorRecord> = all.iter().flatten().map(|a| &a.record).collect();
        directory::search(&records, query)
    };
    let page = window.cut(hits);
    Ok(Slice {
        rows: page
            .rows
            .iter()
            .filter_map(|h| all.get_mut(h.index).and_then(Option::take))
            .collect(),
        total: page.total,
    })
}

/// How many entries the caller reaches, and how many of them are public.
pub async fn count(store: &Store, reach: &Reach) -> Result<(usize, usize)> {
    let clause = reach.clause("commune_code", 2, Territorywide::Shared);
    let sql = format!(
        "SELECT COUNT(*) AS every, COALESCE(SUM(CASE WHEN visibility = $1 THEN 1 ELSE 0 END), 0) AS public \
         FROM network_actor WHERE {}",
        clause.sql
    );
    let mut tx = begin_read(store, reach).await?;
    let row = clause
        .bind(sqlx::query(sqlx::AssertSqlSafe(sql)).bind(Visibility::Public.code()))
        .fetch_one(tx.conn())
        .await?;
    tx.commit().await?;
    let every: i64 = row.try_get("every")?;
    let public: i64 = row.try_get("public")?;
    Ok((
        usize::try_from(every).unwrap_or(0),
        usize::try_from(public).unwrap_or(0),
    ))
}

/// An entry the caller reaches.
pub async fn actor(store: &Store, reach: &Reach, id: i64) -> Result<Option<Actor>> {
    let clause = reach.clause("commune_code", 2, Territorywide::Shared);
    let sql = format!(
        "SELECT {ACTOR_COLUMNS} FROM network_actor WHERE id = $1 AND deleted_at IS NULL AND {}",
        clause.sql
    );
    let mut tx = begin_read(store, reach).await?;
    let row = clause
        .bind(sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id))
        .fetch_optional(tx.conn())
        .await?;
    tx.commit().await?;
    row.as_ref().map(actor_of).transpose()
}

async fn id_of_slug(tx: &mut Change, slug: &str) -> Result<Option<i64>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM network_actor WHERE slug = $1")
            .bind(slug)
            .fetch_optional(tx.conn())
            .await?,
    )
}

/// A free identifier for a new entry: its own, or one derived from its name and commune (with -2, -3... when
/// taken).
async fn free_slug(tx: &mut Change, record: &ActorRecord) -> Result<String> {
    if let Some(k) = &record.key {
        if id_of_slug(tx, k).await?.is_some() {
            return Err(Error::Refused(Refusal::Duplicate {
                what: "identifiant",
            }));
        }
        return Ok(k.clone());
    }
    let base = directory::default_key(record);
    let base = if base.is_empty() {
        "acteur".to_string()
    } else {
        base
    };
    let mut candidate = base.clone();
    let mut n = 2;
    while id_of_slug(tx, &candidate).await?.is_some() {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    Ok(candidate)
}

async fn write(
    tx: &mut Change,
    id: Option<i64>,
    commune: Option<&str>,
    slug: &str,
    r: &ActorRecord,
    by: &str,
    now: Timestamp,
) -> Result<i64> {
    let at = instant(now);
    // The 28 values in the order of the columns, then the commune ($29); an update names its row last ($30).
    let sql = match id {
        None => {
            "INSERT INTO network_actor (slug, kind, name, missions, specific_missions, target_public, access_conditions,
                 address, postcode, commune, phone, email, website, opening_hours, appointment, cost, age_min, age_max,
                 languages, themes, publics, territory, accessible, visibility, lon, lat, updated_at, updated_by,
                 commune_code, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21,
                 $22, $23, $24, $25, $26, $27, $28, $29, $27)
             RETURNING id"
        }
        Some(_) => {
            "UPDATE network_actor SET slug = $1, kind = $2, name = $3, missions = $4, specific_missions = $5,
                 target_public = $6, access_conditions = $7, address = $8, postcode = $9, commune = $10, phone = $11,
                 email = $12, website = $13, opening_hours = $14, appointment = $15, cost = $16, age_min = $17,
                 age_max = $18, languages = $19, themes = $20, publics = $21, territory = $22, accessible = $23,
                 visibility = $24, lon = $25, lat = $26, updated_at = $27, updated_by = $28, commune_code = $29,
                 deleted_at = NULL, deleted_by = NULL
             WHERE id = $30 RETURNING id"
        }
    };
    let mut query = sqlx::query_scalar::<_, i64>(sql)
        .bind(slug)
        .bind(r.kind.code())
        .bind(&r.name)
        .bind(&r.missions)
        .bind(&r.specific_missions)
        .bind(&r.target_public)
        .bind(&r.access_conditions)
        .bind(&r.address)
        .bind(&r.postcode)
        .bind(&r.commune)
        .bind(&r.phone)
        .bind(&r.email)
        .bind(&r.website)
        .bind(&r.opening_hours)
        .bind(r.appointment.map(Coded::code))
        .bind(r.cost.map(Coded::code))
        .bind(r.age_min)
        .bind(r.age_max)
        .bind(join_codes(&r.languages))
        .bind(join_codes(&r.themes))
        .bind(join_codes(&r.publics))
        .bind(&r.territory)
        .bind(r.accessible.map(i64::from))
        .bind(r.visibility.code())
        .bind(r.position.map(|p| p.0))
        .bind(r.position.map(|p| p.1))
        .bind(at)
        .bind(by)
        .bind(commune);
    if let Some(id) = id {
        query = query.bind(id);
    }
    match query.fetch_optional(tx.conn()).await {
        Ok(Some(id)) => Ok(id),
        Ok(None) => Err(Error::NotFound {
            what: "acteur",
            id: id.unwrap_or(0),
        }),
        Err(e) if is_unique_violation(&e) => Err(Error::Refused(Refusal::Duplicate {
            what: "identifiant",
        })),
        Err(e) => Err(e.into()),
    }
}

/// Adds an entry (`id` None) or replaces one, kept by `commune` (None: the whole territory). A new entry without
/// identifier gets one from its name.
pub async fn save_actor(
    tx: &mut Change,
    reach: &Reach,
    id: Option<i64>,
    commune: Option<&str>,
    record: &ActorRecord,
    by: &str,
    now: Timestamp,
) -> Result<i64> {
    if let Some(id) = id {
        guard(tx, reach, Owner::Actor, id).await?;
    }
    may_assign(reach, commune)?;
    let slug = match (id, &record.key) {
        (None, _) => free_slug(tx, record).await?,
        (Some(_), Some(k)) => k.clone(),
        (Some(id), None) => sqlx::query_scalar("SELECT slug FROM network_actor WHERE id = $1")
            .bind(id)
            .fetch_optional(tx.conn())
            .await?
            .ok_or(Error::NotFound { what: "acteur", id })?,
    };
    write(tx, id, commune, &slug, record, by, now).await
}

/// Puts an entry in the trash ([`super::trash`]): kept [`super::trash::KEPT_DAYS`] days for a restore, out of
/// every list meanwhile. Its contact persons are personal data: erased now, never kept in the trash. An entry a
/// file imports again comes back (see [`write`]).
pub async fn delete_actor(
    tx: &mut Change,
    reach: &Reach,
    id: i64,
    by: &str,
    now: Timestamp,
) -> Result<()> {
    guard(tx, reach, Owner::Actor, id).await?;
    sqlx::query("DELETE FROM network_contact WHERE actor_id = $1")
        .bind(id)
        .execute(tx.conn())
        .await?;
    let n = sqlx::query(
        "UPDATE network_actor SET deleted_at = $1, deleted_by = $2 WHERE id = $3 AND deleted_at IS NULL",
    )
    .bind(instant(now))
    .bind(by)
    .bind(id)
    .execute(tx.conn())
    .await?
    .rows_affected();
    touched(n, "acteur", id)
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ImportCounts {
    pub inserted: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// Imports checked records (from [`maillage_network::directory::parse_csv`]): an entry whose identifier exists
/// is updated (or left alone when nothing changed) and keeps its commune, the others are added to `commune`.
/// Entries missing from the file are kept: a partner's file does not delete what the commune entered by hand.
/// An identifier of an entry the caller does not reach is refused as taken.
pub async fn import(
    tx: &mut Change,
    reach: &Reach,
    commune: Option<&str>,
    records: &[(u64, ActorRecord)],
    by: &str,
    now: Timestamp,
) -> Result<ImportCounts> {
    may_assign(reach, commune)?;
    let mut counts = ImportCounts::default();
    for (_, r) in records {
        let slug = r.key.clone().unwrap_or_else(|| directory::default_key(r));
        let mut record = r.clone();
        record.key = Some(slug.clone());
        let sql = format!("SELECT {ACTOR_COLUMNS} FROM network_actor WHERE slug = $1");
        let existing = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(&slug)
            .fetch_optional(tx.conn())
            .await?;
        match existing {
            Some(row) => {
                let old = actor_of(&row)?;
                if !reach.reaches(old.commune_code.as_deref(), Territorywide::Shared) {
                    return Err(Error::Refused(Refusal::Duplicate {
                        what: "identifiant",
                    }));
                }
                if old.record == record {
                    counts.unchanged += 1;
                } else {
                    let kept = old.commune_code.as_deref();
                    write(tx, Some(old.id), kept, &slug, &record, by, now).await?;
                    counts.updated += 1;
                }
            }
            None => {
                write(tx, None, commune, &slug, &record, by, now).await?;
                counts.inserted += 1;
            }
        }
    }
    Ok(counts)
}

// ---------------------------------------------------------------------------------------------------------------
// Contact persons.

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contact {
    pub id: i64,
    /// The commune keeping the contact: its actor's, or its own when it has none (None: the whole territory).
    pub commune_code: Option<String>,
    pub actor_id: Option<i64>,
    pub actor_name: Option<String>,
    pub name: String,
    pub role: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct ContactForm {
    pub name: String,
    pub role: String,
    pub email: String,
    pub phone: String,
}

fn contact_of(r: &AnyRow) -> Result<Contact> {
    Ok(Contact {
        id: r.try_get("id")?,
        commune_code: r.try_get("commune_code")?,
        actor_id: r.try_get("actor_id")?,
        actor_name: r.try_get("actor_name")?,
        name: r.try_get("name")?,
        role: r.try_get("role")?,
        email: r.try_get("email")?,
        phone: r.try_get("phone")?,
    })
}

const CONTACT_SELECT: &str =
    "SELECT c.id, c.commune_code, c.actor_id, a.name AS actor_name, c.name, c.role, c.email, c.phone
     FROM network_contact c LEFT JOIN network_actor a ON a.id = c.actor_id";

/// Adds a contact person (`id` None) or replaces one. A new contact of an actor kept by a commune is that
/// commune's; any other new contact is kept by `commune`. A changed contact keeps its commune.
pub async fn save_contact(
    tx: &mut Change,
    reach: &Reach,
    id: Option<i64>,
    actor_id: Option<i64>,
    commune: Option<&str>,
    form: &ContactForm,
    now: Timestamp,
) -> Result<i64> {
    let name = fields::required_line("nom", &form.name, 150)?;
    let role = fields::line("fonction", &form.role, 150)?;
    let email = fields::email("courriel", &form.email)?;
    let phone = fields::phone("telephone", &form.phone)?;
    let at = instant(now);
    match id {
        None => {
            let of_actor = match actor_id {
                Some(a) => commune_of(tx, reach, Owner::Actor, a).await?,
                None => None,
            };
            let commune = of_actor.as_deref().or(commune);
            may_assign(reach, commune)?;
            Ok(sqlx::query_scalar(
                "INSERT INTO network_contact (actor_id, name, role, email, phone, created_at, updated_at, commune_code)
                 VALUES ($1, $2, $3, $4, $5, $6, $6, $7) RETURNING id",
            )
            .bind(actor_id)
            .bind(name)
            .bind(role)
            .bind(email)
            .bind(phone)
            .bind(at)
            .bind(commune)
            .fetch_one(tx.conn())
            .await?)
        }
        Some(id) => {
            guard(tx, reach, Owner::Contact, id).await?;
            let n = sqlx::query(
                "UPDATE network_contact SET name = $2, role = $3, email = $4, phone = $5, updated_at = $6 WHERE id = $1",
            )
            .bind(id)
            .bind(name)
            .bind(role)
            .bind(email)
            .bind(phone)
            .bind(at)
            .execute(tx.conn())
            .await?
            .rows_affected();
            touched(n, "contact", id)?;
            Ok(id)
        }
    }
}

pub async fn delete_contact(tx: &mut Change, reach: &Reach, id: i64) -> Result<()> {
    guard(tx, reach, Owner::Contact, id).await?;
    let n = sqlx::query("DELETE FROM network_contact WHERE id = $1")
        .bind(id)
        .execute(tx.conn())
        .await?
        .rows_affected();
    touched(n, "contact", id)
}

/// The caller's contacts of an actor, or all of them (`None`), by name.
pub async fn contacts(store: &Store, reach: &Reach, actor_id: Option<i64>) -> Result<Vec<Contact>> {
    let clause = reach.clause("c.commune_code", 3, Territorywide::HolderOfAll);
    let sql = format!(
        "{CONTACT_SELECT} WHERE ($1 = 0 OR c.actor_id = $2) AND {} ORDER BY c.name, c.id",
        clause.sql
    );
    let mut tx = begin_read(store, reach).await?;
    let rows = clause
        .bind(
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(i64::from(actor_id.is_some()))
                .bind(actor_id.unwrap_or(0)),
        )
        .fetch_all(tx.conn())
        .await?;
    tx.commit().await?;
    rows.iter().map(contact_of).collect()
}

/// A contact the caller reaches.
pub async fn contact(store: &Store, reach: &Reach, id: i64) -> Result<Option<Contact>> {
    let clause = reach.clause("c.commune_code", 2, Territorywide::HolderOfAll);
    let sql = format!("{CONTACT_SELECT} WHERE c.id = $1 AND {}", clause.sql);
    let mut tx = begin_read(store, reach).await?;
    let row = clause
        .bind(sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id))
        .fetch_optional(tx.conn())
        .await?;
    tx.commit().await?;
    row.as_ref().map(contact_of).transpose()
}
