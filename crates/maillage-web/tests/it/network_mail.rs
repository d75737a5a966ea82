//! E-mail through a real SMTP server on the loopback: a small SMTP sink written here (ESMTP, AUTH PLAIN and
//! LOGIN, refusal of one recipient) receives what Maillage sends through `lettre` — the administrator's test
//! message, a newsletter to a list (one message per person, with the right headers, the text, the footer and a
//! signed unsubscribe link that works), and reminders of overdue actions to their owners. The messages are
//! decoded here as a mail program would (RFC 2047 headers, quoted-printable or base64 bodies).

use crate::common;

use common::{Client, Server};
use maillage_store::Store;
use maillage_testkit::TestBase;
use maillage_web::Config;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// One message as the sink received it.
#[derive(Debug, Clone)]
struct Received {
    mail_from: String,
    rcpt_to: Vec<String>,
    data: String,
    auth: Option<String>,
}

#[derive(Default)]
struct Sink {
    messages: Vec<Received>,
    /// Recipients refused (RCPT answered 550).
    refused: Vec<String>,
}

fn b64_decode(s: &str) -> Vec<u8> {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let mut buf = 0u32;
    let mut bits = 0;
    for c in s.bytes().filter(|c| !c.is_ascii_whitespace() && *c != b'=') {
        let v = A.iter().position(|a| *a == c).expect("base64 character") as u32;
        buf = (buf << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buf >> bits) as u8);
            buf &= (1 << bits) - 1;
        }
    }
    out
}

fn qp_decode(s: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'=' {
            if b.get(i + 1) == Some(&b'\r') && b.get(i + 2) == Some(&b'\n') {
                i += 3;
                continue;
            }
            if b.get(i + 1) == Some(&b'\n') {
                i += 2;
                continue;
            }
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).expect("quoted-printable escape"));
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

/// Decodes RFC 2047 encoded words in a header value.
fn decode_words(v: &str) -> String {
    let mut out = String::new();
    let mut rest = v;
    while let Some(start) = rest.find("=?") {
        let before = &rest[..start];
        // Whitespace between two encoded words is not part of the text.
        if !(out.ends_with('\u{0}') && before.trim().is_empty()) {
            out.push_str(before);
        }
        out = out.trim_end_matches('\u{0}').to_string();
        let word = &rest[start + 2..];
        let mut parts = word.splitn(3, '?');
        let _charset = parts.next().unwrap();
        let encoding = parts.next().unwrap().to_ascii_lowercase();
        let tail = parts.next().unwrap();
        let end = tail.find("?=").expect("end of an encoded word");
        let text = &tail[..end];
        let bytes = if encoding == "b" {
            b64_decode(text)
        } else {
            qp_decode(&text.replace('_', " "))
        };
        out.push_str(&String::from_utf8(bytes).unwrap());
        out.push('\u{0}');
        rest = &tail[end + 2..];
    }
    out.push_str(rest);
    out.replace('\u{0}', "")
}

/// (headers with unfolded values, decoded body).
fn parse(data: &str) -> (Vec<(String, String)>, String) {
    let (head, body) = data.split_once("\r\n\r\n").expect("headers and body");
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in head.split("\r\n") {
        if line.starts_with([' ', '\t']) {
            let last = headers
                .last_mut()
                .expect("a folded line continues a header");
            last.1.push(' ');
            last.1.push_str(line.trim());
        } else {
            let (k, v) = line.split_once(':').expect("a header line");
            headers.push((k.to_string(), v.trim().to_string()));
        }
    }
    let encoding = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("Content-Transfer-Encoding"))
        .map(|(_, v)| v.to_ascii_lowercase())
        .unwrap_or_default();
    let bytes = match encoding.as_str() {
        "base64" => b64_decode(body),
        "quoted-printable" => qp_decode(body),
        _ => body.as_bytes().to_vec(),
    };
    (
        headers,
        String::from_utf8(bytes)
            .expect("UTF-8 text")
            .replace("\r\n", "\n"),
    )
}

fn header<'a>(h: &'a [(String, String)], name: &str) -> &'a str {
    h.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("header {name} missing: {h:?}"))
}

