//! The options every command that opens an instance shares: where its database is.

use std::path::PathBuf;

use anyhow::Context;
use plenum_store::Store;

/// Where the instance's data is: a data directory (SQLite) or a database URL.
#[derive(Debug, Clone, clap::Args)]
pub struct InstanceArgs {
    /// The data directory holding the SQLite database (created if missing).
    #[arg(long, default_value = "plenum-data", value_name = "DIR")]
    pub data_dir: PathBuf,
    /// A database URL instead (`postgres://…` or `sqlite://…`); overrides --data-dir.
    #[arg(long, value_name = "URL", env = "PLENUM_DATABASE_URL")]
    pub database_url: Option<String>,
    /// The time zone deadlines and meeting times are entered and shown in (IANA name).
    #[arg(long, default_value = "UTC", value_name = "ZONE", env = "PLENUM_TIME_ZONE")]
    pub time_zone: String,
}

impl InstanceArgs {
    /// Opens (creating and migrating if needed) the instance's store.
    pub async fn open(&self) -> anyhow::Result<Store> {
        match &self.database_url {
            Some(url) => Store::open(url).await.with_context(|| format!("opening the database at {}", redact(url))),
            None => Store::open_data_dir(&self.data_dir)
                .await
                .with_context(|| format!("opening the database in {}", self.data_dir.display())),
        }
    }

    pub fn zone(&self) -> anyhow::Result<plenum_web::Tz> {
        self.time_zone
            .parse()
            .map_err(|_| anyhow::anyhow!("{:?} is not an IANA time zone name (like Europe/Madrid or UTC)", self.time_zone))
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
