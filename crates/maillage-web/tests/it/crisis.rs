//! The crisis module over HTTP on a real server (SQLite and PostgreSQL): every read of the register audited,
//! the préfet export refused without an active alert and logged with its reason when allowed, élus seeing
//! counts and never names, a caller's whole session, a volunteer seeing only their missions, and sensitive
//! values kept out of error messages.

use crate::common;

use common::{Server, account, audit_actions};
use maillage_store::Store;
use maillage_store::accounts::Role;
use maillage_store::crisis::{self as cs, calls, cell, register, volunteers};
use maillage_store::reach::Reach;
use maillage_testkit::TestBase;
use maillage_web::Config;

fn location(r: &common::Reply) -> String {
    r.location().to_string()
}

/// A registration form posted by the CCAS.
fn person_form<'a>(
    csrf: &'a str,
    last_name: &'a str,
    birth: &'a str,
    phone: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("_csrf", csrf),
        ("nom", last_name),
        ("prenom", "Jeanne"),
        ("date_naissance", birth),
        ("adresse", "4 rue des Tilleuls, 99100 Bellerive"),
        ("telephone", phone),
        ("qualite", "age_65"),
        ("domicile", "oui"),
        ("demandeur", "personne"),
    ]
}

#[tokio::test]
async fn register_reads_are_audited_and_the_prefet_export_needs_an_alert() {
    for base in TestBase::all().await {
        let store = Store::open(&base.location).await.unwrap();
        account(&store, "agent.ccas", &[Role::Ccas]).await;
        account(&store, "maire", &[Role::Elu]).await;
        account(&store, "cellule", &[Role::Crise]).await;
        let server = Server::start_on(store.clone(), base.backend, Config::default()).await;
        let mut ccas = server.client();
        let csrf = ccas.login_ok("agent.ccas").await;

        // Registration; the person's page; the list: each read is one audit entry.
        let reads_before = audit_actions(&store, "crise.registre.lecture").await.len();
        let r = ccas
            .post_form(
                "/crise/registre",
                &person_form(&csrf, "Lefèvre-Essai", "1938-04-12", "01 99 00 12 34"),
            )
            .await;
        assert_eq!(r.status, 303, "[{}] {}", base.backend, r.body);
        let page = location(&r);
        assert!(page.starts_with("/crise/registre/"), "{page}");
        let person = ccas.get(&page).await;
        assert_eq!(person.status, 200);
        assert!(person.body.contains("Lefèvre-Essai") && person.body.contains("01 99 00 12 34"));
        let list = ccas.get("/crise/registre").await;
        assert!(list.body.contains("Lefèvre-Essai"));
        let reads = audit_actions(&store, "crise.registre.lecture").await;
        assert_eq!(
            reads.len(),
            reads_before + 2,
            "[{}] one entry per read",
            base.backend
        );
        let last = reads.last().unwrap();
        assert_eq!(last.actor, "agent.ccas");
        assert_eq!(last.target, "crise:registre");
        assert!(
            !last.details.contains("Lefèvre"),
            "no name in the audit details: {}",
            last.details
        );
        let changes = audit_actions(&store, "crise.registre.modification").await;
        assert_eq!(changes.len(), 1);
        assert!(!changes[0].details.contains("Lefèvre") && !changes[0].details.contains("1938"));

        // Without an alert, the transmission to the préfet is refused, and the refusal is logged.
        let r = ccas
            .post_form(
                "/crise/registre/transmission",
                &[
                    ("_csrf", &csrf),
                    ("motif", "Demande du préfet n° 12"),
                    ("format", "csv"),
                ],
            )
            .await;
        assert_eq!(
            r.status,
            409,
            "[{}] {}",
            base.backend,
            &r.body[..r.body.len().min(300)]
        );
        assert!(r.body.contains("Aucune alerte n"), "French reason");
        assert!(r.headers.get("content-disposition").is_none());
        let refused = audit_actions(&store, "crise.registre.export_refuse").await;
        assert_eq!(refused.len(), 1);
        assert!(refused[0].details.contains("Demande du préfet n° 12"));
        assert!(
            audit_actions(&store, "crise.registre.export_prefet")
                .await
                .is_empty()
        );
        // A reason is required.
        let r = ccas
            .post_form(
                "/crise/registre/transmission",
                &[("_csrf", &csrf), ("format", "csv")],
            )
            .await;
        assert_eq!(r.status, 422);

        // The cell raises a heatwave alert; the transmission then goes, logged with its reason.
        let mut cellule = server.client();
        let csrf_cell = cellule.login_ok("cellule").await;
        let r = cellule
            .post_form(
                "/crise/evenements",
                &[
                    ("_csrf", &csrf_cell),
                    ("type", "canicule"),
                    ("titre", "Canicule d'essai"),
                    ("niveau", "alerte"),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
        let r = ccas
            .post_form(
                "/crise/registre/transmission",
                &[
                    ("_csrf", &csrf),
                    ("motif", "Demande du préfet n° 13"),
                    ("format", "csv"),
                ],
            )
            .await;
        assert_eq!(r.status, 200, "[{}]", base.backend);
        assert!(
            r.headers["content-disposition"]
                .to_str()
                .unwrap()
                .contains("registre-personnes-vulnerables")
        );
        assert!(
            r.body.starts_with('\u{feff}'),
            "CSV for French spreadsheets"
        );
        assert!(
            r.body.contains("Lefèvre-Essai;Jeanne;12/04/1938"),
            "{}",
            r.body
        );
        let pdf = ccas
            .post_form(
                "/crise/registre/transmission",
                &[
                    ("_csrf", &csrf),
                    ("motif", "Demande du préfet n° 14"),
                    ("format", "pdf"),
                ],
            )
            .await;
        assert_eq!(pdf.status, 200);
        assert!(pdf.body.starts_with("%PDF"), "a PDF");
        let exports = audit_actions(&store, "crise.registre.export_prefet").await;
        assert_eq!(exports.len(), 2);
        assert!(
            exports[0].details.contains("Demande du préfet n° 13")
                && exports[0].details.contains("\"lignes\":1")
        );
        assert!(exports[1].details.contains("\"format\":\"pdf\""));

        // An élu sees the crisis and the counts, never the register (and reads nothing of it).
        let reads_before_elu = audit_actions(&store, "crise.registre.lecture").await.len();
        let mut maire = server.client();
        maire.login_ok("maire").await;
        assert_eq!(maire.get("/crise/registre").await.status, 403);
        assert_eq!(maire.get(&page).await.status, 403);
        let dash = maire.get("/crise").await;
        assert_eq!(dash.status, 200);
        assert!(
            dash.body.contains("inscrite")
                && dash.body.contains("au registre")
                && !dash.body.contains("Lefèvre")
        );
        let counts = maire.get("/api/v1/crise/registre/effectifs").await;
        assert_eq!(counts.status, 200);
        assert_eq!(counts.json()["total"], 1);
        assert!(!counts.body.contains("Lefèvre"));
        let report = maire.get("/crise/point-de-situation").await;
        assert_eq!(report.status, 200);
        assert!(!report.body.contains("Lefèvre"));
        assert_eq!(
            audit_actions(&store, "crise.registre.lecture").await.len(),
            reads_before_elu
        );
        server.stop().await;
    }
}

#[tokio::test]
async fn sensitive_values_stay_out_of_error_messages() {
    let base = TestBase::sqlite();
    let store = Store::open(&base.location).await.unwrap();
    account(&store, "agent.ccas", &[Role::Ccas]).await;
    let server = Server::start_on(store.clone(), base.backend, Config::default()).await;
    let mut ccas = server.client();
    let csrf = ccas.login_ok("agent.ccas").await;
    // Too young for the quality chosen: refused, said with the age and the rule, not the date of birth.
    let r = ccas
        .post_form(
            "/crise/registre",
            &person_form(&csrf, "Durand-Essai", "1971-02-03", "01 99 00 12 34"),
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body.contains("CASF"), "the rule is named");
    let alert = r
        .body
        .split("role=\"alert\"")
        .nth(1)
        .unwrap_or("")
        .split("</div>")
        .next()
        .unwrap_or("");
    assert!(
        !alert.contains("1971") && !alert.contains("Durand"),
        "{alert}"
    );
    // A malformed phone number: the field is named, the value is not repeated in the message.
    let r = ccas
        .post_form(
            "/crise/registre",
            &person_form(&csrf, "Durand-Essai", "1938-02-03", "06 appelez Paul"),
        )
        .await;
    assert_eq!(r.status, 422);
    let alert = r
        .body
        .split("role=\"alert\"")
        .nth(1)
        .unwrap_or("")
        .split("</div>")
        .next()
        .unwrap_or("");
    assert!(
        alert.contains("téléphone") && !alert.contains("appelez Paul"),
        "{alert}"
    );
    // Nothing was registered.
    assert!(
        register::list(&store, &Reach::everything())
            .await
            .unwrap()
            .is_empty()
    );
    server.stop().await;
}

#[tokio::test]
async fn a_callers_session_from_the_next_person_to_the_escalation() {
    for base in TestBase::all().await {
        let store = common::demo_store(&base).await;
        // The demonstration campaign's callers include `ccas`.
        account(&store, "ccas", &[Role::Ccas]).await;
        account(&store, "benevole", &[Role::Benevole]).await;
        account(&store, "autre.benevole", &[Role::Benevole]).await;
        let server = Server::start_on(store.clone(), base.backend, Config::default()).await;
        let mut ccas = server.client();
        let csrf = ccas.login_ok("ccas").await;
        let campaign = calls::campaigns(&store, &Reach::everything())
            .await
            .unwrap()[0]
            .id;
        let before = calls::progress(
            &store,
            &Reach::everything(),
            campaign,
            jiff::Timestamp::now(),
        )
        .await
        .unwrap();
        assert!(
            before.total >= 190,
            "about 200 people in the demonstration: {before:?}"
        );

        let r = ccas
            .post_form(
                &format!("/crise/appels/{campaign}/suivant"),
                &[("_csrf", &csrf)],
            )
            .await;
        assert_eq!(r.status, 303);
        let call_page = location(&r);
        assert!(call_page.contains("/appel/"), "{call_page}");
        let page = ccas.get(call_page.split('?').next().unwrap()).await;
        assert_eq!(page.status, 200);
        assert!(
            page.body.contains("href=\"tel:"),
            "the number can be dialled from the phone"
        );
        assert!(page.body.contains("name=\"resultat\" value=\"urgence\""));
        let call_url = call_page.split('?').next().unwrap().to_string();
        let call_id: i64 = call_url.rsplit('/').next().unwrap().parse().unwrap();
        // Taking "next" again gives the same person back while it is held.
        let again = ccas
            .post_form(
                &format!("/crise/appels/{campaign}/suivant"),
                &[("_csrf", &csrf)],
            )
            .await;
        assert_eq!(location(&again).split('?').next().unwrap(), call_url);
        // An emergency needs a note; with it, the call ends and an escalation to the emergency services opens.
        let r = ccas
            .post_form(&call_url, &[("_csrf", &csrf), ("resultat", "urgence")])
            .await;
        assert_eq!(r.status, 422);
        let r = ccas
            .post_form(
                &call_url,
                &[
                    ("_csrf", &csrf),
                    ("resultat", "urgence"),
                    ("note", "Ne répond plus de façon cohérente."),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "{}", r.body);
        let view = calls::call(&store, &Reach::everything(), call_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(maillage_crisis::Coded::code(view.status), "urgence");
        let esc = calls::escalations(&store, &Reach::everything(), Some(campaign))
            .await
            .unwrap();
        assert!(
            esc.iter()
                .any(|e| e.call_id == call_id && maillage_crisis::Coded::code(e.kind) == "secours")
        );
        let recorded = audit_actions(&store, "crise.appels.resultat").await;
        let last = recorded.last().unwrap();
        assert_eq!(last.target, format!("appel:{call_id}"));
        assert!(
            !last.details.contains("cohérente"),
            "the note stays out of the audit log: {}",
            last.details
        );
        // The outcome is counted in the live progress the page polls.
        let progress = ccas.get("/api/v1/crise/appels").await.json();
        let c = progress["campagnes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == campaign)
            .unwrap();
        assert_eq!(
            c["progression"]["urgence"].as_u64().unwrap(),
            before.urgence + 1
        );
        // The call can no longer be recorded twice.
        let r = ccas
            .post_form(&call_url, &[("_csrf", &csrf), ("resultat", "joint")])
            .await;
        assert_eq!(r.status, 422);

        // The volunteer of the demonstration sees their missions, and only theirs.
        let mut benevole = server.client();
        let csrf_b = benevole.login_ok("benevole").await;
        let missions = benevole.get("/mes-missions").await;
        assert_eq!(missions.status, 200);
        let mine = volunteers::missions_of(&store, "benevole", jiff::Timestamp::now(), 7)
            .await
            .unwrap();
        assert!(
            mine.len() >= 4,
            "the demonstration volunteer has missions: {}",
            mine.len()
        );
        for m in &mine {
            assert!(missions.body.contains(&m.beneficiary));
        }
        let all = volunteers::requests(&store, &Reach::everything())
            .await
            .unwrap();
        let others: Vec<_> = all
            .iter()
            .filter(|r| !mine.iter().any(|m| m.id == r.id))
            .collect();
        for r in &others {
            assert!(
                !missions.body.contains(&r.address),
                "another request's address is shown"
            );
        }
        assert_eq!(benevole.get("/crise/registre").await.status, 403);
        assert_eq!(benevole.get("/crise").await.status, 403);
        // Completing someone else's request: as if it did not exist, and nothing changes.
        let foreign = others
            .iter()
            .find(|r| r.status.is_open())
            .expect("an open request of someone else");
        let r = benevole
            .post_form(
                &format!("/mes-missions/{}", foreign.id),
                &[("_csrf", &csrf_b), ("fait", "oui")],
            )
            .await;
        assert_eq!(r.status, 404);
        assert_eq!(
            volunteers::request(&store, &Reach::everything(), foreign.id)
                .await
                .unwrap()
                .unwrap()
                .status,
            foreign.status
        );
        // Their own: done.
        let own = mine.iter().find(|m| m.status.is_open()).unwrap();
        let r = benevole
            .post_form(
                &format!("/mes-missions/{}", own.id),
                &[("_csrf", &csrf_b), ("fait", "oui"), ("note", "Livré.")],
            )
            .await;
        assert_eq!(r.status, 303);
        assert!(
            !volunteers::request(&store, &Reach::everything(), own.id)
                .await
                .unwrap()
                .unwrap()
                .status
                .is_open()
        );
        // A volunteer account linked to no volunteer sees none.
        let mut other = server.client();
        other.login_ok("autre.benevole").await;
        let page = other.get("/mes-missions").await;
        assert!(page.body.contains("n'est relié à aucune fiche"));
        assert!(!mine.iter().any(|m| page.body.contains(&m.beneficiary)));
        server.stop().await;
    }
}

#[tokio::test]
async fn the_public_continuity_page_needs_no_login_and_shows_no_one() {
    let base = TestBase::sqlite();
    let store = common::demo_store(&base).await;
    let server = Server::start_on(store.clone(), base.backend, Config::default()).await;
    let mut visitor = server.client();
    let r = visitor.get("/continuite").await;
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Salle rafraîchie") && r.body.contains("Fermé"));
    assert!(r.body.contains("Canicule"), "the alert in force is shown");
    let first = register::list(&store, &Reach::everything())
        .await
        .unwrap()
        .remove(0);
    assert!(!r.body.contains(&first.address));
    // The demonstration has a heatwave alert: an active alert, levels in the main courante.
    let alert = cell::active_alert(&store, &Reach::everything())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(maillage_crisis::Coded::code(alert.level), "alerte");
    let log = cell::log(&store, &Reach::everything(), None, 100)
        .await
        .unwrap();
    assert!(log.iter().any(
        |e| e.author.as_deref() == Some("ARS, délégation départementale")
            && maillage_crisis::Coded::code(e.kind) == "recommandation"
    ));
    assert!(
        log.iter()
            .any(|e| e.author.as_deref() == Some("Mme la Maire")
                && maillage_crisis::Coded::code(e.kind) == "fermeture")
    );
    // The main courante cannot be rewritten.
    let rewrite = sqlx::query("UPDATE crisis_log SET text = 'autre chose' WHERE id = 1")
        .execute(store.pool())
        .await;
    assert!(rewrite.is_err(), "the main courante is append-only");
    let _ = cs::today(jiff::Timestamp::now());
    server.stop().await;
}

/// A change naming a row that no longer exists (here an article removed since the form was shown) shows the
/// form again saying which, and writes nothing.
#[tokio::test]
async fn a_change_naming_a_vanished_row_is_refused_with_the_form() {
    for base in TestBase::all().await {
        let store = Store::open(&base.location).await.unwrap();
        account(&store, "cellule", &[Role::Crise]).await;
        let server = Server::start_on(store.clone(), base.backend, Config::default()).await;
        let mut cellule = server.client();
        let csrf = cellule.login_ok("cellule").await;
        let r = cellule
            .post_form(
                "/crise/stocks/distributions",
                &[
                    ("_csrf", &csrf),
                    ("article", "999999"),
                    ("destinataires", "pharmacie"),
                    ("destinataire", "Pharmacie du Marché"),
                    ("quantite", "3"),
                ],
            )
            .await;
        assert_eq!(r.status, 422, "[{}] {}", base.backend, r.body);
        assert!(
            r.body.contains("Article n° 999999 introuvable."),
            "[{}] the form says which row is missing: {}",
            base.backend,
            r.body
        );
        assert!(
            r.body.contains("<title>Stocks et distributions"),
            "the stock page again"
        );
        let movements: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM crisis_stock_movement")
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(movements, 0, "[{}] nothing written", base.backend);
        server.stop().await;
    }
}
