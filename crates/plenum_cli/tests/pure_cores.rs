//! Architecture invariant: the pure crates (`plenum_choice` and `plenum_core`) never depend, even
//! indirectly, on async runtimes, databases, web frameworks, clocks or the
//! operating system's randomness. This test reads `cargo metadata` and fails if one does.

use std::collections::{BTreeSet, HashMap};
use std::process::Command;

use serde_json::Value;

/// Crates whose presence means IO, time or OS randomness crept into a pure crate.
const FORBIDDEN: &[&str] = &[
    // async runtimes
    "tokio",
    "async-std",
    "smol",
    "async-io",
    "mio",
    // databases
    "sqlx",
    "sqlx-core",
    "rusqlite",
    "libsqlite3-sys",
    "postgres",
    "tokio-postgres",
    "diesel",
    "sea-orm",
    // web
    "axum",
    "hyper",
    "actix-web",
    "rocket",
    "warp",
    "tower",
    "reqwest",
    "tower-http",
    // clocks
    "chrono",
    "time",
    "jiff",
    // OS randomness
    "getrandom",
    "rand",
];

const PURE: &[&str] = &["plenum_choice", "plenum_core"];

#[test]
fn pure_crates_depend_on_no_io_clock_or_os_randomness() {
    let output = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    assert!(output.status.success(), "cargo metadata failed: {}", String::from_utf8_lossy(&output.stderr));
    let metadata: Value = serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON");

    let names: HashMap<&str, &str> = metadata["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p["name"].as_str().unwrap()))
        .collect();
    let nodes: HashMap<&str, &Value> =
        metadata["resolve"]["nodes"].as_array().expect("resolve").iter().map(|n| (n["id"].as_str().unwrap(), n)).collect();

    let mut checked = 0;
    for (&id, &name) in &names {
        if !PURE.contains(&name) {
            continue;
        }
        checked += 1;
        // Everything reachable through normal (not dev) dependencies.
        let mut seen = BTreeSet::new();
        let mut stack = vec![id];
        while let Some(current) = stack.pop() {
            for dep in nodes[current]["deps"].as_array().expect("deps") {
                let normal = dep["dep_kinds"].as_array().expect("dep_kinds").iter().any(|k| k["kind"].is_null());
                let dep_id = dep["pkg"].as_str().unwrap();
                if normal && seen.insert(names[dep_id]) {
                    stack.push(dep_id);
                }
            }
        }
        let bad: Vec<&&str> = seen.iter().filter(|d| FORBIDDEN.contains(d)).collect();
        assert!(bad.is_empty(), "{name} must stay pure but depends on {bad:?} (see ARCHITECTURE.md)");
    }
    assert_eq!(checked, PURE.len(), "not every pure crate ({PURE:?}) was found in cargo metadata");
}
