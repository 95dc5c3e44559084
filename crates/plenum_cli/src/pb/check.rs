//! `plenum pb check FILE...`

use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The Pabulib files to check.
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

pub fn run(args: CheckArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not written yet: {} files", args.files.len())
}
