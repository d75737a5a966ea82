//! A real server on 127.0.0.1 (port chosen by the system) and a real HTTP/1.1 client (hyper), with a cookie
//! jar. Shared by the web tests.

#![allow(dead_code)]

pub mod browser;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::header::{HeaderMap, HeaderValue};
use hyper::{Method, Request};
use hyper_util::rt::TokioIo;
use maillage_store::Store;
use maillage_store::accounts::Role;
use maillage_testkit::TestBase;
use maillage_web::audit::Actor;
use maillage_web::users::{self, UserForm};
use maillage_web::{Config, app, serve};
use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use tokio::sync::oneshot;

pub const PASSWORD: &str = "une phrase de passe assez longue";

/// A store over `base` holding the demonstration territory (its default seed).
pub async fn demo_store(base: &TestBase) -> Store {
    let store = Store::open(&base.location).await.expect("store opens");
    maillage_demo::build(&store, maillage_demo::DEFAULT_SEED)
        .await
        .expect("demonstration builds");
    store
}

/// A server over the demonstration territory (see [`demo_store`]), with the default settings.
pub async fn demo_server(base: &TestBase) -> Server {
    Server::start_on(demo_store(base).await, base.backend, Config::default()).await
}

/// A server running for one test; stopped when dropped.
pub struct Server {
    pub addr: SocketAddr,
    pub store: Store,
    pub backend: &'static str,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Server {
    pub async fn start(base: &TestBase, config: Config) -> Server {
        let store = Store::open(&base.location).await.expect("store opens");
        Server::start_on(store, base.backend, config).await
    }

    pub async fn start_on(store: Store, backend: &'static str, config: Config) -> Server {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind on loopback");
        let addr = listener.local_addr().unwrap();
        let router = app(store.clone(), config)
            .await
            .expect("application builds");
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            serve(router, listener, async move {
                let _ = stopped.await;
            })
            .await
            .expect("server runs");
        });
        Server {
            addr,
            store,
            backend,
            stop: Some(stop),
            task: Some(task),
        }
    }

    pub fn client(&self) -> Client {
        Client {
            addr: self.addr,
            cookies: BTreeMap::new(),
            bearer: None,
        }
    }

    /// Stops the server and waits for it (so the store can be reused by another server).
    pub async fn stop(mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.task.take() {
            let _ = t.await;
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
    }
}

/// Creates an account with every commune and the test password; returns its id.
pub async fn account(store: &Store, identifier: &str, roles: &[Role]) -> i64 {
    let form = UserForm {
        identifier: identifier.into(),
        display_name: format!("Compte {identifier}"),
        password: PASSWORD.into(),
        roles: roles.iter().copied().collect::<BTreeSet<_>>(),
        territories: BTreeSet::new(),
        all_territories: true,
    };
    users::create(store, &Actor::command_line(), &form)
        .await
        .expect("account created")
}

/// Creates an account holding only these communes (INSEE codes), with the test password; returns its id.
pub async fn commune_account(
    store: &Store,
    identifier: &str,
    roles: &[Role],
    communes: &[&str],
) -> i64 {
    let form = UserForm {
        identifier: identifier.into(),
        display_name: format!("Compte {identifier}"),
        password: PASSWORD.into(),
        roles: roles.iter().copied().collect::<BTreeSet<_>>(),
        territories: communes.iter().map(|c| c.to_string()).collect(),
        all_territories: false,
    };
    users::create(store, &Actor::command_line(), &form)
        .await
        .expect("account created")
}

/// The store the web application uses in production: on PostgreSQL, as the application role that row-level
/// security binds (`maillage serve --role-application`) when the test cluster has it; otherwise the owner's.
/// The base must already hold what the test writes as the owner (the demonstration...).
pub async fn application_store(base: &TestBase, owner: Store) -> Store {
    if owner.backend() != maillage_store::Backend::Postgres {
        return owner;
    }
    match maillage_testkit::roles::application_role(&base.location).await {
        Some(role) => {
            owner.close().await;
            Store::open_as_application(&base.location, role)
                .await
                .expect("the application role opens the store")
        }
        None => owner,
    }
}

