//! Reference figures: what every département and France count, so that each figure of the territory is read
//! beside its département's and France's, same method, same date (issue 12, item 5; migration 0009).
//!
//! The national Annuaire and FINESS files are streamed whole to keep the territory's rows: the others are read
//! anyway, so each import also counts, in the same pass, the professionals (Annuaire: distinct national
//! identifiers, classified exactly as the territory's supply) or the officines (FINESS, category 620) of every
//! département and of France, and replaces its source's counts in its own transaction. The communes import
//! keeps the population of every département and of France with its vintage (it keeps only the territory's
//! communes as zones). An identical re-import finds identical figures and writes nothing.
//!
//! France is metropolitan France and the départements d'outre-mer (see
//! [`maillage_formats::departements`]); a place's département comes from its commune code.

use crate::change::Change;
use crate::{Result, Store};
use maillage_formats::departements::{DEPARTEMENTS, departement_name, departement_of_commune};
use maillage_indicators::professions::{GP, GP_OTHER, GpPractice, GpRule};
use maillage_indicators::{ReferenceZone, ZoneInput};
use serde::Serialize;
use sqlx::Row;
use std::collections::{BTreeMap, HashMap, HashSet};

/// The code of France among reference zones.
pub const FRANCE_CODE: &str = "FR";

/// What a reference zone is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Departement,
    France,
}

impl Level {
    /// As stored, and as the indicators' zone kind (`departement`, `france`).
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Departement => "departement",
            Level::France => "france",
        }
    }

    fn parse(s: &str) -> Option<Level> {
        match s {
            "departement" => Some(Level::Departement),
            "france" => Some(Level::France),
            _ => None,
        }
    }
}

/// (level, zone code, profession code) → count.
pub type Counts = BTreeMap<(Level, String, String), u64>;
/// (level, zone code) → population.
pub type Populations = BTreeMap<(Level, String), f64>;

/// Counts distinct subjects (professionals, establishments) per département and France while a file streams.
/// A subject is counted once per département and profession however many places it has there, and once for
/// France. Memory: one 64-bit digest per (zone, profession, subject) — a few tens of MB for the national
/// Annuaire, whatever the size of its rows.
#[derive(Debug, Default)]
pub struct Tally {
    seen: HashSet<u64>,
    counts: BTreeMap<(&'static str, &'static str), u64>,
    /// GPs (and doctors without savoir-faire): the ways each practises, by (zone, subject digest, without
    /// savoir-faire), counted by mask so that any GP rule applies at read time (see [`GP_MASK`]).
    gp_masks: HashMap<(&'static str, u64, bool), u8>,
    /// Places whose commune code names no département (missing, malformed, collectivité d'outre-mer).
    pub outside: u64,
}

impl Tally {
    /// One place of `subject` practising `profession`, in the commune `commune_code`.
    pub fn add(&mut self, commune_code: Option<&str>, profession: &'static str, subject: &str) {
        let Some(departement) = commune_code.and_then(departement_of_commune) else {
            self.outside += 1;
            return;
        };
        for zone in [departement, FRANCE_CODE] {
            if self.seen.insert(digest(zone, profession, subject)) {
                *self.counts.entry((zone, profession)).or_default() += 1;
            }
        }
    }

    /// One place of a GP (or, `without_skill`, of a doctor without any savoir-faire) practising in `practice`.
    pub fn add_gp(
        &mut self,
        commune_code: Option<&str>,
        practice: GpPractice,
        without_skill: bool,
        subject: &str,
    ) {
        let Some(departement) = commune_code.and_then(departement_of_commune) else {
            self.outside += 1;
            return;
        };
        for zone in [departement, FRANCE_CODE] {
            *self
                .gp_masks
                .entry((zone, digest(zone, GP, subject), without_skill))
                .or_default() |= practice.bit();
        }
    }