/// Starts the sink on 127.0.0.1; recipients containing `refuse` are refused.
async fn sink() -> (u16, Arc<Mutex<Sink>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let state = Arc::new(Mutex::new(Sink::default()));
    let shared = state.clone();
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else {
                return;
            };
            let shared = shared.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read);
                let mut current = Received {
                    mail_from: String::new(),
                    rcpt_to: Vec::new(),
                    data: String::new(),
                    auth: None,
                };
                let mut auth: Option<String> = None;
                let mut login_user: Option<String> = None;
                let mut pending: Option<&str> = None;
                write.write_all(b"220 sink.test ESMTP\r\n").await.unwrap();
                let mut line = String::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    let cmd = line.trim_end_matches(['\r', '\n']).to_string();
                    let upper = cmd.to_ascii_uppercase();
                    let reply: String = if let Some(step) = pending.take() {
                        match step {
                            "plain" => {
                                auth = Some(String::from_utf8(b64_decode(&cmd)).unwrap());
                                "235 2.7.0 authentifie".into()
                            }
                            "login-user" => {
                                login_user = Some(String::from_utf8(b64_decode(&cmd)).unwrap());
                                pending = Some("login-pass");
                                "334 UGFzc3dvcmQ6".into()
                            }
                            _ => {
                                let pass = String::from_utf8(b64_decode(&cmd)).unwrap();
                                auth = Some(format!(
                                    "\u{0}{}\u{0}{pass}",
                                    login_user.take().unwrap_or_default()
                                ));
                                "235 2.7.0 authentifie".into()
                            }
                        }
                    } else if upper.starts_with("EHLO") {
                        "250-sink.test\r\n250-AUTH PLAIN LOGIN\r\n250 SIZE 10000000".into()
                    } else if upper.starts_with("HELO") {
                        "250 sink.test".into()
                    } else if upper.starts_with("AUTH PLAIN") {
                        match cmd.split_whitespace().nth(2) {
                            Some(initial) => {
                                auth = Some(String::from_utf8(b64_decode(initial)).unwrap());
                                "235 2.7.0 authentifie".into()
                            }
                            None => {
                                pending = Some("plain");
                                "334 ".into()
                            }
                        }
                    } else if upper.starts_with("AUTH LOGIN") {
                        pending = Some("login-user");
                        "334 VXNlcm5hbWU6".into()
                    } else if upper.starts_with("MAIL FROM:") {
                        current = Received {
                            mail_from: cmd[10..].trim().to_string(),
                            rcpt_to: Vec::new(),
                            data: String::new(),
                            auth: auth.clone(),
                        };
                        "250 2.1.0 ok".into()
                    } else if upper.starts_with("RCPT TO:") {
                        let to = cmd[8..].trim().to_string();
                        if to.contains("refuse") {
                            shared.lock().unwrap().refused.push(to);
                            "550 5.1.1 boite aux lettres inconnue".into()
                        } else {
                            current.rcpt_to.push(to);
                            "250 2.1.5 ok".into()
                        }
                    } else if upper == "DATA" {
                        write
                            .write_all(b"354 envoyez le message\r\n")
                            .await
                            .unwrap();
                        let mut data = String::new();
                        loop {
                            line.clear();
                            if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                                return;
                            }
                            if line == ".\r\n" {
                                break;
                            }
                            // Dot-unstuffing (RFC 5321 §4.5.2).
                            data.push_str(line.strip_prefix('.').unwrap_or(&line));
                        }
                        current.data = data;
                        shared.lock().unwrap().messages.push(current.clone());
                        "250 2.0.0 en file".into()
                    } else if upper == "RSET" || upper == "NOOP" {
                        "250 2.0.0 ok".into()
                    } else if upper == "QUIT" {
                        let _ = write.write_all(b"221 2.0.0 au revoir\r\n").await;
                        return;
                    } else {
                        "502 5.5.2 commande inconnue".into()
                    };
                    write
                        .write_all(format!("{reply}\r\n").as_bytes())
                        .await
                        .unwrap();
                }
            });
        }
    });
    (port, state)
}

async fn scalar(store: &Store, q: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(q.to_string()))
        .fetch_one(store.pool())
        .await
        .unwrap()
}

