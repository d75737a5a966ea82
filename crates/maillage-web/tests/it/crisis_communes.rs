//! Crisis records kept to their commune (issue 14, item 3), on SQLite and PostgreSQL: an account limited to
//! commune B lists none of commune A's register, calls, volunteers, requests, stocks, places or cell, gets 404 on
//! A's ids (read, change, removal, calls, assignment), transmits only B's people to the préfet, cannot create a
//! record in A, and reads B-only figures from the API; an account holding every commune sees both. The records
//! are fixtures written through the store (names marked « fixture »), not real data.

use crate::common;

use common::{PASSWORD, Server};
use jiff::Timestamp;
use maillage_crisis::calls::RetryPolicy;
use maillage_crisis::cell::{EventKind, Level};
use maillage_crisis::clusters::SiteKind;
use maillage_crisis::register::{RegistrationForm, validate};
use maillage_store::Store;
use maillage_store::accounts::Role;
use maillage_store::crisis::{
    self as cs, calls, cell, clusters, register, services, stocks, volunteers,
};
use maillage_store::reach::Reach;
use maillage_testkit::TestBase;
use maillage_web::Config;
use maillage_web::audit::Actor;
use maillage_web::users::{self, UserForm};
use std::collections::BTreeSet;

const A: &str = "99101";
const B: &str = "99102";

/// An account with `roles`, limited to `communes` (every commune when None).
async fn account_of(store: &Store, identifier: &str, roles: &[Role], communes: Option<&[&str]>) {
    let form = UserForm {
        identifier: identifier.into(),
        display_name: format!("Compte {identifier}"),
        password: PASSWORD.into(),
        roles: roles.iter().copied().collect(),
        territories: communes
            .unwrap_or(&[])
            .iter()
            .map(|c| c.to_string())
            .collect::<BTreeSet<_>>(),
        all_territories: communes.is_none(),
    };
    users::create(store, &Actor::command_line(), &form)
        .await
        .expect("account created");
}

/// The ids of the fixture records of commune A (and B's person).
struct Fixture {
    person_a: i64,
    person_b: i64,
    campaign_a: i64,
    call_a: i64,
    request_a: i64,
    item_a: i64,
    site_a: i64,
    task_a: i64,
}

fn registration(last_name: &str, now: Timestamp) -> maillage_crisis::register::Registration {
    let form = RegistrationForm {
        last_name: last_name.into(),
        first_name: "Fixture".into(),
        birth_date: "1941-03-02".into(),
        address: "1 rue de l'Essai (fixture)".into(),
        phone: "01 99 00 00 01".into(),
        basis: "age_65".into(),
        living_at_home: true,
        requester: "personne".into(),
        ..Default::default()
    };
    validate(&form, cs::today(now)).unwrap()
}

