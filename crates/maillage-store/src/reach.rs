//! Which communes' records a caller reaches. Personal and internal records (the register, calls, volunteers,
//! the directory, bodies, the CLS…) belong to the commune that keeps them: their `commune_code` column names it,
//! or is NULL for a record of the whole territory (an intercommunal contract, the EPCI's crisis cell). An account
//! holds every commune of the instance or a list of communes; every read, list, export and change of those
//! records goes through a [`Reach`], applied in SQL by [`Reach::clause`] and, on PostgreSQL, set on the
//! transaction ([`begin_read`], [`begin_write`]) for the row-level security policies that lock the same rule a
//! second time.
//!
//! A record of the whole territory is reached by every account only where its table says so
//! ([`Territorywide::Shared`]: internal records such as a CLS, read by the agents of every member commune);
//! personal records of the whole territory ([`Territorywide::HolderOfAll`]) are reached only by accounts holding
//! every commune.

use crate::{Backend, Result, Store};
use sqlx::any::AnyArguments;
use sqlx::query::{Query, QueryAs, QueryScalar};
use sqlx::{Any, Transaction};
use std::collections::BTreeSet;

/// The communes whose records a caller reaches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reach {
    all: bool,
    communes: BTreeSet<String>,
}

/// Who reaches a record that belongs to the whole territory (`commune_code` NULL).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Territorywide {
    /// Every account (internal records shared by the member communes: CLS, bodies, crisis cell).
    Shared,
    /// Only accounts holding every commune (personal records).
    HolderOfAll,
}

/// Every table whose rows belong to a commune (`commune_code`), with who reaches its rows of the whole territory.
/// On PostgreSQL, migration 0015 locks exactly these tables with row-level security (its
/// `maillage_owned_tables()` lists the same; `tests/it/row_security.rs` checks they agree).
pub const OWNED_TABLES: &[(&str, Territorywide)] = &[
    ("crisis_event", Territorywide::Shared),
    ("crisis_member", Territorywide::Shared),
    ("crisis_site", Territorywide::Shared),
    ("crisis_log", Territorywide::Shared),
    ("crisis_task", Territorywide::Shared),
    ("crisis_campaign", Territorywide::Shared),
    ("crisis_stock_item", Territorywide::Shared),
    ("crisis_service", Territorywide::Shared),
    ("crisis_person", Territorywide::HolderOfAll),
    ("crisis_person_removal", Territorywide::HolderOfAll),
    ("crisis_call", Territorywide::HolderOfAll),
    ("crisis_volunteer", Territorywide::HolderOfAll),
    ("crisis_round", Territorywide::HolderOfAll),
    ("crisis_request", Territorywide::HolderOfAll),
    ("network_actor", Territorywide::Shared),
    ("network_list", Territorywide::Shared),
    ("network_message", Territorywide::Shared),
    ("network_body", Territorywide::Shared),
    ("cls_contract", Territorywide::Shared),
    ("network_consultation", Territorywide::Shared),
    ("network_contact", Territorywide::HolderOfAll),
    ("network_member", Territorywide::HolderOfAll),
    ("network_watch_case", Territorywide::HolderOfAll),
];

/// A condition on a commune column, with the values to bind in order from its first parameter.
#[derive(Debug, Clone)]
pub struct Clause {
    pub sql: String,
    binds: Vec<String>,
}

impl Reach {
    /// Every commune of the instance (administrators, command line, accounts granted every commune).
    pub fn everything() -> Reach {
        Reach {
            all: true,
            communes: BTreeSet::new(),
        }
    }

    /// These communes only (INSEE codes).
    pub fn communes<I, S>(codes: I) -> Reach
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Reach {
            all: false,
            communes: codes.into_iter().map(Into::into).collect(),
        }
    }

    pub fn is_everything(&self) -> bool {
        self.all
    }

    /// The communes held when not every commune (empty for [`Reach::everything`]).
    pub fn held(&self) -> &BTreeSet<String> {
        &self.communes
    }

    /// Whether a record of `commune` (None: the whole territory) is reached.
    pub fn reaches(&self, commune: Option<&str>, territorywide: Territorywide) -> bool {
        if self.all {
            return true;
        }
        match commune {
            Some(code) => self.communes.contains(code),
            None => territorywide == Territorywide::Shared,
        }
    }

    /// Whether a change may give a record to `commune` (None: the whole territory, only with every commune).
    pub fn may_assign(&self, commune: Option<&str>) -> bool {
        self.all || commune.is_some_and(|c| self.communes.contains(c))
    }

    /// The SQL condition reaching the records whose commune is `column`, its parameters numbered from `first`
    /// (`$first`, `$first+1`…). Bind its values with [`Clause::bind`] after the parameters before `first`.
    pub fn clause(&self, column: &str, first: usize, territorywide: Territorywide) -> Clause {
        if self.all {
            return Clause {
                sql: "1 = 1".into(),
                binds: Vec::new(),
            };
        }
        let shared = territorywide == Territorywide::Shared;
        let params: Vec<String> = (0..self.communes.len())
            .map(|i| format!("${}", first + i))
            .collect();
        let sql = match (params.is_empty(), shared) {
            (true, false) => "1 = 0".to_string(),
            (true, true) => format!("{column} IS NULL"),
            (false, false) => format!("{column} IN ({})", params.join(", ")),
            (false, true) => format!("({column} IS NULL OR {column} IN ({}))", params.join(", ")),
        };
        Clause {
            sql,
            binds: self.communes.iter().cloned().collect(),
        }
    }

    /// The communes as one text, as the row-level security policies read it (`maillage.communes`).
    fn setting(&self) -> String {
        self.communes.iter().cloned().collect::<Vec<_>>().join(",")
    }
}

