//! Sessions, CSRF, HTML escaping, API tokens, redirects: on a real server, on SQLite and
//! PostgreSQL.

use crate::common;

use common::{PASSWORD, Server, account, audit_actions, sql};
use maillage_store::accounts::Role;
use maillage_testkit::TestBase;
use maillage_web::Config;

/// A page only a signed-in person opens (the home page `/` is public): 200 with a session, 303 without.
const SIGNED_IN: &str = "/compte/mot-de-passe";

/// The store's instant text, `seconds` ago.
fn ago(seconds: i64) -> String {
    jiff::Timestamp::from_second(jiff::Timestamp::now().as_second() - seconds)
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn posts_without_the_sessions_csrf_token_are_refused() {
    for base in TestBase::all().await {
        let server = Server::start(&base, Config::default()).await;
        account(&server.store, "observatoire", &[Role::Observatoire]).await;
        account(&server.store, "elu", &[Role::Elu]).await;
        let mut a = server.client();
        let csrf = a.login_ok("observatoire").await;
        let mut b = server.client();
        let other_csrf = b.login_ok("elu").await;
        assert_ne!(csrf, other_csrf, "each session has its own token");

        let wrong = "0".repeat(64);
        let cases = [
            ("no token", None),
            ("empty token", Some("")),
            ("wrong token", Some(wrong.as_str())),
            ("another session's token", Some(other_csrf.as_str())),
            ("the right token", Some(csrf.as_str())),
        ];
        for (case, token) in cases {
            let mut form = vec![
                ("actuel", PASSWORD),
                ("nouveau", "x"),
                ("confirmation", "x"),
            ];
            form.extend(token.map(|t| ("_csrf", t)));
            let r = a.post_form("/compte/mot-de-passe", &form).await;
            if case == "the right token" {
                // Past the guard, the handler refuses the weak password.
                assert_eq!(r.status, 422, "[{}] {case}: {}", server.backend, r.body);
            } else {
                assert_eq!(r.status, 403, "[{}] {case}: {}", server.backend, r.body);
                assert!(
                    r.body.contains("jeton anti-falsification"),
                    "French explanation: {}",
                    r.body
                );
            }
        }
        // The token may come in a header instead of the form.
        let r = a
            .send(
                hyper::Method::POST,
                "/compte/mot-de-passe",
                &[
                    ("content-type", "application/x-www-form-urlencoded"),
                    ("x-csrf-token", &csrf),
                ],
                b"actuel=a&nouveau=b&confirmation=b".to_vec(),
            )
            .await;
        assert_eq!(r.status, 422, "{}", r.body);

        // Logout is a POST too: without the token, the session survives.
        assert_eq!(a.post_form("/deconnexion", &[]).await.status, 403);
        assert_eq!(a.get("/").await.status, 200);

        // The login form: without the login page's cookie and token, refused.
        let mut stranger = server.client();
        let r = stranger
            .post_form(
                "/connexion",
                &[("identifiant", "elu"), ("mot_de_passe", PASSWORD)],
            )
            .await;
        assert_eq!(r.status, 403, "{}", r.body);
        let r = stranger
            .post_form(
                "/connexion",
                &[
                    ("identifiant", "elu"),
                    ("mot_de_passe", PASSWORD),
                    ("_csrf", "abc"),
                ],
            )
            .await;
        assert_eq!(r.status, 403);
        server.stop().await;
    }
}

#[tokio::test]
async fn sessions_expire_when_idle_and_at_their_absolute_end() {
    for base in TestBase::all().await {
        let server = Server::start(&base, Config::default()).await;
        account(&server.store, "observatoire", &[Role::Observatoire]).await;

        let mut c = server.client();
        c.login_ok("observatoire").await;
        let cookie = c
            .cookies
            .get("maillage_session")
            .expect("session cookie")
            .clone();
        assert_eq!(cookie.len(), 64, "256 random bits, hex");
        let stored: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM account_session WHERE token_hash = $1")
                .bind(&cookie)
                .fetch_one(server.store.pool())
                .await
                .unwrap();
        assert_eq!(
            stored, 0,
            "the token itself is never stored, only its digest"
        );

        // Idle for longer than 30 minutes.
        sql(
            &server.store,
            &format!("UPDATE account_session SET last_seen_at = '{}'", ago(1801)),
        )
        .await
        .unwrap();
        let r = c.get("/observatoire").await;
        assert_eq!(r.status, 303, "[{}] idle session refused", server.backend);
        assert!(
            r.location().starts_with("/connexion?suite=%2Fobservatoire"),
            "{}",
            r.location()
        );
        assert_eq!(c.get("/api/v1/zones").await.status, 401);
        let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM account_session")
            .fetch_one(server.store.pool())
            .await
            .unwrap();
        assert_eq!(left, 0, "the expired session is deleted");

        // Active, but past its absolute end.
        c.login_ok("observatoire").await;
        assert_eq!(c.get("/observatoire").await.status, 200);
        sql(
            &server.store,
            &format!("UPDATE account_session SET expires_at = '{}'", ago(1)),
        )
        .await
        .unwrap();
        assert_eq!(
            c.get("/observatoire").await.status,
            303,
            "[{}] absolute expiry",
            server.backend
        );

        // Still active within the idle time: fine.
        c.login_ok("observatoire").await;
        sql(
            &server.store,
            &format!("UPDATE account_session SET last_seen_at = '{}'", ago(1700)),
        )
        .await
        .unwrap();
        assert_eq!(c.get("/observatoire").await.status, 200);

        // Logout ends the session on the server, not only in the browser.
        let csrf = c.get("/").await.csrf();
        let stolen = c.cookies.clone();
        assert_eq!(
            c.post_form("/deconnexion", &[("_csrf", &csrf)])
                .await
                .status,
            303
        );
        let mut thief = server.client();
        thief.cookies = stolen;
        assert_eq!(thief.get(SIGNED_IN).await.status, 303);

        // A deactivated account's sessions end.
        let csrf = c.login_ok("observatoire").await;
        assert!(!csrf.is_empty());
        sql(&server.store, "UPDATE account SET active = 0")
            .await
            .unwrap();
        assert_eq!(c.get(SIGNED_IN).await.status, 303);
        server.stop().await;
    }
}

#[tokio::test]
async fn cookies_are_httponly_samesite_and_secure_when_asked() {
    let base = TestBase::sqlite();
    let config = Config {
        secure_cookies: true,
        ..Config::default()
    };
    let server = Server::start(&base, config).await;
    account(&server.store, "elu", &[Role::Elu]).await;
    let mut c = server.client();
    let page = c.get("/connexion").await;
    let set = page
        .headers
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(set.starts_with("__Host-maillage_csrf="), "{set}");
    let r = c.login("elu", PASSWORD).await;
    assert_eq!(r.status, 303);
    let session = r
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|v| v.starts_with("__Host-maillage_session="))
        .expect("session cookie");
    for attribute in [
        "HttpOnly",
        "SameSite=Lax",
        "Secure",
        "Path=/",
        "Max-Age=36000",
    ] {
        assert!(
            session.contains(attribute),
            "{attribute} missing in {session}"
        );
    }
    assert!(
        !session.contains("Domain"),
        "__Host- cookies have no Domain"
    );
    assert_eq!(c.get("/").await.status, 200);

    let plain = TestBase::sqlite();
    let server = Server::start(&plain, Config::default()).await;
    account(&server.store, "elu", &[Role::Elu]).await;
    let mut c = server.client();
    let r = c.login("elu", PASSWORD).await;
    let session = r
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|v| v.starts_with("maillage_session="))
        .unwrap();
    assert!(
        session.contains("HttpOnly")
            && session.contains("SameSite=Lax")
            && !session.contains("Secure"),
        "{session}"
    );
}

