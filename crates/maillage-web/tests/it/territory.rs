//! The leak test of records kept by a commune (issue 14, item 3: "an account limited to one commune reads every
//! commune's personal data"). On the demonstration, every record of the tables owned by a commune
//! (`reach::OWNED_TABLES`) is given to commune A, and the names, titles and phones pages show are replaced by
//! markers planted per record (`ZQ<column>X<id>Q`). Then, for every role, an account holding only commune B reads
//! every GET route of the route table — path ids filled with A's record ids, query parameters too — every export
//! and every API route: no body may carry one of A's markers, and no route reading one of A's records by id may
//! answer 200. Accounts holding every commune read the same routes and must find the markers (else the test
//! would prove nothing). On PostgreSQL the server runs as the application role, as in production.
//!
//! Public routes (the directory's public guide, the continuity page, an agenda address signed for its reader)
//! are left out: a visitor without account reads them.

use crate::common;

use common::{Client, Server};
use maillage_store::Store;
use maillage_store::accounts::Role;
use maillage_testkit::TestBase;
use maillage_web::Config;
use maillage_web::routes::{Access, Kind};
use std::collections::{BTreeMap, BTreeSet};

/// The commune every owned record belongs to in this test.
const COMMUNE_A: &str = "99102";
/// The commune of the accounts that must reach none of them (the demonstration's town).
const COMMUNE_B: &str = "99101";

/// The columns pages, exports and the API show, replaced by markers (owned tables, and children that show
/// their parent's records: meetings of a body, fiches of a contract).
const PLANTED: &[(&str, &str)] = &[
    ("crisis_event", "title"),
    ("crisis_member", "name"),
    ("crisis_member", "phone"),
    ("crisis_site", "name"),
    ("crisis_log", "text"),
    ("crisis_task", "title"),
    ("crisis_campaign", "title"),
    ("crisis_stock_item", "label"),
    ("crisis_service", "name"),
    ("crisis_person", "last_name"),
    ("crisis_person", "first_name"),
    ("crisis_person", "phone"),
    ("crisis_person", "address"),
    ("crisis_volunteer", "name"),
    ("crisis_volunteer", "phone"),
    ("crisis_round", "label"),
    ("crisis_request", "beneficiary"),
    ("crisis_request", "phone"),
    ("network_actor", "name"),
    ("network_actor", "phone"),
    ("network_list", "name"),
    ("network_message", "subject"),
    ("network_body", "name"),
    ("cls_contract", "name"),
    ("network_consultation", "title"),
    ("network_contact", "name"),
    ("network_contact", "phone"),
    ("network_member", "name"),
    ("network_watch_case", "title"),
    ("network_meeting", "title"),
    ("cls_fiche", "title"),
];

/// The tables whose markers an account holding every commune must find somewhere (the positive control).
const SHOWN: &[&str] = &[
    "crisis_event",
    "crisis_person",
    "crisis_volunteer",
    "crisis_campaign",
    "network_actor",
    "network_contact",
    "network_body",
    "network_list",
    "network_message",
    "network_watch_case",
    "cls_contract",
];

/// How a route's path parameters are filled: the SQL giving the URLs (ids of A's records, at most three), and
/// whether the URL reads a record owned by a commune (then B must not get 200).
struct PathFill {
    pattern: &'static str,
    urls: &'static str,
    owned: bool,
}

const fn owned(pattern: &'static str, urls: &'static str) -> PathFill {
    PathFill {
        pattern,
        urls,
        owned: true,
    }
}

const fn other(pattern: &'static str, urls: &'static str) -> PathFill {
    PathFill {
        pattern,
        urls,
        owned: false,
    }
}