/// Writes, as the owner, a person in A and one in B, an alert of the whole territory, a campaign over A's
/// register, a volunteer and a request in A, a stock item, a place, a service, a member and a task of A.
async fn fixture(store: &Store, now: Timestamp) -> Fixture {
    let all = &Reach::everything();
    let mut tx = cs::begin(store, all).await.unwrap();
    let person_a = register::create(
        &mut tx,
        all,
        Some(A),
        &registration("Arnaud-Fixture", now),
        None,
        "test",
        now,
    )
    .await
    .unwrap();
    let person_b = register::create(
        &mut tx,
        all,
        Some(B),
        &registration("Bertin-Fixture", now),
        None,
        "test",
        now,
    )
    .await
    .unwrap();
    let event = cell::open_event(
        &mut tx,
        all,
        None,
        EventKind::Canicule,
        "Canicule (fixture)",
        Level::Alerte,
        "test",
        now,
        maillage_messages::crisis::level_entry,
    )
    .await
    .unwrap();
    let callers = vec!["ccas.a".to_string()];
    let campaign_a = calls::start(
        &mut tx,
        all,
        &calls::NewCampaign {
            commune: Some(A),
            event_id: event,
            title: "Appels de A (fixture)",
            script: "Bonjour.",
            retry: RetryPolicy::default(),
            callers: &callers,
        },
        "test",
        now,
    )
    .await
    .unwrap();
    let volunteer = volunteers::add_volunteer(
        &mut tx,
        all,
        Some(A),
        &volunteers::VolunteerForm {
            name: "Valentin-Fixture".into(),
            skills: vec!["courses".into()],
            consent_on: cs::today(now).to_string(),
            ..Default::default()
        },
        now,
    )
    .await
    .unwrap();
    let request_a = volunteers::add_request(
        &mut tx,
        all,
        Some(A),
        &volunteers::RequestForm {
            kind: "courses".into(),
            beneficiary: "Roseline-Fixture".into(),
            address: "2 rue de l'Essai (fixture)".into(),
            ..Default::default()
        },
        "test",
        now,
    )
    .await
    .unwrap();
    let _ = volunteer;
    let item_a = stocks::add_item(
        &mut tx,
        all,
        Some(A),
        "masques_fixture",
        "Masques-Fixture",
        "masques",
        Some(10),
    )
    .await
    .unwrap();
    let site_a = clusters::add_site(
        &mut tx,
        all,
        Some(A),
        "Ecole-Fixture",
        SiteKind::Ecole,
        None,
        true,
        now,
    )
    .await
    .unwrap();
    services::save_service(
        &mut tx,
        all,
        Some(A),
        None,
        &services::ServiceForm {
            name: "Accueil-Fixture".into(),
            status: "ouvert".into(),
            public: false,
            ..Default::default()
        },
        "test",
        now,
    )
    .await
    .unwrap();
    cell::add_member(
        &mut tx,
        all,
        Some(A),
        &cell::MemberForm {
            kind: "membre".into(),
            name: "Membre-Fixture".into(),
            function: "Adjoint".into(),
            ..Default::default()
        },
        now,
    )
    .await
    .unwrap();
    let task_a = cell::add_task(
        &mut tx,
        all,
        Some(A),
        None,
        "Tache-Fixture",
        "Mairie de A",
        None,
        "test",
        now,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let call_a = calls::list_of(store, all, campaign_a, "ccas.a", now)
        .await
        .unwrap()[0]
        .call_id;
    Fixture {
        person_a,
        person_b,
        campaign_a,
        call_a,
        request_a,
        item_a,
        site_a,
        task_a,
    }
}

#[tokio::test]
async fn the_store_keeps_each_communes_records_to_its_reach() {
    for base in TestBase::all().await {
        let store = Store::open(&base.location).await.unwrap();
        let now = Timestamp::now();
        let f = fixture(&store, now).await;
        let b = &Reach::communes([B]);
        let all = &Reach::everything();
        let be = base.backend;

        let names = |people: Vec<register::Person>| -> Vec<String> {
            people.into_iter().map(|p| p.last_name).collect()
        };
        assert_eq!(
            names(register::list(&store, b).await.unwrap()),
            ["Bertin-Fixture"],
            "[{be}]"
        );
        assert_eq!(
            names(register::list(&store, all).await.unwrap()),
            ["Arnaud-Fixture", "Bertin-Fixture"],
            "[{be}]"
        );
        assert!(
            register::get(&store, b, f.person_a)
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            register::get(&store, b, f.person_b)
                .await
                .unwrap()
                .is_some()
        );
        assert_eq!(register::counts(&store, b, now, 30).await.unwrap().total, 1);
        assert!(
            calls::campaigns(&store, b).await.unwrap().is_empty(),
            "[{be}]"
        );
        assert!(calls::call(&store, b, f.call_a).await.unwrap().is_none());
        assert!(volunteers::volunteers(&store, b).await.unwrap().is_empty());
        assert!(volunteers::requests(&store, b).await.unwrap().is_empty());
        assert!(stocks::items(&store, b, now, 30).await.unwrap().is_empty());
        assert!(clusters::sites(&store, b).await.unwrap().is_empty());
        assert!(
            services::services(&store, b, false)
                .await
                .unwrap()
                .is_empty()
        );
        assert!(cell::members(&store, b).await.unwrap().is_empty());
        assert!(cell::tasks(&store, b).await.unwrap().is_empty());
        // The territory's alert is shared: commune B's cell sees it.
        assert!(cell::active_alert(&store, b).await.unwrap().is_some());

        // Changes outside the reach are "not found"; nothing is given a commune not held.
        let mut tx = cs::begin(&store, b).await.unwrap();
        let today = cs::today(now);
        assert!(matches!(
            register::confirm(&mut tx, b, f.person_a, today, now).await,
            Err(cs::Error::NotFound { .. })
        ));
        assert!(matches!(
            register::remove(
                &mut tx,
                b,
                f.person_a,
                maillage_crisis::register::RemovalReason::Demande,
                "test",
                now
            )
            .await,
            Err(cs::Error::NotFound { .. })
        ));
        assert!(matches!(
            register::update(
                &mut tx,
                b,
                f.person_b,
                Some(A),
                &registration("Bertin-Fixture", now),
                None,
                now
            )
            .await,
            Err(cs::Error::Refused(cs::Refusal::CommuneNotHeld))
        ));
        for commune in [Some(A), None] {
            assert!(matches!(
                register::create(
                    &mut tx,
                    b,
                    commune,
                    &registration("Intrus-Fixture", now),
                    None,
                    "test",
                    now
                )
                .await,
                Err(cs::Error::Refused(cs::Refusal::CommuneNotHeld))
            ));
        }
        assert!(matches!(
            volunteers::close_request(
                &mut tx,
                b,
                f.request_a,
                maillage_crisis::volunteers::RequestStatus::Annulee,
                None,
                now
            )
            .await,
            Err(cs::Error::NotFound { .. })
        ));
        assert!(matches!(
            stocks::set_threshold(&mut tx, b, f.item_a, Some(1)).await,
            Err(cs::Error::NotFound { .. })
        ));
        assert!(matches!(
            clusters::set_cases(&mut tx, b, f.site_a, today, 2, "test", now).await,
            Err(cs::Error::NotFound { .. })
        ));
        assert!(matches!(
            cell::set_task_status(
                &mut tx,
                b,
                f.task_a,
                maillage_crisis::cell::TaskStatus::Faite,
                now
            )
            .await,
            Err(cs::Error::NotFound { .. })
        ));
        assert!(matches!(
            calls::close(&mut tx, b, f.campaign_a, now).await,
            Err(cs::Error::NotFound { .. })
        ));
        drop(tx);
        // A's campaign is not B's to call from.
        assert_eq!(
            calls::claim_next(&store, b, f.campaign_a, "ccas.b", now)
                .await
                .map_err(|e| matches!(e, cs::Error::NotFound { .. })),
            Err(true),
            "[{be}]"
        );
        // Nothing above changed a row.
        assert_eq!(register::list(&store, all).await.unwrap().len(), 2);
        assert!(
            register::get(&store, all, f.person_a)
                .await
                .unwrap()
                .is_some()
        );
        store.close().await;
    }
}

#[tokio::test]
async fn an_account_of_commune_b_reads_and_changes_nothing_of_commune_a_over_http() {
    for base in TestBase::all().await {
        let store = Store::open(&base.location).await.unwrap();
        let now = Timestamp::now();
        let f = fixture(&store, now).await;
        account_of(&store, "ccas.b", &[Role::Ccas], Some(&[B])).await;
        account_of(&store, "cellule.b", &[Role::Crise], Some(&[B])).await;
        account_of(&store, "ccas.a", &[Role::Ccas], Some(&[A])).await;
        account_of(&store, "ccas.tout", &[Role::Ccas], None).await;
        let server = Server::start_on(store.clone(), base.backend, Config::default()).await;
        let be = base.backend;

        let mut b = server.client();
        let csrf = b.login_ok("ccas.b").await;
        // Lists: B's person, none of A's records.
        let list = b.get("/crise/registre").await;
        assert_eq!(list.status, 200, "[{be}]");
        assert!(list.body.contains("Bertin-Fixture"), "[{be}]");
        assert!(!list.body.contains("Arnaud-Fixture"), "[{be}]");
        for (path, secret) in [
            ("/crise/benevoles", "Valentin-Fixture"),
            ("/crise/benevoles", "Roseline-Fixture"),
            ("/crise/stocks", "Masques-Fixture"),
            ("/crise/clusters", "Ecole-Fixture"),
            ("/crise/continuite", "Accueil-Fixture"),
            ("/crise", "Membre-Fixture"),
            ("/crise", "Tache-Fixture"),
            ("/crise/appels", "Appels de A"),
            ("/crise/point-de-situation", "Tache-Fixture"),
        ] {
            let r = b.get(path).await;
            assert_eq!(r.status, 200, "[{be}] {path}");
            assert!(!r.body.contains(secret), "[{be}] {path} shows {secret}");
        }
        // A's ids: 404 to read, change, remove, call, assign, close.
        let pa = f.person_a;
        let (c, k, ra) = (f.campaign_a, f.call_a, f.request_a);
        for path in [
            format!("/crise/registre/{pa}"),
            format!("/crise/registre/{pa}/radiation?motif=demande"),
            format!("/crise/appels/{c}"),
            format!("/crise/appels/{c}/appel/{k}"),
        ] {
            assert_eq!(b.get(&path).await.status, 404, "[{be}] GET {path}");
        }
        for (path, fields) in [
            (
                format!("/crise/registre/{pa}"),
                vec![("action", "confirme")],
            ),
            (
                format!("/crise/registre/{pa}/radiation"),
                vec![("motif", "demande"), ("confirmation", "oui")],
            ),
            (format!("/crise/appels/{c}/suivant"), vec![]),
            (
                format!("/crise/appels/{c}/cloture"),
                vec![("confirmer", "oui")],
            ),
            (
                format!("/crise/appels/{c}/appel/{k}"),
                vec![("resultat", "joint")],
            ),
            (
                format!("/crise/demandes/{ra}/affectation"),
                vec![("benevole", "1")],
            ),
            (
                format!("/crise/demandes/{ra}/cloture"),
                vec![("statut", "annulee")],
            ),
        ] {
            let mut form = vec![("_csrf", csrf.as_str())];
            form.extend(fields);
            let r = b.post_form(&path, &form).await;
            assert_eq!(r.status, 404, "[{be}] POST {path}: {}", r.body.len());
        }
        // Creating a record in A is refused with the form, in French; nothing is written.
        let before = register::list(&store, &Reach::everything())
            .await
            .unwrap()
            .len();
        let r = b
            .post_form(
                "/crise/registre",
                &[
                    ("_csrf", &csrf),
                    ("commune", A),
                    ("nom", "Intrus-Fixture"),
                    ("prenom", "Jeanne"),
                    ("date_naissance", "1938-04-12"),
                    ("adresse", "4 rue des Tilleuls"),
                    ("qualite", "age_65"),
                    ("domicile", "oui"),
                    ("demandeur", "personne"),
                ],
            )
            .await;
        assert_eq!(r.status, 422, "[{be}]");
        assert!(r.body.contains("commune qui vous est attribuée"), "[{be}]");
        assert_eq!(
            register::list(&store, &Reach::everything())
                .await
                .unwrap()
                .len(),
            before
        );
        // The transmission to the préfet (the territory's alert is active) carries B's people only.
        let r = b
            .post_form(
                "/crise/registre/transmission",
                &[
                    ("_csrf", &csrf),
                    ("motif", "Demande n° 1"),
                    ("format", "csv"),
                ],
            )
            .await;
        assert_eq!(r.status, 200, "[{be}]");
        assert!(r.body.contains("Bertin-Fixture") && !r.body.contains("Arnaud-Fixture"));
        // The API counts B only.
        let r = b.get("/api/v1/crise/registre/effectifs").await;
        assert_eq!(r.status, 200, "[{be}] {}", r.body);
        assert_eq!(r.json()["total"], 1, "[{be}]");
        let r = b.get("/api/v1/crise/stocks").await;
        assert!(!r.body.contains("Masques-Fixture"), "[{be}]");
        let r = b.get("/api/v1/crise/appels").await;
        assert!(!r.body.contains("Appels de A"), "[{be}]");

        // The cell of B neither reads A's tasks nor changes them.
        let mut cell_b = server.client();
        let csrf_cell = cell_b.login_ok("cellule.b").await;
        let r = cell_b
            .post_form(
                &format!("/crise/taches/{}", f.task_a),
                &[("_csrf", &csrf_cell), ("statut", "faite")],
            )
            .await;
        assert_eq!(r.status, 404, "[{be}]");
        let r = cell_b
            .post_form(
                &format!("/crise/clusters/{}/cas", f.site_a),
                &[
                    ("_csrf", &csrf_cell),
                    ("jour", &cs::today(now).to_string()),
                    ("cas", "3"),
                ],
            )
            .await;
        assert_eq!(r.status, 404, "[{be}]");

        // A's account reads A's person; the account holding every commune reads both.
        let mut a = server.client();
        a.login_ok("ccas.a").await;
        assert_eq!(a.get(&format!("/crise/registre/{pa}")).await.status, 200);
        assert!(
            !a.get("/crise/registre")
                .await
                .body
                .contains("Bertin-Fixture")
        );
        let mut everyone = server.client();
        everyone.login_ok("ccas.tout").await;
        let list = everyone.get("/crise/registre").await;
        assert!(list.body.contains("Arnaud-Fixture") && list.body.contains("Bertin-Fixture"));
        assert_eq!(
            everyone.get(&format!("/crise/appels/{c}")).await.status,
            200
        );
        let _ = f.person_b;
        server.stop().await;
        store.close().await;
    }
}
