//! The words people read: every page of the demonstration, crawled as each role, is French with plurals agreed
//! by count (never « (s) »), labels instead of codes, dates in local time (never an ISO stamp), and no English
//! text from a parser; instants near midnight UTC are read on the Paris day in pages, export names and the PDF;
//! the DPO's journal shows labelled details; the administrator chooses the time zone and cannot give an
//! account a commune code that does not exist.

use crate::common;

use common::{Client, Server};
use maillage_store::accounts::Role;
use maillage_testkit::TestBase;
use maillage_web::Config;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// Pages per role at most, and pages of one shape (the path with its numbers blanked) at most.
const PAGES_PER_ROLE: usize = 160;
const PAGES_PER_SHAPE: usize = 2;

/// `html` without its `open`…`close` elements.
fn without(html: &str, open: &str, close: &str) -> String {
    let mut kept = String::new();
    let mut rest = html;
    while let Some(start) = rest.find(open) {
        kept.push_str(&rest[..start]);
        rest = rest[start..]
            .find(close)
            .map_or("", |end| &rest[start + end + close.len()..]);
    }
    kept.push_str(rest);
    kept
}

/// Text of a page as a person reads it: no scripts, styles or tags, entities decoded.
fn visible_text(html: &str) -> String {
    let text = without(&without(html, "<script", "</script>"), "<style", "</style>");
    let mut out = String::new();
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&amp;", "&")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

/// The same-site links of a page worth opening (pages, not downloads nor the API).
fn links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(|h| h.replace("&amp;", "&"))
        .map(|h| h.split('#').next().unwrap_or("").to_string())
        .filter(|h| h.starts_with('/') && !h.starts_with("//"))
        .filter(|h| {
            let path = h.split('?').next().unwrap_or("");
            ![
                ".csv", ".xlsx", ".pdf", ".geojson", ".gpkg", ".ics", ".json", ".png", ".svg",
                ".css", ".js", ".ico", ".pbf", ".mvt", ".txt",
            ]
            .iter()
            .any(|ext| path.ends_with(ext))
                && !path.starts_with("/api/")
                && !path.starts_with("/static/")
                && !path.starts_with("/assets/")
                && !path.contains("deconnexion")
                && !path.contains("/tuiles/")
        })
        .collect()
}

/// The path with its numbers blanked: pages of one kind (one person, one fiche) share it.
fn shape(path: &str) -> String {
    let mut out = String::new();
    let mut digits = false;
    for c in path.split('?').next().unwrap_or("").chars() {
        if c.is_ascii_digit() {
            if !digits {
                out.push('9');
            }
            digits = true;
        } else {
            digits = false;
            out.push(c);
        }
    }
    out
}

/// An ISO 8601 stamp ("2026-07-28T14:05") in the text: dates must read the French way, in local time.
fn iso_stamp(text: &str) -> Option<&str> {
    let b = text.as_bytes();
    (0..b.len().saturating_sub(16)).find_map(|i| {
        let s = &b[i..i + 16];
        let digits = |r: std::ops::Range<usize>| s[r].iter().all(u8::is_ascii_digit);
        (digits(0..4)
            && s[4] == b'-'
            && digits(5..7)
            && s[7] == b'-'
            && digits(8..10)
            && s[10] == b'T'
            && digits(11..13)
            && s[13] == b':')
            .then(|| &text[i..i + 16])
    })
}

/// A code of a record reference ("personne:55") in the text: people read names, not references.
fn record_reference(text: &str) -> Option<String> {
    text.split(|c: char| c.is_whitespace() || "«»(),;".contains(c))
        .find(|w| {
            w.split_once(':').is_some_and(|(a, n)| {
                a.len() > 2
                    && a.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                    && !n.is_empty()
                    && n.chars().all(|c| c.is_ascii_digit())
            })
        })
        .map(str::to_string)
}

/// Whole-word occurrence of `word` in `text` (letters, digits, `_`, `-` and `.` make words: a file name or
/// an identifier holding a code is not the code shown raw).
fn has_word(text: &str, word: &str) -> bool {
    let is_word = |c: char| c.is_alphanumeric() || "_-.".contains(c);
    text.match_indices(word).any(|(i, _)| {
        !text[..i].chars().next_back().is_some_and(is_word)
            && !text[i + word.len()..].chars().next().is_some_and(is_word)
    })
}

