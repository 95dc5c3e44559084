//! `plenum bench …`: measurements of the platform as deployed (the store today; the web layer
//! beside it later).

mod ballots;

use std::process::ExitCode;

use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Durable secret ballots through the store on a fresh instance: ballots per second and
    /// latency with group commit, against one ballot per transaction.
    Ballots(ballots::BallotsArgs),
}

pub fn run(command: BenchCommand) -> anyhow::Result<ExitCode> {
    match command {
        BenchCommand::Ballots(args) => ballots::run(args),
    }
}
