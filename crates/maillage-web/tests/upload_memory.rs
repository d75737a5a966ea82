//! A 512 MB text field sent to the upload pages (`/observatoire/imports`, `/crise/indicateurs/import`) is refused
//! with a French 413 after at most a few megabytes read, and the server (in this process) grows by less than
//! [`RSS_BOUND`]. The field is generated while it is sent, never held by the test. Alone in its binary: other
//! tests running at the same time would blur the process's memory.

// The shared harness of the `it` binary, compiled again here.
#[path = "it/common/mod.rs"]
mod common;

use common::{Server, account};
use http_body_util::{BodyExt, StreamBody};
use hyper::body::{Bytes, Frame};
use hyper_util::rt::TokioIo;
use maillage_store::accounts::Role;
use maillage_testkit::TestBase;
use maillage_web::Config;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// The most the process may grow while refusing one such field.
const RSS_BOUND: u64 = 64 << 20;
const FIELD_SIZE: u64 = 512 << 20;
const CHUNK: usize = 64 << 10;

/// A line of `/proc/self/status`, in bytes (`VmRSS`, `VmHWM`).
fn status_bytes(key: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status (Linux)");
    let line = status
        .lines()
        .find(|l| l.starts_with(key))
        .unwrap_or_else(|| panic!("{key} absent"));
    let kb: u64 = line
        .split_whitespace()
        .nth(1)
        .and_then(|v| v.parse().ok())
        .expect("a size in kB");
    kb * 1024
}

/// Sends a multipart form whose second field `field` holds `FIELD_SIZE` bytes; gives the status, the
/// `Connection` header, the body of the answer and how many bytes the server pulled from the client.
async fn send_huge_field(
    server: &Server,
    cookies: &str,
    path: &str,
    csrf: &str,
    field: &str,
) -> (u16, String, String, u64) {
    let boundary = "----maillage-test-bombe";
    let head = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{csrf}\r\n--{boundary}\r\n\
         Content-Disposition: form-data; name=\"{field}\"\r\n\r\n"
    );
    let tail = format!("\r\n--{boundary}--\r\n");
    let total = head.len() as u64 + FIELD_SIZE + tail.len() as u64;
    let sent = Arc::new(AtomicU64::new(0));
    let counter = sent.clone();
    static FILLER: [u8; CHUNK] = [b'a'; CHUNK];
    let chunks = (FIELD_SIZE as usize).div_ceil(CHUNK);
    let body_stream = futures_util::stream::iter(
        std::iter::once(Bytes::from(head))
            .chain((0..chunks).map(|_| Bytes::from_static(&FILLER)))
            .chain(std::iter::once(Bytes::from(tail))),
    )
    .map(move |b: Bytes| {
        counter.fetch_add(b.len() as u64, Ordering::Relaxed);
        Ok::<_, std::convert::Infallible>(Frame::data(b))
    });
    let stream = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .unwrap();
    tokio::spawn(conn);
    let request = hyper::Request::post(path)
        .header("host", server.addr.to_string())
        .header("cookie", cookies)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header("content-length", total.to_string())
        .body(StreamBody::new(body_stream))
        .unwrap();
    let response = sender.send_request(request).await.expect("an answer");
    let status = response.status().as_u16();
    let connection = response
        .headers()
        .get("connection")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        connection,
        String::from_utf8_lossy(&body).into_owned(),
        sent.load(Ordering::Relaxed),
    )
}

use futures_util::StreamExt;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_512_mb_text_field_is_refused_without_being_held() {
    let base = TestBase::sqlite();
    let server = Server::start(&base, Config::default()).await;
    account(
        &server.store,
        "importeur",
        &[Role::Observatoire, Role::Coordination],
    )
    .await;
    let mut client = server.client();
    let csrf = client.login_ok("importeur").await;
    let cookies: Vec<String> = client
        .cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let cookies = cookies.join("; ");

    for (path, field) in [
        ("/observatoire/imports", "type"),
        ("/crise/indicateurs/import", "territoire"),
    ] {
        let before = status_bytes("VmRSS");
        // Resets the peak (VmHWM) to the current size, so that the peak measured is this request's.
        let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
        let (status, connection, body, pulled) =
            send_huge_field(&server, &cookies, path, &csrf, field).await;
        let peak = status_bytes(if reset { "VmHWM" } else { "VmRSS" });
        assert_eq!(status, 413, "{path}: {body}");
        assert_eq!(
            connection, "close",
            "{path}: the refused connection is closed"
        );
        assert!(
            body.contains(&format!(
                "Le champ « {field} » du formulaire dépasse 64 Kio"
            )) && body.contains("rien n'a été enregistré"),
            "{path}: French, names the field and the limit: {body}"
        );
        assert!(
            pulled < 32 << 20,
            "{path}: the server stopped reading early ({pulled} bytes of {FIELD_SIZE} sent)"
        );
        let growth = peak.saturating_sub(before);
        eprintln!(
            "{path} : {pulled} octets lus sur {FIELD_SIZE}, mémoire +{} Kio (pic {})",
            growth / 1024,
            if reset {
                "VmHWM remis à zéro"
            } else {
                "VmRSS après"
            }
        );
        assert!(
            growth < RSS_BOUND,
            "{path}: the process grew by {growth} bytes (bound {RSS_BOUND})"
        );
    }
    // Nothing was imported or written: no import in the history, no audit of an upload.
    assert!(
        common::audit_actions(&server.store, "imports.televersement")
            .await
            .is_empty()
    );
    server.stop().await;
}
