//! The "Tableau de bord santé" PDF on the demonstration territory, through a real server: its text (extracted
//! from the PDF) names the territory and carries the indicators the API gives; the fonts are embedded; the
//! partner's copy is under statistical secrecy; every report is audited; and what a caller may not see is 404.

use crate::common;

use common::{Server, get_bytes};
use maillage_store::accounts::Role;
use maillage_testkit::TestBase;
use maillage_web::Config;
use maillage_web::layout::number;

/// The text of every page of a PDF, as a reader would copy it.
fn pdf_text(bytes: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(bytes).expect("a valid PDF");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    assert!(!pages.is_empty(), "the PDF has pages");
    doc.extract_text(&pages).expect("text extracts")
}

/// Every font of the PDF is embedded (a FontFile2 in its descriptor): nothing depends on the reader's fonts.
fn assert_fonts_embedded(bytes: &[u8]) {
    let doc = lopdf::Document::load_mem(bytes).unwrap();
    let mut descriptors = 0;
    for object in doc.objects.values() {
        if let Ok(dict) = object.as_dict()
            && dict.get(b"Type").and_then(|t| t.as_name()).ok() == Some(b"FontDescriptor")
        {
            descriptors += 1;
            assert!(
                dict.has(b"FontFile2"),
                "a font descriptor without embedded font: {dict:?}"
            );
        }
    }
    assert_eq!(descriptors, 2, "regular and bold, both embedded");
}

/// Collapses whitespace (a PDF's extracted text breaks lines where the layout did).
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn indicator(lines: &serde_json::Value, code: &str, kind: &str, zone: &str, prof: &str) -> f64 {
    lines["lignes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| {
            l["indicateur"] == code
                && l["type_zone"] == kind
                && l["code_zone"] == zone
                && l["profession"] == prof
        })
        .and_then(|l| l["valeur"].as_f64())
        .unwrap_or_else(|| panic!("{code} {kind} {zone} {prof} in the API answer"))
}