/// The codes a page must not show raw: those of the modules' labelled lists that read as codes (with `_`),
/// and the ones seen raw on the demonstration's pages.
fn raw_codes() -> BTreeSet<String> {
    let mut codes: BTreeSet<String> = maillage_messages::every_labelled_code()
        .into_iter()
        .filter(|(code, label)| code.contains('_') && *code != label.as_str())
        .map(|(code, _)| code.to_string())
        .collect();
    // (« benevole » is also the demonstration's volunteer account: an identifier, shown as such.)
    for seen in ["spf", "demonstration", "eau_bouteilles"] {
        codes.insert(seen.to_string());
    }
    codes
}

/// English sentences of parsers (serde and others) that must never reach a page.
const ENGLISH: [&str; 8] = [
    "EOF while parsing",
    "expected value",
    "invalid type",
    "missing field",
    "unknown variant",
    "trailing characters",
    "at line",
    "expected one of",
];

/// What is wrong with one page's words (empty when nothing).
fn faults(text: &str, codes: &BTreeSet<String>) -> Vec<String> {
    let mut found = Vec::new();
    if let Some(i) = text.find("(s)") {
        found.push(format!(
            "« (s) » in « {} »",
            text[i.saturating_sub(40)..i + 3].trim()
        ));
    }
    if let Some(stamp) = iso_stamp(text) {
        found.push(format!("ISO stamp {stamp}"));
    }
    if let Some(r) = record_reference(text) {
        let i = text.find(r.as_str()).unwrap_or(0);
        let around: String = text[..i]
            .chars()
            .rev()
            .take(40)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        found.push(format!(
            "record reference {r} in « {}{r} »",
            around.trim_start()
        ));
    }
    for english in ENGLISH {
        if text.contains(english) {
            found.push(format!("English « {english} »"));
        }
    }
    for code in codes {
        if has_word(text, code) {
            let i = text.find(code.as_str()).unwrap_or(0);
            let around: String = text[..i]
                .chars()
                .rev()
                .take(40)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            found.push(format!(
                "raw code « {code} » in « {}{code} »",
                around.trim_start()
            ));
        }
    }
    found
}

/// Opens every page reachable from the home page as the client (bounded), and gives the faults by page.
async fn crawl(
    client: &mut Client,
    codes: &BTreeSet<String>,
) -> (usize, BTreeMap<String, Vec<String>>) {
    let mut queue = VecDeque::from(["/".to_string()]);
    let mut seen = BTreeSet::from(["/".to_string()]);
    let mut shapes: BTreeMap<String, usize> = BTreeMap::new();
    let mut bad = BTreeMap::new();
    let mut opened = 0;
    while let Some(path) = queue.pop_front() {
        if opened >= PAGES_PER_ROLE {
            break;
        }
        let page = client.get(&path).await;
        opened += 1;
        let is_html = page
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("text/html"));
        if !is_html {
            continue;
        }
        let f = faults(&visible_text(&page.body), codes);
        if !f.is_empty() {
            bad.insert(path.clone(), f);
        }
        for link in links(&page.body) {
            let count = shapes.entry(shape(&link)).or_default();
            if *count < PAGES_PER_SHAPE && seen.insert(link.clone()) {
                *count += 1;
                queue.push_back(link);
            }
        }
    }
    (opened, bad)
}

#[test]
fn the_checks_catch_what_they_look_for() {
    let codes = raw_codes();
    let text = visible_text(
        "<p>1 appel(s) le 2026-07-28T14:05:00Z pour personne:55, <b>eau_bouteilles</b></p>\
         <script>var x = '(s)';</script><p>EOF while parsing a list</p>",
    );
    let f = faults(&text, &codes);
    assert_eq!(f.len(), 5, "{f:?}");
    assert!(
        faults(
            &visible_text("<p>2 appels le 28/07/2026 à 14:05</p>"),
            &codes
        )
        .is_empty()
    );
    assert_eq!(shape("/crise/registre/55?x=1"), "/crise/registre/9");
}

#[tokio::test]
async fn every_page_of_the_demonstration_reads_in_french_for_every_role() {
    let base = TestBase::sqlite();
    let store = common::demo_store(&base).await;
    // Named so that no identifier reads as a role's code.
    for &role in Role::ALL {
        common::account(&store, &format!("essai-{}", role.as_str()), &[role]).await;
    }
    let server = Server::start_on(store.clone(), base.backend, Config::default()).await;
    let codes = raw_codes();
    let mut report = Vec::new();
    let mut total = 0;
    for &role in Role::ALL {
        let mut client = server.client();
        client.login_ok(&format!("essai-{}", role.as_str())).await;
        let (opened, bad) = crawl(&mut client, &codes).await;
        total += opened;
        for (path, f) in bad {
            report.push(format!("{} {path}: {}", role.as_str(), f.join(" ; ")));
        }
    }
    assert!(total > 100, "the crawl opened {total} pages");
    assert!(report.is_empty(), "{}", report.join("\n"));
}

