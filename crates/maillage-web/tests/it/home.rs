//! Reaching what Maillage does (issue 13): the public home at `/` and the public indicators (aggregated, under
//! statistical secrecy, nothing personal), a home per role (the mayor's during the demonstration's heatwave
//! alert: the alert and the figures to watch; everyone's: what is due, then their modules), a download link for
//! every export and the PDF report on the observatory's pages (each answering the role that sees the link, and
//! refused to a role without it), the icon, unique SVG ids, the absolute agenda address, the CLS's
//! "Nouvelle fiche action" at the top. On the demonstration town, SQLite.

use crate::common;

use common::{Client, Server, demo_server, get_bytes, one_account_per_role};
use maillage_indicators::{Indicator, PROFESSIONS};
use maillage_store::accounts::Role;
use maillage_testkit::TestBase;
use maillage_web::pages::observatory::shown;
use maillage_web::scope::Scope;
use std::collections::{BTreeMap, BTreeSet};

const TOWN: &str = maillage_demo::model::COMMUNE_CODE;

async fn signed_in(server: &Server, role: Role) -> Client {
    let mut c = server.client();
    c.login_ok(role.as_str()).await;
    c
}

/// Every `href` of a page, as written (entities decoded for `&amp;`).
fn links(body: &str) -> Vec<String> {
    body.split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(|s| s.replace("&amp;", "&"))
        .collect()
}

/// The text of a table row's cells, for the row headed `label`, inside the part of `body` starting at `from`
/// and ending at the next `<section`.
fn row_cells(body: &str, from: &str, label: &str) -> Vec<String> {
    let start = body
        .find(from)
        .unwrap_or_else(|| panic!("{from} on the page"));
    let part = &body[start..];
    let part = &part[..part[1..].find("<section").map_or(part.len(), |e| e + 1)];
    let row = part
        .split("<tr>")
        .find(|r| r.contains(&format!(">{label}</th>")))
        .unwrap_or_else(|| panic!("row {label} in {from}"));
    row.split("<td")
        .skip(1)
        .map(|c| {
            let inner = &c[c.find('>').unwrap() + 1..];
            inner[..inner.find("</td>").unwrap()].to_string()
        })
        .collect()
}

/// The download links among pages: exports and PDF reports.
fn downloads(bodies: &[String]) -> BTreeSet<String> {
    bodies
        .iter()
        .flat_map(|b| links(b))
        .filter(|h| h.starts_with("/observatoire/export/") || h.contains(".pdf"))
        .collect()
}

#[tokio::test]
async fn a_visitor_finds_the_useful_addresses_the_open_services_and_the_public_indicators() {
    let base = TestBase::sqlite();
    let server = demo_server(&base).await;
    let mut visitor = server.client();
    let home = visitor.get("/").await;
    assert_eq!(home.status, 200, "{}", home.body);
    let hrefs = links(&home.body);
    for wanted in ["/annuaire", "/continuite", "/indicateurs", "/connexion"] {
        assert!(
            hrefs.iter().any(|h| h == wanted),
            "{wanted} linked from the public home"
        );
    }
    assert!(
        home.body.contains("action=\"/annuaire\""),
        "a directory search"
    );
    // The demonstration's heatwave: the alert, and the services the town keeps open.
    assert!(home.body.contains("Alerte en cours"), "{}", home.body);
    assert!(home.body.contains("Services ouverts pendant une crise"));
    assert!(home.body.contains("À propos de cette installation"));
    assert!(!home.body.contains("Bonjour"), "nobody is greeted");
    // The icon is in every page, and served to those who ask for it.
    assert!(
        home.body
            .contains("rel=\"icon\" type=\"image/svg+xml\" href=\"data:image/svg+xml,")
    );
    let (status, headers, icon) = get_bytes(&visitor, "/favicon.ico").await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], "image/vnd.microsoft.icon");
    assert_eq!(&icon[..4], &[0, 0, 1, 0], "an ICO file");

    let page = visitor.get("/indicateurs").await;
    assert_eq!(page.status, 200, "{}", page.body);
    // Each count of the town as the partner's suppression gives it: the same table, under the same secrecy.
    let threshold = 5;
    let everyone = Scope {
        all: true,
        communes: BTreeSet::new(),
    };
    let public = maillage_web::data::indicator_rows_in(&server.store, &everyone, Some(threshold))
        .await
        .unwrap();
    let fine = maillage_web::data::indicator_rows_in(&server.store, &everyone, None)
        .await
        .unwrap();
    let find = |rows: &[maillage_indicators::IndicatorRow], p: &str| {
        rows.iter()
            .find(|r| {
                r.indicator == Indicator::Count
                    && r.zone_kind == "commune"
                    && r.zone_code == TOWN
                    && r.profession == p
            })
            .cloned()
    };
    let mut hidden = 0;
    for p in PROFESSIONS {
        let cells = row_cells(&page.body, &format!("id=\"commune-{TOWN}\""), p.label);
        let expected = shown(find(&public, p.code).as_ref(), 0, Some(threshold));
        assert_eq!(
            cells[1].replace("&lt;", "<"),
            expected,
            "{}: the count as under secrecy",
            p.label
        );
        if expected.starts_with('<') || expected == "secret" {
            hidden += 1;
            let value = find(&fine, p.code).and_then(|r| r.value).unwrap_or(0.0);
            assert!(
                !cells[1].contains(&format!(">{value}<")),
                "{}: the hidden count is not shown",
                p.label
            );
        }
    }
    assert!(
        hidden > 0,
        "the demonstration town has small counts, hidden here"
    );
    // Nothing personal: no professional's name.
    let practitioners = maillage_store::supply::practitioners(&server.store)
        .await
        .unwrap();
    assert!(!practitioners.is_empty());
    for p in &practitioners {
        if let Some(first) = &p.first_name {
            let name = format!("{first} {}", p.last_name);
            assert!(!page.body.contains(&name), "{name} on the public page");
            assert!(!home.body.contains(&name), "{name} on the public home");
        }
    }
}

