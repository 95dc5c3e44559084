//! `plenum verify` on a data directory: passes on an intact log, fails naming the altered event.

#![expect(clippy::unwrap_used, reason = "tests fail loudly")]
use std::process::Command;

use plenum_core::{AccountId, DisplayName, Instant};
use plenum_store::{NewAccount, Store};

fn verify(dir: &std::path::Path) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_plenum")).arg("verify").arg("--data-dir").arg(dir).output().unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned())
}

#[tokio::test]
async fn verify_passes_on_an_intact_log_and_names_the_event_that_was_altered() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_data_dir(dir.path()).await.unwrap();
    for (i, name) in ["Ana", "Ben"].iter().enumerate() {
        let account = NewAccount {
            id: AccountId::parse(&format!("01968a3c-0000-7000-8000-00000000000{i}")).unwrap(),
            login: name.to_lowercase(),
            password_hash: "x".to_owned(),
            display_name: DisplayName::parse(name).unwrap(),
        };
        store.register_account(account, Instant::parse("2025-05-01T18:00:00Z").unwrap()).await.unwrap();
    }
    let (ok, out) = verify(dir.path());
    assert!(ok, "{out}");
    assert!(out.starts_with("ok: 2 events"), "{out}");

    sqlx::query("UPDATE events SET payload = replace(payload, 'Ben', 'Bob') WHERE seq = 2").execute(store.pool()).await.unwrap();
    store.close().await;
    let (ok, out) = verify(dir.path());
    assert!(!ok);
    assert!(out.starts_with("FAILED at event 2 (resident_registered)"), "{out}");
}

#[test]
fn verify_without_a_database_says_where_it_looked() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_plenum")).arg("verify").arg("--data-dir").arg(dir.path()).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("there is no database"));
}
