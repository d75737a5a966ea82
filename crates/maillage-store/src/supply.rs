//! Care supply: health professionals, their activities and practice sites (Annuaire santé), establishments
//! (FINESS). Rows are written through [`HashedTable`], so every source writes them the same way.

use crate::Result;
use crate::change::Change;
use crate::rows::{HashedTable, Val};
use maillage_indicators::professions::{ActivityFacts, GpRule};

/// Setting key of the rule deciding which GPs count as first recourse ([`GpRule`]).
pub const GP_RULE_KEY: &str = "observatoire.regle_medecins_generalistes";

/// The first-recourse GP rule in force (the default until the commune changes it).
pub async fn gp_rule(store: &crate::Store) -> Result<GpRule> {
    Ok(crate::settings::get(store, GP_RULE_KEY)
        .await?
        .unwrap_or_default())
}

/// Changes the first-recourse GP rule: every figure read afterwards follows it (no re-import needed).
pub async fn set_gp_rule(store: &crate::Store, rule: &GpRule) -> Result<()> {
    crate::settings::set_now(store, GP_RULE_KEY, rule).await
}

/// SQL condition on `activity a`: the activities some GP rule may count (followed professions, and doctors
/// without any savoir-faire, whom [`GpRule::doctors_without_skill`] may count).
pub(crate) const COUNTABLE_ACTIVITY: &str = "(a.profession IS NOT NULL OR (a.profession_code = '10' \
     AND COALESCE(a.skill_code, '') = '' AND COALESCE(a.skill_label, '') = ''))";

/// The columns of `activity a` the GP rule reads; select them with [`COUNTABLE_ACTIVITY`] and pass each row
/// to [`counted_profession`].
pub(crate) const RULE_COLUMNS: &str = "a.profession, a.profession_code, a.skill_code, a.skill_label, a.practice_mode_code, a.sector_code";

/// The followed profession an activity row (read with [`RULE_COLUMNS`]) counts for under `rule`.
pub(crate) fn counted_profession(rule: &GpRule, r: &sqlx::any::AnyRow) -> Result<Option<String>> {
    use sqlx::Row;
    let profession: Option<String> = r.try_get("profession")?;
    let profession_code: String = r.try_get("profession_code")?;
    let skill_code: Option<String> = r.try_get("skill_code")?;
    let skill_label: Option<String> = r.try_get("skill_label")?;
    let mode: Option<String> = r.try_get("practice_mode_code")?;
    let sector: Option<String> = r.try_get("sector_code")?;
    let present = |v: &Option<String>| v.as_deref().is_some_and(|v| !v.trim().is_empty());
    Ok(rule
        .profession_of(&ActivityFacts {
            profession: profession.as_deref(),
            profession_code: &profession_code,
            has_skill: present(&skill_code) || present(&skill_label),
            mode: mode.as_deref(),
            sector: sector.as_deref(),
        })
        .map(str::to_string))
}

pub const PROFESSIONAL_COLUMNS: &[&str] =
    &["id_type", "pp_id", "civility", "last_name", "first_name"];

#[derive(Debug, Clone, PartialEq)]
pub struct Professional {
    pub national_id: String,
    pub id_type: String,
    pub pp_id: String,
    pub civility: Option<String>,
    pub last_name: String,
    pub first_name: Option<String>,
}

impl Professional {
    pub fn values(&self) -> Vec<Val> {
        vec![
            Val::text(&self.id_type),
            Val::text(&self.pp_id),
            Val::opt(self.civility.clone()),
            Val::text(&self.last_name),
            Val::opt(self.first_name.clone()),
        ]
    }
}

pub const SITE_COLUMNS: &[&str] = &[
    "structure_id",
    "siret",
    "finess_site",
    "finess_legal",
    "name",
    "address_number",
    "address_repetition",
    "street_type",
    "street",
    "address_extra",
    "postcode",
    "commune_code",
    "commune_name",
    "departement",
    "phone",
    "email",
    "lon",
    "lat",
    "geocode_quality",
];

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PracticeSite {
    pub site_key: String,
    pub structure_id: Option<String>,
    pub siret: Option<String>,
    pub finess_site: Option<String>,
    pub finess_legal: Option<String>,
    pub name: Option<String>,
    pub address_number: Option<String>,
    pub address_repetition: Option<String>,
    pub street_type: Option<String>,
    pub street: Option<String>,
    pub address_extra: Option<String>,
    pub postcode: Option<String>,
    pub commune_code: Option<String>,
    pub commune_name: Option<String>,
    pub departement: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// WGS84 position when known (geocoded from the BAN, or given by the source).
    pub position: Option<(f64, f64)>,
    pub geocode_quality: Option<String>,
}

