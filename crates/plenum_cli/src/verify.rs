//! `plenum verify`: recompute the event log's hash chain and every closed poll's result.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use plenum_store::Store;

/// Checks the event log and the results, from the stored data alone.
#[derive(Debug, clap::Args)]
pub struct VerifyArgs {
    /// A database URL (`postgres://…` or `sqlite://…`); by default the SQLite file in --data-dir.
    #[arg(long)]
    database_url: Option<String>,
    /// The data directory holding the SQLite database.
    #[arg(long, default_value = "plenum-data")]
    data_dir: PathBuf,
}

pub fn run(args: VerifyArgs) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async {
        let url = match args.database_url {
            Some(url) => url,
            None => {
                let file = args.data_dir.join(plenum_store::SQLITE_FILE);
                anyhow::ensure!(file.exists(), "there is no database at {} (use --data-dir or --database-url)", file.display());
                Store::sqlite_url(&args.data_dir)
            }
        };
        let store = Store::open(&url).await.context("opening the database")?;
        let report = store.verify().await.context("reading the log")?;
        store.close().await;
        match report.problem {
            None => {
                println!(
                    "ok: {} events, hash chain intact (head {}); {} closed polls re-tallied, {} sortition draws repeated, \
                     {} delegate elections recounted, all match",
                    report.events, report.head, report.polls, report.draws, report.elections
                );
                Ok(ExitCode::SUCCESS)
            }
            Some(problem) => {
                let at = match (problem.seq, problem.kind) {
                    (Some(seq), Some(kind)) => format!("event {seq} ({kind})"),
                    (Some(seq), None) => format!("event {seq}"),
                    _ => "the ballot box".to_owned(),
                };
                println!("FAILED at {at}: {}", problem.what);
                println!("{} events before it verified (head {})", report.events, report.head);
                Ok(ExitCode::FAILURE)
            }
        }
    })
}
