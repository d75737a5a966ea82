//! Every reader is bounded, seen from the web server (issue 14): the `.xz` Annuaire bomb (a header and one
//! 2 GiB line) and the xlsx bomb (a 1 GiB cell), generated at test time (FIXTURES: `maillage_testkit::bombs`),
//! uploaded through the real import page of a server on loopback at its default limits. Each import is
//! refused with its French error on the follow-up page, nothing is recorded, and the server process's peak
//! memory (VmHWM of /proc/self/status, reset once the fixtures are written) rises by less than
//! [`GROWTH_BOUND_MB`]. Before the limits, the `.xz` upload took the server from 300 MB to 2.2 GB.

// The shared harness of the `it` binary, compiled again here.
#[path = "it/common/mod.rs"]
mod common;

use common::{Client, Server, account};
use maillage_store::accounts::Role;
use maillage_testkit::TestBase;
use maillage_testkit::bombs::{self, GIB, MIB, Piece, chunk};
use maillage_web::Config;
use serde_json::Value;

/// The most the server's peak memory may rise while it receives and refuses the bombs: the 32 MiB a line
/// may fill before it is refused, the csv crate's copy of it, and the upload's buffers (measured: 34 MB).
const GROWTH_BOUND_MB: u64 = 96;

/// A field of /proc/self/status, in kB.
fn status_kb(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("{field} in /proc/self/status"))
}

/// Makes VmHWM the current resident size again (Linux ≥ 4.0), so that the peak measured is the imports'.
fn reset_peak() {
    std::fs::write("/proc/self/clear_refs", "5").expect("reset of the peak resident size");
}

/// Uploads `content` as `file_name` of `kind` from the import page (its CSRF field first, as the form sends
/// it) and waits for the background import to end; its status.
async fn upload(c: &mut Client, csrf: &str, kind: &str, file_name: &str, content: &[u8]) -> Value {
    let body = common::multipart(&[("_csrf", csrf), ("type", kind)], file_name, content);
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
    let id = r.location().rsplit('/').next().unwrap().to_string();
    for _ in 0..600 {
        let s = c.get(&format!("/api/v1/imports/{id}")).await.json();
        if s["etat"] == "termine" || s["etat"] == "refuse" {
            let page = c.get(r.location()).await;
            assert_eq!(page.status, 200);
            return serde_json::json!({ "statut": s, "page": page.body });
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the import {id} did not end");
}

#[tokio::test]
async fn bombs_uploaded_on_the_import_page_are_refused_within_a_memory_bound() {
    let dir = tempfile::tempdir().unwrap();
    let xz = dir
        .path()
        .join("PS_LibreAcces_Personne_activite_fixture-bombe.txt.xz");
    let xlsx = dir.path().join("apl-fixture-bombe.xlsx");
    {
        let header = format!("{}\n", maillage_formats::annuaire::HEADER_2026.join("|"));
        let fill = chunk(b'a', 16 * MIB);
        bombs::write_xz(
            &xz,
            &[
                Piece::once(header.as_bytes()),
                Piece::filling(&fill, 2 * GIB),
            ],
        );
        bombs::write_xlsx_with_cell(&xlsx, &[Piece::filling(&fill, GIB)]);
    }
    let files = [
        ("annuaire", &xz, vec!["ligne 2", "ligne de plus de 32 Mo"]),
        (
            "apl-drees",
            &xlsx,
            vec!["xl/worksheets/sheet1.xml", "une fois décompressé"],
        ),
    ];
    let contents: Vec<Vec<u8>> = files
        .iter()
        .map(|(_, path, _)| std::fs::read(path).unwrap())
        .collect();
    assert!(
        contents.iter().all(|c| (c.len() as u64) < 4 * MIB),
        "small files"
    );

    let base = TestBase::sqlite();
    let server = Server::start(&base, Config::default()).await;
    account(&server.store, "observatoire", &[Role::Observatoire]).await;
    let mut c = server.client();
    let csrf = c.login_ok("observatoire").await;
    let batches = maillage_store::batch::list(&server.store)
        .await
        .unwrap()
        .len();

    reset_peak();
    let before = status_kb("VmHWM:");
    for ((kind, path, expected), content) in files.iter().zip(&contents) {
        let name = path.file_name().unwrap().to_str().unwrap();
        let outcome = upload(&mut c, &csrf, kind, name, content).await;
        let status = &outcome["statut"];
        assert_eq!(status["etat"], "refuse", "{kind}: {status}");
        let message = status["erreur"].as_str().unwrap();
        let page = outcome["page"].as_str().unwrap();
        assert!(message.contains(name), "{message}");
        for part in expected {
            assert!(message.contains(part), "« {part} » missing from: {message}");
            assert!(
                page.contains(part),
                "« {part} » missing from the follow-up page"
            );
        }
        assert!(message.len() < 2000, "a short message: {message}");
    }
    let growth_mb = status_kb("VmHWM:").saturating_sub(before) / 1024;
    eprintln!("peak memory of the server process rose by {growth_mb} MB");
    assert!(
        growth_mb < GROWTH_BOUND_MB,
        "the server's peak rose by {growth_mb} MB ≥ {GROWTH_BOUND_MB} MB"
    );
    assert_eq!(
        maillage_store::batch::list(&server.store)
            .await
            .unwrap()
            .len(),
        batches,
        "nothing recorded"
    );
    // The server still answers.
    assert_eq!(c.get("/observatoire/imports").await.status, 200);
    server.stop().await;
}