#[tokio::test]
async fn each_role_lands_on_its_home_the_mayor_sees_the_alert_and_the_figures_to_watch() {
    let base = TestBase::sqlite();
    let server = demo_server(&base).await;
    one_account_per_role(&server.store).await;
    let mut homes = BTreeMap::new();
    for &role in Role::ALL {
        let mut c = signed_in(&server, role).await;
        let home = c.get("/").await;
        assert_eq!(home.status, 200, "{role:?}");
        assert!(home.body.contains("Vos modules"), "{role:?}");
        assert!(home.body.contains("À faire"), "{role:?}");
        homes.insert(role, home.body);
    }
    let elu = &homes[&Role::Elu];
    for wanted in [
        "Alerte en cours",
        "Chiffres à suivre",
        "d'appels terminés",
        "de stock",
        "cas pour 100 000 habitants sur 7 jours",
        "de réalisation des fiches actions",
        "médecins généralistes pour 10 000 habitants",
        "href=\"/crise\"",
    ] {
        assert!(
            elu.contains(wanted),
            "the mayor's home shows « {wanted} »: {elu}"
        );
    }
    // The alert comes before everything else of the page's content.
    assert!(elu.find("Alerte en cours").unwrap() < elu.find("Chiffres à suivre").unwrap());
    // What is due, for those who do it.
    let ccas = &homes[&Role::Ccas];
    assert!(ccas.contains("appels restants"), "{ccas}");
    let coordination = &homes[&Role::Coordination];
    assert!(coordination.contains("actions de suivi") || coordination.contains("action de suivi"));
    let volunteer = &homes[&Role::Benevole];
    assert!(volunteer.contains("href=\"/mes-missions\""), "{volunteer}");
    assert!(
        !volunteer.contains("Alerte en cours"),
        "a volunteer reads no crisis level"
    );
    assert!(!volunteer.contains("Chiffres à suivre"));
    // A partner: aggregated figures (CLS, indicators under secrecy), nothing of the crisis.
    let partner = &homes[&Role::Partenaire];
    assert!(partner.contains("de réalisation des fiches actions"));
    assert!(!partner.contains("href=\"/crise"), "{partner}");
    for role in [Role::Dpo, Role::Admin] {
        assert!(!homes[&role].contains("Chiffres à suivre"), "{role:?}");
    }
}

