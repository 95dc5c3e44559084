//! What the subcommands share in how they report: text or JSON, and a progress bar.

use std::io::{IsTerminal, Write};

use clap::ValueEnum;

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
