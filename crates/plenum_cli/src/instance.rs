//! The options every command that opens an instance shares: its configuration file, where its
//! database is and its time zone.

use std::path::PathBuf;

use anyhow::Context;
use plenum_store::Store;

use crate::config::{Layer, Settings};

/// Where the instance's data is: a data directory (SQLite) or a database URL, and its zone.
/// Each may also come from the configuration file or the environment (see `config`).
#[derive(Debug, Clone, clap::Args)]
pub struct InstanceArgs {
    /// The configuration file (TOML); without it, ./plenum.toml is read if it exists.
    #[arg(long, value_name = "FILE", env = "PLENUM_CONFIG")]
    pub config: Option<PathBuf>,
    /// The data directory holding the SQLite database (created if missing) [default: plenum-data].
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// A database URL instead (`postgres://…` or `sqlite://…`); overrides the data directory.
    #[arg(long, value_name = "URL")]
    pub database_url: Option<String>,
    /// The time zone deadlines and meeting times are entered and shown in (IANA name) [default: UTC].
    #[arg(long, value_name = "ZONE")]
    pub time_zone: Option<String>,
}

impl InstanceArgs {
    /// The settings in force: these flags and `more` (other flags) over the environment, the
    /// configuration file and the defaults.
    pub fn settings(&self, more: Layer) -> anyhow::Result<Settings> {
        let time_zone = match &self.time_zone {
            Some(zone) => Some(zone.parse::<plenum_web::Tz>().map_err(|_| {
                anyhow::anyhow!("--time-zone: {zone:?} is not an IANA time zone name (like Europe/Madrid or UTC)")
            })?),
            None => None,
        };
        let flags = Layer { data_dir: self.data_dir.clone(), database_url: self.database_url.clone(), time_zone, ..more };
        Settings::resolve(self.config.as_deref(), |name| std::env::var(name).ok(), flags)
    }
}

/// Opens (creating and migrating if needed) the instance's store.
pub async fn open(settings: &Settings) -> anyhow::Result<Store> {
    match &settings.database_url {
        Some(url) => Store::open(url).await.with_context(|| format!("opening the database at {}", redact(url))),
        None => Store::open_data_dir(&settings.data_dir)
            .await
            .with_context(|| format!("opening the database in {}", settings.data_dir.display())),
    }
}

/// A URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}