#[tokio::test]
async fn every_export_and_the_report_are_linked_from_the_pages_that_show_them() {
    let base = TestBase::sqlite();
    let server = demo_server(&base).await;
    one_account_per_role(&server.store).await;
    let quartier = maillage_store::zones::list(&server.store)
        .await
        .unwrap()
        .into_iter()
        .find(|z| z.kind == maillage_store::zones::ZoneKind::Quartier)
        .expect("the demonstration has quartiers")
        .code;
    let pages = [
        "/observatoire".to_string(),
        "/observatoire/carte".into(),
        "/observatoire/qpv".into(),
        format!("/observatoire/zones/commune/{TOWN}"),
        format!("/observatoire/zones/quartier/{quartier}"),
        "/observatoire/imports/historique".into(),
    ];
    // The observatory team holds every dataset: every export is linked, and each answers a file.
    let mut obs = signed_in(&server, Role::Observatoire).await;
    let mut bodies = Vec::new();
    for p in &pages {
        let r = obs.get(p).await;
        assert_eq!(r.status, 200, "{p}");
        bodies.push(r.body);
    }
    let linked = downloads(&bodies);
    for dataset in ["indicateurs", "zones", "professionnels", "imports"] {
        let formats: &[&str] = if dataset == "zones" {
            &["csv", "xlsx", "geojson", "gpkg"]
        } else {
            &["csv", "xlsx"]
        };
        for f in formats {
            let path = format!("/observatoire/export/{dataset}.{f}");
            assert!(
                linked
                    .iter()
                    .any(|l| l.split('?').next() == Some(path.as_str())),
                "{path} linked: {linked:?}"
            );
        }
    }
    for pdf in [
        format!("/observatoire/rapport/commune/{TOWN}.pdf?telechargement=1"),
        format!("/observatoire/rapport/quartier/{quartier}.pdf?telechargement=1"),
    ] {
        assert!(linked.contains(&pdf), "{pdf} linked: {linked:?}");
    }
    assert!(bodies[4].contains("Télécharger le tableau de bord (PDF)"));
    for link in &linked {
        let (status, headers, bytes) = get_bytes(&obs, link).await;
        assert_eq!(status, 200, "{link}");
        let disposition = headers["content-disposition"].to_str().unwrap();
        assert!(
            disposition.starts_with("attachment; filename="),
            "{link}: {disposition}"
        );
        assert!(!bytes.is_empty(), "{link}");
    }
    // A partner sees the pages, not the names nor the import history: no link to them, and refused.
    let mut partner = signed_in(&server, Role::Partenaire).await;
    let mut bodies = Vec::new();
    for p in &pages[..5] {
        let r = partner.get(p).await;
        assert_eq!(r.status, 200, "{p}");
        bodies.push(r.body);
    }
    let linked = downloads(&bodies);
    assert!(
        linked
            .iter()
            .any(|l| l.starts_with("/observatoire/export/indicateurs.csv"))
    );
    for refused in ["professionnels", "imports"] {
        assert!(
            !linked.iter().any(|l| l.contains(refused)),
            "no {refused} link for a partner"
        );
        let (status, _, _) =
            get_bytes(&partner, &format!("/observatoire/export/{refused}.csv")).await;
        assert_eq!(status, 403, "{refused}");
    }
    for link in &linked {
        assert_eq!(get_bytes(&partner, link).await.0, 200, "{link}");
    }
    // A volunteer sees none of it, and may download none of it.
    let volunteer = signed_in(&server, Role::Benevole).await;
    assert_eq!(
        get_bytes(&volunteer, "/observatoire/export/indicateurs.csv")
            .await
            .0,
        403
    );
}

#[tokio::test]
async fn the_report_page_has_unique_ids_and_the_agenda_address_is_absolute() {
    let base = TestBase::sqlite();
    let server = demo_server(&base).await;
    one_account_per_role(&server.store).await;
    let mut obs = signed_in(&server, Role::Observatoire).await;
    let report = obs
        .get(&format!("/observatoire/rapport/commune/{TOWN}"))
        .await;
    assert_eq!(report.status, 200);
    let ids: Vec<&str> = report
        .body
        .split(" id=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    assert!(ids.len() > 3, "{ids:?}");
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "duplicate ids: {ids:?}");
    assert!(report.body.matches("<svg").count() >= 2);

    let mut coordination = signed_in(&server, Role::Coordination).await;
    let network = coordination.get("/reseau").await;
    assert_eq!(network.status, 200);
    let absolute = format!("value=\"http://{}/agenda/", server.addr);
    assert!(network.body.contains(&absolute), "{}", network.body);
    assert!(network.body.contains("data-copier=\"adresse-agenda\""));
    assert!(network.body.contains("src=\"/static/copier.js\""));
    // The address answers the calendar.
    let start = network.body.find(&absolute).unwrap() + "value=\"".len();
    let address = network.body[start..].split('"').next().unwrap();
    let path = address.trim_start_matches(&format!("http://{}", server.addr));
    let mut anyone = server.client();
    let feed = anyone.get(path).await;
    assert_eq!(feed.status, 200);
    assert!(feed.body.starts_with("BEGIN:VCALENDAR"));

    // The CLS: a new fiche action from the top of the page, not 52 tabs down.
    let cls = coordination.get("/cls").await;
    let first = links(&cls.body)
        .into_iter()
        .find(|h| h.starts_with("/cls/") && h[5..].chars().all(|c| c.is_ascii_digit()))
        .expect("a contract");
    let page = coordination.get(&first).await;
    let button = page
        .body
        .find("href=\"#nouvelle-fiche\"")
        .expect("the button");
    assert!(button < page.body.find("Génération").unwrap(), "at the top");
    assert!(page.body.contains("id=\"nouvelle-fiche\""));
}