impl PracticeSite {
    pub fn values(&self) -> Vec<Val> {
        vec![
            Val::opt(self.structure_id.clone()),
            Val::opt(self.siret.clone()),
            Val::opt(self.finess_site.clone()),
            Val::opt(self.finess_legal.clone()),
            Val::opt(self.name.clone()),
            Val::opt(self.address_number.clone()),
            Val::opt(self.address_repetition.clone()),
            Val::opt(self.street_type.clone()),
            Val::opt(self.street.clone()),
            Val::opt(self.address_extra.clone()),
            Val::opt(self.postcode.clone()),
            Val::opt(self.commune_code.clone()),
            Val::opt(self.commune_name.clone()),
            Val::opt(self.departement.clone()),
            Val::opt(self.phone.clone()),
            Val::opt(self.email.clone()),
            Val::Real(self.position.map(|p| p.0)),
            Val::Real(self.position.map(|p| p.1)),
            Val::opt(self.geocode_quality.clone()),
        ]
    }
}

pub const ACTIVITY_COLUMNS: &[&str] = &[
    "national_id",
    "site_key",
    "profession_code",
    "profession_label",
    "category_code",
    "skill_type_code",
    "skill_code",
    "skill_label",
    "practice_mode_code",
    "practice_mode_label",
    "sector_code",
    "sector_label",
    "profession",
];

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Activity {
    pub national_id: String,
    pub site_key: Option<String>,
    pub profession_code: String,
    pub profession_label: Option<String>,
    pub category_code: Option<String>,
    pub skill_type_code: Option<String>,
    pub skill_code: Option<String>,
    pub skill_label: Option<String>,
    pub practice_mode_code: Option<String>,
    pub practice_mode_label: Option<String>,
    pub sector_code: Option<String>,
    pub sector_label: Option<String>,
    /// The Maillage profession (e.g. `medecin_generaliste`) when the activity is one the observatory follows.
    pub profession: Option<String>,
}

impl Activity {
    /// The activity's stable identity: the same person, site, profession, speciality and mode of practice.
    pub fn key(&self) -> String {
        crate::codec::row_hash([
            Some(self.national_id.as_str()),
            self.site_key.as_deref(),
            Some(self.profession_code.as_str()),
            self.skill_type_code.as_deref(),
            self.skill_code.as_deref(),
            self.practice_mode_code.as_deref(),
            self.sector_code.as_deref(),
        ])
    }

    pub fn values(&self) -> Vec<Val> {
        vec![
            Val::text(&self.national_id),
            Val::opt(self.site_key.clone()),
            Val::text(&self.profession_code),
            Val::opt(self.profession_label.clone()),
            Val::opt(self.category_code.clone()),
            Val::opt(self.skill_type_code.clone()),
            Val::opt(self.skill_code.clone()),
            Val::opt(self.skill_label.clone()),
            Val::opt(self.practice_mode_code.clone()),
            Val::opt(self.practice_mode_label.clone()),
            Val::opt(self.sector_code.clone()),
            Val::opt(self.sector_label.clone()),
            Val::opt(self.profession.clone()),
        ]
    }
}

pub const ESTABLISHMENT_COLUMNS: &[&str] = &[
    "finess_legal",
    "name",
    "long_name",
    "address",
    "postcode",
    "commune_code",
    "departement",
    "phone",
    "category_code",
    "category_label",
    "category_group_code",
    "category_group_label",
    "siret",
    "opened_on",
    "updated_on",
    "lon",
    "lat",
    "coordinates_source",
];

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Establishment {
    pub finess_et: String,
    pub finess_legal: Option<String>,
    pub name: String,
    pub long_name: Option<String>,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub commune_code: Option<String>,
    pub departement: Option<String>,
    pub phone: Option<String>,
    pub category_code: Option<String>,
    pub category_label: Option<String>,
    pub category_group_code: Option<String>,
    pub category_group_label: Option<String>,
    pub siret: Option<String>,
    pub opened_on: Option<String>,
    pub updated_on: Option<String>,
    pub position: Option<(f64, f64)>,
    pub coordinates_source: Option<String>,
}