/// Every GET route with path parameters that an account may call (a new one must be added here).
const PATHS: &[PathFill] = &[
    owned(
        "/crise/registre/{id}/radiation",
        "SELECT '/crise/registre/' || id || '/radiation?motif=demande' FROM crisis_person ORDER BY id LIMIT 3",
    ),
    owned(
        "/reseau/acteurs/{id}/suppression",
        "SELECT '/reseau/acteurs/' || id || '/suppression' FROM network_actor ORDER BY id LIMIT 3",
    ),
    owned(
        "/reseau/contacts/{id}/suppression",
        "SELECT '/reseau/contacts/' || id || '/suppression' FROM network_contact ORDER BY id LIMIT 3",
    ),
    owned(
        "/reseau/membres/{id}/suppression",
        "SELECT '/reseau/membres/' || id || '/suppression' FROM network_member ORDER BY id LIMIT 3",
    ),
    owned(
        "/crise/registre/{id}",
        "SELECT '/crise/registre/' || id FROM crisis_person ORDER BY id LIMIT 3",
    ),
    owned(
        "/crise/appels/{id}",
        "SELECT '/crise/appels/' || id FROM crisis_campaign ORDER BY id LIMIT 3",
    ),
    owned(
        "/crise/appels/{id}/appel/{call}",
        "SELECT '/crise/appels/' || campaign_id || '/appel/' || id FROM crisis_call ORDER BY id LIMIT 3",
    ),
    owned(
        "/reseau/acteurs/{id}",
        "SELECT '/reseau/acteurs/' || id FROM network_actor ORDER BY id LIMIT 3",
    ),
    owned(
        "/reseau/instances/{id}",
        "SELECT '/reseau/instances/' || id FROM network_body ORDER BY id LIMIT 3",
    ),
    owned(
        "/reseau/reunions/{id}",
        "SELECT '/reseau/reunions/' || id FROM network_meeting ORDER BY id LIMIT 3",
    ),
    owned(
        "/reseau/relais/listes/{id}",
        "SELECT '/reseau/relais/listes/' || id FROM network_list ORDER BY id LIMIT 3",
    ),
    owned(
        "/reseau/relais/messages/{id}",
        "SELECT '/reseau/relais/messages/' || id FROM network_message ORDER BY id LIMIT 3",
    ),
    owned(
        "/reseau/relais/messages/{id}/export.csv",
        "SELECT '/reseau/relais/messages/' || id || '/export.csv' FROM network_message ORDER BY id LIMIT 3",
    ),
    owned(
        "/reseau/veille/{id}",
        "SELECT '/reseau/veille/' || id FROM network_watch_case ORDER BY id LIMIT 3",
    ),
    owned(
        "/cls/{id}",
        "SELECT '/cls/' || id FROM cls_contract ORDER BY id LIMIT 3",
    ),
    owned(
        "/cls/{id}/financements",
        "SELECT '/cls/' || id || '/financements' FROM cls_contract ORDER BY id LIMIT 3",
    ),
    owned(
        "/cls/{id}/evaluation.pdf",
        "SELECT '/cls/' || id || '/evaluation.pdf' FROM cls_contract ORDER BY id LIMIT 3",
    ),
    owned(
        "/cls/fiches/{id}",
        "SELECT '/cls/fiches/' || id FROM cls_fiche ORDER BY id LIMIT 3",
    ),
    owned(
        "/api/v1/cls/{id}",
        "SELECT '/api/v1/cls/' || id FROM cls_contract ORDER BY id LIMIT 3",
    ),
    // Not records of a commune: read with A's commune, or an existing id.
    // Background tiles hold streets and names, nothing a commune owns.
    other(
        "/carte/fond/{z}/{x}/{y}",
        "SELECT '/carte/fond/13/4100/2880.svg'",
    ),
    other(
        "/carte/noms/{z}/{x}/{y}",
        "SELECT '/carte/noms/13/4100/2880.svg'",
    ),
    other(
        "/observatoire/zones/{type}/{code}",
        "SELECT '/observatoire/zones/commune/99102'",
    ),
    other(
        "/observatoire/rapport/{type}/{fichier}",
        "SELECT '/observatoire/rapport/commune/99102.pdf'",
    ),
    other(
        "/observatoire/imports/suivi/{id}",
        "SELECT '/observatoire/imports/suivi/' || id FROM import_batch ORDER BY id LIMIT 1",
    ),
    other(
        "/api/v1/imports/{id}",
        "SELECT '/api/v1/imports/' || id FROM import_batch ORDER BY id LIMIT 1",
    ),
    other(
        "/admin/utilisateurs/{id}",
        "SELECT '/admin/utilisateurs/' || id FROM account ORDER BY id LIMIT 1",
    ),
];

/// Query parameters naming A's records, read in addition to the bare route.
const QUERIES: &[(&str, &str)] = &[(
    "/reseau/agenda.ics",
    "SELECT '/reseau/agenda.ics?instance=' || id FROM network_body ORDER BY id LIMIT 3",
)];

/// Replaces the shown columns by markers; returns what each marker names.
async fn plant_markers(owner: &Store) -> BTreeMap<String, String> {
    let mut named = BTreeMap::new();
    common::unlock_main_courante(owner).await;
    for (index, (table, column)) in PLANTED.iter().enumerate() {
        let prefix = format!("ZQ{index}X");
        let statement = format!(
            "UPDATE {table} SET {column} = '{prefix}' || CAST(id AS TEXT) || 'Q' \
             WHERE {column} IS NOT NULL"
        );
        common::sql(owner, &statement).await.unwrap();
        let ids: Vec<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT id FROM {table} WHERE {column} IS NOT NULL"
        )))
        .fetch_all(owner.pool())
        .await
        .unwrap();
        for id in ids {
            named.insert(format!("{prefix}{id}Q"), format!("{table}.{column} #{id}"));
        }
    }
    common::lock_main_courante(owner).await;
    named
}

/// The markers in a body, by what they name.
fn markers_in(body: &str, named: &BTreeMap<String, String>) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = body;
    while let Some(start) = rest.find("ZQ") {
        let tail = &rest[start..];
        if let Some(end) = tail[2..].find('Q') {
            let marker = &tail[..end + 3];
            if let Some(what) = named.get(marker) {
                found.insert(what.clone());
            }
        }
        rest = &tail[2..];
    }
    found
}

