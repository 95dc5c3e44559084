//! Fresh databases for tests, on each engine, and `TestApp`: typed calls with a cookie jar.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use plenum_store::Store;
use plenum_web::{App, Config};
use sqlx::Executor;
use tower::ServiceExt;

/// A fresh, empty store.
pub struct TestDb {
    pub store: Arc<Store>,
    _dir: Option<tempfile::TempDir>,
}

pub async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_data_dir(dir.path()).await.unwrap();
    TestDb { store: Arc::new(store), _dir: Some(dir) }
}

/// `url` with its database name replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let server = match base[scheme_end..].find('/') {
        Some(slash) => &base[..scheme_end + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{server}/{name}?{q}"),
        None => format!("{server}/{name}"),
    }
}

pub async fn postgres() -> TestDb {
    let Ok(server) = std::env::var("PLENUM_TEST_POSTGRES_URL") else {
        panic!(
            "PLENUM_TEST_POSTGRES_URL is not set. Every web test runs on PostgreSQL as well as SQLite: run \
             `bash .ci/run` (it starts a throwaway PostgreSQL 15), or point the variable at a server where the \
             tests may create databases, e.g. PLENUM_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres"
        )
    };
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    let name = format!("plenum_web_test_{}_{}_{}", std::process::id(), nanos, NEXT.fetch_add(1, Ordering::Relaxed));
    sqlx::any::install_default_drivers();
    let admin = sqlx::AnyPool::connect(&server)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to PLENUM_TEST_POSTGRES_URL={server}: {e}"));
    admin.execute(format!("CREATE DATABASE {name}").as_str()).await.unwrap();
    admin.close().await;
    let store = Store::open(&with_database(&server, &name)).await.unwrap();
    TestDb { store: Arc::new(store), _dir: None }
}

/// Runs each named scenario (an `async fn(&TestDb)`) as two tests, `sqlite` and `postgres`.
macro_rules! on_both_engines {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test]
                async fn sqlite() {
                    let db = crate::engine::sqlite().await;
                    super::$name(&db).await;
                }

                #[tokio::test]
                async fn postgres() {
                    let db = crate::engine::postgres().await;
                    super::$name(&db).await;
                }
            }
        )*
    };
}
pub(crate) use on_both_engines;

/// What a call answered.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub location: Option<String>,
    pub content_type: String,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The CSRF token in the page's forms.
    pub fn csrf(&self) -> String {
        let at = self.body.find(r#"name="csrf" value=""#).unwrap_or_else(|| panic!("no CSRF field in {}", self.body));
        let rest = &self.body[at + r#"name="csrf" value=""#.len()..];
        rest[..rest.find('"').unwrap()].to_owned()
    }
}

/// One browser: the application and a cookie jar.
#[derive(Clone)]
pub struct TestApp {
    pub router: Router,
    pub app: App,
    pub cookies: BTreeMap<String, String>,
}

impl TestApp {
    pub fn new(db: &TestDb) -> TestApp {
        TestApp::in_zone(db, plenum_web::Tz::UTC)
    }

    /// An application whose instance time zone is `zone`.
    pub fn in_zone(db: &TestDb, zone: plenum_web::Tz) -> TestApp {
        let config = Config { signups_per_ip: 1000, login_attempts_per_ip: 1000, time_zone: zone, ..Config::default() };
        let app = App::new(db.store.clone(), config);
        TestApp { router: plenum_web::router(app.clone()), app, cookies: BTreeMap::new() }
    }

    /// Another browser on the same application (no cookies).
    pub fn browser(&self) -> TestApp {
        TestApp { router: self.router.clone(), app: self.app.clone(), cookies: BTreeMap::new() }
    }

    pub async fn send(&mut self, request: Request<Body>) -> Answer {
        let mut request = request;
        if !self.cookies.is_empty() {
            let jar: Vec<String> = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
            request.headers_mut().insert(header::COOKIE, jar.join("; ").parse().unwrap());
        }
        let response = self.router.clone().oneshot(request).await.unwrap();
        for value in response.headers().get_all(header::SET_COOKIE) {
            let pair = value.to_str().unwrap().split(';').next().unwrap();
            let (k, v) = pair.split_once('=').unwrap();
            if v.is_empty() || value.to_str().unwrap().contains("Max-Age=0") {
                self.cookies.remove(k);
            } else {
                self.cookies.insert(k.to_owned(), v.to_owned());
            }
        }
        let status = response.status();
        let headers = response.headers().clone();
        let location = headers.get(header::LOCATION).map(|v| v.to_str().unwrap().to_owned());
        let content_type = headers.get(header::CONTENT_TYPE).map_or(String::new(), |v| v.to_str().unwrap().to_owned());
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
        Answer { status, location, content_type, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
    }

    pub async fn get(&mut self, path: &str) -> Answer {
        self.send(Request::get(path).body(Body::empty()).unwrap()).await
    }

    /// Posts a form as a browser would (the fields URL-encoded).
    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Answer {
        let body: Vec<String> = fields.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect();
        let request = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body.join("&")))
            .unwrap();
        self.send(request).await
    }

    /// Gets `page`, then posts `fields` with the CSRF token from it.
    pub async fn submit(&mut self, page: &str, action: &str, fields: &[(&str, &str)]) -> Answer {
        let token = self.get(page).await.csrf();
        let mut all = vec![("csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post_form(action, &all).await
    }

    pub async fn post_json(&mut self, path: &str, body: &str) -> Answer {
        let request =
            Request::post(path).header(header::CONTENT_TYPE, "application/json").body(Body::from(body.to_owned())).unwrap();
        self.send(request).await
    }

    /// Signs up (and so in) a new resident.
    pub async fn sign_up(&mut self, login: &str, name: &str) -> Answer {
        let answer =
            self.submit("/signup", "/signup", &[("login", login), ("display_name", name), ("password", "a long password")]).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
        answer
    }
}

/// Percent-encodes a form value.
pub fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            b' ' => "+".to_owned(),
            b => format!("%{b:02X}"),
        })
        .collect()
}

#[test]
fn the_test_database_replaces_only_the_database_name() {
    assert_eq!(with_database("postgres://u@h:5/postgres", "t"), "postgres://u@h:5/t");
    assert_eq!(with_database("postgres://u@h:5/postgres?sslmode=disable", "t"), "postgres://u@h:5/t?sslmode=disable");
}