impl Establishment {
    pub fn values(&self) -> Vec<Val> {
        vec![
            Val::opt(self.finess_legal.clone()),
            Val::text(&self.name),
            Val::opt(self.long_name.clone()),
            Val::opt(self.address.clone()),
            Val::opt(self.postcode.clone()),
            Val::opt(self.commune_code.clone()),
            Val::opt(self.departement.clone()),
            Val::opt(self.phone.clone()),
            Val::opt(self.category_code.clone()),
            Val::opt(self.category_label.clone()),
            Val::opt(self.category_group_code.clone()),
            Val::opt(self.category_group_label.clone()),
            Val::opt(self.siret.clone()),
            Val::opt(self.opened_on.clone()),
            Val::opt(self.updated_on.clone()),
            Val::Real(self.position.map(|p| p.0)),
            Val::Real(self.position.map(|p| p.1)),
            Val::opt(self.coordinates_source.clone()),
        ]
    }
}

/// The tables an Annuaire santé import writes, loaded once for the batch.
pub struct AnnuaireTables {
    pub professionals: HashedTable,
    pub sites: HashedTable,
    pub activities: HashedTable,
}

impl AnnuaireTables {
    pub async fn load(tx: &mut Change, batch_id: i64) -> Result<AnnuaireTables> {
        Ok(AnnuaireTables {
            professionals: HashedTable::load(
                tx,
                "professional",
                "national_id",
                PROFESSIONAL_COLUMNS,
                batch_id,
            )
            .await?,
            sites: HashedTable::load(tx, "practice_site", "site_key", SITE_COLUMNS, batch_id)
                .await?,
            activities: HashedTable::load(
                tx,
                "activity",
                "activity_key",
                ACTIVITY_COLUMNS,
                batch_id,
            )
            .await?,
        })
    }

    /// Flushes when any table has a full chunk pending.
    pub async fn flush_if_full(&mut self, tx: &mut Change) -> Result<()> {
        if self.professionals.wants_flush()
            || self.sites.wants_flush()
            || self.activities.wants_flush()
        {
            self.flush(tx).await?;
        }
        Ok(())
    }

    /// Writes everything pending, parents first (activities reference professionals and sites).
    pub async fn flush(&mut self, tx: &mut Change) -> Result<()> {
        self.professionals.flush(tx).await?;
        self.sites.flush(tx).await?;
        self.activities.flush(tx).await
    }
}

pub async fn establishments_table(tx: &mut Change, batch_id: i64) -> Result<HashedTable> {
    HashedTable::load(
        tx,
        "establishment",
        "finess_et",
        ESTABLISHMENT_COLUMNS,
        batch_id,
    )
    .await
}

/// One activity in force of a professional at a practice site, by name (the Annuaire santé is a public
/// directory, but listing it is still audited by the applications).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Practitioner {
    pub national_id: String,
    pub civility: Option<String>,
    pub last_name: String,
    pub first_name: Option<String>,
    pub profession: String,
    pub profession_label: Option<String>,
    pub site_name: Option<String>,
    pub commune_code: Option<String>,
    pub commune_name: Option<String>,
}

/// Every activity in force of a profession the observatory follows, ordered by name.
pub async fn practitioners(store: &crate::Store) -> Result<Vec<Practitioner>> {
    use sqlx::Row;
    let rule = gp_rule(store).await?;
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT p.national_id, p.civility, p.last_name, p.first_name, {RULE_COLUMNS}, a.profession_label,
                s.name AS site_name, s.commune_code, s.commune_name
         FROM activity a
         JOIN professional p ON p.national_id = a.national_id AND p.removed_batch_id IS NULL
         JOIN practice_site s ON s.site_key = a.site_key AND s.removed_batch_id IS NULL
         WHERE a.removed_batch_id IS NULL AND {COUNTABLE_ACTIVITY}
         ORDER BY p.last_name, p.first_name, p.national_id, a.profession, s.site_key"
    )))
    .fetch_all(store.pool())
    .await?;
    let mut out = Vec::new();
    for r in &rows {
        let Some(profession) = counted_profession(&rule, r)? else {
            continue;
        };
        out.push(Practitioner {
            national_id: r.try_get("national_id")?,
            civility: r.try_get("civility")?,
            last_name: r.try_get("last_name")?,
            first_name: r.try_get("first_name")?,
            profession,
            profession_label: r.try_get("profession_label")?,
            site_name: r.try_get("site_name")?,
            commune_code: r.try_get("commune_code")?,
            commune_name: r.try_get("commune_name")?,
        });
    }
    Ok(out)
}

