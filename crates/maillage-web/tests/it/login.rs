//! The login limiter, the client's address behind a proxy, password strength where passwords are set, the
//! `suite` redirect, and the embedded JavaScript's way of writing data (text nodes only): issue 14, items 5 and 6.

use crate::common;

use common::{Client, PASSWORD, Reply, Server, account, audit_actions, sql};
use hyper::Method;
use maillage_store::accounts::Role;
use maillage_testkit::TestBase;
use maillage_web::Config;

/// Logs in as `identifier` from a fresh browser, seen as coming from `forwarded_for` (an `X-Forwarded-For`
/// header, which only a trusted proxy's is believed).
async fn try_login(
    server: &Server,
    forwarded_for: Option<&str>,
    identifier: &str,
    password: &str,
) -> Reply {
    let mut c = server.client();
    let mut headers: Vec<(&str, &str)> = Vec::new();
    if let Some(ip) = forwarded_for {
        headers.push(("x-forwarded-for", ip));
    }
    let page = c
        .send(Method::GET, "/connexion", &headers, Vec::new())
        .await;
    assert_eq!(page.status, 200);
    let csrf = page.csrf();
    post_login(&mut c, &headers, &csrf, identifier, password, None).await
}

async fn post_login(
    c: &mut Client,
    headers: &[(&str, &str)],
    csrf: &str,
    identifier: &str,
    password: &str,
    next: Option<&str>,
) -> Reply {
    let mut fields = vec![
        ("_csrf", csrf),
        ("identifiant", identifier),
        ("mot_de_passe", password),
    ];
    if let Some(n) = next {
        fields.push(("suite", n));
    }
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish();
    let mut headers = headers.to_vec();
    headers.push(("content-type", "application/x-www-form-urlencoded"));
    c.send(Method::POST, "/connexion", &headers, body.into_bytes())
        .await
}

/// The answer asks to wait `seconds` (a second may have passed since the delay was set).
fn assert_wait(r: &Reply, seconds: i64) {
    let wait: i64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(
        (seconds - 2..=seconds).contains(&wait),
        "Retry-After {wait}, expected {seconds}"
    );
}