#[tokio::test]
async fn the_dashboard_report_names_the_territory_and_its_indicators() {
    for base in TestBase::all().await {
        let store = common::demo_store(&base).await;
        common::account(&store, "observatoire", &[Role::Observatoire]).await;
        common::account(&store, "partenaire", &[Role::Partenaire]).await;
        let server = Server::start_on(store.clone(), base.backend, Config::default()).await;
        let mut obs = server.client();
        obs.login_ok("observatoire").await;
        let api = obs
            .get("/api/v1/indicateurs?profession=medecin_generaliste")
            .await
            .json();
        let commune = maillage_demo::model::COMMUNE_CODE;

        // The commune's report.
        let (status, headers, pdf) = get_bytes(
            &obs,
            &format!("/observatoire/rapport/commune/{commune}.pdf"),
        )
        .await;
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&pdf));
        assert_eq!(headers["content-type"], "application/pdf");
        let disposition = headers["content-disposition"].to_str().unwrap();
        assert!(
            disposition.contains("maillage-tableau-de-bord-bellerive-sur-clain-fictive-"),
            "{disposition}"
        );
        assert!(pdf.starts_with(b"%PDF-"));
        assert_fonts_embedded(&pdf);
        let text = flat(&pdf_text(&pdf));
        for expected in [
            "Tableau de bord santé",
            maillage_demo::model::COMMUNE_NAME,
            "code INSEE 99101",
            "Médecins généralistes",
            "Carte",
            "Méthode",
            "Sources et dates",
            "Précautions de lecture",
            "Démonstration : territoire et données fictifs.",
            "Usage interne",
        ] {
            assert!(
                text.contains(expected),
                "« {expected} » in the report: {text}"
            );
        }
        // The figures are those of the observatory: GP count and density of the commune, QPV ratio.
        let count = indicator(&api, "effectif", "commune", commune, "medecin_generaliste");
        let density = indicator(
            &api,
            "densite_10000",
            "commune",
            commune,
            "medecin_generaliste",
        );
        let ratio = indicator(
            &api,
            "ratio_qpv_hors_qpv",
            "commune",
            commune,
            "medecin_generaliste",
        );
        let key = format!(
            "{} (soit {} pour 10 000 habitants",
            number(count, 0),
            number(density, 1)
        );
        assert!(text.contains(&key), "« {key} » in: {text}");
        assert!(
            text.contains(&format!("(rapport {})", number(ratio, 2))),
            "QPV ratio {ratio} in the report"
        );
        // A quartier's value appears in the quartier table.
        let zones = obs.get("/api/v1/zones?type=quartier").await.json();
        let quartier = &zones["zones"][0];
        let q_code = quartier["code"].as_str().unwrap();
        let q_name = quartier["nom"].as_str().unwrap();
        assert!(text.contains(q_name), "quartier {q_name} listed");

        // A quartier's report.
        let (status, _, qpdf) = get_bytes(
            &obs,
            &format!("/observatoire/rapport/quartier/{q_code}.pdf"),
        )
        .await;
        assert_eq!(status, 200);
        let qtext = flat(&pdf_text(&qpdf));
        let q_density = indicator(
            &api,
            "densite_10000",
            "quartier",
            q_code,
            "medecin_generaliste",
        );
        for expected in [
            q_name.to_string(),
            format!("Quartier de {}", maillage_demo::model::COMMUNE_NAME),
            "IRIS du quartier".to_string(),
            format!("pour 10 000 habitants ; commune : {}", number(density, 1)),
            number(q_density, 1),
        ] {
            assert!(qtext.contains(&expected), "« {expected} » in: {qtext}");
        }

        // The partner's copy is under secrecy, and says so.
        let mut partner = server.client();
        partner.login_ok("partenaire").await;
        let (status, _, ppdf) = get_bytes(
            &partner,
            &format!("/observatoire/rapport/commune/{commune}.pdf"),
        )
        .await;
        assert_eq!(status, 200);
        let ptext = flat(&pdf_text(&ppdf));
        assert!(ptext.contains("secret statistique appliqué"), "{ptext}");
        assert!(!ptext.contains("Usage interne"));

        // What does not exist, or is not a PDF, is 404.
        for path in [
            "/observatoire/rapport/commune/00000.pdf",
            "/observatoire/rapport/iris/99101.pdf",
            &format!("/observatoire/rapport/commune/{commune}.txt"),
        ] {
            assert_eq!(get_bytes(&obs, path).await.0, 404, "{path}");
        }

        // The same report as a web page: the map and chart inline (SVG), the same figures, a link to the PDF.
        let page = obs
            .get(&format!("/observatoire/rapport/commune/{commune}"))
            .await;
        assert_eq!(page.status, 200);
        let html = flat(&page.body);
        assert!(html.contains("<svg"), "inline map");
        assert!(html.contains("role=\"img\""));
        assert!(html.contains(&format!(
            "href=\"/observatoire/rapport/commune/{commune}.pdf?telechargement=1\""
        )));
        assert!(html.contains(&key), "« {key} » in the page");
        assert!(html.contains(q_name));

        // Each PDF is in the audit log (viewing the page is not an export).
        let entries = common::audit_actions(&store, "observatoire.export").await;
        assert_eq!(entries.len(), 3, "three reports made");
        assert!(
            entries[0]
                .target
                .starts_with("rapport:/observatoire/rapport/commune/")
        );
        assert_eq!(entries[2].actor, "partenaire");

        // pdftotext (poppler), when installed, reads the same text.
        match std::process::Command::new("pdftotext").arg("-v").output() {
            Ok(_) => {
                let dir = tempfile::tempdir().unwrap();
                let file = dir.path().join("rapport.pdf");
                std::fs::write(&file, &pdf).unwrap();
                let out = std::process::Command::new("pdftotext")
                    .arg(&file)
                    .arg("-")
                    .output()
                    .unwrap();
                assert!(out.status.success());
                let poppler = flat(&String::from_utf8_lossy(&out.stdout));
                assert!(poppler.contains(maillage_demo::model::COMMUNE_NAME));
                assert!(poppler.contains(&key), "{poppler}");
            }
            Err(_) => eprintln!(
                "SKIPPED: pdftotext absent (paquet Debian poppler-utils) : vérification croisée sautée"
            ),
        }
        server.stop().await;
    }
}

#[tokio::test]
async fn a_caller_sees_no_report_outside_their_communes() {
    let base = TestBase::sqlite();
    let store = common::demo_store(&base).await;
    let form = maillage_web::users::UserForm {
        identifier: "voisin".into(),
        display_name: "Commune voisine".into(),
        password: common::PASSWORD.into(),
        roles: [Role::Observatoire].into_iter().collect(),
        territories: ["99102".to_string()].into_iter().collect(),
        all_territories: false,
    };
    maillage_web::users::create(&store, &maillage_web::audit::Actor::command_line(), &form)
        .await
        .unwrap();
    let server = Server::start_on(store, base.backend, Config::default()).await;
    let mut c = server.client();
    c.login_ok("voisin").await;
    let (status, _, _) = get_bytes(&c, "/observatoire/rapport/commune/99101.pdf").await;
    assert_eq!(status, 404);
    server.stop().await;
}
