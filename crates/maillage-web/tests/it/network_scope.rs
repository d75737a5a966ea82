//! Network and CLS records kept by their commune, through a real server on SQLite and PostgreSQL. Two communes
//! (fixture codes 99101 « A » and 99102 « B », not real data) each keep a directory entry and its contact, a
//! relay list and a message, a body with a member, a meeting and an action, a watch case, a contract with its
//! fiche, indicator, funding and report, and a consultation. An account of commune B lists none of A's records
//! (pages, exports, calendar, API), gets 404 on A's ids (reads and changes alike, nothing changes), cannot give
//! a record to A; an account of every commune sees both; records of the whole territory are read by commune
//! accounts only where they are internal (a contract), never where they are personal (a watch case).

use crate::common;

use common::{Client, Server, get_bytes};
use jiff::Timestamp;
use maillage_store::Store;
use maillage_store::accounts::Role;
use maillage_store::network::bodies::{self, BodyForm, FollowUpForm, MeetingForm, MemberForm};
use maillage_store::network::cls::{self, ContractForm, FicheForm, FundingForm, IndicatorForm};
use maillage_store::network::democracy::{self, ConsultationForm};
use maillage_store::network::directory::{self, ContactForm};
use maillage_store::network::watch::{self, CaseForm};
use maillage_store::network::{self as net, Reach, relay};
use maillage_testkit::TestBase;
use maillage_web::Config;
use maillage_web::audit::Actor;
use maillage_web::users::{self, UserForm};
use std::collections::BTreeSet;

const A: &str = "99101";
const B: &str = "99102";

/// The ids of one commune's records (every name carries the commune's tag, e.g. « Fixture-A »).
#[derive(Debug, Clone, Copy)]
struct Records {
    actor: i64,
    contact: i64,
    list: i64,
    message: i64,
    body: i64,
    member: i64,
    meeting: i64,
    action: i64,
    case: i64,
    contract: i64,
    axis: i64,
    fiche: i64,
    indicator: i64,
    funding: i64,
    report: i64,
}