fn behind_proxy() -> Config {
    Config {
        trusted_proxies: vec!["127.0.0.1".parse().unwrap()],
        ..Config::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_guesses_get_no_more_password_checks_than_the_free_tries() {
    for base in TestBase::all().await {
        let server = Server::start(&base, Config::default()).await;
        account(&server.store, "maire", &[Role::Elu]).await;
        // One login page, then 150 guesses at once with its cookie and token (as a script would).
        let mut c = server.client();
        let page = c.get("/connexion").await;
        let csrf = page.csrf();
        let guesses = (0..150).map(|i| {
            let mut c = c.clone();
            let csrf = csrf.clone();
            tokio::spawn(async move {
                post_login(&mut c, &[], &csrf, "maire", &format!("essai {i}"), None)
                    .await
                    .status
            })
        });
        let statuses: Vec<u16> = futures_util::future::join_all(guesses)
            .await
            .into_iter()
            .map(|r| r.unwrap())
            .collect();
        let checked = statuses.iter().filter(|s| **s == 422).count();
        let limited = statuses.iter().filter(|s| **s == 429).count();
        let free = Config::default().login_pacing.free_tries as usize;
        assert_eq!(checked + limited, 150, "{}: {statuses:?}", base.backend);
        // Each check of a password is audited once: that many argon2 verifications, no more.
        let failed = audit_actions(&server.store, "connexion.echec").await;
        assert_eq!(failed.len(), checked, "{}", base.backend);
        assert!(
            (1..=free).contains(&checked),
            "{}: {checked} password checks for {free} free tries",
            base.backend
        );
        // Refusals are audited sparsely (1st, 2nd, 4th…): a flood of tries does not flood the log.
        let limited_entries = audit_actions(&server.store, "connexion.limitee").await;
        assert!(
            !limited_entries.is_empty() && limited_entries.len() <= 9,
            "{}: {} entries for {limited} refusals",
            base.backend,
            limited_entries.len()
        );
        server.stop().await;
    }
}

#[tokio::test]
async fn failures_slow_one_address_down_progressively_and_never_lock_the_owner_out() {
    let base = TestBase::sqlite();
    let config = Config {
        login_account_alert: 5,
        ..behind_proxy()
    };
    let server = Server::start(&base, config).await;
    account(&server.store, "maire", &[Role::Elu]).await;
    let attacker = Some("203.0.113.7");
    let owner = Some("198.51.100.2");
    for _ in 0..5 {
        assert_eq!(
            try_login(&server, attacker, "maire", "mauvais mot de passe")
                .await
                .status,
            422
        );
    }
    // The attacker's address now waits 30 s, even with the right password…
    let r = try_login(&server, attacker, "maire", "encore faux").await;
    assert_eq!(r.status, 429);
    assert_wait(&r, 30);
    assert!(
        r.body.contains("réessayez dans 30 secondes")
            || r.body.contains("réessayez dans 29 secondes"),
        "French, says how long: {}",
        r.body
    );
    assert_eq!(
        try_login(&server, attacker, "maire", PASSWORD).await.status,
        429
    );
    // … while the owner, from their own address, logs in.
    assert_eq!(
        try_login(&server, owner, "maire", PASSWORD).await.status,
        303
    );
    // Five failures on the account: an alert in the audit log, not a lock.
    let alerts: Vec<_> = audit_actions(&server.store, "connexion.limitee")
        .await
        .into_iter()
        .filter(|r| r.details.contains("\"alerte\":\"compte\""))
        .collect();
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    assert_eq!(alerts[0].actor, "maire");

    // Each check after the free tries doubles the wait: 30 s, 60 s, 120 s…
    for expected in [60, 120, 240] {
        sql(&server.store, "UPDATE login_throttle SET allowed_from = 0")
            .await
            .unwrap();
        assert_eq!(
            try_login(&server, attacker, "maire", "toujours faux")
                .await
                .status,
            422
        );
        let r = try_login(&server, attacker, "maire", "toujours faux").await;
        assert_eq!(r.status, 429);
        assert_wait(&r, expected);
    }
    // The wait is capped.
    sql(
        &server.store,
        "UPDATE login_throttle SET allowed_from = 0, delay_seconds = 800",
    )
    .await
    .unwrap();
    try_login(&server, attacker, "maire", "faux").await;
    let r = try_login(&server, attacker, "maire", "faux").await;
    assert_wait(&r, 900);
    // Once the wait is over, the right password passes and the address starts afresh.
    sql(&server.store, "UPDATE login_throttle SET allowed_from = 0")
        .await
        .unwrap();
    assert_eq!(
        try_login(&server, attacker, "maire", PASSWORD).await.status,
        303
    );
    assert_eq!(
        sql(
            &server.store,
            "DELETE FROM login_throttle WHERE ip = '203.0.113.7'"
        )
        .await
        .unwrap(),
        0,
        "a success forgets the address's failures"
    );
    server.stop().await;
}

#[tokio::test]
async fn x_forwarded_for_is_believed_only_from_a_trusted_proxy() {
    let base = TestBase::sqlite();
    // No trusted proxy: every try comes from 127.0.0.1, whatever the header says.
    let server = Server::start(&base, Config::default()).await;
    account(&server.store, "maire", &[Role::Elu]).await;
    for i in 0..5 {
        let forged = format!("192.0.2.{i}");
        assert_eq!(
            try_login(&server, Some(&forged), "maire", "faux")
                .await
                .status,
            422
        );
    }
    assert_eq!(
        try_login(&server, Some("192.0.2.200"), "maire", PASSWORD)
            .await
            .status,
        429,
        "a forged X-Forwarded-For does not buy a fresh address"
    );
    let failed = audit_actions(&server.store, "connexion.echec").await;
    assert!(
        failed.iter().all(|r| r.ip.as_deref() == Some("127.0.0.1")),
        "the socket's address is recorded: {failed:?}"
    );
    server.stop().await;

    // Behind a trusted proxy: the address the proxy appended is the client's.
    let base = TestBase::sqlite();
    let server = Server::start(&base, behind_proxy()).await;
    account(&server.store, "maire", &[Role::Elu]).await;
    for _ in 0..5 {
        try_login(&server, Some("192.0.2.1"), "maire", "faux").await;
    }
    assert_eq!(
        try_login(&server, Some("192.0.2.1"), "maire", PASSWORD)
            .await
            .status,
        429
    );
    // What the client wrote before the proxy's own entry does not count: the rightmost address does.
    assert_eq!(
        try_login(&server, Some("192.0.2.1, 192.0.2.2"), "maire", PASSWORD)
            .await
            .status,
        303
    );
    assert_eq!(
        try_login(&server, Some("192.0.2.2, 192.0.2.1"), "maire", PASSWORD)
            .await
            .status,
        429
    );
    let ok = audit_actions(&server.store, "connexion.reussie").await;
    assert_eq!(ok.len(), 1);
    assert_eq!(ok[0].ip.as_deref(), Some("192.0.2.2"));
    server.stop().await;
}

#[tokio::test]
async fn suite_never_leaves_the_site_nor_breaks_the_login() {
    let base = TestBase::sqlite();
    let server = Server::start(&base, Config::default()).await;
    account(&server.store, "maire", &[Role::Elu]).await;
    let hostile = [
        "/%09/evil.example/",
        "/%0a/evil.example/",
        "/%0d%0aSet-Cookie:%20x=1",
        "//evil.example/",
        "/%5cevil.example/",
        "%2F%2Fevil.example",
        "https://evil.example/",
        "/%00",
        "/%E2%80%A8/evil.example",
    ];
    for suite in hostile {
        let mut c = server.client();
        let page = c.get(&format!("/connexion?suite={suite}")).await;
        assert_eq!(page.status, 200, "{suite}");
        assert!(
            page.body.contains("name=\"suite\" value=\"/\""),
            "{suite}: the form goes back home"
        );
        // Posted directly with the hostile value: home, never elsewhere, never a 500.
        let decoded: String = form_urlencoded::parse(format!("s={suite}").as_bytes())
            .next()
            .unwrap()
            .1
            .into_owned();
        let csrf = page.csrf();
        let r = post_login(&mut c, &[], &csrf, "maire", PASSWORD, Some(&decoded)).await;
        assert_eq!(r.status, 303, "{suite}: {}", r.body);
        assert_eq!(r.location(), "/", "{suite}");
    }
    // A path of the site is kept.
    let mut c = server.client();
    let page = c
        .get("/connexion?suite=%2Fobservatoire%3Fzone%3D86194")
        .await;
    let r = post_login(
        &mut c,
        &[],
        &page.csrf(),
        "maire",
        PASSWORD,
        Some("/observatoire?zone=86194"),
    )
    .await;
    assert_eq!(r.location(), "/observatoire?zone=86194");
    server.stop().await;
}

#[tokio::test]
async fn weak_passwords_are_refused_wherever_a_password_is_set() {
    let base = TestBase::sqlite();
    let server = Server::start(&base, Config::default()).await;
    account(&server.store, "admin", &[Role::Admin]).await;
    let mut admin = server.client();
    let csrf = admin.login_ok("admin").await;
    let weak = [
        ("            ", "vide ou fait seulement d'espaces"),
        ("aaaaaaaaaaaa", "caractère répété, une suite simple"),
        ("123456789012", "caractère répété, une suite simple"),
        ("agent.accueil", "ni être ni contenir l'identifiant"),
        ("P@ssw0rd2024!", "fait partie des plus courants"),
        ("kqzmwhfxtrpl", "au moins 80 bits d'entropie"),
        ("court", "au moins 12 caractères"),
    ];
    for (password, expected) in weak {
        let r = admin
            .post_form(
                "/admin/utilisateurs",
                &[
                    ("_csrf", &csrf),
                    ("identifiant", "agent.accueil"),
                    ("nom", "Agent d'accueil"),
                    ("mot_de_passe", password),
                    ("role", "mediation"),
                    ("tout_le_territoire", "1"),
                ],
            )
            .await;
        assert_eq!(r.status, 422, "{password:?}");
        assert!(
            r.body.contains(expected),
            "{password:?}: expected « {expected} » in {}",
            r.body
        );
    }
    assert!(
        maillage_store::accounts::credentials(&server.store, "agent.accueil")
            .await
            .unwrap()
            .is_none(),
        "no account created"
    );
    // The account's own change of password.
    let page = admin.get("/compte/mot-de-passe").await;
    let r = admin
        .post_form(
            "/compte/mot-de-passe",
            &[
                ("_csrf", &page.csrf()),
                ("actuel", PASSWORD),
                ("nouveau", "azertyuiopqsdf"),
                ("confirmation", "azertyuiopqsdf"),
            ],
        )
        .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("mot de passe"), "{}", r.body);
    server.stop().await;
}

#[test]
fn generated_passwords_pass_the_policy_for_every_role() {
    for _ in 0..200 {
        let p = maillage_web::secrets::readable_password();
        for &role in Role::ALL {
            let _ = maillage_store::accounts::check_password(&p, role.as_str()).inspect_err(|e| {
                // Containing a four-letter role name by chance is the one possible refusal, drawn again.
                assert!(
                    matches!(
                        e,
                        maillage_store::accounts::AccountError::PasswordContainsIdentifier
                    ),
                    "{p}: {e:?}"
                )
            });
        }
    }
}

/// The embedded scripts never turn data into markup: no `innerHTML` & co., and Leaflet's tooltips and popups
/// (which put a string in `innerHTML`) always get a function building text nodes.
#[test]
fn embedded_scripts_write_data_as_text_only() {
    let scripts: Vec<_> = maillage_web::assets::ASSETS
        .iter()
        .filter(|(path, _, _)| path.ends_with(".js") && !path.contains("vendor"))
        .collect();
    assert!(!scripts.is_empty());
    for (path, _, bytes) in scripts {
        let code = std::str::from_utf8(bytes).unwrap();
        for sink in [
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "createContextualFragment",
            "setTooltipContent",
            "setPopupContent",
            "setContent(",
        ] {
            assert!(!code.contains(sink), "{path}: {sink}");
        }
        for binder in ["bindTooltip(", "bindPopup("] {
            for (at, _) in code.match_indices(binder) {
                let argument = code[at + binder.len()..].trim_start();
                assert!(
                    argument.starts_with("bulle(") || argument.starts_with("function"),
                    "{path}: {binder} given {}",
                    &argument[..argument.len().min(60)]
                );
            }
        }
    }
}
