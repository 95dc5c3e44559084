//! `plenum bench …`: measurements of the platform as deployed: the store on its own
//! (`ballots`), the running server over loopback (`http`), and a large budget cycle (`budget`).

mod ballots;
mod budget;
mod http;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::Context;
use clap::Subcommand;
use plenum_store::Store;

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Durable secret ballots through the store on a fresh instance: ballots per second and
    /// latency with group commit, against one ballot per transaction.
    Ballots(ballots::BallotsArgs),
    /// The running server over loopback on a fresh instance: durable ballots per second through
    /// the JSON API and the latency of the public pages of a large assembly.
    Http(http::HttpArgs),
    /// A budget cycle of 100,000 ballots over 150 projects: the tally, against `plenum pb tally`
    /// of the same ballots as a Pabulib file, and the results page over loopback.
    Budget(budget::BudgetArgs),
}

pub fn run(command: BenchCommand) -> anyhow::Result<ExitCode> {
    match command {
        BenchCommand::Ballots(args) => ballots::run(args),
        BenchCommand::Http(args) => http::run(args),
        BenchCommand::Budget(args) => budget::run(args),
    }
}

/// The URL to open, and a temporary directory to remove afterwards if one was made.
fn database(database_url: Option<&str>, data_dir: Option<&Path>) -> anyhow::Result<(String, Option<PathBuf>)> {
    if let Some(url) = database_url {
        return Ok((url.to_owned(), None));
    }
    let (dir, temporary) = match data_dir {
        Some(dir) => (dir.to_owned(), false),
        None => (std::env::temp_dir().join(format!("plenum-bench-{}-{}", std::process::id(), nanos())), true),
    };
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    anyhow::ensure!(
        !dir.join(plenum_store::SQLITE_FILE).exists(),
        "{} already holds a database; the benchmark needs a fresh one",
        dir.display()
    );
    Ok((Store::sqlite_url(&dir), temporary.then_some(dir)))
}

/// A UUIDv7-shaped id; unique within the fresh instance.
fn id(kind: u16, n: usize) -> String {
    format!("019b0000-{kind:04x}-7000-8000-{n:012x}")
}

fn nanos() -> u128 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos())
}

/// The `q` quantile of sorted latencies, in milliseconds (0 for none).
fn quantile_ms(sorted: &[Duration], q: f64) -> f64 {
    #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_precision_loss, reason = "an index")]
    let i = ((sorted.len() as f64 * q).ceil() as usize).saturating_sub(1);
    sorted.get(i).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
}