    /// Every département and France for each of `professions`, zero where nobody was counted.
    pub fn counts(&self, professions: &[&'static str]) -> Counts {
        let zones = DEPARTEMENTS
            .iter()
            .map(|(code, _)| (Level::Departement, *code))
            .chain([(Level::France, FRANCE_CODE)]);
        let mut out = Counts::new();
        for (level, code) in zones {
            for p in professions {
                let n = self.counts.get(&(code, *p)).copied().unwrap_or(0);
                out.insert((level, code.to_string(), p.to_string()), n);
            }
        }
        for ((zone, _, without_skill), mask) in &self.gp_masks {
            let level = if *zone == FRANCE_CODE {
                Level::France
            } else {
                Level::Departement
            };
            *out.entry((level, zone.to_string(), gp_mask_key(*mask, *without_skill)))
                .or_default() += 1;
        }
        out
    }
}

/// How GP counts by ways of practising are stored: `medecin_generaliste@<mask>` (doctors without savoir-faire:
/// `medecin_sans_savoir_faire@<mask>`), folded into the followed lines by [`figures`] under the rule in force.
pub const GP_MASK: char = '@';
const WITHOUT_SKILL: &str = "medecin_sans_savoir_faire";

fn gp_mask_key(mask: u8, without_skill: bool) -> String {
    let kind = if without_skill { WITHOUT_SKILL } else { GP };
    format!("{kind}{GP_MASK}{mask}")
}

/// The stored GP counts by mask, folded into the lines [`GP`] and [`GP_OTHER`] under `rule`; both lines are
/// present (0 when nobody) wherever the source counted GPs.
fn apply_gp_rule(figures: Vec<Figure>, rule: &GpRule) -> Vec<Figure> {
    let mut out = Vec::with_capacity(figures.len());
    let mut lines: BTreeMap<(Level, String, &'static str), Figure> = BTreeMap::new();
    let mut line = |f: &Figure, name: &'static str, n: u64| {
        lines
            .entry((f.level, f.code.clone(), name))
            .or_insert_with(|| Figure {
                profession: name.to_string(),
                count: 0,
                ..f.clone()
            })
            .count += n;
    };
    for f in figures {
        match f.profession.split_once(GP_MASK) {
            Some((kind, mask)) => {
                let mask: u8 = mask.parse().unwrap_or(0);
                for name in rule.lines_of(mask, kind == WITHOUT_SKILL) {
                    line(&f, name, f.count);
                }
            }
            None if f.profession == GP || f.profession == GP_OTHER => {
                line(&f, GP, 0);
                line(&f, GP_OTHER, 0);
                let name = if f.profession == GP { GP } else { GP_OTHER };
                line(&f, name, f.count);
            }
            None => out.push(f),
        }
    }
    out.extend(lines.into_values());
    out
}

fn digest(zone: &str, profession: &str, subject: &str) -> u64 {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let mut h = DefaultHasher::new();
    (zone, profession, subject).hash(&mut h);
    h.finish()
}

/// Adds up the population of communes into their département and France.
#[derive(Debug, Default)]
pub struct PopulationTally {
    by_departement: BTreeMap<&'static str, f64>,
}

impl PopulationTally {
    /// A commune (not an arrondissement municipal: its population is already its commune's).
    pub fn add(&mut self, commune_code: &str, population: f64) {
        if let Some(d) = departement_of_commune(commune_code) {
            *self.by_departement.entry(d).or_default() += population;
        }
    }

