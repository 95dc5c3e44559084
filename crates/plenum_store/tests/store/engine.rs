//! Fresh databases for tests, on each engine.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use plenum_store::Store;
use sqlx::Executor;

/// A fresh, empty store and how to open it again.
pub struct TestDb {
    /// Shared, so that concurrent voters can each hold it in a task.
    pub store: Arc<Store>,
    pub url: String,
    /// Keeps the SQLite directory alive as long as the test runs.
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    pub async fn reopen(&self) -> Store {
        Store::open(&self.url).await.unwrap()
    }
}

pub async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_data_dir(dir.path()).await.unwrap();
    TestDb { store: Arc::new(store), url: Store::sqlite_url(dir.path()), _dir: Some(dir) }
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
            "PLENUM_TEST_POSTGRES_URL is not set. Every store test runs on PostgreSQL as well as SQLite: run \
             `bash .ci/run` (it starts a throwaway PostgreSQL 15), or point the variable at a server where the \
             tests may create databases, e.g. PLENUM_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres"
        )
    };
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    let name = format!("plenum_test_{}_{}_{}", std::process::id(), nanos, NEXT.fetch_add(1, Ordering::Relaxed));
    sqlx::any::install_default_drivers();
    let admin = sqlx::AnyPool::connect(&server)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to PLENUM_TEST_POSTGRES_URL={server}: {e}"));
    admin.execute(format!("CREATE DATABASE {name}").as_str()).await.unwrap();
    admin.close().await;
    let url = with_database(&server, &name);
    let store = Store::open(&url).await.unwrap();
    TestDb { store: Arc::new(store), url, _dir: None }
}

/// Runs each named scenario (an `async fn(&TestDb)`) as two tests, `sqlite` and `postgres`, on
/// a runtime with two worker threads (so that concurrent callers really are concurrent).
macro_rules! on_both_engines {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let db = crate::engine::sqlite().await;
                    super::$name(&db).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    let db = crate::engine::postgres().await;
                    super::$name(&db).await;
                }
            }
        )*
    };
}
pub(crate) use on_both_engines;

#[test]
fn the_test_database_replaces_only_the_database_name() {
    assert_eq!(with_database("postgres://u@h:5/postgres", "t"), "postgres://u@h:5/t");
    assert_eq!(with_database("postgres://u@h:5/postgres?sslmode=disable", "t"), "postgres://u@h:5/t?sslmode=disable");
    assert_eq!(with_database("postgres://u@h:5", "t"), "postgres://u@h:5/t");
}
