//! The PostgreSQL role the web application runs as (`maillage serve --role-application`), for the tests that
//! check row-level security. It is created once per cluster by an administrator (`.ci/run` does it):
//! `CREATE ROLE maillage_application NOLOGIN; GRANT maillage_application TO maillage;` — the test role
//! `maillage` may then take it with `SET ROLE`.

use sqlx::Connection;

/// The application role's name in tests.
pub const APPLICATION_ROLE: &str = "maillage_application";

/// The application role when the PostgreSQL base at `location` may take it, or None after a visible skip line
/// (a failure under `MAILLAGE_EXIGER_POSTGRES=1`, as for a missing server).
pub async fn application_role(location: &str) -> Option<&'static str> {
    let mut conn = sqlx::PgConnection::connect(location)
        .await
        .expect("connexion PostgreSQL de test");
    let member: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1 AND pg_has_role(current_user, oid, 'MEMBER'))",
    )
    .bind(APPLICATION_ROLE)
    .fetch_one(&mut conn)
    .await
    .expect("lecture des rôles PostgreSQL");
    conn.close().await.ok();
    if member {
        return Some(APPLICATION_ROLE);
    }
    let reason = format!(
        "le rôle PostgreSQL « {APPLICATION_ROLE} » n'existe pas ou n'est pas donné au rôle de test (CREATE ROLE \
         {APPLICATION_ROLE} NOLOGIN; GRANT {APPLICATION_ROLE} TO maillage;, ce que fait .ci/run)"
    );
    if std::env::var("MAILLAGE_EXIGER_POSTGRES").as_deref() == Ok("1") {
        panic!("{reason}");
    }
    crate::skip(&format!("{reason} : sécurité par ligne non vérifiée"));
    None
}

/// The URL of the same base logged in as the application role (password = its name, as `.ci/run` creates it),
/// when the role may take it (see [`application_role`]).
pub async fn application_login(location: &str) -> Option<String> {
    let role = application_role(location).await?;
    let (scheme, rest) = location.split_once("://")?;
    let host_and_base = rest.rsplit_once('@').map_or(rest, |(_, h)| h);
    Some(format!("{scheme}://{role}:{role}@{host_and_base}"))
}