/// The text of every page of a PDF, as a reader would copy it, whitespace collapsed.
fn pdf_text(bytes: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(bytes).expect("a valid PDF");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let text = doc.extract_text(&pages).expect("text extracts");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[tokio::test]
async fn an_instant_near_midnight_utc_is_read_on_the_paris_day_in_pages_exports_and_the_pdf() {
    let base = TestBase::sqlite();
    let store = common::demo_store(&base).await;
    common::account(&store, "essai-observatoire", &[Role::Observatoire]).await;
    // 22:30 UTC on 27 July is 00:30 on 28 July in Paris (summer time).
    common::sql(
        &store,
        "UPDATE import_batch SET imported_at = '2026-07-27T22:30:00Z'",
    )
    .await
    .expect("import dates set");
    let server = Server::start_on(store.clone(), base.backend, Config::default()).await;
    let mut obs = server.client();
    obs.login_ok("essai-observatoire").await;

    let history = obs.get("/observatoire/imports/historique").await;
    assert_eq!(history.status, 200);
    assert!(
        history.body.contains("28/07/2026 à 00:30"),
        "{}",
        history.body
    );
    assert!(!history.body.contains("27/07/2026"), "{}", history.body);

    let (status, headers, csv) = common::get_bytes(&obs, "/observatoire/export/imports.csv").await;
    assert_eq!(status, 200);
    let csv = String::from_utf8_lossy(&csv);
    assert!(csv.contains("28/07/2026 à 00:30"), "{csv}");
    assert!(!csv.contains("2026-07-27T22:30"), "{csv}");
    assert!(!csv.contains("(UTC)"), "{csv}");
    // The file is named on the instance's day.
    let today = maillage_kit::local_time::file_day(jiff::Timestamp::now());
    let disposition = headers["content-disposition"].to_str().unwrap().to_string();
    assert!(disposition.contains(&today), "{disposition} names {today}");

    let commune = maillage_demo::model::COMMUNE_CODE;
    let (status, headers, pdf) = common::get_bytes(
        &obs,
        &format!("/observatoire/rapport/commune/{commune}.pdf"),
    )
    .await;
    assert_eq!(status, 200);
    let text = pdf_text(&pdf);
    assert!(text.contains("28/07/2026"), "{text}");
    assert!(!text.contains("27/07/2026"), "{text}");
    let edited = maillage_kit::local_time::date(jiff::Timestamp::now());
    assert!(
        text.contains(&format!("Édité le {edited}"))
            || text.contains(&format!("édité le {edited}")),
        "{text}"
    );
    assert!(
        headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains(&today)
    );
}

#[tokio::test]
async fn the_dpo_journal_shows_labelled_details_on_local_days() {
    let base = TestBase::sqlite();
    let store = common::demo_store(&base).await;
    common::account(&store, "essai-dpo", &[Role::Dpo]).await;
    common::account(&store, "essai-admin", &[Role::Admin]).await;
    let server = Server::start_on(store.clone(), base.backend, Config::default()).await;
    let mut admin = server.client();
    let csrf = admin.login_ok("essai-admin").await;
    let created = admin
        .post_form(
            "/admin/utilisateurs",
            &[
                ("_csrf", &csrf),
                ("identifiant", "agent.accueil"),
                ("nom", "Agent d'accueil"),
                ("mot_de_passe", common::PASSWORD),
                ("role", "benevole"),
                ("tout_le_territoire", "1"),
            ],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    let mut dpo = server.client();
    dpo.login_ok("essai-dpo").await;
    let today = maillage_kit::local_time::today(jiff::Timestamp::now()).to_string();
    let journal = dpo
        .get(&format!(
            "/dpo/journal?du={today}&au={today}&action=comptes.creation"
        ))
        .await;
    assert_eq!(journal.status, 200);
    let text = visible_text(&journal.body);
    assert!(text.contains("Création d'un compte"), "{text}");
    assert!(text.contains("compte n° "), "the object in words: {text}");
    assert!(
        text.contains("rôles : Bénévole"),
        "roles by their label: {text}"
    );
    assert!(!text.contains("{\""), "no JSON: {text}");
    assert!(
        faults(&text, &raw_codes()).is_empty(),
        "{:?}",
        faults(&text, &raw_codes())
    );
}

#[tokio::test]
async fn the_administrator_chooses_the_time_zone_and_gives_only_communes_of_the_territory() {
    let base = TestBase::sqlite();
    let store = common::demo_store(&base).await;
    common::account(&store, "essai-admin", &[Role::Admin]).await;
    let server = Server::start_on(store.clone(), base.backend, Config::default()).await;
    let mut admin = server.client();
    let csrf = admin.login_ok("essai-admin").await;

    // A zone outside the list is refused, in French, as an error.
    let refused = admin
        .post_form(
            "/admin/fuseau-horaire",
            &[("_csrf", &csrf), ("fuseau", "Mars/Olympus")],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("message erreur"), "{}", refused.body);
    assert!(
        refused
            .body
            .contains("choisissez un fuseau horaire dans la liste")
    );
    // Paris again (the zone is the process's: the other tests of this process read the same times).
    let saved = admin
        .post_form(
            "/admin/fuseau-horaire",
            &[("_csrf", &csrf), ("fuseau", "Europe/Paris")],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let page = admin.get(saved.location()).await;
    assert!(page.body.contains("le fuseau horaire est enregistré"));
    assert!(
        page.body
            .contains("<option value=\"Europe/Paris\" selected"),
        "{}",
        page.body
    );
    let stored: Option<String> =
        maillage_store::settings::get(&store, maillage_store::settings::TIME_ZONE)
            .await
            .unwrap();
    assert_eq!(stored.as_deref(), Some("Europe/Paris"));
    assert_eq!(
        common::audit_actions(&store, "parametres.modification")
            .await
            .len(),
        1
    );

    // The account form states the password policy and refuses a commune that is not the territory's.
    let form = admin.get("/admin/utilisateurs").await;
    assert!(
        form.body.contains("Au moins 12 caractères"),
        "{}",
        form.body
    );
    let outside = admin
        .post_form(
            "/admin/utilisateurs",
            &[
                ("_csrf", &csrf),
                ("identifiant", "hors.territoire"),
                ("nom", "Hors territoire"),
                ("mot_de_passe", common::PASSWORD),
                ("role", "elu"),
                ("territoires", "12345"),
            ],
        )
        .await;
    assert_eq!(outside.status, 422, "{}", outside.body);
    assert!(
        outside
            .body
            .contains("la commune « 12345 » n'est pas une commune du territoire"),
        "{}",
        outside.body
    );
    let inside = admin
        .post_form(
            "/admin/utilisateurs",
            &[
                ("_csrf", &csrf),
                ("identifiant", "dans.territoire"),
                ("nom", "Dans le territoire"),
                ("mot_de_passe", common::PASSWORD),
                ("role", "elu"),
                ("territoires", maillage_demo::model::COMMUNE_CODE),
            ],
        )
        .await;
    assert_eq!(inside.status, 303, "{}", inside.body);
}

#[tokio::test]
async fn a_refused_import_says_why_in_french_as_an_error() {
    let base = TestBase::sqlite();
    let store = common::demo_store(&base).await;
    common::account(&store, "essai-observatoire", &[Role::Observatoire]).await;
    let server = Server::start_on(store.clone(), base.backend, Config::default()).await;
    let mut c = server.client();
    let csrf = c.login_ok("essai-observatoire").await;
    // A communes file cut short: the JSON parser stops in the middle of a list.
    let truncated =
        br#"[{"code":"99101","nom":"Bellerive","type":"commune-actuelle","population":1200},"#;
    let body = common::multipart(
        &[("_csrf", &csrf), ("type", "communes")],
        "communes.json",
        truncated,
    );
    let content_type = common::multipart_type();
    let r = c
        .send(
            hyper::Method::POST,
            "/observatoire/imports",
            &[("content-type", content_type.as_str())],
            body,
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = r.location().to_string();
    let id = page.rsplit('/').next().unwrap().to_string();
    let mut status = serde_json::Value::Null;
    for _ in 0..600 {
        status = c.get(&format!("/api/v1/imports/{id}")).await.json();
        if status["etat"] == "termine" || status["etat"] == "refuse" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(status["etat"], "refuse", "{status}");
    let follow = c.get(&page).await;
    let text = visible_text(&follow.body);
    assert!(
        follow.body.contains("class=\"message erreur\""),
        "{}",
        follow.body
    );
    assert!(
        faults(&text, &raw_codes()).is_empty(),
        "{:?} in {text}",
        faults(&text, &raw_codes())
    );
    assert!(
        !text.contains("EOF") && !text.contains("while parsing"),
        "{text}"
    );
    assert!(
        text.contains("tronqué"),
        "the parser's reason, in French: {text}"
    );
}
