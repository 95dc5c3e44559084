//! `plenum pb export CYCLE` and `plenum pb import FILE --into BODY`: budget cycles of an
//! instance as Pabulib files, and real elections into an instance as closed cycles.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use plenum_core::BudgetCycleId;

use super::load;
use crate::config::Layer;
use crate::instance::{self, InstanceArgs};

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The cycle's id.
    cycle: String,
    /// Where to write: a file for a cycle with one pot, else a directory (one file per pot);
    /// standard output when absent and the cycle has one pot.
    #[arg(long, value_name = "PATH")]
    out: Option<PathBuf>,
    #[command(flatten)]
    instance: InstanceArgs,
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The Pabulib (.pb) file.
    file: PathBuf,
    /// The assembly (its address name) the closed cycle will belong to.
    #[arg(long, value_name = "BODY")]
    into: String,
    #[command(flatten)]
    instance: InstanceArgs,
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().context("starting the async runtime")
}

pub fn export(args: ExportArgs) -> anyhow::Result<ExitCode> {
    let cycle = BudgetCycleId::parse(&args.cycle).map_err(|e| anyhow::anyhow!("{e}"))?;
    let settings = args.instance.settings(Layer::default())?;
    let files = runtime()?.block_on(async {
        let store = instance::open(&settings).await?;
        let files = plenum_web::open_data::export_pabulib(&store, &cycle).await;
        store.close().await;
        files.map_err(|e| anyhow::anyhow!("{} ({})", e.message, e.code))
    })?;
    match (&args.out, files.as_slice()) {
        (None, [(_, text)]) => {
            use std::io::Write;
            std::io::stdout().write_all(text)?;
        }
        (None, _) => anyhow::bail!("this cycle has {} pots: give --out DIR to write one file each", files.len()),
        (Some(path), [(_, text)]) if !path.is_dir() => {
            std::fs::write(path, text).with_context(|| path.display().to_string())?;
        }
        (Some(dir), _) => {
            std::fs::create_dir_all(dir).with_context(|| dir.display().to_string())?;
            for (name, text) in &files {
                let file: String = name.chars().map(|c| if c.is_alphanumeric() { c } else { '_' }).collect();
                let path = dir.join(format!("{file}.pb"));
                std::fs::write(&path, text).with_context(|| path.display().to_string())?;
                eprintln!("wrote {}", path.display());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn import(args: ImportArgs) -> anyhow::Result<ExitCode> {
    let election = load(&args.file).map_err(anyhow::Error::msg)?;
    let settings = args.instance.settings(Layer::default())?;
    runtime()?.block_on(async {
        let store = instance::open(&settings).await?;
        let cycle = plenum_web::open_data::import_pabulib(&store, &args.into, election).await;
        store.close().await;
        let cycle = cycle.map_err(|e| anyhow::anyhow!("{}: {} ({})", args.file.display(), e.message, e.code))?;
        println!("{cycle}");
        Ok(ExitCode::SUCCESS)
    })
}