/// A geolocated place where a profession is practised, with how much of it: each professional counts for one,
/// split evenly across the sites where they practise it (a headcount that does not count anyone twice).
#[derive(Debug, Clone, serde::Serialize)]
pub struct SupplySite {
    pub site_key: String,
    pub lon: f64,
    pub lat: f64,
    pub commune_code: Option<String>,
    pub headcount: f64,
    /// The same, with part-timers (local enrichment) counting for half: a full-time-equivalent proxy.
    pub fte: f64,
    /// Acts per year (consultations and visits, latest year the commune gave for each professional), each
    /// professional's split across their sites like the headcount.
    pub activity: f64,
    /// Headcount of the professionals whose activity was not given (they add nothing to `activity`).
    pub headcount_without_activity: f64,
}

/// The sites of a profession the observatory follows, with positions. Pharmacies are FINESS officines.
pub async fn supply_sites(store: &crate::Store, profession: &str) -> Result<Vec<SupplySite>> {
    use sqlx::Row;
    use std::collections::BTreeMap;
    if profession == maillage_indicators::professions::PHARMACY {
        return sqlx::query(
            "SELECT finess_et, lon, lat, commune_code FROM establishment
             WHERE removed_batch_id IS NULL AND category_code = $1 AND lon IS NOT NULL ORDER BY finess_et",
        )
        .bind(crate::observatory::PHARMACY_CATEGORY)
        .fetch_all(store.pool())
        .await?
        .iter()
        .map(|r| {
            Ok(SupplySite {
                site_key: r.try_get("finess_et")?,
                lon: r.try_get("lon")?,
                lat: r.try_get("lat")?,
                commune_code: r.try_get("commune_code")?,
                headcount: 1.0,
                fte: 1.0,
                activity: 0.0,
                headcount_without_activity: 1.0,
            })
        })
        .collect();
    }
    let rule = gp_rule(store).await?;
    let all_rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT a.national_id, s.site_key, s.lon, s.lat, s.commune_code, e.part_time, {RULE_COLUMNS}
         FROM activity a
         JOIN practice_site s ON s.site_key = a.site_key AND s.removed_batch_id IS NULL
         LEFT JOIN local_enrichment e ON e.subject_kind = 'professionnel' AND e.subject_key = a.national_id
         WHERE a.removed_batch_id IS NULL AND {COUNTABLE_ACTIVITY} AND s.lon IS NOT NULL
         ORDER BY s.site_key, a.national_id"
    )))
    .fetch_all(store.pool())
    .await?;
    // The rule decides which activities count for the profession; a person counts once per site.
    let mut seen = std::collections::BTreeSet::new();
    let mut rows = Vec::new();
    for r in all_rows {
        if counted_profession(&rule, &r)?.as_deref() == Some(profession)
            && seen.insert((
                r.try_get::<String, _>("national_id")?,
                r.try_get::<String, _>("site_key")?,
            ))
        {
            rows.push(r);
        }
    }
    let acts = crate::imports::activity::latest_acts(store).await?;
    let mut sites_of: BTreeMap<String, u32> = BTreeMap::new();
    for r in &rows {
        *sites_of.entry(r.try_get("national_id")?).or_default() += 1;
    }
    let mut out: BTreeMap<String, SupplySite> = BTreeMap::new();
    for r in &rows {
        let person: String = r.try_get("national_id")?;
        let share = 1.0 / f64::from(sites_of[&person]);
        let part_time = r.try_get::<Option<i64>, _>("part_time")? == Some(1);
        let key: String = r.try_get("site_key")?;
        let site = out.entry(key.clone()).or_insert(SupplySite {
            site_key: key,
            lon: r.try_get("lon")?,
            lat: r.try_get("lat")?,
            commune_code: r.try_get("commune_code")?,
            headcount: 0.0,
            fte: 0.0,
            activity: 0.0,
            headcount_without_activity: 0.0,
        });
        site.headcount += share;
        site.fte += if part_time { share / 2.0 } else { share };
        match acts.get(&person) {
            Some((_, a)) => site.activity += a * share,
            None => site.headcount_without_activity += share,
        }
    }
    Ok(out.into_values().collect())
}
