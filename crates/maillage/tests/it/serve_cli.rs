//! `maillage serve --role-application`: the web application runs as a PostgreSQL role that owns nothing (row-level
//! security binds it), after the owner has migrated the base and granted that role its rights.

use maillage_testkit::TestBase;
use maillage_testkit::roles::application_role;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn a_sqlite_base_has_no_application_role_and_says_so_in_french() {
    let base = TestBase::sqlite();
    let out = crate::common::maillage(
        &base.location,
        &[
            "serve",
            "--adresse",
            "127.0.0.1:0",
            "--role-application",
            "maillage_application",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("une base SQLite n'a pas de rôles"),
        "{stderr}"
    );
}

/// The body of `GET /sante`, once the server answers (None if it never does within the delay).
fn health(address: &str) -> Option<String> {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Ok(mut stream) = TcpStream::connect(address) {
            let _ = write!(
                stream,
                "GET /sante HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
            );
            let mut reply = String::new();
            if stream.read_to_string(&mut reply).is_ok() && reply.starts_with("HTTP/1.1 200") {
                return Some(reply);
            }
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    None
}

#[tokio::test]
async fn serve_grants_the_application_role_and_runs_as_it_on_postgresql() {
    let Some(base) = TestBase::postgres().await else {
        return;
    };
    let Some(role) = application_role(&base.location).await else {
        return;
    };
    let address = {
        let free = TcpListener::bind("127.0.0.1:0").unwrap();
        free.local_addr().unwrap().to_string()
    };
    let mut server = Command::new(env!("CARGO_BIN_EXE_maillage"))
        .args(["serve", "--adresse", &address, "--role-application", role])
        .args(["--base", &base.location])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let answered = health(&address);
    server.kill().ok();
    let out = server.wait_with_output().unwrap();
    assert!(
        answered.is_some(),
        "the server did not answer: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    // The owner granted the role the application's rights, and no more.
    let store = maillage_store::Store::open(&base.location).await.unwrap();
    for (table, privilege, expected) in [
        ("crisis_person", "SELECT", true),
        ("crisis_person", "DELETE", true),
        ("account", "UPDATE", true),
        ("audit_log", "INSERT", true),
        ("audit_log", "UPDATE", false),
        ("audit_log", "DELETE", false),
        ("audit_log", "TRUNCATE", false),
        ("_sqlx_migrations", "SELECT", false),
    ] {
        let granted: bool = sqlx::query_scalar("SELECT has_table_privilege($1, $2, $3)")
            .bind(role)
            .bind(table)
            .bind(privilege)
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(granted, expected, "{privilege} on {table}");
    }
    store.close().await;
}
