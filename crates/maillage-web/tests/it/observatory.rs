//! The observatory in the browser, over HTTP on a real server with the demonstration town, on SQLite and
//! PostgreSQL: the map's GeoJSON (values, classes, legend) agrees with the indicators API, secrecy and names
//! follow the roles, scope cuts everything to the account's communes, the pages show figures with their
//! sources and limits, and official files uploaded from the browser are imported in the background with their
//! provenance.

use crate::common;
use common::{Client, Server, account, audit_actions, demo_server, multipart};
use maillage_store::Store;
use maillage_store::accounts::Role;
use maillage_testkit::TestBase;
use maillage_web::Config;
use maillage_web::audit::Actor;
use maillage_web::users::{self, UserForm};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};

fn features(v: &Value) -> &Vec<Value> {
    v["features"]
        .as_array()
        .unwrap_or_else(|| panic!("a FeatureCollection: {v}"))
}

/// Values of an indicator by zone code, from the indicators API (the reference the map must agree with).
async fn indicator_values(c: &mut Client, query: &str) -> BTreeMap<String, (Option<f64>, bool)> {
    let body = c.get(&format!("/api/v1/indicateurs?{query}")).await.json();
    body["lignes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["code_zone"].as_str().unwrap().to_string(),
                (l["valeur"].as_f64(), l["secret"] == true),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_map_geojson_has_the_indicators_values_in_classes_with_their_legend() {
    for base in TestBase::all().await {
        let server = demo_server(&base).await;
        account(&server.store, "observatoire", &[Role::Observatoire]).await;
        let mut c = server.client();
        c.login_ok("observatoire").await;
        let expected = indicator_values(
            &mut c,
            "type_zone=iris&profession=infirmier&indicateur=densite_10000",
        )
        .await;
        for method in ["quantiles", "jenks"] {
            let r = c
                .get(&format!(
                    "/api/v1/geo/zones?type=iris&profession=infirmier&indicateur=densite_10000&classes={method}&nombre=4"
                ))
                .await;
            assert_eq!(r.status, 200, "[{}] {}", server.backend, r.body);
            let body = r.json();
            assert_eq!(body["type"], "FeatureCollection");
            assert_eq!(body["secret_statistique"], false);
            let legend = body["legende"].as_array().unwrap();
            assert!(
                !legend.is_empty() && legend.len() <= 4,
                "[{}] {method}: {legend:?}",
                server.backend
            );
            let list = features(&body);
            assert_eq!(
                list.len(),
                expected.len(),
                "[{}] one feature per IRIS",
                server.backend
            );
            let mut per_class = vec![0u64; legend.len()];
            for f in list {
                let p = &f["properties"];
                let code = p["code"].as_str().unwrap();
                assert!(
                    matches!(
                        f["geometry"]["type"].as_str(),
                        Some("Polygon" | "MultiPolygon")
                    ),
                    "a contour for {code}"
                );
                let (value, _) = expected[code];
                assert_eq!(
                    p["valeur"].as_f64(),
                    value,
                    "[{}] {code}: same value as the indicators API",
                    server.backend
                );
                let class = p["classe"]
                    .as_u64()
                    .expect("every IRIS of the demo has a density")
                    as usize;
                let l = &legend[class - 1];
                let v = value.unwrap();
                assert!(
                    l["min"].as_f64().unwrap() <= v && v <= l["max"].as_f64().unwrap(),
                    "{code}: {v} within class {class} {l}"
                );
                assert!(p["centre"].as_array().is_some_and(|c| c.len() == 2));
                assert!(
                    p["lien"]
                        .as_str()
                        .unwrap()
                        .starts_with("/observatoire/zones/iris/")
                );
                per_class[class - 1] += 1;
            }
            let counted: Vec<u64> = legend
                .iter()
                .map(|l| l["zones"].as_u64().unwrap())
                .collect();
            assert_eq!(
                per_class, counted,
                "[{}] the legend counts the zones of each class",
                server.backend
            );
            // Classes are ordered and every class says its bounds in words.
            for w in legend.windows(2) {
                assert!(w[0]["max"].as_f64() <= w[1]["min"].as_f64());
            }
            assert!(legend.iter().all(|l| {
                l["libelle"]
                    .as_str()
                    .is_some_and(|s| s.contains(" à ") || !s.is_empty())
            }));
        }
        // Outlines only: QPV without an indicator.
        let qpv = c.get("/api/v1/geo/zones?type=qpv").await.json();
        assert_eq!(features(&qpv).len(), 2, "the demo town has two QPV");
        assert!(qpv.get("legende").is_none());
        // Accessibility computed for the demo is on the map too, by IRIS.
        let access = c.get("/api/v1/geo/zones?type=iris&profession=medecin_generaliste&indicateur=accessibilite").await.json();
        assert!(
            features(&access)
                .iter()
                .filter(|f| f["properties"]["valeur"].is_number())
                .count()
                > 0,
            "[{}] accessibility values: {}",
            server.backend,
            access["provenance"]
        );
        // The map says which method and weights made the values, as stored with the run.
        let provenance = access["provenance"].as_str().unwrap_or_default();
        assert!(
            provenance.contains(
                "E2SFCA (poids par paliers), paliers ≤ 10 : 1 ; ≤ 15 : 0,667 ; ≤ 20 : 0,333"
            ),
            "[{}] {provenance}",
            server.backend
        );
        // Values carry their unit, and no DREES APL being imported in the demonstration, the map says so and how
        // to get one.
        assert_eq!(access["unite"], "professionnels pour 100 000 habitants");
        assert!(
            provenance.contains("Aucune APL de la DREES n'est importée")
                && provenance.contains("maillage import apl-drees"),
            "[{}] {provenance}",
            server.backend
        );
        let drees = c.get("/api/v1/geo/zones?type=commune&profession=medecin_generaliste&indicateur=apl_drees").await.json();
        assert!(
            drees["provenance"]
                .as_str()
                .unwrap_or_default()
                .contains("Aucune APL de la DREES n'est importée"),
            "{}",
            drees["provenance"]
        );
        // Wrong parameters are explained in French.
        for (query, word) in [
            ("type=ilot", "Type de zone inconnu"),
            ("indicateur=bonheur", "Indicateur inconnu"),
            ("indicateur=effectif&classes=egales", "quantiles ou jenks"),
            ("indicateur=effectif&nombre=12", "entre 2 et 7"),
            (
                "indicateur=effectif&profession=sorcier",
                "Profession inconnue",
            ),
        ] {
            let r = c.get(&format!("/api/v1/geo/zones?{query}")).await;
            assert_eq!(r.status, 400, "{query}");
            assert!(
                r.json()["erreur"].as_str().unwrap().contains(word),
                "{query}: {}",
                r.body
            );
        }
        server.stop().await;
    }
}

#[tokio::test]
async fn names_on_the_map_follow_the_roles_and_partners_get_secrecy() {
    for base in TestBase::all().await {
        let server = demo_server(&base).await;
        account(&server.store, "observatoire", &[Role::Observatoire]).await;
        account(&server.store, "elu", &[Role::Elu]).await;
        account(&server.store, "partenaire", &[Role::Partenaire]).await;

        // Allowed to list professionals: names, and the listing is audited.
        let mut obs = server.client();
        obs.login_ok("observatoire").await;
        let before = audit_actions(&server.store, "professionnels.liste")
            .await
            .len();
        let named = obs
            .get("/api/v1/geo/professionnels?profession=medecin_generaliste")
            .await
            .json();
        assert_eq!(named["mode"], "noms");
        let sites = features(&named);
        assert!(!sites.is_empty());
        assert!(sites.iter().all(|f| {
            f["properties"]["professionnels"]
                .as_array()
                .is_some_and(|l| !l.is_empty())
        }));
        let listed = audit_actions(&server.store, "professionnels.liste").await;
        assert_eq!(
            listed.len(),
            before + 1,
            "[{}] the named listing is audited",
            server.backend
        );
        assert_eq!(
            listed.last().unwrap().target,
            "api:/api/v1/geo/professionnels"
        );
        let total_named: u64 = sites
            .iter()
            .map(|f| f["properties"]["effectif"].as_u64().unwrap())
            .sum();

        // An elected official sees fine figures but no names: counts by site, no name, no site name.
        let mut elu = server.client();
        elu.login_ok("elu").await;
        let counts = elu
            .get("/api/v1/geo/professionnels?profession=medecin_generaliste")
            .await;
        let body = counts.json();
        assert_eq!(body["mode"], "effectifs");
        assert!(!counts.body.contains("\"professionnels\"") && !counts.body.contains("\"lieu\""));
        let total: u64 = features(&body)
            .iter()
            .map(|f| f["properties"]["effectif"].as_u64().unwrap())
            .sum();
        assert_eq!(
            total, total_named,
            "same sites, same headcount, without the names"
        );
        assert_eq!(
            audit_actions(&server.store, "professionnels.liste")
                .await
                .len(),
            before + 1
        );

        // A partner: counts by zone, small ones hidden, never names.
        let mut partner = server.client();
        partner.login_ok("partenaire").await;
        let agg = partner
            .get("/api/v1/geo/professionnels?profession=pediatre")
            .await;
        let body = agg.json();
        assert_eq!(
            (body["mode"].as_str(), body["secret_statistique"].as_bool()),
            (Some("agrege"), Some(true))
        );
        assert!(!agg.body.contains("\"professionnels\""));
        for f in features(&body) {
            let p = &f["properties"];
            assert!(
                p["effectif"].as_f64().is_none_or(|v| v == 0.0 || v >= 5.0),
                "{p}"
            );
            if p["secret"] == true {
                assert!(
                    p["affichage"] == "< 5" || p["affichage"] == "secret",
                    "a hidden count reads « < 5 » or « secret », never a number: {p}"
                );
            }
        }
        // The partner's choropleth of counts hides small ones, whatever is asked.
        let zones = partner
            .get("/api/v1/geo/zones?type=iris&profession=pediatre&indicateur=effectif&diffusion=0")
            .await
            .json();
        assert_eq!(zones["secret_statistique"], true);
        let list = features(&zones);
        assert!(
            list.iter().any(|f| f["properties"]["secret"] == true),
            "[{}] the demo has small counts",
            server.backend
        );
        for f in list {
            let p = &f["properties"];
            assert!(
                p["valeur"].as_f64().is_none_or(|v| v == 0.0 || v >= 5.0),
                "{p}"
            );
            if p["secret"] == true {
                assert!(p["classe"].is_null() && p["valeur"].is_null());
            }
        }
        // A hidden density reads « secret »: it is not below 5.
        let densities = partner
            .get("/api/v1/geo/zones?type=iris&profession=medecin_generaliste&indicateur=densite_10000")
            .await
            .json();
        let hidden: Vec<&Value> = features(&densities)
            .iter()
            .filter(|f| f["properties"]["secret"] == true)
            .collect();
        assert!(!hidden.is_empty(), "[{}]", server.backend);
        assert!(
            hidden
                .iter()
                .all(|f| f["properties"]["affichage"] == "secret"),
            "{hidden:?}"
        );
        // Establishments are public data: the same for everyone who sees the observatory.
        let e1 = obs.get("/api/v1/geo/etablissements").await.json();
        let e2 = partner.get("/api/v1/geo/etablissements").await.json();
        assert!(!features(&e1).is_empty());
        assert_eq!(features(&e1), features(&e2));
        let pharmacies = obs
            .get("/api/v1/geo/etablissements?categorie=620")
            .await
            .json();
        assert!(
            features(&pharmacies)
                .iter()
                .all(|f| f["properties"]["categorie"] == "620")
        );
        assert!(features(&pharmacies).len() < features(&e1).len());
        server.stop().await;
    }
}

#[tokio::test]
async fn the_map_is_cut_to_the_accounts_communes() {
    for base in TestBase::all().await {
        let server = demo_server(&base).await;
        account(&server.store, "observatoire", &[Role::Observatoire]).await;
        // An account limited to a neighbouring commune (in the buffer, not the territory served).
        let form = UserForm {
            identifier: "voisin".into(),
            display_name: "Compte voisin".into(),
            password: common::PASSWORD.into(),
            roles: BTreeSet::from([Role::Observatoire]),
            territories: BTreeSet::from(["99102".to_string()]),
            all_territories: false,
        };
        users::create(&server.store, &Actor::command_line(), &form)
            .await
            .unwrap();
        let mut all = server.client();
        all.login_ok("observatoire").await;
        let mut neighbour = server.client();
        neighbour.login_ok("voisin").await;
        for path in [
            "/api/v1/geo/zones?type=iris&indicateur=effectif",
            "/api/v1/geo/zones?type=qpv",
            "/api/v1/geo/professionnels",
            "/api/v1/geo/etablissements",
            "/api/v1/geo/isochrones",
        ] {
            let full = all.get(path).await.json();
            let cut = neighbour.get(path).await.json();
            assert!(
                !features(&full).is_empty(),
                "[{}] {path} has data for the whole territory",
                server.backend
            );
            assert!(
                features(&cut).is_empty(),
                "[{}] {path} shows nothing outside the account's communes",
                server.backend
            );
        }
        // The isochrones of the demo carry their label, time and covered population.
        let iso = all.get("/api/v1/geo/isochrones").await.json();
        for f in features(&iso) {
            let p = &f["properties"];
            assert!(p["minutes"].as_i64().is_some_and(|m| m > 0) && p["libelle"].is_string());
            assert!(
                matches!(
                    f["geometry"]["type"].as_str(),
                    Some("Polygon" | "MultiPolygon")
                ),
                "{}",
                f["geometry"]
            );
        }
        // Zone pages outside the account's communes do not exist for it.
        assert_eq!(
            neighbour
                .get("/observatoire/zones/commune/99101")
                .await
                .status,
            404
        );
        assert_eq!(
            all.get("/observatoire/zones/commune/99101").await.status,
            200
        );
        assert_eq!(
            all.get("/observatoire/zones/commune/99102").await.status,
            404,
            "the buffer is not reported"
        );
        assert_eq!(
            all.get("/observatoire/zones/planete/terre").await.status,
            404
        );
        server.stop().await;
    }
}

#[tokio::test]
async fn the_pages_show_figures_charts_sources_and_limits() {
    let base = TestBase::sqlite();
    let server = demo_server(&base).await;
    account(&server.store, "observatoire", &[Role::Observatoire]).await;
    account(&server.store, "partenaire", &[Role::Partenaire]).await;
    let mut c = server.client();
    c.login_ok("observatoire").await;

    let home = c.get("/observatoire").await;
    assert_eq!(home.status, 200);
    for expected in [
        "Médecins généralistes : âge et départs",
        "Densité dans les QPV",
        "Accessibilité (E2SFCA)",
        "Derniers imports",
        "Territoire de démonstration (fictif)",
        "Limites des données",
        "Données fictives : ",
        "role=\"img\"",
        "href=\"/observatoire/imports\"",
    ] {
        assert!(
            home.body.contains(expected),
            "dashboard: {expected} missing"
        );
    }

    let map = c.get("/observatoire/carte?type=iris&profession=infirmier&indicateur=densite_10000&classes=jenks&nombre=3").await;
    assert_eq!(map.status, 200);
    for expected in [
        "id=\"carte\"",
        "data-zones=\"/api/v1/geo/zones?type=iris&amp;profession=infirmier&amp;indicateur=densite_10000&amp;classes=jenks&amp;nombre=3\"",
        "/static/vendor/leaflet/leaflet.js",
        "/static/carte.js",
        "Classe 1 : ",
        "<noscript>",
        "Seuils naturels de Jenks",
        "<label for=\"indicateur\">",
        "<label for=\"nombre\">",
    ] {
        assert!(map.body.contains(expected), "map page: {expected} missing");
    }
    assert_eq!(
        map.body.matches("<th scope=\"row\">").count(),
        30,
        "the table lists the 30 IRIS"
    );
    // The table gives each zone its class, as the legend numbers them.
    let geo = c.get("/api/v1/geo/zones?type=iris&profession=infirmier&indicateur=densite_10000&classes=jenks&nombre=3").await.json();
    for f in features(&geo) {
        let p = &f["properties"];
        let row = format!(
            "{}</td><td>{}</td></tr>",
            p["affichage"].as_str().unwrap(),
            p["classe"]
        );
        assert!(
            map.body.contains(&row),
            "row of {} with class: {row}",
            p["code"]
        );
    }
    // An indicator that does not exist for IRIS says so.
    let qpv_ratio = c
        .get("/observatoire/carte?type=iris&indicateur=ratio_qpv_hors_qpv")
        .await;
    assert!(qpv_ratio.body.contains("Indicateur non disponible"));
    assert_eq!(c.get("/observatoire/carte?nombre=99").await.status, 400);

    // A zone page: population by age, professions against the commune, charts.
    let iris = features(&geo)[0]["properties"]["lien"]
        .as_str()
        .unwrap()
        .to_string();
    let zone = c.get(&iris).await;
    assert_eq!(zone.status, 200, "{}", zone.body);
    for expected in [
        "Population par âge",
        "0 à 14 ans",
        "75 ans et plus",
        "Densité dans la commune",
        "role=\"img\"",
        "Dans le quartier",
    ] {
        assert!(
            zone.body.contains(expected),
            "zone page: {expected} missing"
        );
    }
    let commune = c.get("/observatoire/zones/commune/99101").await;
    for expected in ["somme de 30 IRIS", "Établissements (FINESS)", "Zones de "] {
        assert!(
            commune.body.contains(expected),
            "commune page: {expected} missing"
        );
    }

    // QPV against the rest: the ratio shown is the one the indicators API computes.
    let qpv = c.get("/observatoire/qpv").await;
    assert_eq!(qpv.status, 200);
    assert!(qpv.body.contains("Rapport QPV / hors QPV") && qpv.body.contains("hors QPV : "));
    let ratios = indicator_values(
        &mut c,
        "type_zone=commune&indicateur=ratio_qpv_hors_qpv&profession=medecin_generaliste",
    )
    .await;
    let (ratio, _) = ratios["99101"];
    let shown = maillage_web::layout::number(ratio.expect("the demo has GPs in and out of QPV"), 2);
    assert!(
        qpv.body
            .contains(&format!("<td class=\"nombre\">{shown}</td></tr>")),
        "ratio {shown} shown"
    );

    // A partner's pages: secrecy note and "< 5", no import link.
    let mut p = server.client();
    p.login_ok("partenaire").await;
    let home = p.get("/observatoire").await;
    assert!(
        home.body.contains("Secret statistique")
            && !home.body.contains("href=\"/observatoire/imports\"")
    );
    let map = p
        .get("/observatoire/carte?type=iris&profession=pediatre&indicateur=effectif")
        .await;
    assert!(map.body.contains("&lt; 5") && map.body.contains("Valeur cachée (secret statistique)"));
    server.stop().await;
}

// --- Imports from the browser -------------------------------------------------------------------------

async fn post_upload(c: &mut Client, body: Vec<u8>, extra: &[(&str, &str)]) -> common::Reply {
    let content_type = common::multipart_type();
    let mut headers = vec![("content-type", content_type.as_str())];
    headers.extend_from_slice(extra);
    c.send(hyper::Method::POST, "/observatoire/imports", &headers, body)
        .await
}

/// Polls an import's status until it ends (the import runs in the background).
async fn wait_for(c: &mut Client, id: &str) -> Value {
    for _ in 0..600 {
        let s = c.get(&format!("/api/v1/imports/{id}")).await.json();
        if s["etat"] == "termine" || s["etat"] == "refuse" {
            return s;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the import {id} did not end");
}

/// An INSEE population file for the demo's IRIS, vintage 2022, each IRIS with `extra` more inhabitants.
async fn insee_file(store: &Store, extra: f64) -> (Vec<u8>, BTreeMap<String, f64>) {
    let mut text = String::from(
        "IRIS;COM;TYP_IRIS;LAB_IRIS;P22_POP;P22_POP0014;P22_POP1529;P22_POP3044;P22_POP4559;P22_POP6074;P22_POP75P\n",
    );
    let mut expected = BTreeMap::new();
    for z in maillage_store::zones::list(store).await.unwrap() {
        if z.kind != maillage_store::zones::ZoneKind::Iris
            || z.parent_code.as_deref() != Some("99101")
        {
            continue;
        }
        let total = z.population.as_ref().unwrap().value.round() + extra;
        let band = (total / 6.0).floor();
        text.push_str(&format!(
            "{};99101;H;1;{total};{band};{band};{band};{band};{band};{}\n",
            z.code,
            total - 5.0 * band
        ));
        expected.insert(z.code.clone(), total);
    }
    (text.into_bytes(), expected)
}

#[tokio::test]
async fn an_uploaded_file_is_imported_in_the_background_with_its_provenance() {
    for base in TestBase::all().await {
        let server = demo_server(&base).await;
        account(&server.store, "observatoire", &[Role::Observatoire]).await;
        account(&server.store, "elu", &[Role::Elu]).await;
        let mut c = server.client();
        let csrf = c.login_ok("observatoire").await;
        let form = c.get("/observatoire/imports").await;
        assert!(
            form.body.contains("enctype=\"multipart/form-data\"")
                && form.body.contains("<label for=\"fichier\">")
        );
        // The map is computed before the import (cached figures must follow the new data).
        let before = c
            .get("/api/v1/geo/zones?type=iris&indicateur=effectif")
            .await
            .json();
        let (content, expected) = insee_file(&server.store, 100.0).await;
        let name = "base-ic-evol-struct-pop-2022.CSV";

        // Without JavaScript: the token as the first field, then a redirect to the follow-up page.
        let body = multipart(&[("_csrf", &csrf), ("type", "insee-iris")], name, &content);
        let r = post_upload(&mut c, body, &[]).await;
        assert_eq!(r.status, 303, "[{}] {}", server.backend, r.body);
        let page = r.location().to_string();
        let id = page.rsplit('/').next().unwrap().to_string();
        assert!(page.starts_with("/observatoire/imports/suivi/"));
        let status = wait_for(&mut c, &id).await;
        assert_eq!(status["etat"], "termine", "[{}] {status}", server.backend);
        let sha = hex::encode(Sha256::digest(&content));
        assert_eq!(status["sha256"], sha.as_str());
        assert_eq!(status["fichier"], name);
        assert_eq!(status["millesime"], "2022");
        assert_eq!(
            status["compteurs"]["rows_read"].as_u64(),
            Some(expected.len() as u64)
        );
        let follow = c.get(&page).await;
        assert!(
            follow.body.contains("import n°") && follow.body.contains(&sha),
            "{}",
            follow.body
        );

        // The data changed, and the pages show it at once.
        let zones = c.get("/api/v1/zones?type=iris").await.json();
        for z in zones["zones"].as_array().unwrap() {
            if let Some(v) = expected.get(z["code"].as_str().unwrap()) {
                assert_eq!(z["population"].as_f64(), Some(*v));
                assert_eq!(z["millesime_population"], 2022);
            }
        }
        let after = c
            .get("/api/v1/geo/zones?type=iris&indicateur=effectif")
            .await
            .json();
        let population = |v: &Value, code: &str| {
            features(v)
                .iter()
                .find(|f| f["properties"]["code"] == code)
                .unwrap()["properties"]["population"]
                .as_f64()
        };
        let (code, value) = expected.iter().next().unwrap();
        assert_eq!(
            population(&after, code),
            Some(*value),
            "the map's figures follow the import"
        );
        assert_ne!(population(&before, code), population(&after, code));

        // History: file, sha256, vintage, counts.
        let history = c.get("/observatoire/imports/historique").await;
        for expected in [name, sha.as_str(), "INSEE (population par IRIS)", "2022"] {
            assert!(history.body.contains(expected), "history: {expected}");
        }
        // With JavaScript: the token in a header, a JSON answer.
        let body = multipart(&[("type", "insee-iris")], name, &content);
        let r = post_upload(
            &mut c,
            body,
            &[("x-csrf-token", &csrf), ("accept", "application/json")],
        )
        .await;
        assert_eq!(r.status, 202, "{}", r.body);
        let id = r.json()["id"].as_str().unwrap().to_string();
        let again = wait_for(&mut c, &id).await;
        assert_eq!(again["etat"], "termine");
        assert_eq!(
            again["compteurs"]["unchanged"].as_u64(),
            Some(expected.len() as u64),
            "re-import: unchanged"
        );

        // A file that is not what it says: refused in French, nothing changed, no temporary path shown.
        let batches = maillage_store::batch::list(&server.store)
            .await
            .unwrap()
            .len();
        let body = multipart(
            &[("_csrf", &csrf), ("type", "insee-iris")],
            "population.csv",
            b"pas;un;fichier\n1;2;3\n",
        );
        let r = post_upload(&mut c, body, &[]).await;
        assert_eq!(r.status, 303);
        let id = r.location().rsplit('/').next().unwrap().to_string();
        let refused = wait_for(&mut c, &id).await;
        assert_eq!(refused["etat"], "refuse");
        let message = refused["erreur"].as_str().unwrap();
        assert!(
            message.contains("population.csv") && !message.contains("maillage-import-"),
            "{message}"
        );
        assert_eq!(
            maillage_store::batch::list(&server.store)
                .await
                .unwrap()
                .len(),
            batches
        );

        // Missing file, unknown kind: the form again with the reason.
        let r = post_upload(
            &mut c,
            multipart(&[("_csrf", &csrf), ("type", "osm")], "a.csv", b"x"),
            &[],
        )
        .await;
        assert_eq!(r.status, 422);
        assert!(r.body.contains("Type de fichier inconnu"));

        // No token in first place: refused by the guard before anything is read.
        let body = multipart(&[("type", "insee-iris"), ("_csrf", &csrf)], name, &content);
        let r = post_upload(&mut c, body, &[]).await;
        assert_eq!(r.status, 403, "{}", r.body);
        assert!(r.body.contains("jeton anti-falsification"));
        // Another role may not import at all.
        let mut elu = server.client();
        let elu_csrf = elu.login_ok("elu").await;
        let r = post_upload(
            &mut elu,
            multipart(
                &[("_csrf", &elu_csrf), ("type", "insee-iris")],
                name,
                &content,
            ),
            &[],
        )
        .await;
        assert_eq!(r.status, 403);

        // Every upload and its outcome are in the audit log.
        let uploaded = audit_actions(&server.store, "imports.televersement").await;
        let finished = audit_actions(&server.store, "imports.fin").await;
        assert_eq!(
            (uploaded.len(), finished.len()),
            (3, 3),
            "[{}]",
            server.backend
        );
        assert!(finished.iter().any(|e| e.details.contains("\"refuse\"")));
        server.stop().await;
    }
}

/// A FINESS JSON flux uploaded (`.json.gz`, FIXTURE generated here, not real data): the follow-up page and the
/// history say how its coordinates were written; the establishments take their TRE_R397 label.
#[tokio::test]
async fn an_uploaded_finess_flux_shows_its_coordinate_forms_and_category_labels() {
    use maillage_formats::crs::{Crs, from_wgs84};
    use maillage_testkit::finess_flux::{Ege, Pmej, write_flux};
    let dir = tempfile::tempdir().unwrap();
    let (lon, lat) = (0.3401, 46.5802);
    let (x, y) = from_wgs84(Crs::Lambert93, lon, lat).unwrap();
    let ege = |finess: &str, category: &str, xy: (f64, f64)| Ege {
        xy: Some(xy),
        ..Ege::active(finess, "FIXTURE ETABLISSEMENT", category, "99101", "99100")
    };
    let file = dir
        .path()
        .join("finess-structures-journalier-20261207.json.gz");
    write_flux(
        &file,
        "2026-12-07T05:00:00Z",
        [Pmej {
            finess: "990009999".into(),
            name: "FIXTURE ENTITE".into(),
            ege: vec![
                ege("990009015", "355", (y, x)),
                ege("990009023", "620", (lon, lat)),
            ],
        }],
    )
    .unwrap();
    let content = std::fs::read(&file).unwrap();
    for base in TestBase::all().await {
        let server = demo_server(&base).await;
        account(&server.store, "observatoire", &[Role::Observatoire]).await;
        let mut c = server.client();
        let csrf = c.login_ok("observatoire").await;
        let body = multipart(
            &[("_csrf", &csrf), ("type", "finess")],
            "finess-structures-journalier-20261207.json.gz",
            &content,
        );
        let r = post_upload(&mut c, body, &[]).await;
        assert_eq!(r.status, 303, "[{}] {}", server.backend, r.body);
        let page = r.location().to_string();
        let status = wait_for(&mut c, page.rsplit('/').next().unwrap()).await;
        assert_eq!(status["etat"], "termine", "[{}] {status}", server.backend);
        let said = "Coordonnées des établissements du territoire : 1 en WGS84 (degrés), 1 en Lambert-93 ; \
                    dont 1 couple X et Y inversés, remis dans l'ordre.";
        assert!(c.get(&page).await.body.contains(said), "follow-up page");
        assert!(
            c.get("/observatoire/imports/historique")
                .await
                .body
                .contains(said),
            "history"
        );
        let points = maillage_store::geodata::establishment_points(&server.store)
            .await
            .unwrap();
        let hospital = points.iter().find(|p| p.finess == "990009015").unwrap();
        assert_eq!(
            hospital.category_label.as_deref(),
            Some("Centre Hospitalier (C.H.)")
        );
    }
}

/// A 20 MB field (FIXTURE generated here, not real data; the 50 MB one is now refused earlier, as a line
/// beyond the readers' 32 MiB bound: `tests/bombs.rs`): the refused import is audited by its kind and place
/// only — a bounded entry, a small DPO journal — while the page still shows the French located error with a
/// cut extract of the value. The observatory's upload and the crisis indicators' import alike.
#[tokio::test]
async fn a_failed_import_of_a_huge_field_leaves_a_small_audit_entry() {
    const FIELD_BYTES: usize = 20 * 1024 * 1024;
    let filler = "Valeur-de-test-hostile ";
    let hostile = filler.repeat(FIELD_BYTES / filler.len());
    // Four fillers in a row: longer than any extract a message, a page or the audit log may quote.
    let run = filler.repeat(4);
    let population = format!("IRIS;COM;TYP_IRIS;LAB_IRIS;P22_POP\n991010101;99101;H;1;{hostile}\n");
    let spf = format!("dep;jour;P;T;cl_age90;pop\n86;{hostile};1;10;0;400000\n");
    for base in TestBase::all().await {
        let server = Server::start(&base, Config::default()).await;
        account(&server.store, "observatoire", &[Role::Observatoire]).await;
        account(&server.store, "crise", &[Role::Crise]).await;
        account(&server.store, "dpo", &[Role::Dpo]).await;

        // The observatory's upload: refused in the background, the follow-up page says where and why.
        let mut c = server.client();
        let csrf = c.login_ok("observatoire").await;
        let name = "population-fixture-hostile.csv";
        let body = multipart(
            &[("_csrf", &csrf), ("type", "insee-iris")],
            name,
            population.as_bytes(),
        );
        let r = post_upload(&mut c, body, &[]).await;
        assert_eq!(r.status, 303, "[{}] {}", server.backend, r.body);
        let page = r.location().to_string();
        let refused = wait_for(&mut c, page.rsplit('/').next().unwrap()).await;
        assert_eq!(refused["etat"], "refuse", "[{}]", server.backend);
        let message = refused["erreur"].as_str().unwrap();
        assert!(
            message.contains(name) && message.contains("ligne 2") && message.contains('…'),
            "[{}] {message}",
            server.backend
        );
        assert!(message.chars().count() < 600 && !message.contains(&run));
        let follow = c.get(&page).await;
        assert!(follow.body.contains("ligne 2") && !follow.body.contains(&run));

        // The crisis cell's import of SPF figures: the form again with the located error.
        let mut cell = server.client();
        let csrf = cell.login_ok("crise").await;
        let content_type = common::multipart_type();
        let body = multipart(
            &[("_csrf", &csrf)],
            "sp-pos-quot-dep-fixture.csv",
            spf.as_bytes(),
        );
        let r = cell
            .send(
                hyper::Method::POST,
                "/crise/indicateurs/import",
                &[("content-type", content_type.as_str())],
                body,
            )
            .await;
        assert_eq!(r.status, 422, "[{}] {}", server.backend, r.body);
        assert!(
            r.body.contains("sp-pos-quot-dep-fixture.csv")
                && r.body.contains("ligne 2")
                && r.body.contains('…')
                && !r.body.contains(&run)
                && !r.body.contains("maillage-spf-"),
            "[{}] the located error, cut, without the temporary folder",
            server.backend
        );

        // Both refusals are in the audit log by kind and place, in entries of bounded size.
        let finished = audit_actions(&server.store, "imports.fin").await;
        assert_eq!(finished.len(), 2, "[{}]", server.backend);
        for entry in &finished {
            let size = entry.details.len() + entry.target.len() + entry.actor.len();
            assert!(size < 2048, "[{}] entry of {size} bytes", server.backend);
            let details: Value = serde_json::from_str(&entry.details).unwrap();
            assert_eq!(details["resultat"], "refuse");
            assert_eq!(details["lieu"]["ligne"], 2, "{details}");
            assert!(
                details["erreur"].as_str().unwrap().starts_with("format:"),
                "{details}"
            );
            assert!(!entry.details.contains("Valeur-de-test"), "{details}");
        }
        let uploaded = audit_actions(&server.store, "imports.televersement").await;
        assert!(uploaded.iter().all(|e| e.details.len() < 2048));

        // The DPO's journal and its CSV stay small.
        let mut dpo = server.client();
        dpo.login_ok("dpo").await;
        let journal = dpo.get("/dpo/journal").await;
        assert_eq!(journal.status, 200);
        assert!(!journal.body.contains("Valeur-de-test"));
        let csv = dpo.get("/dpo/journal.csv").await;
        assert_eq!(csv.status, 200);
        assert!(
            csv.body.len() < 64 * 1024 && !csv.body.contains("Valeur-de-test"),
            "[{}] journal CSV of {} bytes",
            server.backend,
            csv.body.len()
        );
        server.stop().await;
    }
}
