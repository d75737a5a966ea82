//! Forms as people meet them (issue 13), through a real server on SQLite and PostgreSQL with the demonstration:
//! a refused form comes back with every value typed, its wrong field marked and its section open, and the
//! address of its page for the browser to show; a GET on a form's target leads to its page and other methods get
//! a French page; deletions ask first and say what is lost; the directory's trash restores and purges after 30
//! days; the register's removal names the person and erases; a fiche number is unique within its CLS; a volunteer
//! can say they could not do a mission and the coordinator reads why.

use crate::common;

use common::{Client, Reply, Server, audit_actions, sql};
use hyper::Method;
use maillage_store::Store;
use maillage_testkit::TestBase;
use maillage_web::Config;

async fn scalar(store: &Store, q: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(q.to_string()))
        .fetch_one(store.pool())
        .await
        .unwrap()
}

async fn text(store: &Store, q: &str) -> String {
    sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(q.to_string()))
        .fetch_one(store.pool())
        .await
        .unwrap()
}

/// One server per backend over the demonstration, with one account per role (named after it).
async fn demos() -> Vec<(TestBase, Server)> {
    let mut out = Vec::new();
    for base in TestBase::all().await {
        let store = common::demo_store(&base).await;
        common::one_account_per_role(&store).await;
        let server = Server::start_on(store, base.backend, Config::default()).await;
        out.push((base, server));
    }
    out
}

/// Posts a form from `page` (sent as the `Referer`, as a browser does), with the session's CSRF token.
async fn post_from(
    client: &mut Client,
    page: &str,
    path: &str,
    csrf: &str,
    fields: &[(&str, &str)],
) -> Reply {
    let mut all = vec![("_csrf", csrf)];
    all.extend_from_slice(fields);
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&all)
        .finish();
    let referer = format!("http://{}{page}", client.addr);
    client
        .send(
            Method::POST,
            path,
            &[
                ("content-type", "application/x-www-form-urlencoded"),
                ("referer", &referer),
            ],
            body.into_bytes(),
        )
        .await
}

/// The first tag of the page naming the field `name`.
fn tag<'a>(page: &'a str, name: &str) -> &'a str {
    let at = page
        .find(&format!("name=\"{name}\""))
        .unwrap_or_else(|| panic!("no field {name}"));
    let start = page[..at].rfind('<').unwrap_or(0);
    let end = at + page[at..].find('>').unwrap_or(0);
    &page[start..=end]
}