/// Gives every record of the tables owned by a commune (`reach::OWNED_TABLES`) to `commune`, as the owner, so
/// that an account of another commune reaches none of them.
pub async fn give_owned_records_to(owner: &Store, commune: &str) {
    unlock_main_courante(owner).await;
    for (table, _) in maillage_store::reach::OWNED_TABLES {
        let has_column: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(match owner.backend() {
            maillage_store::Backend::Sqlite => {
                "SELECT count(*) FROM pragma_table_info($1) WHERE name = 'commune_code'"
            }
            maillage_store::Backend::Postgres => {
                "SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema() \
                 AND table_name = $1 AND column_name = 'commune_code'"
            }
        }))
        .bind(*table)
        .fetch_one(owner.pool())
        .await
        .unwrap();
        if has_column == 0 {
            // A branch without the ownership migrations (0011, 0013) yet: the column as they add it.
            sql(
                owner,
                &format!("ALTER TABLE {table} ADD COLUMN commune_code TEXT"),
            )
            .await
            .unwrap();
        }
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE {table} SET commune_code = $1"
        )))
        .bind(commune)
        .execute(owner.pool())
        .await
        .unwrap();
    }
    lock_main_courante(owner).await;
}

/// The main courante refuses updates (a trigger): a test setup rewriting its rows as the owner lifts it, as
/// migration 0011 does, then puts it back with [`lock_main_courante`].
pub async fn unlock_main_courante(owner: &Store) {
    let lift = match owner.backend() {
        maillage_store::Backend::Postgres => {
            "ALTER TABLE crisis_log DISABLE TRIGGER crisis_log_append_only"
        }
        maillage_store::Backend::Sqlite => "DROP TRIGGER crisis_log_append_only",
    };
    sql(owner, lift).await.unwrap();
}

pub async fn lock_main_courante(owner: &Store) {
    let restore = match owner.backend() {
        maillage_store::Backend::Postgres => {
            "ALTER TABLE crisis_log ENABLE TRIGGER crisis_log_append_only"
        }
        maillage_store::Backend::Sqlite => {
            "CREATE TRIGGER crisis_log_append_only BEFORE UPDATE ON crisis_log \
             BEGIN SELECT RAISE(ABORT, 'crisis_log is append-only'); END"
        }
    };
    sql(owner, restore).await.unwrap();
}

/// One account per role, named after the role.
pub async fn one_account_per_role(store: &Store) -> BTreeMap<Role, i64> {
    let mut ids = BTreeMap::new();
    for &role in Role::ALL {
        ids.insert(role, account(store, role.as_str(), &[role]).await);
    }
    ids
}

#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn location(&self) -> &str {
        self.headers
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("JSON expected ({e}): {}", self.body))
    }

    /// The value of the first hidden `_csrf` field of the page.
    pub fn csrf(&self) -> String {
        let marker = "name=\"_csrf\" value=\"";
        let start = self
            .body
            .find(marker)
            .unwrap_or_else(|| panic!("no CSRF field in: {}", self.body))
            + marker.len();
        self.body[start..].split('"').next().unwrap().to_string()
    }
}

/// An HTTP/1.1 client with a cookie jar, one connection per request.
#[derive(Clone)]
pub struct Client {
    pub addr: SocketAddr,
    pub cookies: BTreeMap<String, String>,
    pub bearer: Option<String>,
}

