//! `plenum bench http` keeps working: a tiny instance on SQLite, every ballot acknowledged and
//! stored, every page answered. No timing is asserted.

use std::process::Command;

#[test]
fn the_http_bench_casts_every_ballot_and_fetches_every_page_on_a_tiny_instance() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_plenum"))
        .args(["bench", "http", "--voters", "50", "--motions", "20", "--concurrency", "8", "--page-requests", "10"])
        .args(["--page-concurrency", "2", "--format", "json", "--data-dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["engine"], "sqlite");
    assert_eq!(report["voters"], 50);
    assert_eq!(report["motions"], 20);
    let ballots = &report["ballots"];
    assert_eq!(ballots["acknowledged"], 50);
    assert_eq!(ballots["failed"], 0);
    assert_eq!(ballots["stored"], 50);
    assert_eq!(ballots["events_appended"], 50);
    for field in ["ballots_per_second", "p50_ms", "p99_ms", "max_ms", "mean_batch"] {
        assert!(ballots[field].as_f64().unwrap() > 0.0, "{field}: {ballots}");
    }
    let pages = report["pages"].as_array().unwrap();
    let names: Vec<&str> = pages.iter().map(|p| p["page"].as_str().unwrap()).collect();
    assert_eq!(names, ["assembly page", "motion page", "poll page", "GET /api/v1/bodies/{id}", "GET /api/v1/log/head"]);
    for page in pages {
        assert_eq!(page["requests"], 10, "{page}");
        assert_eq!(page["failed"], 0, "{page}");
        assert!(page["bytes"].as_u64().unwrap() > 0, "{page}");
        assert!(page["p99_ms"].as_f64().unwrap() > 0.0, "{page}");
    }
}