impl Clause {
    /// How many parameters the clause uses (the next free parameter is `first + count`).
    pub fn count(&self) -> usize {
        self.binds.len()
    }

    pub fn bind<'q>(&self, mut q: Query<'q, Any, AnyArguments>) -> Query<'q, Any, AnyArguments> {
        for b in &self.binds {
            q = q.bind(b.clone());
        }
        q
    }

    pub fn bind_as<'q, O>(
        &self,
        mut q: QueryAs<'q, Any, O, AnyArguments>,
    ) -> QueryAs<'q, Any, O, AnyArguments> {
        for b in &self.binds {
            q = q.bind(b.clone());
        }
        q
    }

    pub fn bind_scalar<'q, O>(
        &self,
        mut q: QueryScalar<'q, Any, O, AnyArguments>,
    ) -> QueryScalar<'q, Any, O, AnyArguments> {
        for b in &self.binds {
            q = q.bind(b.clone());
        }
        q
    }
}

/// Begins a transaction that reads records as `reach` (on PostgreSQL, the reach is set for the row-level
/// security policies for this transaction only).
pub async fn begin_read(store: &Store, reach: &Reach) -> Result<Transaction<'static, Any>> {
    let mut tx = store.pool().begin().await?;
    set(store, &mut tx, reach).await?;
    Ok(tx)
}

/// Begins a write transaction as `reach`: `BEGIN IMMEDIATE` on SQLite (the write lock is taken at once, so a
/// transaction that reads before it writes cannot fail on a lock upgrade), a plain `BEGIN` on PostgreSQL (row
/// locks do the work), with the reach set as in [`begin_read`].
pub async fn begin_write(store: &Store, reach: &Reach) -> Result<Transaction<'static, Any>> {
    let mut tx = match store.backend() {
        Backend::Sqlite => store.pool().begin_with("BEGIN IMMEDIATE").await?,
        Backend::Postgres => store.pool().begin().await?,
    };
    set(store, &mut tx, reach).await?;
    Ok(tx)
}

async fn set(store: &Store, tx: &mut Transaction<'static, Any>, reach: &Reach) -> Result<()> {
    if store.backend() == Backend::Postgres {
        // Local to the transaction: a pooled connection never carries one caller's reach to the next.
        sqlx::query("SELECT set_config('maillage.tout', $1, true), set_config('maillage.communes', $2, true)")
            .bind(if reach.all { "1" } else { "0" })
            .bind(reach.setting())
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clause_numbers_its_parameters_and_treats_territorywide_records_by_table() {
        let r = Reach::communes(["86194", "86041"]);
        let c = r.clause("p.commune_code", 3, Territorywide::HolderOfAll);
        assert_eq!(c.sql, "p.commune_code IN ($3, $4)");
        assert_eq!(c.count(), 2);
        let c = r.clause("commune_code", 1, Territorywide::Shared);
        assert_eq!(c.sql, "(commune_code IS NULL OR commune_code IN ($1, $2))");
        assert_eq!(
            Reach::communes(Vec::<String>::new())
                .clause("c", 1, Territorywide::HolderOfAll)
                .sql,
            "1 = 0"
        );
        assert_eq!(
            Reach::everything()
                .clause("c", 1, Territorywide::HolderOfAll)
                .sql,
            "1 = 1"
        );
    }

    #[test]
    fn a_commune_account_reaches_its_communes_and_shared_territory_records_only() {
        let r = Reach::communes(["86194"]);
        assert!(r.reaches(Some("86194"), Territorywide::HolderOfAll));
        assert!(!r.reaches(Some("86041"), Territorywide::Shared));
        assert!(r.reaches(None, Territorywide::Shared));
        assert!(!r.reaches(None, Territorywide::HolderOfAll));
        assert!(!r.may_assign(None));
        assert!(r.may_assign(Some("86194")));
        assert!(Reach::everything().may_assign(None));
    }
}
