//! Long lists searched and cut into pages (issue 13), over HTTP on the demonstration, on SQLite and PostgreSQL:
//! the register shows 50 people a page and its commune, finds a person by a name typed without accents, filters
//! by commune, and an account of one commune never finds another commune's people, by search, filter or page;
//! the public directory tolerates plurals, accents and a typo; the actors' list, the accounts and the volunteers
//! are paged and searched the same way.

use crate::common;

use common::{Server, account, commune_account, sql};
use maillage_store::Store;
use maillage_store::accounts::Role;
use maillage_store::crisis::register;
use maillage_store::reach::Reach;
use maillage_testkit::TestBase;
use maillage_web::Config;

/// The ids of the people a register page links to, in order.
fn people_linked(body: &str) -> Vec<i64> {
    body.split("href=\"/crise/registre/")
        .skip(1)
        .filter_map(|rest| {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            (rest[digits.len()..].starts_with('"'))
                .then(|| digits.parse().ok())
                .flatten()
        })
        .collect()
}

/// Lower case and without accents, as someone types on a phone.
fn plain(text: &str) -> String {
    maillage_network::fields::fold(text)
}

/// Two communes of the demonstration: the register's people are shared between them (even ids to the second).
async fn two_communes(store: &Store) -> (String, String) {
    let communes: Vec<String> =
        sqlx::query_scalar("SELECT code FROM zone WHERE kind = 'commune' ORDER BY code")
            .fetch_all(store.pool())
            .await
            .unwrap();
    assert!(communes.len() >= 2, "{communes:?}");
    let (a, b) = (communes[0].clone(), communes[1].clone());
    sql(
        store,
        &format!("UPDATE crisis_person SET commune_code = '{a}'"),
    )
    .await
    .unwrap();
    sql(
        store,
        &format!("UPDATE crisis_person SET commune_code = '{b}' WHERE id % 2 = 0"),
    )
    .await
    .unwrap();
    (a, b)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_register_is_paged_searched_and_kept_to_the_callers_communes() {
    for base in TestBase::all().await {
        let store = common::demo_store(&base).await;
        let (a, b) = two_communes(&store).await;
        account(&store, "ccas-tout", &[Role::Ccas]).await;
        commune_account(&store, "ccas-a", &[Role::Ccas], &[a.as_str()]).await;
        let everyone = register::list(&store, &Reach::everything()).await.unwrap();
        assert!(everyone.len() > 100, "{} people", everyone.len());
        let of_b = everyone
            .iter()
            .find(|p| p.commune_code.as_deref() == Some(b.as_str()))
            .unwrap()
            .clone();
        let server = Server::start_on(store, base.backend, Config::default()).await;

        let mut all = server.client();
        all.login_ok("ccas-tout").await;
        let first = all.get("/crise/registre").await;
        assert_eq!(first.status, 200);
        assert_eq!(people_linked(&first.body).len(), 50, "50 people a page");
        assert!(
            first
                .body
                .contains(&format!("1 à 50 sur {} personnes", everyone.len())),
            "{}",
            first.body
        );
        assert!(first.body.contains(">Commune</th>"), "the commune is shown");
        let second = all.get("/crise/registre?page=2").await;
        let on_second = people_linked(&second.body);
        assert_eq!(on_second.len(), 50);
        assert!(
            on_second
                .iter()
                .all(|id| !people_linked(&first.body).contains(id)),
            "the second page shows other people"
        );
        let last_page = everyone.len().div_ceil(50);
        let last = all.get(&format!("/crise/registre?page={last_page}")).await;
        assert_eq!(
            people_linked(&last.body).len(),
            everyone.len() - 50 * (last_page - 1)
        );

        // A name typed in lower case without its accents finds the person.
        let typed = plain(&of_b.last_name);
        let found = all
            .get(&format!("/crise/registre?q={}", urlencode(&typed)))
            .await;
        assert!(
            people_linked(&found.body).contains(&of_b.id),
            "{typed}: {}",
            found.body
        );
        assert!(people_linked(&found.body).len() < 50);
        let none = all.get("/crise/registre?q=zzqxwy").await;
        assert!(none.body.contains("Aucun résultat."));
        assert!(people_linked(&none.body).is_empty());
        // Filters: one commune; the acknowledgements to send.
        let only_b = all
            .get(&format!("/crise/registre?commune={b}&par_page=200"))
            .await;
        let ids = people_linked(&only_b.body);
        assert!(
            !ids.is_empty() && ids.iter().all(|id| id % 2 == 0),
            "{ids:?}"
        );
        let pending = all.get("/crise/registre?a_accuser=oui&par_page=200").await;
        let waiting = everyone
            .iter()
            .filter(|p| p.acknowledged_on.is_none())
            .count();
        assert_eq!(people_linked(&pending.body).len(), waiting.min(200));
        // The person's page names the commune.
        let person = all.get(&format!("/crise/registre/{}", of_b.id)).await;
        assert!(person.body.contains("<dt>Commune</dt>"), "{}", person.body);

        // An account of commune A: never a person of B, by search, filter or page.
        let mut mine = server.client();
        mine.login_ok("ccas-a").await;
        let of_a = everyone.iter().filter(|p| p.id % 2 == 1).count();
        let page = mine.get("/crise/registre").await;
        assert!(
            page.body.contains(&format!("sur {of_a} personnes")),
            "{}",
            page.body
        );
        for path in [
            format!("/crise/registre?q={}", urlencode(&typed)),
            format!("/crise/registre?commune={b}"),
            "/crise/registre?page=2".to_string(),
            "/crise/registre?par_page=200&page=1".to_string(),
        ] {
            let reply = mine.get(&path).await;
            assert_eq!(reply.status, 200, "{path}");
            assert!(
                people_linked(&reply.body).iter().all(|id| id % 2 == 1),
                "{path} shows a person of B"
            );
        }
        server.stop().await;
    }
}

fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// The names of the cards of a directory page.
fn cards(body: &str) -> Vec<String> {
    body.split("<article class=\"fiche-acteur\"")
        .skip(1)
        .filter_map(|c| {
            let start = c.find("\">")?;
            let rest = &c[start..];
            let link = rest.find("<a href=\"/annuaire/fiche/")?;
            let name = &rest[link..];
            let open = name.find('>')? + 1;
            let close = name.find("</a>")?;
            Some(name[open..close].to_string())
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_directory_tolerates_plurals_accents_and_typos_and_is_paged() {
    let base = TestBase::sqlite();
    let server = common::demo_server(&base).await;
    let mut visitor = server.client();
    let all = visitor.get("/annuaire").await;
    assert_eq!(all.status, 200);
    let total = cards(&visitor.get("/annuaire?par_page=200").await.body).len();
    assert!(total > 50, "{total} public entries");
    assert_eq!(cards(&all.body).len(), 50, "50 addresses a page");
    assert!(
        all.body.contains(&format!("1 à 50 sur {total} adresses")),
        "{}",
        all.body
    );
    let second = visitor.get("/annuaire?page=2").await;
    assert_eq!(cards(&second.body).len(), total - 50);

    let dentist = cards(&visitor.get("/annuaire?q=dentiste").await.body);
    assert!(!dentist.is_empty(), "the demonstration has dentists");
    for typed in ["dentistes", "DENTISTE", "dentsite", "dantistes", "dentisté"] {
        let found = cards(
            &visitor
                .get(&format!("/annuaire?q={}", urlencode(typed)))
                .await
                .body,
        );
        assert_eq!(found, dentist, "{typed}");
    }
    let none = visitor.get("/annuaire?q=zzqxwy").await;
    assert!(cards(&none.body).is_empty());
    assert!(none.body.contains("Aucun résultat."));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_actors_the_accounts_and_the_volunteers_are_paged_and_searched() {
    let base = TestBase::sqlite();
    let store = common::demo_store(&base).await;
    account(&store, "coord", &[Role::Coordination]).await;
    account(&store, "gestion", &[Role::Admin]).await;
    account(&store, "cellule", &[Role::Crise]).await;
    let helpers = maillage_store::crisis::volunteers::volunteers(&store, &Reach::everything())
        .await
        .unwrap();
    let helper = helpers.first().unwrap().name.clone();
    let server = Server::start_on(store, base.backend, Config::default()).await;
    let mut coord = server.client();
    coord.login_ok("coord").await;
    let page = coord.get("/reseau/acteurs?par_page=20").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("1 à 20 sur "), "{}", page.body);
    assert_eq!(
        page.body
            .matches("<tr><th scope=\"row\"><a href=\"/reseau/acteurs/")
            .count(),
        20
    );
    assert!(
        page.body.contains("par_page=20&amp;page=2"),
        "the pages keep the size"
    );
    let dentists = coord.get("/reseau/acteurs?q=dentistes").await;
    assert!(
        !dentists.body.contains("Aucun résultat."),
        "{}",
        dentists.body
    );

    let mut admin = server.client();
    admin.login_ok("gestion").await;
    let accounts = admin.get("/admin/utilisateurs?q=coord").await;
    assert!(accounts.body.contains(">coord</a>"), "{}", accounts.body);
    assert!(!accounts.body.contains(">gestion</a>"));
    assert!(accounts.body.contains("1 compte."), "{}", accounts.body);

    // The volunteers: a name typed without its capitals finds its line.
    let mut cell = server.client();
    cell.login_ok("cellule").await;
    let all = cell.get("/crise/benevoles").await;
    assert!(
        all.body.contains(&format!("{} bénévoles.", helpers.len())),
        "{}",
        all.body
    );
    let found = cell
        .get(&format!(
            "/crise/benevoles?q={}",
            urlencode(&plain(&helper))
        ))
        .await;
    assert!(found.body.contains(&helper), "{}", found.body);
    assert!(
        !found
            .body
            .contains(&format!("{} bénévoles.", helpers.len()))
    );
    server.stop().await;
}