impl Client {
    pub async fn send(
        &mut self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> Reply {
        let stream = tokio::net::TcpStream::connect(self.addr)
            .await
            .expect("connect");
        let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .expect("handshake");
        tokio::spawn(conn);
        let mut req = Request::builder()
            .method(method)
            .uri(path)
            .header("host", self.addr.to_string());
        if !self.cookies.is_empty() {
            let jar: Vec<String> = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            req = req.header("cookie", jar.join("; "));
        }
        if let Some(token) = &self.bearer {
            req = req.header("authorization", format!("Bearer {token}"));
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let response = sender
            .send_request(req.body(Full::new(Bytes::from(body))).unwrap())
            .await
            .expect("response");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        for c in headers.get_all("set-cookie") {
            let text = c.to_str().unwrap();
            let (pair, attributes) = text.split_once(';').unwrap_or((text, ""));
            let (name, value) = pair.split_once('=').unwrap();
            if attributes.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_string(), value.to_string());
            }
        }
        let body = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        }
    }

    pub async fn get(&mut self, path: &str) -> Reply {
        self.send(Method::GET, path, &[], Vec::new()).await
    }

    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        self.send(
            Method::POST,
            path,
            &[("content-type", "application/x-www-form-urlencoded")],
            body.into_bytes(),
        )
        .await
    }

    /// Logs in through the login page (its CSRF cookie and field) and returns the login's answer.
    pub async fn login(&mut self, identifier: &str, password: &str) -> Reply {
        let page = self.get("/connexion").await;
        assert_eq!(page.status, 200, "login page: {}", page.body);
        let csrf = page.csrf();
        self.post_form(
            "/connexion",
            &[
                ("_csrf", &csrf),
                ("identifiant", identifier),
                ("mot_de_passe", password),
            ],
        )
        .await
    }

    /// Logs in and returns the session's CSRF token (read from the home page's logout form).
    pub async fn login_ok(&mut self, identifier: &str) -> String {
        let r = self.login(identifier, PASSWORD).await;
        assert_eq!(
            r.status, 303,
            "login of {identifier} should succeed: {}",
            r.body
        );
        let home = self.get("/").await;
        assert_eq!(home.status, 200);
        home.csrf()
    }
}

pub fn header_value(v: &str) -> HeaderValue {
    HeaderValue::from_str(v).unwrap()
}

/// Runs a SQL statement on the store (tests tamper with rows directly).
pub async fn sql(store: &Store, statement: &str) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query(sqlx::AssertSqlSafe(statement.to_string()))
        .execute(store.pool())
        .await?
        .rows_affected())
}

/// Audit entries with this action code, oldest first.
pub async fn audit_actions(store: &Store, action: &str) -> Vec<maillage_store::audit::Record> {
    let filter = maillage_store::audit::Filter {
        action: Some(maillage_store::audit::Action::parse(action).expect("known action")),
        ..Default::default()
    };
    let mut v = maillage_store::audit::list(store, &filter, 10_000, 0)
        .await
        .unwrap();
    v.reverse();
    v
}

/// A GET whose body is kept as bytes (PDF, XLSX, GeoPackage): `Client` decodes bodies as text.
pub async fn get_bytes(client: &Client, path: &str) -> (u16, hyper::HeaderMap, Vec<u8>) {
    let stream = tokio::net::TcpStream::connect(client.addr).await.unwrap();
    let (mut sender, conn) =
        hyper::client::conn::http1::handshake(hyper_util::rt::TokioIo::new(stream))
            .await
            .unwrap();
    tokio::spawn(conn);
    let jar: Vec<String> = client
        .cookies
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let req = hyper::Request::builder()
        .method(Method::GET)
        .uri(path)
        .header("host", client.addr.to_string())
        .header("cookie", jar.join("; "))
        .body(Full::new(Bytes::new()))
        .unwrap();
    let response = sender.send_request(req).await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, body.to_vec())
}

/// The boundary of the multipart bodies the tests send ([`multipart`]).
pub const BOUNDARY: &str = "----maillage-essai-7d3f";

/// The `content-type` header of a [`multipart`] body.
pub fn multipart_type() -> String {
    format!("multipart/form-data; boundary={BOUNDARY}")
}

/// A multipart body as a browser's form sends it: the text fields in order, then the file `fichier`.
pub fn multipart(fields: &[(&str, &str)], file_name: &str, content: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"fichier\"; filename=\"{file_name}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}