async fn add_contact(c: &mut Client, csrf: &str, store: &Store, name: &str, email: &str) -> i64 {
    let r = c
        .post_form(
            "/reseau/acteurs/1/contacts",
            &[("_csrf", csrf), ("nom", name), ("courriel", email)],
        )
        .await;
    assert_eq!(r.status, 303, "{}", r.body);
    scalar(
        store,
        &format!("SELECT id FROM network_contact WHERE email = '{email}'"),
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn messages_reach_a_real_smtp_server_with_their_headers_text_and_a_working_unsubscribe_link()
{
    for base in TestBase::all().await {
        let store = common::demo_store(&base).await;
        common::one_account_per_role(&store).await;
        let server = Server::start_on(store.clone(), base.backend, Config::default()).await;
        let b = server.backend;
        let (port, sink) = sink().await;

        // The administrator configures the server, with authentication, and sends a test message.
        let mut admin = server.client();
        let csrf = admin.login_ok("admin").await;
        let port_text = port.to_string();
        let r = admin
            .post_form(
                "/admin/courriel",
                &[
                    ("_csrf", &csrf),
                    ("serveur", "127.0.0.1"),
                    ("port", &port_text),
                    ("utilisateur", "relais"),
                    ("mot_de_passe", "secret du relais"),
                    ("expediteur", "sante@bellerive.invalid"),
                    ("nom_expediteur", "Coordination santé de Bellerive"),
                    ("adresse_publique", "https://sante.bellerive.example/"),
                    ("essai", "essai@exemple.invalid"),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "[{b}] {}", r.body);
        assert!(r.location().contains("fait=essai"));
        {
            let s = sink.lock().unwrap();
            assert_eq!(s.messages.len(), 1);
            let m = &s.messages[0];
            assert_eq!(
                m.auth.as_deref(),
                Some("\u{0}relais\u{0}secret du relais"),
                "AUTH with the configured credentials"
            );
            assert_eq!(m.mail_from, "<sante@bellerive.invalid>");
            assert_eq!(m.rcpt_to, ["<essai@exemple.invalid>"]);
            let (h, text) = parse(&m.data);
            assert_eq!(
                decode_words(header(&h, "Subject")),
                "Maillage : message d'essai"
            );
            assert!(text.contains("Maillage peut envoyer des courriels"));
        }
        // The password is neither shown back nor written to the audit log.
        let page = admin.get("/admin/courriel").await.body;
        assert!(
            !page.contains("secret du relais") && page.contains("Un mot de passe est enregistré")
        );
        for a in common::audit_actions(&store, "reseau.modification").await {
            assert!(!a.details.contains("secret"), "{}", a.details);
        }

        // The coordination writes to a list of three people; the server refuses one address.
        let mut c = server.client();
        let csrf = c.login_ok("coordination").await;
        let anne = add_contact(&mut c, &csrf, &store, "Anne Essai", "anne@exemple.invalid").await;
        let bruno = add_contact(
            &mut c,
            &csrf,
            &store,
            "Bruno Essai",
            "bruno@exemple.invalid",
        )
        .await;
        let refused = add_contact(
            &mut c,
            &csrf,
            &store,
            "Refus Essai",
            "refuse@exemple.invalid",
        )
        .await;
        let r = c
            .post_form(
                "/reseau/relais/listes",
                &[
                    ("_csrf", &csrf),
                    ("nom", "Liste d'essai"),
                    ("description", ""),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "[{b}] {}", r.body);
        let list: i64 = r
            .location()
            .split('?')
            .next()
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let ids: Vec<String> = [anne, bruno, refused]
            .iter()
            .map(|i| i.to_string())
            .collect();
        let mut form: Vec<(&str, &str)> = vec![("_csrf", &csrf)];
        form.extend(ids.iter().map(|i| ("contact", i.as_str())));
        assert_eq!(
            c.post_form(&format!("/reseau/relais/listes/{list}/membres"), &form)
                .await
                .status,
            303
        );
        let list_text = list.to_string();
        let subject = "Lettre santé n° 1 : le dépistage reprend";
        let body = "Bonjour,\n\nLe dépistage organisé reprend à l'unité mobile, place du Marché.\n.\nUne ligne qui commence par un point.";
        let r = c
            .post_form(
                "/reseau/relais/messages",
                &[
                    ("_csrf", &csrf),
                    ("liste", &list_text),
                    ("type", "lettre"),
                    ("objet", subject),
                    ("texte", body),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "[{b}] {}", r.body);
        let page = c.get(r.location().split('?').next().unwrap()).await.body;
        assert!(
            page.contains("envoyé à 2 personnes, 1 échec"),
            "[{b}] {page}"
        );
        assert!(
            page.contains("550"),
            "the server's answer is kept for the failed recipient"
        );

        let key = hex::decode(
            maillage_store::settings::get::<String>(&store, "reseau.cle_signature")
                .await
                .unwrap()
                .unwrap(),
        )
        .unwrap();
        let received: Vec<Received> = sink.lock().unwrap().messages[1..].to_vec();
        assert_eq!(
            received.len(),
            2,
            "[{b}] one message per accepted recipient"
        );
        assert_eq!(sink.lock().unwrap().refused, ["<refuse@exemple.invalid>"]);
        let mut anne_link = String::new();
        for m in &received {
            assert_eq!(m.rcpt_to.len(), 1, "each person gets their own message");
            let (h, text) = parse(&m.data);
            let (contact, name) = if m.rcpt_to[0] == "<anne@exemple.invalid>" {
                (anne, "Anne Essai")
            } else {
                (bruno, "Bruno Essai")
            };
            assert_eq!(decode_words(header(&h, "Subject")), subject);
            let from = decode_words(header(&h, "From"));
            assert!(
                from.contains("Coordination santé de Bellerive")
                    && from.contains("<sante@bellerive.invalid>"),
                "{from}"
            );
            let to = decode_words(header(&h, "To"));
            assert!(to.contains(name), "{to}");
            assert!(header(&h, "Content-Type").starts_with("text/plain"));
            assert!(header(&h, "Message-ID").ends_with("@sante.bellerive.example>"));
            let _ = header(&h, "Date");
            assert_eq!(
                header(&h, "List-Id"),
                format!("<liste-{list}.reseau.sante.bellerive.example>")
            );
            let unsubscribe = header(&h, "List-Unsubscribe");
            let link = unsubscribe
                .trim_start_matches('<')
                .trim_end_matches('>')
                .to_string();
            assert!(link.starts_with(&format!("https://sante.bellerive.example/desinscription?liste={list}&contact={contact}&signature=")));
            let signature = link.rsplit('=').next().unwrap();
            assert!(maillage_network::sign::verify_unsubscribe(
                &key, list, contact, signature
            ));
            // The text, dots included, then the footer with the same link.
            assert!(
                text.starts_with(&body.replace("\r\n", "\n")),
                "[{b}] {text}"
            );
            assert!(text.contains("« Liste d'essai »"));
            assert!(text.contains(&format!(
                "Pour ne plus recevoir les messages de cette liste : {link}"
            )));
            if contact == anne {
                anne_link = link;
            }
        }
        let deliveries: Vec<(i64, String)> =
            sqlx::query_as(sqlx::AssertSqlSafe("SELECT contact_id, status FROM network_message_recipient WHERE message_id = (SELECT MAX(id) FROM network_message) ORDER BY contact_id".to_string()))
                .fetch_all(store.pool())
                .await
                .unwrap();
        assert_eq!(
            deliveries,
            vec![
                (anne, "envoye".into()),
                (bruno, "envoye".into()),
                (refused, "echec".into())
            ]
        );
        let sent = common::audit_actions(&store, "reseau.message.envoi").await;
        assert!(
            sent.iter()
                .any(|a| a.details.contains("\"envoyes\":2") && a.details.contains("\"echecs\":1"))
        );

        // Anne leaves the list with the link of her message; the next letter does not reach her.
        let mut visitor = server.client();
        let path = &anne_link[anne_link.find("/desinscription").unwrap()..];
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
        assert_eq!(
            visitor.post_form("/desinscription", &form).await.status,
            200
        );
        let r = c
            .post_form(
                "/reseau/relais/messages",
                &[
                    ("_csrf", &csrf),
                    ("liste", &list_text),
                    ("type", "message"),
                    ("objet", "Deuxième message"),
                    ("texte", "Suite."),
                ],
            )
            .await;
        assert_eq!(r.status, 303);
        let received: Vec<Received> = sink.lock().unwrap().messages[3..].to_vec();
        assert_eq!(received.len(), 1, "[{b}] only Bruno");
        assert_eq!(received[0].rcpt_to, ["<bruno@exemple.invalid>"]);

        // Reminders: each owner of an overdue or coming action, with an address, gets the list of theirs.
        let before = sink.lock().unwrap().messages.len();
        let today = jiff::Zoned::now().date();
        let horizon = (today + jiff::ToSpan::days(14)).to_string();
        let owners = scalar(
            &store,
            &format!(
                "SELECT COUNT(DISTINCT owner_email) FROM network_action WHERE status IN ('a_faire', 'en_cours') AND due_on IS NOT NULL \
                 AND due_on <= '{horizon}' AND owner_email IS NOT NULL"
            ),
        )
        .await;
        assert!(owners >= 2, "[{b}] the demonstration has overdue actions");
        let r = c.post_form("/reseau/rappels", &[("_csrf", &csrf)]).await;
        assert_eq!(r.status, 303);
        let reminders: Vec<Received> = sink.lock().unwrap().messages[before..].to_vec();
        assert_eq!(reminders.len() as i64, owners, "[{b}]");
        for m in &reminders {
            let (h, text) = parse(&m.data);
            assert_eq!(
                decode_words(header(&h, "Subject")),
                "Rappel : actions de suivi à échéance"
            );
            assert!(text.contains("prévue pour le"), "{text}");
        }
        let overdue_title: String = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT title FROM network_action WHERE status IN ('a_faire', 'en_cours') AND due_on < '{today}' AND owner_email IS NOT NULL ORDER BY id LIMIT 1"
        )))
        .fetch_one(store.pool())
        .await
        .unwrap();
        assert!(
            reminders
                .iter()
                .any(|m| parse(&m.data).1.contains(&overdue_title)
                    && parse(&m.data).1.contains("en retard de"))
        );
        assert!(
            scalar(
                &store,
                "SELECT COUNT(*) FROM network_action WHERE reminded_at IS NOT NULL"
            )
            .await
                > 0
        );
        server.stop().await;
    }
}