#[tokio::test]
async fn a_refused_form_keeps_what_was_typed_marks_the_wrong_field_and_no_address_is_an_empty_405()
{
    for (_base, server) in demos().await {
        let be = server.backend;
        let store = &server.store;
        let mut c = server.client();
        let csrf = c.login_ok("coordination").await;
        let objective = scalar(
            store,
            "SELECT o.id FROM cls_objective o JOIN cls_axis a ON a.id = o.axis_id WHERE a.contract_id = 1 \
             ORDER BY o.id LIMIT 1",
        )
        .await;
        let objective = objective.to_string();
        let fiches = "SELECT COUNT(*) FROM cls_fiche";
        let before = scalar(store, fiches).await;

        // A budget that is no amount: the whole form comes back as typed, the budget marked and focused.
        let typed = [
            ("objectif", objective.as_str()),
            ("numero", "9.8.7"),
            ("titre", "Aller vers les \"invisibles\" & leurs aidants"),
            ("description", "Ligne une\nLigne <deux>"),
            ("pilote", "Mme Testeuse"),
            ("budget", "abc"),
            ("debut", "2027-01-15"),
            ("statut", "en_cours"),
            ("nature", "existante"),
        ];
        let r = post_from(&mut c, "/cls/1?fait=fiche", "/cls/1/fiches", &csrf, &typed).await;
        assert_eq!(r.status, 422, "[{be}] {}", r.body);
        let b = &r.body;
        assert!(
            b.contains("value=\"Aller vers les &quot;invisibles&quot; &amp; leurs aidants\""),
            "[{be}] title kept"
        );
        assert!(
            b.contains(">Ligne une\nLigne &lt;deux&gt;</textarea>"),
            "[{be}] area kept"
        );
        assert!(b.contains("value=\"Mme Testeuse\""), "[{be}] pilot kept");
        assert!(b.contains("value=\"2027-01-15\""), "[{be}] date kept");
        assert!(
            b.contains("<option value=\"en_cours\" selected>"),
            "[{be}] status kept"
        );
        assert!(
            b.contains("<option value=\"existante\" selected>"),
            "[{be}] nature kept"
        );
        assert!(
            b.contains("value=\"abc\" aria-invalid=\"true\" aria-describedby=\"refus\" autofocus>"),
            "[{be}] the budget is marked: {b}"
        );
        assert_eq!(
            b.matches("aria-invalid").count(),
            1,
            "[{be}] one field marked"
        );
        assert!(
            b.contains("role=\"alert\" id=\"refus\""),
            "[{be}] the message is what describes it"
        );
        assert!(b.contains("budget"), "[{be}] the message names the budget");
        // The section holding the form is open; the page shows the form's own address (no confirmation code).
        assert!(
            b.contains("<details open class=\"modifier\"><summary>Ajouter une fiche action"),
            "[{be}] its section is open"
        );
        assert!(
            b.contains("data-adresse=\"/cls/1\""),
            "[{be}] address to show"
        );
        assert!(b.contains("<script src=\"/static/formulaires.js\" defer></script>"));
        assert_eq!(scalar(store, fiches).await, before, "[{be}] nothing kept");

        // A number another fiche of the contract has: refused, the number marked.
        let taken = text(
            store,
            "SELECT f.number FROM cls_fiche f JOIN cls_objective o ON o.id = f.objective_id \
             JOIN cls_axis a ON a.id = o.axis_id WHERE a.contract_id = 1 ORDER BY f.id LIMIT 1",
        )
        .await;
        let mut again = typed;
        again[1] = ("numero", taken.as_str());
        again[5] = ("budget", "12000");
        let r = post_from(&mut c, "/cls/1", "/cls/1/fiches", &csrf, &again).await;
        assert_eq!(r.status, 422, "[{be}] duplicate number: {}", r.body);
        assert!(
            r.body.contains("numéro est déjà utilisé"),
            "[{be}] {}",
            r.body
        );
        let number = tag(&r.body, "numero");
        assert!(
            number.contains(&format!("value=\"{taken}\""))
                && number.contains("aria-invalid=\"true\" aria-describedby=\"refus\""),
            "[{be}] the number is marked: {number}"
        );
        assert_eq!(
            scalar(store, fiches).await,
            before,
            "[{be}] no duplicate kept"
        );
        // Corrected, it goes through.
        again[1] = ("numero", "9.8.7");
        let r = post_from(&mut c, "/cls/1", "/cls/1/fiches", &csrf, &again).await;
        assert_eq!(r.status, 303, "[{be}] {}", r.body);
        assert_eq!(scalar(store, fiches).await, before + 1);
        let fiche = r.location().split('?').next().unwrap_or("").to_string();
        // Its own number again, on its own page: it is not a duplicate of itself.
        let mut own = again;
        own[0] = ("objectif", "");
        let r = post_from(&mut c, &fiche, &fiche, &csrf, &own).await;
        assert_eq!(
            r.status, 303,
            "[{be}] a fiche keeps its own number: {}",
            r.body
        );

        // A refused stock distribution (more than held): every value back, the message focused instead.
        let item = scalar(store, "SELECT MIN(id) FROM crisis_stock_item")
            .await
            .to_string();
        let mut crise = server.client();
        let crise_csrf = crise.login_ok("crise").await;
        let r = post_from(
            &mut crise,
            "/crise/stocks",
            "/crise/stocks/distributions",
            &crise_csrf,
            &[
                ("article", &item),
                ("quantite", "999999"),
                ("destinataires", "pharmacie"),
                ("destinataire", "Pharmacie du Port"),
            ],
        )
        .await;
        assert_eq!(r.status, 422, "[{be}] {}", r.body);
        assert!(r.body.contains("value=\"999999\""), "[{be}] quantity kept");
        assert!(
            r.body.contains("value=\"Pharmacie du Port\""),
            "[{be}] recipient kept"
        );
        assert!(
            r.body
                .contains(&format!("<option value=\"{item}\" selected>"))
        );
        assert!(r.body.contains("<option value=\"pharmacie\" selected>"));
        assert!(r.body.contains("data-adresse=\"/crise/stocks\""));

        // A GET on a form's target (a reload, an address typed again) leads to the form's page.
        for (target, page) in [
            ("/crise/stocks/distributions", "/crise/stocks"),
            ("/cls/fiches/1/financeurs", "/cls/fiches/1"),
            ("/cls/1/fiches", "/cls/1"),
            ("/crise/demandes/1/affectation", "/crise"),
        ] {
            let r = crise.get(target).await;
            assert_eq!(r.status, 303, "[{be}] GET {target}: {}", r.body);
            assert_eq!(r.location(), page, "[{be}] GET {target}");
        }
        // Without a session too (the page then asks to log in); and no method is ever an empty answer.
        let mut visitor = server.client();
        assert_eq!(visitor.get("/crise/stocks/distributions").await.status, 303);
        let r = c.send(Method::PUT, "/cls/1", &[], Vec::new()).await;
        assert_eq!(r.status, 405, "[{be}]");
        assert!(r.body.contains("Méthode non acceptée"), "[{be}] {}", r.body);
        assert!(r.body.contains("lang=\"fr\""));
        assert!(r.body.contains("/static/maillage.css"), "[{be}] styled");
        let r = c.send(Method::DELETE, "/api/v1/cls", &[], Vec::new()).await;
        assert_eq!(r.status, 405);
        assert_eq!(r.json()["statut"], 405, "[{be}] JSON under /api/");
        server.stop().await;
    }
}

