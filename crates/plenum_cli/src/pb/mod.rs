//! `plenum pb …`: participatory budgeting on Pabulib files.

mod check;

use std::process::ExitCode;

use clap::Subcommand;

#[derive(Debug, Subcommand)]
pub enum PbCommand {
    /// Validate Pabulib files: structure and consistency, as pabulib's checker does.
    Check(check::CheckArgs),
}

pub fn run(command: PbCommand) -> anyhow::Result<ExitCode> {
    match command {
        PbCommand::Check(args) => check::run(args),
    }
}
