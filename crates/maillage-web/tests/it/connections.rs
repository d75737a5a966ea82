//! Form bodies over their limit get a French 413 (page or JSON) and change nothing; a refused request's
//! connection is closed cleanly, so the client's next request, on a new connection, is served (issue 14, items 1
//! and 6). Raw TCP on the loopback: what a browser or a script would send, byte for byte.

use crate::common;

use common::{Server, account};
use maillage_store::accounts::Role;
use maillage_testkit::TestBase;
use maillage_web::Config;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Reads an HTTP/1.1 answer whose body has a `Content-Length`; gives the head (lower case) and the body.
async fn read_answer(stream: &mut TcpStream) -> (String, String) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = stream
            .read(&mut chunk)
            .await
            .expect("the answer is read before any reset");
        assert!(
            n > 0,
            "connection closed before an answer: {}",
            String::from_utf8_lossy(&buf)
        );
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_lowercase();
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .map(|v| v.trim().parse().unwrap())
        .expect("a content-length");
    while buf.len() < head_end + length {
        let n = stream
            .read(&mut chunk)
            .await
            .expect("the body is read before any reset");
        assert!(n > 0, "connection closed in the middle of the answer");
        buf.extend_from_slice(&chunk[..n]);
    }
    let body = String::from_utf8_lossy(&buf[head_end..head_end + length]).into_owned();
    (head, body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_large_post_closes_its_connection_and_the_next_request_is_served() {
    let base = TestBase::sqlite();
    let server = Server::start(&base, Config::default()).await;
    account(&server.store, "maire", &[Role::Elu]).await;
    for round in 0..3 {
        let mut stream = TcpStream::connect(server.addr).await.unwrap();
        // Announces 512 MiB, sends 256 KiB of it, then waits for the answer (as a browser does).
        let head = format!(
            "POST /connexion HTTP/1.1\r\nHost: {}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
             Content-Length: {}\r\n\r\n",
            server.addr,
            512u64 << 20
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        stream.write_all(&vec![b'a'; 256 << 10]).await.unwrap();
        let (head, body) = read_answer(&mut stream).await;
        assert!(head.starts_with("http/1.1 413"), "{round}: {head}");
        assert!(head.contains("connection: close"), "{round}: {head}");
        assert!(
            body.contains("Le formulaire envoyé dépasse 1 Mio")
                && body.contains("rien n'a été enregistré"),
            "{round}: {body}"
        );
        // The server ends this connection: nothing more is answered on it.
        let mut rest = Vec::new();
        let _ = tokio::time::timeout(
            std::time::Duration::from_secs(5),
            stream.read_to_end(&mut rest),
        )
        .await
        .expect("the server closes the refused connection");
        assert!(rest.is_empty(), "nothing after the refusal");
        // The client's next request, on a new connection as `Connection: close` asks, is served.
        let mut next = TcpStream::connect(server.addr).await.unwrap();
        next.write_all(
            format!("GET /connexion HTTP/1.1\r\nHost: {}\r\n\r\n", server.addr).as_bytes(),
        )
        .await
        .unwrap();
        let (head, body) = read_answer(&mut next).await;
        assert!(head.starts_with("http/1.1 200"), "{round}: {head}");
        assert!(body.contains("Se connecter"));
    }
    server.stop().await;
}

#[tokio::test]
async fn form_bodies_over_the_limit_are_refused_in_french_page_or_json() {
    let base = TestBase::sqlite();
    let server = Server::start(&base, Config::default()).await;
    account(&server.store, "admin", &[Role::Admin]).await;
    let mut admin = server.client();
    let csrf = admin.login_ok("admin").await;
    let before = maillage_store::accounts::list(&server.store)
        .await
        .unwrap()
        .len();

    // Declared too large: refused before a byte is read.
    let big_name = "x".repeat(2 << 20);
    let r = admin
        .post_form(
            "/admin/utilisateurs",
            &[
                ("_csrf", &csrf),
                ("identifiant", "agent"),
                ("nom", &big_name),
                ("mot_de_passe", "une phrase de passe assez longue"),
                ("role", "elu"),
            ],
        )
        .await;
    assert_eq!(r.status, 413, "{}", r.body);
    assert_eq!(r.headers["connection"], "close");
    assert!(
        r.body.contains("Le formulaire envoyé dépasse 1 Mio"),
        "{}",
        r.body
    );

    // Sent in chunks, with no length announced: cut at the limit all the same.
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    let cookies: Vec<String> = admin
        .cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let head = format!(
        "POST /admin/utilisateurs HTTP/1.1\r\nHost: {}\r\nCookie: {}\r\nx-csrf-token: {csrf}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n",
        server.addr,
        cookies.join("; ")
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let chunk = vec![b'a'; 64 << 10];
    for _ in 0..24 {
        let sent = async {
            stream
                .write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
                .await?;
            stream.write_all(&chunk).await?;
            stream.write_all(b"\r\n").await
        };
        // The server may answer and close before the client is done: that is the refusal.
        if sent.await.is_err() {
            break;
        }
    }
    let _ = stream.write_all(b"0\r\n\r\n").await;
    let (head, body) = read_answer(&mut stream).await;
    assert!(head.starts_with("http/1.1 413"), "{head}");
    assert!(
        body.contains("Le formulaire envoyé dépasse 1 Mio"),
        "{body}"
    );

    // An API route answers JSON.
    let mut api = TcpStream::connect(server.addr).await.unwrap();
    api.write_all(
        format!(
            "GET /api/v1/openapi.json HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\n\r\n",
            server.addr,
            4u64 << 20
        )
        .as_bytes(),
    )
    .await
    .unwrap();
    let (head, body) = read_answer(&mut api).await;
    assert!(head.starts_with("http/1.1 413"), "{head}");
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["statut"], 413);
    assert!(json["erreur"].as_str().unwrap().contains("dépasse 1 Mio"));

    assert_eq!(
        maillage_store::accounts::list(&server.store)
            .await
            .unwrap()
            .len(),
        before,
        "nothing written"
    );
    server.stop().await;
}