    pub fn populations(&self) -> Populations {
        let mut out: Populations = self
            .by_departement
            .iter()
            .map(|(d, p)| ((Level::Departement, d.to_string()), *p))
            .collect();
        if !self.by_departement.is_empty() {
            out.insert(
                (Level::France, FRANCE_CODE.to_string()),
                self.by_departement.values().sum(),
            );
        }
        out
    }
}

/// Replaces the counts of `source` (`annuaire`, `finess`, `demonstration`) by `counts`, in the import's
/// transaction. Returns whether any figure changed: identical figures are only re-attached to this batch (so
/// that an identical re-import, rolled back as a whole, changes nothing).
pub async fn replace_counts(
    tx: &mut Change,
    source: &str,
    batch_id: i64,
    counts: &Counts,
) -> Result<bool> {
    let mut stored = Counts::new();
    let rows =
        sqlx::query("SELECT level, code, profession, count FROM reference_count WHERE source = $1")
            .bind(source)
            .fetch_all(tx.conn())
            .await?;
    for r in rows {
        let level: String = r.try_get("level")?;
        let Some(level) = Level::parse(&level) else {
            continue;
        };
        stored.insert(
            (level, r.try_get("code")?, r.try_get("profession")?),
            r.try_get::<i64, _>("count")? as u64,
        );
    }
    if stored == *counts {
        sqlx::query("UPDATE reference_count SET batch_id = $1 WHERE source = $2")
            .bind(batch_id)
            .bind(source)
            .execute(tx.conn())
            .await?;
        return Ok(false);
    }
    sqlx::query("DELETE FROM reference_count WHERE source = $1")
        .bind(source)
        .execute(tx.conn())
        .await?;
    for ((level, code, profession), n) in counts {
        sqlx::query(
            "INSERT INTO reference_count (source, level, code, profession, count, batch_id)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(source)
        .bind(level.as_str())
        .bind(code)
        .bind(profession)
        .bind(*n as i64)
        .bind(batch_id)
        .execute(tx.conn())
        .await?;
    }
    Ok(true)
}

/// Replaces the populations of départements and France (a communes import, or the demonstration). Returns
/// whether any changed.
pub async fn replace_populations(
    tx: &mut Change,
    batch_id: i64,
    vintage: i64,
    populations: &Populations,
) -> Result<bool> {
    let mut stored: BTreeMap<(Level, String), (f64, i64)> = BTreeMap::new();
    for r in sqlx::query("SELECT level, code, population, vintage FROM reference_population")
        .fetch_all(tx.conn())
        .await?
    {
        let level: String = r.try_get("level")?;
        if let Some(level) = Level::parse(&level) {
            stored.insert(
                (level, r.try_get("code")?),
                (r.try_get("population")?, r.try_get("vintage")?),
            );
        }
    }
    let wanted: BTreeMap<(Level, String), (f64, i64)> = populations
        .iter()
        .map(|(k, p)| (k.clone(), (*p, vintage)))
        .collect();
    if stored == wanted {
        sqlx::query("UPDATE reference_population SET batch_id = $1")
            .bind(batch_id)
            .execute(tx.conn())
            .await?;
        return Ok(false);
    }
    sqlx::query("DELETE FROM reference_population")
        .execute(tx.conn())
        .await?;
    for ((level, code), population) in populations {
        sqlx::query(
            "INSERT INTO reference_population (level, code, vintage, population, batch_id)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(level.as_str())
        .bind(code)
        .bind(vintage)
        .bind(*population)
        .bind(batch_id)
        .execute(tx.conn())
        .await?;
    }
    Ok(true)
}

/// One reference figure: a count of one profession in a département or France, with the population it is
/// divided by and where both come from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figure {
    pub level: Level,
    /// Département code, or [`FRANCE_CODE`].
    pub code: String,
    /// `Vienne`, `France`.
    pub name: String,
    pub profession: String,
    pub count: u64,
    pub population: Option<f64>,
    pub population_vintage: Option<i64>,
    /// The import the count comes from: kind (`annuaire`, `finess`, `demonstration`), batch, file vintage and
    /// date of import.
    pub source: String,
    pub batch_id: i64,
    pub vintage: Option<String>,
    pub imported_at: String,
}

/// Every reference figure in the store, by level, code and profession.
pub async fn figures(store: &Store) -> Result<Vec<Figure>> {
    let rows = sqlx::query(
        "SELECT c.source, c.level, c.code, c.profession, c.count, c.batch_id, b.vintage, b.imported_at,
                p.population, p.vintage AS population_vintage
         FROM reference_count c
         JOIN import_batch b ON b.id = c.batch_id
         LEFT JOIN reference_population p ON p.level = c.level AND p.code = c.code
         ORDER BY c.level, c.code, c.profession",
    )
    .fetch_all(store.pool())
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let level: String = r.try_get("level")?;
        let Some(level) = Level::parse(&level) else {
            continue;
        };
        let code: String = r.try_get("code")?;
        let source: String = r.try_get("source")?;
        out.push(Figure {
            level,
            name: zone_name(level, &code, &source),
            code,
            profession: r.try_get("profession")?,
            count: r.try_get::<i64, _>("count")? as u64,
            population: r.try_get("population")?,
            population_vintage: r.try_get("population_vintage")?,
            source,
            batch_id: r.try_get("batch_id")?,
            vintage: r.try_get("vintage")?,
            imported_at: r.try_get("imported_at")?,
        });
    }
    // GPs are stored by ways of practising: the rule in force decides their lines, as for the territory.
    Ok(apply_gp_rule(out, &crate::supply::gp_rule(store).await?))
}

/// The source of the demonstration's reference figures (fictional, see `maillage-demo`).
pub const DEMONSTRATION: &str = "demonstration";

fn zone_name(level: Level, code: &str, source: &str) -> String {
    match (level, source == DEMONSTRATION) {
        (Level::France, false) => "France".to_string(),
        (Level::France, true) => "France (chiffres fictifs de démonstration)".to_string(),
        (Level::Departement, false) => departement_name(code)
            .map(str::to_string)
            .unwrap_or_else(|| format!("Département {code}")),
        (Level::Departement, true) => format!("Département {code} (fictif)"),
    }
}

/// The reference zones of the indicators: the départements `departements` and France, each with its counts
/// per profession and its population. A zone the store has no count for is left out.
pub async fn indicator_zones(store: &Store, departements: &[&str]) -> Result<Vec<ReferenceZone>> {
    let mut zones: BTreeMap<(Level, String), ReferenceZone> = BTreeMap::new();
    for f in figures(store).await? {
        if f.level == Level::Departement && !departements.contains(&f.code.as_str()) {
            continue;
        }
        let next_id = -(zones.len() as i64) - 1;
        let zone = zones
            .entry((f.level, f.code.clone()))
            .or_insert_with(|| ReferenceZone {
                // Negative: never the id of a stored zone.
                zone: ZoneInput {
                    id: next_id,
                    kind: f.level.as_str().to_string(),
                    code: f.code.clone(),
                    name: f.name.clone(),
                    parent_code: None,
                    population: f.population,
                    population_vintage: f.population_vintage,
                    buffer: false,
                },
                counts: BTreeMap::new(),
            });
        zone.counts.insert(f.profession.clone(), f.count as f64);
    }
    Ok(zones.into_values().collect())
}

/// The département of a commune (or arrondissement) code, when it names one of the 101 départements.
pub fn departement_of_code(commune_code: &str) -> Option<&'static str> {
    departement_of_commune(commune_code)
}

/// The département of each commune in the store: as the communes file (or the demonstration) gives it, else
/// from its code.
pub async fn commune_departements(store: &Store) -> Result<BTreeMap<String, String>> {
    let rows = sqlx::query(
        "SELECT code, departement FROM zone WHERE kind = 'commune' AND removed_batch_id IS NULL",
    )
    .fetch_all(store.pool())
    .await?;
    let mut out = BTreeMap::new();
    for r in rows {
        let code: String = r.try_get("code")?;
        let stored: Option<String> = r.try_get("departement")?;
        if let Some(d) = stored.or_else(|| departement_of_commune(&code).map(str::to_string)) {
            out.insert(code, d);
        }
    }
    Ok(out)
}

/// What an import did to the reference figures, kept in its batch details (`references`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Recorded {
    /// Whether a figure changed (an identical re-import changes none).
    pub modifiees: bool,
    /// Rows or establishments whose commune names no département (not counted).
    pub hors_departement: u64,
}

/// Replaces `source`'s counts by what `tally` counted for `professions`, in the import's transaction.
pub async fn record(
    s: &mut crate::session::ImportSession,
    source: &str,
    tally: &Tally,
    professions: &[&'static str],
) -> Result<Recorded> {
    let modifiees =
        replace_counts(&mut s.tx, source, s.batch_id, &tally.counts(professions)).await?;
    Ok(Recorded {
        modifiees,
        hors_departement: tally.outside,
    })
}