#[tokio::test]
async fn deletions_ask_first_the_trash_restores_for_30_days_and_the_register_removal_names_the_person()
 {
    for (_base, server) in demos().await {
        let be = server.backend;
        let store = &server.store;
        let mut c = server.client();
        let csrf = c.login_ok("coordination").await;
        let actor = scalar(
            store,
            "SELECT MIN(a.id) FROM network_actor a WHERE EXISTS (SELECT 1 FROM network_contact c WHERE c.actor_id = a.id)",
        )
        .await;
        let name = text(
            store,
            &format!("SELECT name FROM network_actor WHERE id = {actor}"),
        )
        .await;
        let contacts = format!("SELECT COUNT(*) FROM network_contact WHERE actor_id = {actor}");
        let page = format!("/reseau/acteurs/{actor}");
        let confirmation = format!("{page}/suppression");
        // A contact person: erased for good, but only from the page naming them.
        let (contact, contact_name): (i64, String) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT id, name FROM network_contact WHERE actor_id = {actor} ORDER BY id LIMIT 1"
        )))
        .fetch_one(store.pool())
        .await
        .unwrap();
        let contact_confirmation = format!("/reseau/contacts/{contact}/suppression");
        let r = post_from(&mut c, &page, &contact_confirmation, &csrf, &[]).await;
        assert_eq!(r.location(), contact_confirmation, "[{be}] asks first");
        let r = c.get(&contact_confirmation).await;
        assert_eq!(r.status, 200, "[{be}] {}", r.body);
        assert!(r.body.contains(&contact_name) && r.body.contains("effacées définitivement"));
        let r = post_from(
            &mut c,
            &contact_confirmation,
            &contact_confirmation,
            &csrf,
            &[("confirmation", "oui")],
        )
        .await;
        assert_eq!(
            r.location(),
            format!("{page}?fait=contact_supprime"),
            "[{be}]"
        );
        assert_eq!(
            scalar(
                store,
                &format!("SELECT COUNT(*) FROM network_contact WHERE id = {contact}")
            )
            .await,
            0
        );
        // The actor's page leads to the confirmation, styled as dangerous.
        let r = c.get(&page).await;
        assert!(
            r.body
                .contains(&format!("class=\"bouton-danger\" href=\"{confirmation}\"")),
            "[{be}] {}",
            r.body
        );
        // A post that does not come from the confirmation page deletes nothing.
        let r = post_from(&mut c, &page, &confirmation, &csrf, &[]).await;
        assert_eq!(r.status, 303, "[{be}]");
        assert_eq!(r.location(), confirmation);
        assert_eq!(c.get(&page).await.status, 200, "[{be}] still there");
        // The confirmation says what is lost and what may come back.
        let r = c.get(&confirmation).await;
        assert_eq!(r.status, 200, "[{be}] {}", r.body);
        assert!(r.body.contains(&name.replace('\'', "&#39;")) || r.body.contains(&name));
        assert!(
            r.body.contains("corbeille") && r.body.contains("effacée"),
            "[{be}] {}",
            r.body
        );
        assert!(
            r.body.contains("button class=\"danger\""),
            "[{be}] dangerous button"
        );
        assert!(
            r.body.contains(&format!("href=\"{page}\"")),
            "[{be}] a way back"
        );
        let r = post_from(
            &mut c,
            &confirmation,
            &confirmation,
            &csrf,
            &[("confirmation", "oui")],
        )
        .await;
        assert_eq!(r.status, 303, "[{be}] {}", r.body);
        assert_eq!(r.location(), "/reseau/acteurs?fait=supprime");
        assert_eq!(
            c.get(&page).await.status,
            404,
            "[{be}] gone from the directory"
        );
        assert!(
            !c.get("/reseau/acteurs")
                .await
                .body
                .contains(&format!("href=\"{page}\""))
        );
        assert_eq!(
            scalar(store, &contacts).await,
            0,
            "[{be}] contacts erased at once"
        );
        // In the trash, restored.
        let r = c.get("/reseau/corbeille").await;
        assert_eq!(r.status, 200);
        let restore = format!("/reseau/corbeille/{actor}/restauration");
        assert!(
            r.body.contains(&format!("action=\"{restore}\"")),
            "[{be}] {}",
            r.body
        );
        let r = post_from(&mut c, "/reseau/corbeille", &restore, &csrf, &[]).await;
        assert_eq!(r.status, 303, "[{be}] {}", r.body);
        assert_eq!(r.location(), format!("{page}?fait=restaure"));
        assert_eq!(c.get(&page).await.status, 200, "[{be}] back");
        assert!(
            audit_actions(store, "reseau.modification")
                .await
                .iter()
                .any(|a| a.target == format!("reseau:acteur:{actor}")
                    && a.details.contains("restauration")),
            "[{be}] restore audited"
        );
        // Deleted again and left 31 days: purged, no longer restorable.
        let r = post_from(
            &mut c,
            &confirmation,
            &confirmation,
            &csrf,
            &[("confirmation", "oui")],
        )
        .await;
        assert_eq!(r.status, 303);
        sql(
            store,
            &format!(
                "UPDATE network_actor SET deleted_at = '2000-01-01T00:00:00Z' WHERE id = {actor}"
            ),
        )
        .await
        .unwrap();
        let r = c.get("/reseau/corbeille").await;
        assert!(
            !r.body.contains(&format!("action=\"{restore}\"")),
            "[{be}] purged"
        );
        assert_eq!(
            scalar(
                store,
                &format!("SELECT COUNT(*) FROM network_actor WHERE id = {actor}")
            )
            .await,
            0,
            "[{be}] erased for good"
        );
        assert_eq!(
            post_from(&mut c, "/reseau/corbeille", &restore, &csrf, &[])
                .await
                .status,
            404
        );
        // Only those who run the network open the trash.
        let mut offre = server.client();
        offre.login_ok("offre").await;
        assert_eq!(offre.get("/reseau/corbeille").await.status, 403, "[{be}]");
        assert_eq!(
            offre.get("/reseau/acteurs/1/suppression").await.status,
            403,
            "[{be}]"
        );

        // The register: the removal names the person and erases only once confirmed.
        let mut ccas = server.client();
        let ccas_csrf = ccas.login_ok("ccas").await;
        let person = scalar(store, "SELECT MIN(id) FROM crisis_person").await;
        let last = text(
            store,
            &format!("SELECT last_name FROM crisis_person WHERE id = {person}"),
        )
        .await;
        let first = text(
            store,
            &format!("SELECT first_name FROM crisis_person WHERE id = {person}"),
        )
        .await;
        let person_page = format!("/crise/registre/{person}");
        let removal = format!("{person_page}/radiation");
        let r = ccas.get(&person_page).await;
        assert!(
            r.body
                .contains(&format!("method=\"get\" action=\"{removal}\"")),
            "[{be}] first step"
        );
        let r = post_from(
            &mut ccas,
            &person_page,
            &removal,
            &ccas_csrf,
            &[("motif", "demande")],
        )
        .await;
        assert_eq!(r.status, 303, "[{be}] not confirmed");
        assert_eq!(r.location(), format!("{removal}?motif=demande"));
        let exists = format!("SELECT COUNT(*) FROM crisis_person WHERE id = {person}");
        assert_eq!(scalar(store, &exists).await, 1, "[{be}] nothing erased yet");
        let r = ccas.get(&format!("{removal}?motif=demande")).await;
        assert_eq!(r.status, 200, "[{be}] {}", r.body);
        let named = format!("Radier {last} {first}");
        assert!(
            r.body.contains(&named),
            "[{be}] names the person: {}",
            r.body
        );
        assert!(r.body.contains("effacée définitivement") && r.body.contains("pas de corbeille"));
        assert!(r.body.contains("name=\"motif\" value=\"demande\""));
        assert!(
            audit_actions(store, "crise.registre.lecture")
                .await
                .iter()
                .any(
                    |a| a.target == format!("personne:{person}") && a.details.contains("radiation")
                ),
            "[{be}] the confirmation shows a person: audited"
        );
        let r = post_from(
            &mut ccas,
            &removal,
            &removal,
            &ccas_csrf,
            &[("motif", "demande"), ("confirmation", "oui")],
        )
        .await;
        assert_eq!(r.status, 303, "[{be}] {}", r.body);
        assert_eq!(r.location(), "/crise/registre?fait=radiation");
        assert_eq!(scalar(store, &exists).await, 0, "[{be}] erased");
        assert_eq!(ccas.get(&removal).await.status, 404);
        // Not for those who do not hold the register.
        let mut elu = server.client();
        elu.login_ok("elu").await;
        assert_eq!(
            elu.get(&format!(
                "/crise/registre/{}/radiation?motif=demande",
                person + 1
            ))
            .await
            .status,
            403
        );
        server.stop().await;
    }
}