/// Writes one commune's records (`commune` None: the whole territory) as the command line would, every name
/// tagged with `tag`.
async fn records(store: &Store, commune: Option<&str>, tag: &str) -> Records {
    let all = Reach::everything();
    let now = Timestamp::now();
    let owned = commune.map(str::to_string);
    let mut tx = net::begin(store, &all).await.unwrap();
    let mut fields = maillage_network::directory::ActorFields::default();
    fields.set("nom", format!("Acteur {tag}"));
    fields.set("type", "association");
    fields.set("visibilite", "interne");
    fields.set("identifiant", format!("acteur-{}", tag.to_lowercase()));
    let record = maillage_network::directory::ActorRecord::from_fields(&fields).unwrap();
    let actor = directory::save_actor(&mut tx, &all, None, commune, &record, "test", now)
        .await
        .unwrap();
    let contact_form = ContactForm {
        name: format!("Contact {tag}"),
        role: "Accueil".into(),
        email: format!("contact-{}@exemple.invalid", tag.to_lowercase()),
        phone: String::new(),
    };
    let contact =
        directory::save_contact(&mut tx, &all, None, Some(actor), None, &contact_form, now)
            .await
            .unwrap();
    let list = relay::create_list(&mut tx, &all, commune, &format!("Liste {tag}"), "", now)
        .await
        .unwrap();
    relay::add_member(&mut tx, &all, list, contact, now)
        .await
        .unwrap();
    let message = relay::create_message(
        &mut tx,
        &all,
        list,
        relay::MessageKind::Message,
        &format!("Message {tag}"),
        "Texte du message de test.",
        "test",
        now,
    )
    .await
    .unwrap();
    let body = bodies::save_body(
        &mut tx,
        &all,
        None,
        &BodyForm {
            commune: owned.clone(),
            kind: "cos".into(),
            name: format!("Instance {tag}"),
            active: true,
            ..Default::default()
        },
        now,
    )
    .await
    .unwrap();
    let member = bodies::save_member(
        &mut tx,
        &all,
        None,
        body,
        &MemberForm {
            name: format!("Membre {tag}"),
            member_type: "habitant".into(),
            ..Default::default()
        },
        now,
    )
    .await
    .unwrap();
    let meeting = bodies::save_meeting(
        &mut tx,
        &all,
        None,
        body,
        &MeetingForm {
            title: format!("Réunion {tag}"),
            starts_at: Some(now + jiff::SignedDuration::from_hours(24 * 7)),
            ..Default::default()
        },
        now,
    )
    .await
    .unwrap();
    let action = bodies::save_action(
        &mut tx,
        &all,
        None,
        body,
        &FollowUpForm {
            title: format!("Action {tag}"),
            owner: format!("Responsable {tag}"),
            due_on: net::today(now).to_string(),
            ..Default::default()
        },
        now,
    )
    .await
    .unwrap();
    let case = watch::create_case(
        &mut tx,
        &all,
        &CaseForm {
            commune: owned.clone(),
            observed_on: net::today(now).to_string(),
            title: format!("Signalement {tag}"),
            description: "Une situation de test.".into(),
            category: "refus_de_soins".into(),
            reported_by: "Partenaire de test".into(),
            ..Default::default()
        },
        "test",
        now,
    )
    .await
    .unwrap();
    let contract = cls::save_contract(
        &mut tx,
        &all,
        None,
        &ContractForm {
            commune: owned.clone(),
            name: format!("Contrat {tag}"),
            generation: "1".into(),
            starts_on: "2025-01-01".into(),
            ends_on: "2029-12-31".into(),
            territory: format!("Territoire {tag}"),
            ..Default::default()
        },
        now,
    )
    .await
    .unwrap();
    let axis = cls::save_axis(&mut tx, &all, None, contract, &format!("Axe {tag}"), "")
        .await
        .unwrap();
    let objective = cls::save_objective(&mut tx, &all, None, axis, &format!("Objectif {tag}"))
        .await
        .unwrap();
    let fiche = cls::save_fiche(
        &mut tx,
        &all,
        None,
        objective,
        &FicheForm {
            number: "1.1".into(),
            title: format!("Fiche {tag}"),
            pilot: format!("Pilote {tag}"),
            ..Default::default()
        },
        "test",
        now,
    )
    .await
    .unwrap();
    let indicator = cls::save_indicator(
        &mut tx,
        &all,
        None,
        fiche,
        &IndicatorForm {
            label: format!("Indicateur {tag}"),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let funding = cls::save_funding(
        &mut tx,
        &all,
        None,
        contract,
        &FundingForm {
            funder: format!("Financeur {tag}"),
            scheme: "subvention".into(),
            title: format!("Financement {tag}"),
            ..Default::default()
        },
        now,
    )
    .await
    .unwrap();
    let report = cls::add_report(
        &mut tx,
        &all,
        funding,
        &format!("Bilan {tag}"),
        &net::today(now).to_string(),
    )
    .await
    .unwrap();
    democracy::save_consultation(
        &mut tx,
        &all,
        None,
        &ConsultationForm {
            commune: owned,
            kind: "consultation".into(),
            title: format!("Consultation {tag}"),
            held_on: "2025-06-01".into(),
            ..Default::default()
        },
        "test",
        now,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    Records {
        actor,
        contact,
        list,
        message,
        body,
        member,
        meeting,
        action,
        case,
        contract,
        axis,
        fiche,
        indicator,
        funding,
        report,
    }
}

async fn account(store: &Store, identifier: &str, communes: &[&str]) {
    let form = UserForm {
        identifier: identifier.into(),
        display_name: format!("Compte {identifier}"),
        password: common::PASSWORD.into(),
        roles: BTreeSet::from([Role::Coordination]),
        territories: communes.iter().map(|c| c.to_string()).collect(),
        all_territories: communes.is_empty(),
    };
    users::create(store, &Actor::command_line(), &form)
        .await
        .expect("account created");
}

/// How many rows each network table holds: a refused change leaves them all as they were.
async fn rows(store: &Store) -> Vec<(String, i64)> {
    let mut out = Vec::new();
    for table in [
        "network_actor",
        "network_contact",
        "network_list",
        "network_list_member",
        "network_message",
        "network_body",
        "network_member",
        "network_meeting",
        "network_decision",
        "network_action",
        "network_watch_case",
        "network_watch_event",
        "cls_contract",
        "cls_axis",
        "cls_objective",
        "cls_fiche",
        "cls_fiche_funder",
        "cls_indicator",
        "cls_measure",
        "cls_funding",
        "cls_funding_report",
        "network_consultation",
    ] {
        let n: i64 =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
                .fetch_one(store.pool())
                .await
                .unwrap();
        out.push((table.to_string(), n));
    }
    out
}

/// A fingerprint of A's records that a change would alter (names, statuses, dates).
async fn fingerprint(store: &Store) -> Vec<String> {
    let mut out = Vec::new();
    for q in [
        "SELECT name || '|' || updated_at FROM network_actor ORDER BY id",
        "SELECT name || '|' || updated_at FROM network_contact ORDER BY id",
        "SELECT name || '|' || updated_at FROM network_body ORDER BY id",
        "SELECT title || '|' || status FROM network_action ORDER BY id",
        "SELECT title || '|' || status FROM network_watch_case ORDER BY id",
        "SELECT name || '|' || updated_at FROM cls_contract ORDER BY id",
        "SELECT title || '|' || status FROM cls_fiche ORDER BY id",
        "SELECT label || '|' || COALESCE(submitted_on, '') FROM cls_funding_report ORDER BY id",
    ] {
        let v: Vec<String> = sqlx::query_scalar(q).fetch_all(store.pool()).await.unwrap();
        out.extend(v);
    }
    out
}

/// The pages, exports and API answers that list the module's records.
const LISTS: &[&str] = &[
    "/reseau",
    "/reseau/acteurs",
    "/reseau/acteurs.csv",
    "/reseau/contacts.csv",
    "/reseau/instances",
    "/reseau/relais",
    "/reseau/veille",
    "/reseau/democratie",
    "/reseau/agenda.ics",
    "/cls",
    "/api/v1/reseau/acteurs",
    "/api/v1/reseau/instances",
    "/api/v1/reseau/veille",
    "/api/v1/reseau/rappels",
    "/api/v1/cls",
];

/// Everything the caller is shown by the list pages, exports and API, as one text.
async fn listed(client: &mut Client) -> String {
    let mut all = String::new();
    for path in LISTS {
        let r = client.get(path).await;
        assert_eq!(r.status, 200, "{path}: {}", r.body);
        all.push_str(&r.body);
    }
    all
}

/// The pages and files of one commune's records (each answers 200 to a caller who reaches them).
fn reads(r: &Records) -> Vec<String> {
    vec![
        format!("/reseau/acteurs/{}", r.actor),
        format!("/reseau/relais/listes/{}", r.list),
        format!("/reseau/relais/messages/{}", r.message),
        format!("/reseau/instances/{}", r.body),
        format!("/reseau/reunions/{}", r.meeting),
        format!("/reseau/veille/{}", r.case),
        format!("/cls/{}", r.contract),
        format!("/cls/{}/financements", r.contract),
        format!("/cls/fiches/{}", r.fiche),
        format!("/api/v1/cls/{}", r.contract),
    ]
}

/// Changes naming one of the commune's records (path, form fields): each is a 404 for a caller who does not
/// reach it, exactly like a missing id.
fn changes(r: &Records) -> Vec<(String, Vec<(&'static str, String)>)> {
    vec![
        (
            format!("/reseau/acteurs/{}", r.actor),
            vec![
                ("nom", "Renommé par B".into()),
                ("type", "association".into()),
                ("visibilite", "interne".into()),
            ],
        ),
        (
            format!("/reseau/acteurs/{}/suppression", r.actor),
            vec![("confirmation", "oui".into())],
        ),
        (
            format!("/reseau/acteurs/{}/contacts", r.actor),
            vec![("nom", "Contact ajouté par B".into())],
        ),
        (
            format!("/reseau/contacts/{}", r.contact),
            vec![("nom", "Contact renommé par B".into())],
        ),
        (
            format!("/reseau/contacts/{}/suppression", r.contact),
            vec![],
        ),
        (
            format!("/reseau/relais/listes/{}/membres", r.list),
            vec![("retrait", r.contact.to_string())],
        ),
        (
            format!("/reseau/instances/{}", r.body),
            vec![
                ("nom", "Instance renommée par B".into()),
                ("type", "cos".into()),
            ],
        ),
        (
            format!("/reseau/instances/{}/membres", r.body),
            vec![
                ("nom", "Membre ajouté par B".into()),
                ("type_membre", "habitant".into()),
            ],
        ),
        (format!("/reseau/membres/{}/suppression", r.member), vec![]),
        (
            format!("/reseau/instances/{}/actions", r.body),
            vec![("titre", "Action de B".into()), ("responsable", "B".into())],
        ),
        (
            format!("/reseau/actions/{}/statut", r.action),
            vec![("statut", "faite".into())],
        ),
        (
            format!("/reseau/reunions/{}/decisions", r.meeting),
            vec![("decision", "Décision de B".into())],
        ),
        (
            format!("/reseau/veille/{}/etape", r.case),
            vec![("statut", "attribue".into()), ("attribution", "B".into())],
        ),
        (
            format!("/cls/{}", r.contract),
            vec![("nom", "Contrat renommé par B".into())],
        ),
        (
            format!("/cls/{}/axes", r.contract),
            vec![("titre", "Axe de B".into())],
        ),
        (
            format!("/cls/{}/objectifs", r.contract),
            vec![
                ("axe", r.axis.to_string()),
                ("titre", "Objectif de B".into()),
            ],
        ),
        (
            format!("/cls/fiches/{}", r.fiche),
            vec![
                ("numero", "9".into()),
                ("titre", "Fiche de B".into()),
                ("pilote", "B".into()),
            ],
        ),
        (
            format!("/cls/fiches/{}/financeurs", r.fiche),
            vec![("financeur", "B".into())],
        ),
        (
            format!("/cls/indicateurs/{}/mesures", r.indicator),
            vec![("date_mesure", "2025-06-01".into()), ("valeur", "3".into())],
        ),
        (
            format!("/cls/financements/{}/bilans", r.funding),
            vec![
                ("bilan", "Bilan de B".into()),
                ("echeance", "2026-01-01".into()),
            ],
        ),
        (
            format!("/cls/bilans/{}", r.report),
            vec![("date_envoi", "2025-06-01".into())],
        ),
    ]
}

async fn post(client: &mut Client, csrf: &str, path: &str, fields: &[(&str, String)]) -> u16 {
    let mut form: Vec<(&str, &str)> = vec![("_csrf", csrf)];
    form.extend(fields.iter().map(|(k, v)| (*k, v.as_str())));
    client.post_form(path, &form).await.status
}

#[tokio::test]
async fn a_commune_account_reaches_only_its_communes_network_records_on_both_backends() {
    for base in TestBase::all().await {
        let store = Store::open(&base.location).await.unwrap();
        let a = records(&store, Some(A), "Fixture-A").await;
        let b = records(&store, Some(B), "Fixture-B").await;
        let t = records(&store, None, "Fixture-T").await;
        account(&store, "coordination-b", &[B]).await;
        account(&store, "coordination-tout", &[]).await;
        let server = Server::start_on(store.clone(), base.backend, Config::default()).await;
        let backend = base.backend;

        // Commune B lists its own records and the whole territory's internal ones, none of A's, and no
        // personal record of the whole territory.
        let mut client_b = server.client();
        let csrf = client_b.login_ok("coordination-b").await;
        let shown = listed(&mut client_b).await;
        assert!(
            !shown.contains("Fixture-A"),
            "{backend}: A's records leak to B"
        );
        for name in [
            "Acteur Fixture-B",
            "Contact Fixture-B",
            "Liste Fixture-B",
            "Instance Fixture-B",
            "Signalement Fixture-B",
            "Contrat Fixture-B",
            "Consultation Fixture-B",
            "Action Fixture-B",
            "Réunion Fixture-B",
            "Bilan Fixture-B",
        ] {
            assert!(shown.contains(name), "{backend}: B should see « {name} »");
        }
        for name in [
            "Contrat Fixture-T",
            "Instance Fixture-T",
            "Acteur Fixture-T",
        ] {
            assert!(shown.contains(name), "{backend}: « {name} » is shared");
        }
        for name in [
            "Signalement Fixture-T",
            "Contact Fixture-T",
            "Membre Fixture-T",
        ] {
            assert!(
                !shown.contains(name),
                "{backend}: personal « {name} » needs every commune"
            );
        }
        let list_t = client_b
            .get(&format!("/reseau/relais/listes/{}", t.list))
            .await;
        assert_eq!(list_t.status, 200);
        assert!(!list_t.body.contains("Contact Fixture-T"), "{backend}");
        assert_eq!(
            client_b
                .get(&format!("/reseau/veille/{}", t.case))
                .await
                .status,
            404,
            "{backend}: a territory-wide watch case is personal"
        );

        // Every read of A's records is a 404; B's own answer.
        for path in reads(&a) {
            assert_eq!(client_b.get(&path).await.status, 404, "{backend}: {path}");
        }
        for path in reads(&b) {
            assert_eq!(client_b.get(&path).await.status, 200, "{backend}: {path}");
        }
        let (status, _, _) =
            get_bytes(&client_b, &format!("/cls/{}/evaluation.pdf", a.contract)).await;
        assert_eq!(status, 404, "{backend}: A's evaluation report");
        let export = client_b
            .get(&format!("/reseau/relais/messages/{}/export.csv", a.message))
            .await;
        assert_eq!(export.status, 404, "{backend}: A's mail merge");

        // Every change of A's records is a 404 and changes nothing.
        let before = (rows(&store).await, fingerprint(&store).await);
        for (path, fields) in changes(&a) {
            assert_eq!(
                post(&mut client_b, &csrf, &path, &fields).await,
                404,
                "{backend}: POST {path}"
            );
        }
        assert_eq!(
            (rows(&store).await, fingerprint(&store).await),
            before,
            "{backend}: a refused change changed the store"
        );

        // B cannot give a record to A, nor to the whole territory, nor put A's contact on its list.
        for (path, fields) in [
            (
                "/reseau/acteurs",
                vec![
                    ("nom", "Acteur de B pour A".to_string()),
                    ("type", "association".into()),
                    ("visibilite", "interne".into()),
                ],
            ),
            (
                "/reseau/relais/listes",
                vec![("nom", "Liste de B pour A".to_string())],
            ),
            (
                "/reseau/instances",
                vec![
                    ("nom", "Instance de B pour A".to_string()),
                    ("type", "cos".into()),
                ],
            ),
            (
                "/reseau/democratie",
                vec![
                    ("titre", "Consultation de B pour A".to_string()),
                    ("type", "consultation".into()),
                    ("date", "2025-06-01".into()),
                ],
            ),
            (
                "/cls",
                vec![
                    ("nom", "Contrat de B pour A".to_string()),
                    ("generation", "1".into()),
                    ("debut", "2025-01-01".into()),
                    ("fin", "2029-12-31".into()),
                    ("territoire", "A".into()),
                ],
            ),
        ] {
            for target in [A, ""] {
                let mut with_commune = fields.clone();
                with_commune.push(("commune_code", target.to_string()));
                let r = client_b
                    .post_form(
                        path,
                        &std::iter::once(("_csrf", csrf.as_str()))
                            .chain(with_commune.iter().map(|(k, v)| (*k, v.as_str())))
                            .collect::<Vec<_>>(),
                    )
                    .await;
                // A commune account holding one commune gets it by default when it sends none.
                if target.is_empty() {
                    assert_eq!(
                        r.status, 303,
                        "{backend}: POST {path} without commune: {}",
                        r.body
                    );
                } else {
                    assert_eq!(r.status, 422, "{backend}: POST {path} to A");
                    assert!(
                        r.body.contains("n'est pas parmi celles de votre compte"),
                        "{backend}: {path}: {}",
                        r.body
                    );
                }
            }
        }
        let a_names: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM network_actor WHERE name = 'Acteur de B pour A' AND commune_code = $1",
        )
        .bind(A)
        .fetch_one(store.pool())
        .await
        .unwrap();
        assert_eq!(a_names, 0, "{backend}");
        let b_names: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM network_actor WHERE name = 'Acteur de B pour A' AND commune_code = $1",
        )
        .bind(B)
        .fetch_one(store.pool())
        .await
        .unwrap();
        assert_eq!(b_names, 1, "{backend}: the default is B's own commune");
        let members_before = rows(&store).await;
        let r = client_b
            .post_form(
                &format!("/reseau/relais/listes/{}/membres", b.list),
                &[("_csrf", &csrf), ("contact", &a.contact.to_string())],
            )
            .await;
        assert_eq!(r.status, 422, "{backend}: A's contact on B's list");
        assert_eq!(rows(&store).await, members_before, "{backend}");

        // An account of every commune sees both communes and the whole territory.
        let mut client_all = server.client();
        client_all.login_ok("coordination-tout").await;
        let shown = listed(&mut client_all).await;
        for name in [
            "Acteur Fixture-A",
            "Acteur Fixture-B",
            "Contact Fixture-A",
            "Signalement Fixture-A",
            "Signalement Fixture-T",
            "Contrat Fixture-A",
        ] {
            assert!(
                shown.contains(name),
                "{backend}: every commune sees « {name} »"
            );
        }
        for path in reads(&a).into_iter().chain(reads(&b)).chain(reads(&t)) {
            assert_eq!(client_all.get(&path).await.status, 200, "{backend}: {path}");
        }
        server.stop().await;
    }
}

/// The store's own guard, without the web: a reach of commune B neither reads nor changes A's rows.
#[tokio::test]
async fn the_store_refuses_another_communes_records_as_not_found() {
    for base in TestBase::all().await {
        let store = Store::open(&base.location).await.unwrap();
        let a = records(&store, Some(A), "Fixture-A").await;
        let reach_b = Reach::communes([B]);
        assert!(
            directory::actor(&store, &reach_b, a.actor)
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            directory::contacts(&store, &reach_b, None)
                .await
                .unwrap()
                .is_empty()
        );
        assert!(
            cls::tree(&store, &reach_b, a.contract)
                .await
                .unwrap()
                .is_none()
        );
        assert!(watch::cases(&store, &reach_b).await.unwrap().is_empty());
        assert!(
            bodies::members(&store, &reach_b, a.body)
                .await
                .unwrap()
                .is_empty()
        );
        let mut tx = net::begin(&store, &reach_b).await.unwrap();
        let e = directory::delete_contact(&mut tx, &reach_b, a.contact)
            .await
            .unwrap_err();
        assert!(
            matches!(
                e,
                net::Error::NotFound {
                    what: "contact",
                    ..
                }
            ),
            "{e:?}"
        );
        let e = cls::add_report(&mut tx, &reach_b, a.funding, "Bilan", "2026-01-01")
            .await
            .unwrap_err();
        assert!(
            matches!(
                e,
                net::Error::NotFound {
                    what: "financement",
                    ..
                }
            ),
            "{e:?}"
        );
        let e = relay::create_list(&mut tx, &reach_b, Some(A), "Liste", "", Timestamp::now())
            .await
            .unwrap_err();
        assert!(
            matches!(e, net::Error::Refused(net::Refusal::OutOfReach { .. })),
            "{e:?}"
        );
        drop(tx);
        let reach_a = Reach::communes([A]);
        assert_eq!(
            directory::contacts(&store, &reach_a, None)
                .await
                .unwrap()
                .len(),
            1,
            "{}",
            base.backend
        );
    }
}
