//! Killing the process mid-run loses no acknowledged ballot: `plenum bench ballots` casts into a
//! SQLite data directory and prints each receipt as it is acknowledged; it is killed with
//! SIGKILL; the reopened store holds every printed receipt exactly once, and verifies.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use plenum_store::Store;
use sqlx::Row;

/// Receipts printed before the kill: enough that batches are in flight when it lands.
const ACKS_BEFORE_KILL: usize = 400;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_process_keeps_every_acknowledged_ballot_exactly_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_plenum"))
        .args(["bench", "ballots", "--voters", "20000", "--concurrency", "64", "--baseline", "0", "--log-receipts"])
        .arg("--data-dir")
        .arg(dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut acknowledged = Vec::new();
    while acknowledged.len() < ACKS_BEFORE_KILL {
        let line = lines.next().unwrap_or_else(|| panic!("the benchmark ended before it was killed")).unwrap();
        acknowledged.push(line);
    }
    child.kill().unwrap(); // SIGKILL on Unix: no destructor, no flush, no rollback
    let status = child.wait().unwrap();
    assert!(!status.success(), "the benchmark finished before the kill: raise --voters");
    // What was printed before the kill (still in the pipe) was acknowledged too.
    acknowledged.extend(lines.map(Result::unwrap));
    let receipts: Vec<&str> = acknowledged.iter().map(|l| l.strip_prefix("ack ").unwrap()).collect();

    let store = Store::open_data_dir(dir.path()).await.unwrap();
    let stored: HashMap<String, i64> = sqlx::query("SELECT receipt, COUNT(*) AS n FROM ballot_box GROUP BY receipt")
        .fetch_all(store.pool())
        .await
        .unwrap()
        .iter()
        .map(|r| (r.try_get("receipt").unwrap(), r.try_get("n").unwrap()))
        .collect();
    for receipt in &receipts {
        assert_eq!(stored.get(*receipt), Some(&1), "receipt {receipt}");
    }
    assert!(stored.values().all(|&n| n == 1), "a receipt stored twice");
    // Unacknowledged ballots may have committed too (killed before the print), never half:
    // each ballot in the box has its roll mark, and the poll's count agrees.
    let total: i64 = stored.values().sum();
    let marked: i64 = sqlx::query("SELECT COUNT(*) AS n FROM roll WHERE voted = 1")
        .fetch_one(store.pool())
        .await
        .unwrap()
        .try_get("n")
        .unwrap();
    let counted: i64 =
        sqlx::query("SELECT SUM(voted) AS n FROM polls").fetch_one(store.pool()).await.unwrap().try_get("n").unwrap();
    assert_eq!((marked, counted), (total, total));
    assert!(total >= i64::try_from(receipts.len()).unwrap());
    let verified = store.verify().await.unwrap();
    assert!(verified.is_ok(), "{verified:?}");
    eprintln!("{} acknowledged before the kill, {total} stored", receipts.len());
}