#[tokio::test]
async fn a_volunteer_who_could_not_do_a_mission_says_why_and_the_coordinator_reads_it() {
    for (_base, server) in demos().await {
        let be = server.backend;
        let store = &server.store;
        let mut v = server.client();
        let csrf = v.login_ok("benevole").await;
        let mission = scalar(
            store,
            "SELECT MIN(r.id) FROM crisis_request r JOIN crisis_volunteer v ON v.id = r.volunteer_id \
             WHERE v.account = 'benevole' AND r.status = 'affectee'",
        )
        .await;
        let target = format!("/mes-missions/{mission}/pas-pu");
        let r = v.get("/mes-missions").await;
        assert!(
            r.body.contains(&format!("action=\"{target}\"")),
            "[{be}] {}",
            r.body
        );
        // A reason is asked for: the field is marked.
        let r = post_from(&mut v, "/mes-missions", &target, &csrf, &[("raison", " ")]).await;
        assert_eq!(r.status, 422, "[{be}] {}", r.body);
        assert!(r.body.contains("name=\"raison\""));
        assert!(
            r.body.contains("aria-invalid=\"true\""),
            "[{be}] {}",
            r.body
        );
        let reason = "Personne ne répond à la porte, le gardien est absent";
        let r = post_from(
            &mut v,
            "/mes-missions",
            &target,
            &csrf,
            &[("raison", reason)],
        )
        .await;
        assert_eq!(r.status, 303, "[{be}] {}", r.body);
        assert_eq!(r.location(), "/mes-missions?fait=pas_pu");
        let r = v.get("/mes-missions").await;
        assert!(
            !r.body.contains(&format!("action=\"{target}\"")),
            "[{be}] no longer theirs"
        );
        assert_eq!(
            text(
                store,
                &format!("SELECT status FROM crisis_request WHERE id = {mission}")
            )
            .await,
            "nouvelle",
            "[{be}] back to the coordinator"
        );
        // Once given back, it cannot be reported again by the same volunteer.
        let r = post_from(
            &mut v,
            "/mes-missions",
            &target,
            &csrf,
            &[("raison", reason)],
        )
        .await;
        assert_eq!(r.status, 404, "[{be}] no longer theirs");
        // The coordinator reads who, when and why.
        let mut cell = server.client();
        cell.login_ok("crise").await;
        let r = cell.get("/crise/benevoles").await;
        assert_eq!(r.status, 200);
        assert!(r.body.contains("n'a pas pu la faire"), "[{be}] {}", r.body);
        assert!(r.body.contains(reason), "[{be}] the reason is shown");
        server.stop().await;
    }
}
