//! What the subcommands share in how they report: text or JSON, and a progress bar.

use std::io::{IsTerminal, StdoutLock, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::ValueEnum;
use serde::Serialize;

/// Output for people or for programs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// A one-line progress bar on stderr, shown only for several files and a terminal.
#[derive(Debug)]
pub struct Progress {
    total: usize,
    done: usize,
    shown: bool,
}

impl Progress {
    pub fn new(total: usize) -> Progress {
        Progress { total, done: 0, shown: total > 1 && std::io::stderr().is_terminal() }
    }

    /// Announces the next item.
    pub fn show(&mut self, item: &str) {
        self.done += 1;
        if self.shown {
            let width = 30;
            let filled = width * self.done / self.total.max(1);
            let mut err = std::io::stderr().lock();
            let _ = write!(
                err,
                "\r\x1b[2K[{}{}] {}/{} {}",
                "#".repeat(filled),
                " ".repeat(width - filled),
                self.done,
                self.total,
                item
            );
            let _ = err.flush();
        }
    }

    /// Removes the bar.
    pub fn clear(&self) {
        if self.shown {
            let _ = write!(std::io::stderr().lock(), "\r\x1b[2K");
        }
    }
}

/// A file that could not be counted, as one line of JSON output.
#[derive(Debug, Serialize)]
struct ErrorJson<'a> {
    file: &'a str,
    error: String,
}

/// The loop every counting command runs: for each file, `count` it (timed) and `write` what it
/// gave; a file that fails gets its error (a JSON line, or a message on stderr) and the others
/// are still counted. Exits 1 if any file failed.
pub fn for_each_file<T>(
    files: &[PathBuf],
    format: Format,
    mut count: impl FnMut(&str, &PathBuf) -> Result<T, String>,
    mut write: impl FnMut(&mut StdoutLock<'static>, &str, T, f64) -> anyhow::Result<()>,
) -> anyhow::Result<ExitCode> {
    let mut failed = false;
    let mut progress = Progress::new(files.len());
    let mut out = std::io::stdout().lock();
    for path in files {
        let name = path.display().to_string();
        progress.show(&name);
        let started = Instant::now();
        let result = count(&name, path);
        let seconds = started.elapsed().as_secs_f64();
        match result {
            Ok(counted) => write(&mut out, &name, counted, seconds)?,
            Err(error) => {
                failed = true;
                match format {
                    Format::Json => {
                        serde_json::to_writer(&mut out, &ErrorJson { file: &name, error })?;
                        writeln!(out)?;
                    }
                    Format::Text => {
                        progress.clear();
                        eprintln!("plenum: {error}");
                    }
                }
            }
        }
    }
    progress.clear();
    Ok(if failed { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