/// One URL to read, and whether it reads one of A's records by id.
struct Target {
    url: String,
    reads_owned_record: bool,
}

/// Every GET route an account may call, filled with A's ids.
async fn targets(owner: &Store) -> Vec<Target> {
    let mut v = Vec::new();
    for route in maillage_web::route_table() {
        if route.method != "GET" || route.access == Access::Public || route.kind == Kind::Asset {
            continue;
        }
        if !route.path.contains('{') {
            v.push(Target {
                url: route.path.to_string(),
                reads_owned_record: false,
            });
            for (pattern, urls) in QUERIES {
                if *pattern == route.path {
                    for url in urls_of(owner, urls).await {
                        v.push(Target {
                            url,
                            reads_owned_record: true,
                        });
                    }
                }
            }
            continue;
        }
        let fill = PATHS
            .iter()
            .find(|p| p.pattern == route.path)
            .unwrap_or_else(|| {
                panic!(
                    "GET {}: say in PATHS how to fill its parameters with A's records",
                    route.path
                )
            });
        let urls = urls_of(owner, fill.urls).await;
        assert!(!urls.is_empty(), "{}: no record to read", route.path);
        for url in urls {
            v.push(Target {
                url,
                reads_owned_record: fill.owned,
            });
        }
    }
    v
}

async fn urls_of(owner: &Store, sql: &str) -> Vec<String> {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_all(owner.pool())
        .await
        .unwrap()
}

/// Reads every target as `client`; returns the markers found per URL, and the URLs of A's records answered 200.
async fn read_all(
    client: &mut Client,
    targets: &[Target],
    named: &BTreeMap<String, String>,
) -> (BTreeMap<String, BTreeSet<String>>, Vec<String>) {
    let mut found = BTreeMap::new();
    let mut opened = Vec::new();
    for t in targets {
        let reply = client.get(&t.url).await;
        assert_ne!(reply.status, 500, "{}: {}", t.url, reply.body);
        let markers = markers_in(&reply.body, named);
        if !markers.is_empty() {
            found.insert(t.url.clone(), markers);
        }
        if t.reads_owned_record && reply.status == 200 {
            opened.push(t.url.clone());
        }
    }
    (found, opened)
}

#[tokio::test]
async fn an_account_of_commune_b_reads_nothing_of_commune_a() {
    for base in TestBase::all().await {
        let owner = Store::open(&base.location).await.unwrap();
        maillage_demo::build(&owner, maillage_demo::DEFAULT_SEED)
            .await
            .unwrap();
        common::give_owned_records_to(&owner, COMMUNE_A).await;
        let named = plant_markers(&owner).await;
        let mut accounts = Vec::new();
        for &role in Role::ALL {
            let b = format!("b-{}", role.as_str());
            common::commune_account(&owner, &b, &[role], &[COMMUNE_B]).await;
            let all = format!("tout-{}", role.as_str());
            common::account(&owner, &all, &[role]).await;
            accounts.push((role, b, all));
        }
        let targets = targets(&owner).await;
        let store = common::application_store(&base, owner).await;
        let server = Server::start_on(store, base.backend, Config::default()).await;

        let mut leaks: Vec<String> = Vec::new();
        let mut shown: BTreeSet<String> = BTreeSet::new();
        for (role, b, all) in &accounts {
            let mut client = server.client();
            client.login_ok(b).await;
            let (found, opened) = read_all(&mut client, &targets, &named).await;
            for (url, markers) in found {
                let some: Vec<_> = markers.iter().take(3).collect();
                leaks.push(format!(
                    "{} (commune B) GET {url}: {} of A's values, e.g. {some:?}",
                    role.as_str(),
                    markers.len()
                ));
            }
            for url in opened {
                leaks.push(format!(
                    "{} (commune B) GET {url}: 200 on a record of A",
                    role.as_str()
                ));
            }

            let mut client = server.client();
            client.login_ok(all).await;
            let (found, _) = read_all(&mut client, &targets, &named).await;
            for markers in found.values() {
                for what in markers {
                    shown.insert(what.split('.').next().unwrap_or("").to_string());
                }
            }
        }
        let unseen: Vec<_> = SHOWN.iter().filter(|t| !shown.contains(**t)).collect();
        assert!(
            unseen.is_empty(),
            "[{}] accounts holding every commune never saw the markers of {unseen:?} (seen: {shown:?}): the \
             test would prove nothing for them",
            base.backend
        );
        eprintln!(
            "[{}] {} URL × {} roles read as commune B and as every commune; {} leaks",
            base.backend,
            targets.len(),
            accounts.len(),
            leaks.len()
        );
        assert!(
            leaks.is_empty(),
            "[{}] an account of commune B reads commune A's records:\n{}",
            base.backend,
            leaks.join("\n")
        );
        server.stop().await;
    }
}
