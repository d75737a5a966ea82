//! The network and CLS module through a real server, on SQLite and PostgreSQL, with the demonstration territory:
//! the demonstration's content (Pays de Morlaix axes, a COS like Châteauroux's, a watch network), the public
//! directory (public entries only, search, printable guide), the evaluation PDF (axes and indicator values, read
//! back from the PDF), the calendar feed (parsed), CSV import all or nothing, a watch case's steps, the signed
//! unsubscribe, the partner's aggregated view, and the audit of contact persons.

use crate::common;

use common::{Client, Server, get_bytes, sql};
use hyper::Method;
use maillage_store::Store;
use maillage_testkit::TestBase;
use maillage_web::Config;
use maillage_web::layout::number;
use serde_json::Value;

/// The text of a PDF as a reader copies it, whitespace collapsed.
fn pdf_text(bytes: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(bytes).expect("a valid PDF");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    assert!(!pages.is_empty());
    let text = doc.extract_text(&pages).expect("text extracts");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

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

struct Demo {
    _base: TestBase,
    server: Server,
}

/// One server per backend, on the demonstration base, with one account per role.
async fn demos() -> Vec<Demo> {
    let mut out = Vec::new();
    for base in TestBase::all().await {
        let store = common::demo_store(&base).await;
        common::one_account_per_role(&store).await;
        let server = Server::start_on(store, base.backend, Config::default()).await;
        out.push(Demo {
            _base: base,
            server,
        });
    }
    out
}

/// A multipart upload of one file in the `fichier` field, after the CSRF field.
async fn upload(
    client: &mut Client,
    path: &str,
    csrf: &str,
    file_name: &str,
    bytes: &[u8],
) -> common::Reply {
    let boundary = "----maillage-test-7f3a";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{csrf}\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"fichier\"; filename=\"{file_name}\"\r\nContent-Type: text/csv\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    client
        .send(
            Method::POST,
            path,
            &[(
                "content-type",
                &format!("multipart/form-data; boundary={boundary}"),
            )],
            body,
        )
        .await
}

#[tokio::test]
async fn the_demonstration_holds_the_morlaix_axes_a_cos_like_chateaurouxs_and_a_watch_network() {
    for d in demos().await {
        let st = &d.server.store;
        let b = d.server.backend;
        let actors = scalar(st, "SELECT COUNT(*) FROM network_actor").await;
        assert!(
            (75..=90).contains(&actors),
            "[{b}] about 80 actors: {actors}"
        );
        let not_labelled = scalar(
            st,
            "SELECT COUNT(*) FROM network_actor WHERE name NOT LIKE '%(fictif)'",
        )
        .await;
        assert_eq!(not_labelled, 0, "[{b}] every actor is labelled fictional");
        let cos = scalar(st, "SELECT id FROM network_body WHERE kind = 'cos'").await;
        assert_eq!(
            scalar(
                st,
                &format!("SELECT COUNT(*) FROM network_member WHERE body_id = {cos}")
            )
            .await,
            17
        );
        assert_eq!(
            scalar(
                st,
                &format!(
                    "SELECT COUNT(*) FROM network_member WHERE body_id = {cos} AND co_chair = 1"
                )
            )
            .await,
            2
        );
        let co_chair_types = text(
            st,
            &format!("SELECT MIN(member_type) || '+' || MAX(member_type) FROM network_member WHERE body_id = {cos} AND co_chair = 1"),
        )
        .await;
        assert_eq!(
            co_chair_types, "elu+professionnel_sante",
            "[{b}] co-chaired by an élu and a doctor"
        );
        assert_eq!(
            scalar(
                st,
                &format!("SELECT COUNT(*) FROM network_body WHERE parent_id = {cos}")
            )
            .await,
            4
        );
        assert_eq!(
            scalar(
                st,
                &format!("SELECT cadence_days FROM network_body WHERE id = {cos}")
            )
            .await,
            60
        );
        let axes: Vec<String> = sqlx::query_scalar("SELECT title FROM cls_axis ORDER BY position")
            .fetch_all(st.pool())
            .await
            .unwrap();
        assert_eq!(
            axes,
            [
                "La prévention et la promotion de la santé",
                "L'accès aux soins",
                "L'accompagnement des populations vulnérables et des aidants",
                "L'innovation et la participation citoyenne"
            ]
        );
        assert!(scalar(st, "SELECT COUNT(*) FROM network_watch_case").await >= 5);
        assert!(
            scalar(
                st,
                "SELECT COUNT(*) FROM network_watch_case WHERE status = 'interpellation'"
            )
            .await
                >= 1
        );
        // Every case's history starts with its report, and the history is append-only.
        assert_eq!(
            scalar(st, "SELECT COUNT(*) FROM network_watch_event WHERE from_status IS NULL AND to_status = 'signale'").await,
            scalar(st, "SELECT COUNT(*) FROM network_watch_case").await
        );
        assert!(
            sql(st, "UPDATE network_watch_event SET note = 'falsifié'")
                .await
                .is_err(),
            "[{b}] history is append-only"
        );
        d.server.stop().await;
    }
}

#[tokio::test]
async fn the_public_directory_shows_public_entries_only_and_searches_by_need_age_place_and_language()
 {
    for d in demos().await {
        let st = d.server.store.clone();
        let b = d.server.backend;
        let mut visitor = d.server.client();
        let page = visitor.get("/annuaire").await;
        assert_eq!(page.status, 200, "[{b}] {}", page.body);
        assert!(
            page.body
                .contains("Maison des adolescents du Clain (fictif)")
        );
        assert!(
            page.body.contains("href=\"/continuite\""),
            "links to the public continuity page"
        );
        let internal: Vec<String> =
            sqlx::query_scalar("SELECT name FROM network_actor WHERE visibility = 'interne'")
                .fetch_all(st.pool())
                .await
                .unwrap();
        assert!(!internal.is_empty());
        for name in &internal {
            assert!(
                !page.body.contains(name.as_str()),
                "[{b}] internal entry shown publicly: {name}"
            );
        }
        // Contact persons never appear publicly.
        let persons: Vec<(String, String)> =
            sqlx::query_as("SELECT name, email FROM network_contact")
                .fetch_all(st.pool())
                .await
                .unwrap();
        assert!(!persons.is_empty());
        for (name, email) in &persons {
            assert!(
                !page.body.contains(name.as_str()) && !page.body.contains(email.as_str()),
                "[{b}] contact shown: {name}"
            );
        }
        let internal_id = scalar(
            &st,
            "SELECT MIN(id) FROM network_actor WHERE visibility = 'interne'",
        )
        .await;
        assert_eq!(
            visitor
                .get(&format!("/annuaire/fiche/{internal_id}"))
                .await
                .status,
            404
        );
        let public_id = scalar(
            &st,
            "SELECT MIN(id) FROM network_actor WHERE visibility = 'publique'",
        )
        .await;
        assert_eq!(
            visitor
                .get(&format!("/annuaire/fiche/{public_id}"))
                .await
                .status,
            200
        );

        // A 15-year-old's mental health in Bellerive: the MDA and the young people's services, not the adults' CMP.
        let r = visitor
            .get("/annuaire?besoin=sante_mentale&age=15&lieu=Bellerive")
            .await;
        assert!(r.body.contains("Maison des adolescents du Clain (fictif)"));
        assert!(r.body.contains("Point écoute jeunes (fictif)"));
        assert!(
            !r.body
                .contains("Centre médico-psychologique adultes (fictif)")
        );
        // Arabic spoken at the reception.
        let api = visitor.get("/api/v1/annuaire?langue=ar").await.json();
        let names: Vec<&str> = api["resultats"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["nom"].as_str().unwrap())
            .collect();
        assert!(names.contains(&"Médiation santé Bellerive (fictif)"));
        assert!(
            names.iter().all(|n| !n.starts_with("Cabinet de médecine")),
            "[{b}] {names:?}"
        );
        for a in api["resultats"].as_array().unwrap() {
            assert!(
                a["langues"]
                    .as_array()
                    .unwrap()
                    .contains(&Value::from("ar"))
            );
        }
        // The API gives public entries only.
        let all = visitor.get("/api/v1/annuaire").await.json();
        let public = scalar(
            &st,
            "SELECT COUNT(*) FROM network_actor WHERE visibility = 'publique'",
        )
        .await;
        assert_eq!(all["total"].as_i64(), Some(public));
        assert_eq!(all["resultats"].as_array().unwrap().len() as i64, public);
        assert!(
            all["resultats"]
                .as_array()
                .unwrap()
                .iter()
                .all(|a| a["visibilite"] == "publique")
        );

        // The printable guide holds the selection, as text a reader can copy.
        let (status, headers, pdf) =
            get_bytes(&visitor, "/annuaire/guide.pdf?besoin=sante_mentale&age=15").await;
        assert_eq!(status, 200);
        assert_eq!(headers["content-type"], "application/pdf");
        let t = pdf_text(&pdf);
        assert!(t.contains("Adresses utiles"), "{t}");
        assert!(
            t.contains("Maison des adolescents du Clain (fictif)"),
            "{t}"
        );
        assert!(t.contains("de 11 à 25 ans"), "{t}");
        assert!(!t.contains("Centre médico-psychologique adultes"), "{t}");
        d.server.stop().await;
    }
}

#[tokio::test]
async fn the_evaluation_pdf_contains_the_axes_and_the_indicator_values_of_the_cls() {
    for d in demos().await {
        let b = d.server.backend;
        let mut c = d.server.client();
        c.login_ok("coordination").await;
        let list = c.get("/api/v1/cls").await.json();
        let id = list["contrats"][0]["id"].as_i64().unwrap();
        let dashboard = c.get(&format!("/api/v1/cls/{id}")).await.json();
        let (status, headers, pdf) = get_bytes(&c, &format!("/cls/{id}/evaluation.pdf")).await;
        assert_eq!(status, 200, "[{b}]");
        assert_eq!(headers["content-type"], "application/pdf");
        let t = pdf_text(&pdf);
        let mut values = 0;
        for axis in dashboard["axes"].as_array().unwrap() {
            let title = axis["titre"].as_str().unwrap();
            assert!(t.contains(title), "[{b}] axis « {title} » in the PDF");
            for i in axis["indicateurs"].as_array().unwrap() {
                let label = i["libelle"].as_str().unwrap();
                assert!(t.contains(label), "[{b}] indicator « {label} » in the PDF");
                if let Some(v) = i["derniere_valeur"].as_f64() {
                    let decimals = if v.fract().abs() < 1e-9 { 0 } else { 1 };
                    let written = number(v, decimals);
                    assert!(
                        t.contains(&written),
                        "[{b}] value {written} of « {label} » in the PDF"
                    );
                    values += 1;
                }
            }
        }
        assert!(
            values >= 8,
            "[{b}] the demonstration measures most indicators ({values})"
        );
        // The overall progress the API gives is the one printed.
        let realisation = dashboard["avancement"]["realisation"].as_f64().unwrap();
        assert!(
            t.contains(&format!(
                "Réalisation des fiches actions : {} %",
                number(realisation * 100.0, 0)
            )),
            "{t}"
        );
        assert!(t.contains("Focus : inégalités sociales et territoriales de santé"));
        assert!(t.contains("Méthode et limites"));
        let audit = common::audit_actions(&d.server.store, "observatoire.export").await;
        assert!(
            audit
                .iter()
                .any(|a| a.target == format!("cls:contrat:{id}:evaluation.pdf"))
        );
        // A partner reads the shared dashboard, not the report nor the fiches.
        let mut p = d.server.client();
        p.login_ok("partenaire").await;
        let page = p.get(&format!("/cls/{id}")).await;
        assert_eq!(page.status, 200);
        assert!(
            !page.body.contains("/cls/fiches/"),
            "[{b}] no fiche link for partners"
        );
        assert!(page.body.contains("Atteinte des cibles"));
        assert_eq!(
            p.get(&format!("/cls/{id}/evaluation.pdf")).await.status,
            403
        );
        d.server.stop().await;
    }
}

#[tokio::test]
async fn the_calendar_feed_parses_and_the_personal_address_needs_its_signature() {
    for d in demos().await {
        let st = d.server.store.clone();
        let b = d.server.backend;
        let mut c = d.server.client();
        c.login_ok("coordination").await;
        let feed = c.get("/reseau/agenda.ics").await;
        assert_eq!(feed.status, 200);
        assert!(
            feed.headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/calendar")
        );
        let cal = ical::IcalParser::new(feed.body.as_bytes())
            .next()
            .expect("a calendar")
            .expect("it parses");
        let meetings = scalar(&st, "SELECT COUNT(*) FROM network_meeting").await;
        let actions = scalar(&st, "SELECT COUNT(*) FROM network_action WHERE due_on IS NOT NULL AND status IN ('a_faire', 'en_cours')").await;
        let reports = scalar(
            &st,
            "SELECT COUNT(*) FROM cls_funding_report WHERE submitted_on IS NULL",
        )
        .await;
        assert_eq!(
            cal.events.len() as i64,
            meetings + actions + reports,
            "[{b}]"
        );
        let summary = |e: &ical::parser::ical::component::IcalEvent| {
            e.properties
                .iter()
                .find(|p| p.name == "SUMMARY")
                .and_then(|p| p.value.clone())
                .unwrap_or_default()
        };
        assert!(
            cal.events
                .iter()
                .any(|e| summary(e).contains("Séance n° 7"))
        );
        for l in feed.body.split("\r\n") {
            assert!(l.len() <= 75, "folded lines: {l}");
        }
        // The personal address, from the dashboard, works without a session; a forged one does not.
        let home = c.get("/reseau").await.body;
        let start = home.find("/agenda/").expect("subscription address shown");
        let path: String = home[start..]
            .chars()
            .take_while(|c| *c != '<' && *c != '"')
            .collect();
        let visitor = d.server.client();
        let (status, _, body) = get_bytes(&visitor, &path).await;
        assert_eq!(status, 200, "[{b}] {path}");
        let cal2 = ical::IcalParser::new(&body[..]).next().unwrap().unwrap();
        assert_eq!(cal2.events.len(), cal.events.len());
        let forged = format!(
            "{}0.ics",
            path.trim_end_matches(".ics")
                .trim_end_matches(|c: char| c.is_ascii_hexdigit())
        );
        assert_eq!(get_bytes(&visitor, &forged).await.0, 404);
        // A signature is bound to its account; and an account without access to bodies has no feed, even with
        // its own valid signature.
        let benevole = scalar(&st, "SELECT id FROM account WHERE identifier = 'benevole'").await;
        let other = path.replacen(
            &format!("/agenda/{}-", path[8..].split('-').next().unwrap()),
            &format!("/agenda/{benevole}-"),
            1,
        );
        assert_eq!(get_bytes(&visitor, &other).await.0, 404);
        let key = hex::decode(
            maillage_store::settings::get::<String>(&st, "reseau.cle_signature")
                .await
                .unwrap()
                .unwrap(),
        )
        .unwrap();
        let own = format!(
            "/agenda/{benevole}-{}.ics",
            maillage_network::sign::feed_signature(&key, benevole)
        );
        assert_eq!(
            get_bytes(&visitor, &own).await.0,
            404,
            "[{b}] a volunteer sees no meetings"
        );
        d.server.stop().await;
    }
}

#[tokio::test]
async fn a_directory_csv_import_is_all_or_nothing_and_a_second_import_changes_nothing() {
    for d in demos().await {
        let st = d.server.store.clone();
        let b = d.server.backend;
        let mut c = d.server.client();
        let csrf = c.login_ok("coordination").await;
        let (status, _, export) = get_bytes(&c, "/reseau/acteurs.csv").await;
        assert_eq!(status, 200);
        let before = scalar(&st, "SELECT COUNT(*) FROM network_actor").await;
        let r = upload(
            &mut c,
            "/reseau/acteurs/import",
            &csrf,
            "annuaire.csv",
            &export,
        )
        .await;
        assert_eq!(r.status, 200, "[{b}] {}", r.body);
        assert!(
            r.body.contains(&format!(
                "0 fiche ajoutée, 0 mise à jour, {before} inchangées"
            )),
            "[{b}] {}",
            r.body
        );

        // A new entry and a changed one, then a wrong line: nothing is written.
        let good = "identifiant;nom;type;besoins;visibilite\nnouveau-lieu;Lieu d'écoute des Hauts (fictif);association;sante_mentale;publique\n";
        let bad = format!("{good}autre;Autre lieu (fictif);asso;;publique\n");
        let r = upload(
            &mut c,
            "/reseau/acteurs/import",
            &csrf,
            "mauvais.csv",
            bad.as_bytes(),
        )
        .await;
        assert_eq!(r.status, 422);
        assert!(
            r.body.contains("Rien n'a été importé") && r.body.contains("Ligne 3, colonne « type »"),
            "[{b}] {}",
            r.body
        );
        assert_eq!(
            scalar(&st, "SELECT COUNT(*) FROM network_actor").await,
            before
        );
        let r = upload(
            &mut c,
            "/reseau/acteurs/import",
            &csrf,
            "bon.csv",
            good.as_bytes(),
        )
        .await;
        assert!(
            r.body.contains("1 fiche ajoutée, 0 mise à jour"),
            "[{b}] {}",
            r.body
        );
        assert_eq!(
            scalar(&st, "SELECT COUNT(*) FROM network_actor").await,
            before + 1
        );
        let visitor = d.server.client();
        let (_, _, page) = get_bytes(&visitor, "/annuaire?besoin=sante_mentale").await;
        assert!(
            String::from_utf8_lossy(&page).contains("Lieu d&#39;écoute des Hauts (fictif)")
                || String::from_utf8_lossy(&page).contains("Lieu d'écoute des Hauts (fictif)")
        );
        let audit = common::audit_actions(&st, "reseau.modification").await;
        assert!(
            audit.iter().any(
                |a| a.target == "reseau:acteurs:import" && a.details.contains("\"ajoutees\":1")
            )
        );
        d.server.stop().await;
    }
}

#[tokio::test]
async fn a_watch_case_goes_from_report_to_interpellation_with_its_history() {
    for d in demos().await {
        let st = d.server.store.clone();
        let b = d.server.backend;
        let mut c = d.server.client();
        let csrf = c.login_ok("coordination").await;
        let today = jiff::Zoned::now().date().to_string();
        let r = c
            .post_form(
                "/reseau/veille",
                &[
                    ("_csrf", &csrf),
                    ("titre", "Refus de tiers payant en centre-ville"),
                    ("date_observation", &today),
                    ("categorie", "refus_de_soins"),
                    ("description", "Tiers payant refusé à des bénéficiaires de la complémentaire santé solidaire."),
                    ("signale_par", "Centre social"),
                    ("longitude", "1.70"),
                    ("latitude", "46.80"),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "[{b}] {}", r.body);
        let path = r.location().split('?').next().unwrap().to_string();
        let id: i64 = path.rsplit('/').next().unwrap().parse().unwrap();
        let step = format!("{path}/etape");
        // A step that skips ahead, and one without its content, are refused in French.
        let r = c
            .post_form(
                &step,
                &[("_csrf", &csrf), ("statut", "resolu"), ("solution", "x")],
            )
            .await;
        assert_eq!(r.status, 422);
        assert!(
            r.body.contains("ne peut pas passer directement"),
            "{}",
            r.body
        );
        let r = c
            .post_form(&step, &[("_csrf", &csrf), ("statut", "attribue")])
            .await;
        assert_eq!(r.status, 422);
        assert!(
            r.body
                .contains("Indiquez à qui le signalement est attribué"),
            "{}",
            r.body
        );
        assert_eq!(
            c.post_form(
                &step,
                &[
                    ("_csrf", &csrf),
                    ("statut", "attribue"),
                    ("attribution", "Médiation santé")
                ]
            )
            .await
            .status,
            303
        );
        let r = c
            .post_form(
                &step,
                &[
                    ("_csrf", &csrf),
                    ("statut", "interpellation"),
                    ("institution", "CPAM"),
                    ("note", "Courrier du 3"),
                ],
            )
            .await;
        assert_eq!(r.status, 303);
        let page = c.get(&path).await.body;
        assert!(page.contains("Institution interpellée") && page.contains("CPAM"));
        assert_eq!(
            scalar(
                &st,
                &format!("SELECT COUNT(*) FROM network_watch_event WHERE case_id = {id}")
            )
            .await,
            3
        );
        assert_eq!(
            text(
                &st,
                &format!("SELECT interpellation_on FROM network_watch_case WHERE id = {id}")
            )
            .await
            .len(),
            10
        );
        // The élu reads it, without the forms; the map shows it as a numbered point.
        let mut elu = d.server.client();
        elu.login_ok("elu").await;
        let list = elu.get("/reseau/veille").await;
        assert_eq!(list.status, 200);
        assert!(
            list.body.contains("<svg")
                && list.body.contains("Refus de tiers payant en centre-ville")
        );
        assert!(!list.body.contains("Signaler un dysfonctionnement"));
        assert_eq!(
            elu.post_form(&step, &[("_csrf", "x"), ("statut", "clos")])
                .await
                .status,
            403
        );
        d.server.stop().await;
    }
}

#[tokio::test]
async fn contact_persons_are_audited_and_the_unsubscribe_link_is_signed() {
    for d in demos().await {
        let st = d.server.store.clone();
        let b = d.server.backend;
        let mut c = d.server.client();
        let csrf = c.login_ok("coordination").await;
        let actor = scalar(&st, "SELECT MIN(id) FROM network_actor").await;
        let r = c
            .post_form(
                &format!("/reseau/acteurs/{actor}/contacts"),
                &[
                    ("_csrf", &csrf),
                    ("nom", "Jeanne Test"),
                    ("courriel", "jeanne@exemple.invalid"),
                    ("telephone", "06 39 98 00 01"),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "[{b}] {}", r.body);
        assert!(
            common::audit_actions(&st, "reseau.contacts.modification")
                .await
                .iter()
                .any(|a| a.details.contains("creation"))
        );
        let r = c
            .post_form(
                &format!("/reseau/acteurs/{actor}/contacts"),
                &[
                    ("_csrf", &csrf),
                    ("nom", "X"),
                    ("courriel", "pas une adresse"),
                ],
            )
            .await;
        assert_eq!(r.status, 422);
        assert!(r.body.contains("adresse électronique"));
        let (status, _, csv) = get_bytes(&c, "/reseau/contacts.csv").await;
        assert_eq!(status, 200);
        assert!(String::from_utf8_lossy(&csv).contains("jeanne@exemple.invalid"));
        assert_eq!(
            common::audit_actions(&st, "reseau.contacts.export")
                .await
                .len(),
            1
        );
        // Nothing personal in the audit details.
        for a in common::audit_actions(&st, "reseau.contacts.modification").await {
            assert!(
                !a.details.contains("jeanne@") && !a.details.contains("Jeanne"),
                "{}",
                a.details
            );
        }

        // A message to a list, with no SMTP server: kept and exported with one signed link per person.
        let list = scalar(&st, "SELECT MIN(id) FROM network_list").await;
        let members = scalar(&st, &format!("SELECT COUNT(*) FROM network_list_member m JOIN network_contact c ON c.id = m.contact_id WHERE m.list_id = {list} AND c.email IS NOT NULL AND m.unsubscribed_at IS NULL")).await;
        let list_text = list.to_string();
        let r = c
            .post_form(
                "/reseau/relais/messages",
                &[
                    ("_csrf", &csrf),
                    ("liste", &list_text),
                    ("type", "message"),
                    ("objet", "Réunion du réseau"),
                    ("texte", "Bonjour,\nla réunion a lieu jeudi."),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "[{b}] {}", r.body);
        let message = r.location().split('?').next().unwrap().to_string();
        let page = c.get(&message).await.body;
        assert!(
            page.contains(&format!("exporté pour {members} personnes")),
            "[{b}] {page}"
        );
        let (_, _, merge) = get_bytes(&c, &format!("{message}/export.csv")).await;
        let merge = String::from_utf8(merge).unwrap();
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b';')
            .from_reader(merge.trim_start_matches('\u{feff}').as_bytes());
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        assert_eq!(
            rows.len() as i64,
            members,
            "[{b}] one line per subscribed recipient"
        );
        for row in &rows {
            assert!(
                row[3].ends_with(&format!("{}\n", &row[4])),
                "the text ends with the person's own link"
            );
        }
        let link = rows[0][4].to_string();
        let path = &link[link.find("/desinscription").unwrap()..];
        let contact: i64 = path
            .split("contact=")
            .nth(1)
            .unwrap()
            .split('&')
            .next()
            .unwrap()
            .parse()
            .unwrap();

        // The person, not logged in, confirms; a forged signature is refused.
        let mut visitor = d.server.client();
        let forged = path.replace("signature=", "signature=00");
        assert_eq!(visitor.get(&forged).await.status, 400);
        let page = visitor.get(path).await;
        assert_eq!(page.status, 200, "[{b}] {}", page.body);
        let token = page.csrf();
        let fields: Vec<(String, String)> =
            form_urlencoded::parse(path.split('?').nth(1).unwrap().as_bytes())
                .into_owned()
                .collect();
        let mut form: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        form.push(("_csrf", &token));
        let r = visitor.post_form("/desinscription", &form).await;
        assert_eq!(r.status, 200, "[{b}] {}", r.body);
        assert!(r.body.contains("désinscription est enregistrée"));
        assert!(sqlx::query_scalar::<_, Option<String>>(sqlx::AssertSqlSafe(format!(
            "SELECT unsubscribed_at FROM network_list_member WHERE list_id = {list} AND contact_id = {contact}"
        )))
        .fetch_one(st.pool())
        .await
        .unwrap()
        .is_some());
        let audit = common::audit_actions(&st, "reseau.desinscription").await;
        assert_eq!(audit.len(), 1);
        assert_eq!(audit[0].actor, "anonyme");
        // The coordination cannot put them back by adding them again: only their own request can.
        let contact_text = contact.to_string();
        let r = c
            .post_form(
                &format!("/reseau/relais/listes/{list}/membres"),
                &[("_csrf", &csrf), ("contact", &contact_text)],
            )
            .await;
        assert_eq!(r.status, 422);
        assert!(
            r.body.contains("s'est désinscrit de cette liste")
                || r.body.contains("s&#39;est désinscrit de cette liste"),
            "{}",
            r.body
        );
        assert!(sqlx::query_scalar::<_, Option<String>>(sqlx::AssertSqlSafe(format!(
            "SELECT unsubscribed_at FROM network_list_member WHERE list_id = {list} AND contact_id = {contact}"
        )))
        .fetch_one(st.pool())
        .await
        .unwrap()
        .is_some());
        // The next message leaves them out.
        let r = c
            .post_form(
                "/reseau/relais/messages",
                &[
                    ("_csrf", &csrf),
                    ("liste", &list_text),
                    ("type", "lettre"),
                    ("objet", "Lettre n° 13"),
                    ("texte", "Nouvelles du réseau."),
                ],
            )
            .await;
        let page = c.get(r.location().split('?').next().unwrap()).await.body;
        assert!(
            page.contains(&format!("exporté pour {} personnes", members - 1)),
            "[{b}] {page}"
        );
        d.server.stop().await;
    }
}

#[tokio::test]
async fn bodies_meetings_and_reminders_work_through_the_pages() {
    for d in demos().await {
        let st = d.server.store.clone();
        let b = d.server.backend;
        let mut c = d.server.client();
        let csrf = c.login_ok("coordination").await;
        let cos = scalar(&st, "SELECT id FROM network_body WHERE kind = 'cos'").await;
        let page = c.get(&format!("/reseau/instances/{cos}")).await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("Membres (17)") && page.body.contains("co-président(e)"));
        assert!(page.body.contains("tous les deux mois"));
        for sub in [
            "Logement et mobilité des étudiants",
            "Locaux pour les professionnels de santé",
            "Audit de l'offre de soins",
            "Conditions d'installation",
        ] {
            assert!(
                page.body.contains(sub) || page.body.contains(&sub.replace('\'', "&#39;")),
                "[{b}] sub-group {sub}"
            );
        }
        assert!(page.body.contains("Tableau des dossiers en cours"));
        // Overdue actions on the dashboard.
        let home = c.get("/reseau").await.body;
        assert!(home.contains("en retard de"), "[{b}] {home}");
        // A meeting: a question collected beforehand, attendance, a decision, a follow-up action.
        let when = (jiff::Zoned::now().date() + jiff::ToSpan::days(30)).to_string();
        let r = c
            .post_form(
                &format!("/reseau/instances/{cos}/reunions"),
                &[
                    ("_csrf", &csrf),
                    ("titre", "Séance extraordinaire"),
                    ("debut", &format!("{when}T18:00")),
                    ("lieu", "Mairie"),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "[{b}] {}", r.body);
        let meeting = r.location().split('?').next().unwrap().to_string();
        assert_eq!(
            c.post_form(
                &format!("{meeting}/questions"),
                &[
                    ("_csrf", &csrf),
                    ("question", "Quel calendrier pour les locaux ?"),
                    ("auteur", "CPTS")
                ]
            )
            .await
            .status,
            303
        );
        let member = scalar(
            &st,
            &format!("SELECT MIN(id) FROM network_member WHERE body_id = {cos}"),
        )
        .await;
        let field = format!("presence_{member}");
        assert_eq!(
            c.post_form(
                &format!("{meeting}/presences"),
                &[("_csrf", &csrf), (&field, "excuse")]
            )
            .await
            .status,
            303
        );
        assert_eq!(
            c.post_form(
                &format!("{meeting}/decisions"),
                &[
                    ("_csrf", &csrf),
                    ("decision", "Visiter les locaux vacants.")
                ]
            )
            .await
            .status,
            303
        );
        let page = c.get(&meeting).await.body;
        assert!(
            page.contains("Quel calendrier pour les locaux ?")
                && page.contains("Visiter les locaux vacants.")
                && page.contains("Excusé(e)")
        );
        // A meeting without its start is refused in French.
        let r = c
            .post_form(
                &format!("/reseau/instances/{cos}/reunions"),
                &[("_csrf", &csrf), ("titre", "Sans date")],
            )
            .await;
        assert_eq!(r.status, 422);
        assert!(r.body.contains("« début » est obligatoire"), "{}", r.body);
        // The élu reads bodies, cannot change them.
        let mut elu = d.server.client();
        elu.login_ok("elu").await;
        let page = elu.get(&format!("/reseau/instances/{cos}")).await;
        assert_eq!(page.status, 200);
        assert!(!page.body.contains("Ajouter un membre"));
        assert!(
            !page.body.contains("@cos.bellerive.invalid"),
            "[{b}] members' contacts are for the coordination"
        );
        let api = elu.get("/api/v1/reseau/instances").await.json();
        let cos_json = api["instances"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == cos)
            .unwrap()
            .clone();
        assert_eq!(cos_json["membres"], 17);
        assert_eq!(cos_json["co_presidents"].as_array().unwrap().len(), 2);
        let reminders = elu.get("/api/v1/reseau/rappels").await.json();
        assert!(
            reminders["actions"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["rappel"]["etat"] == "en_retard")
        );
        assert!(
            !reminders["bilans"].as_array().unwrap().is_empty(),
            "the élu reads the CLS, so its reports"
        );
        d.server.stop().await;
    }
}
