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