#[tokio::test]
async fn user_entered_text_is_escaped_everywhere() {
    for base in TestBase::all().await {
        let server = Server::start(&base, Config::default()).await;
        account(&server.store, "admin", &[Role::Admin]).await;
        let mut admin = server.client();
        let csrf = admin.login_ok("admin").await;
        let evil = "<script>alert(\"xss\")</script>";
        let r = admin
            .post_form(
                "/admin/utilisateurs",
                &[
                    ("_csrf", &csrf),
                    ("identifiant", "victime"),
                    ("nom", evil),
                    ("mot_de_passe", PASSWORD),
                    ("role", "elu"),
                    ("tout_le_territoire", "1"),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "[{}] {}", server.backend, r.body);
        let list = admin.get("/admin/utilisateurs").await;
        assert!(
            list.body
                .contains("&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;"),
            "{}",
            list.body
        );
        // The layout's own script (`/static/maillage.js`) is the only script tag.
        let scripts = |body: &str| body.matches("<script").count();
        assert_eq!(scripts(&list.body), 1, "no raw script tag in the page");

        // The victim's own pages show their name escaped too.
        let mut victim = server.client();
        victim.login_ok("victime").await;
        let home = victim.get("/").await;
        assert!(
            home.body.contains("&lt;script&gt;") && scripts(&home.body) == 1,
            "{}",
            home.body
        );

        // A refused form comes back with what was typed, escaped.
        let r = admin
            .post_form(
                "/admin/utilisateurs",
                &[
                    ("_csrf", &csrf),
                    ("identifiant", "\"><script>x</script>"),
                    ("nom", "a"),
                ],
            )
            .await;
        assert_eq!(r.status, 422);
        // The one script tag is the site's own, which a refused form's page links (refill.rs).
        let own = "<script src=\"/static/formulaires.js\" defer></script>";
        assert_eq!(r.body.matches(own).count(), 1);
        let body = r.body.replace(own, "");
        assert!(
            scripts(&body) == 1 && body.contains("&quot;&gt;&lt;script&gt;"),
            "{}",
            r.body
        );

        // The login form echoes the identifier typed, escaped.
        let mut c = server.client();
        let r = c.login("<img src=x onerror=alert(1)>", "faux").await;
        assert_eq!(r.status, 422);
        assert!(
            !r.body.contains("<img") && r.body.contains("&lt;img"),
            "{}",
            r.body
        );
        server.stop().await;
    }
}

#[tokio::test]
async fn api_tokens_are_created_used_and_revoked_by_an_administrator() {
    for base in TestBase::all().await {
        let store = common::demo_store(&base).await;
        let server = Server::start_on(store, base.backend, Config::default()).await;
        account(&server.store, "admin", &[Role::Admin]).await;
        let partner = account(&server.store, "ars", &[Role::Partenaire]).await;
        let mut admin = server.client();
        let csrf = admin.login_ok("admin").await;
        let r = admin
            .post_form(
                "/admin/jetons",
                &[
                    ("_csrf", &csrf),
                    ("compte", &partner.to_string()),
                    ("libelle", "ARS — tableau régional"),
                ],
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
        let start = r.body.find("mlg_").expect("the token is shown once");
        let token: String = r.body[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        assert_eq!(token.len(), 4 + 64);
        let listed = admin.get("/admin/jetons").await;
        assert!(!listed.body.contains(&token), "never shown again");
        assert!(
            listed.body.contains(&token[..12]),
            "its beginning identifies it"
        );

        let mut api = server.client();
        api.bearer = Some(token.clone());
        let zones = api.get("/api/v1/zones").await;
        assert_eq!(zones.status, 200, "[{}] {}", server.backend, zones.body);
        assert!(!zones.json()["zones"].as_array().unwrap().is_empty());
        // A token opens the API only, never the pages.
        assert_eq!(api.get("/observatoire").await.status, 303);
        // The partner's token has the partner's rights: not the administration.
        let stored: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM api_token WHERE token_hash = $1")
                .bind(&token)
                .fetch_one(server.store.pool())
                .await
                .unwrap();
        assert_eq!(stored, 0, "only the token's digest is stored");

        // Its last use is recorded, at most once a minute: a use 30 s after the recorded one writes nothing,
        // one 2 min after it moves it to now.
        let last_used = || async {
            let t: Option<String> = sqlx::query_scalar("SELECT last_used_at FROM api_token")
                .fetch_one(server.store.pool())
                .await
                .unwrap();
            t.expect("the use is recorded")
                .parse::<jiff::Timestamp>()
                .unwrap()
        };
        let first = last_used().await;
        for (ago, rewritten) in [(30, false), (120, true)] {
            let before = (first - jiff::SignedDuration::from_secs(ago)).to_string();
            sqlx::query("UPDATE api_token SET last_used_at = $1")
                .bind(&before)
                .execute(server.store.pool())
                .await
                .unwrap();
            assert_eq!(api.get("/api/v1/zones").await.status, 200);
            let after = last_used().await;
            assert_eq!(
                after.to_string() != before,
                rewritten,
                "[{}] last use {ago} s ago: {before} → {after}",
                server.backend
            );
        }

        let mut wrong = server.client();
        wrong.bearer = Some("mlg_0000".into());
        let r = wrong.get("/api/v1/zones").await;
        assert_eq!(r.status, 401);
        assert_eq!(r.headers.get("www-authenticate").unwrap(), "Bearer");
        assert!(r.json()["erreur"].as_str().unwrap().contains("jeton"));
        // Public routes answer whatever token comes with the request.
        assert_eq!(wrong.get("/sante").await.status, 200);

        let id: i64 = sqlx::query_scalar("SELECT id FROM api_token")
            .fetch_one(server.store.pool())
            .await
            .unwrap();
        let r = admin
            .post_form(
                &format!("/admin/jetons/{id}/revocation"),
                &[("_csrf", &csrf)],
            )
            .await;
        assert_eq!(r.status, 303);
        assert_eq!(
            api.get("/api/v1/zones").await.status,
            401,
            "[{}] revoked",
            server.backend
        );
        assert_eq!(
            admin
                .post_form(
                    &format!("/admin/jetons/{id}/revocation"),
                    &[("_csrf", &csrf)]
                )
                .await
                .status,
            404
        );

        assert_eq!(
            audit_actions(&server.store, "jetons.creation").await.len(),
            1
        );
        let revoked = audit_actions(&server.store, "jetons.revocation").await;
        assert_eq!(revoked.len(), 1);
        assert_eq!(revoked[0].actor, "admin");
        server.stop().await;
    }
}

#[tokio::test]
async fn login_redirects_only_within_the_site_and_never_reuses_a_planted_session() {
    let base = TestBase::sqlite();
    let server = Server::start(&base, Config::default()).await;
    account(&server.store, "elu", &[Role::Elu]).await;
    for (next, expected) in [
        ("/observatoire", "/observatoire"),
        ("//evil.example/x", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
    ] {
        let mut c = server.client();
        c.cookies.insert("maillage_session".into(), "f".repeat(64));
        let page = c.get("/connexion").await;
        let r = c
            .post_form(
                "/connexion",
                &[
                    ("_csrf", &page.csrf()),
                    ("identifiant", "elu"),
                    ("mot_de_passe", PASSWORD),
                    ("suite", next),
                ],
            )
            .await;
        assert_eq!(r.status, 303);
        assert_eq!(r.location(), expected, "next = {next}");
        assert_ne!(
            c.cookies["maillage_session"],
            "f".repeat(64),
            "a fresh session token is issued"
        );
    }
}

#[tokio::test]
async fn changing_ones_password_ends_the_other_sessions() {
    for base in TestBase::all().await {
        let server = Server::start(&base, Config::default()).await;
        account(&server.store, "coordination", &[Role::Coordination]).await;
        let mut laptop = server.client();
        let csrf = laptop.login_ok("coordination").await;
        let mut phone = server.client();
        phone.login_ok("coordination").await;
        let new = "une autre phrase de passe bien longue";
        let r = laptop
            .post_form(
                "/compte/mot-de-passe",
                &[
                    ("_csrf", &csrf),
                    ("actuel", PASSWORD),
                    ("nouveau", new),
                    ("confirmation", new),
                ],
            )
            .await;
        assert_eq!(r.status, 303, "[{}] {}", server.backend, r.body);
        assert_eq!(
            laptop.get(SIGNED_IN).await.status,
            200,
            "the session that changed it stays"
        );
        assert_eq!(phone.get(SIGNED_IN).await.status, 303, "the others end");
        let mut c = server.client();
        assert_eq!(c.login("coordination", PASSWORD).await.status, 422);
        assert_eq!(c.login("coordination", new).await.status, 303);
        // Mismatched confirmation and too short passwords are explained in French.
        let r = laptop
            .post_form(
                "/compte/mot-de-passe",
                &[
                    ("_csrf", &csrf),
                    ("actuel", new),
                    ("nouveau", "abc"),
                    ("confirmation", "abd"),
                ],
            )
            .await;
        assert_eq!(r.status, 422);
        assert!(
            r.body.contains("confirmation sont différents"),
            "{}",
            r.body
        );
        let r = laptop
            .post_form(
                "/compte/mot-de-passe",
                &[
                    ("_csrf", &csrf),
                    ("actuel", new),
                    ("nouveau", "abc"),
                    ("confirmation", "abc"),
                ],
            )
            .await;
        assert!(r.body.contains("mot de passe trop court"), "{}", r.body);
        assert_eq!(
            audit_actions(&server.store, "compte.mot_de_passe")
                .await
                .len(),
            1
        );
        server.stop().await;
    }
}

#[tokio::test]
async fn demonstration_accounts_exist_only_on_a_demonstration_base() {
    for base in TestBase::all().await {
        let store = maillage_store::Store::open(&base.location).await.unwrap();
        assert!(
            maillage_web::users::prepare_demo_accounts(&store)
                .await
                .unwrap()
                .is_empty(),
            "not a demo base"
        );
        maillage_demo::build(&store, maillage_demo::DEFAULT_SEED)
            .await
            .unwrap();
        let accounts = maillage_web::users::prepare_demo_accounts(&store)
            .await
            .unwrap();
        assert_eq!(accounts.len(), Role::ALL.len(), "one per role");
        // Run again: same accounts, new passwords (the printed ones are the ones that work).
        let again = maillage_web::users::prepare_demo_accounts(&store)
            .await
            .unwrap();
        assert_eq!(again.len(), accounts.len());
        let server = Server::start_on(store.clone(), base.backend, Config::default()).await;
        let mut c = server.client();
        let dpo = again.iter().find(|a| a.role == Role::Dpo).unwrap();
        let old = accounts.iter().find(|a| a.role == Role::Dpo).unwrap();
        assert_eq!(c.login(&dpo.identifier, &old.password).await.status, 422);
        assert_eq!(
            c.login(&dpo.identifier, &dpo.password).await.status,
            303,
            "[{}]",
            server.backend
        );
        assert_eq!(c.get("/dpo/journal").await.status, 200);
        server.stop().await;

        // The base stops being a demonstration base: its demonstration accounts no longer open anything.
        sql(&store, "DELETE FROM setting WHERE key = 'demonstration'")
            .await
            .unwrap();
        let server = Server::start_on(store, base.backend, Config::default()).await;
        let mut c = server.client();
        assert_eq!(
            c.login(&dpo.identifier, &dpo.password).await.status,
            422,
            "[{}]",
            server.backend
        );
        server.stop().await;
    }
}
