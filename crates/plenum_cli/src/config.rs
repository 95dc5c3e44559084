//! An instance's configuration, in layers: defaults, then a TOML file (`--config FILE`, or
//! `./plenum.toml` if present), then `PLENUM_*` environment variables, then command-line flags.
//! Each layer sets only what it names; a later layer wins. Unknown keys in the file are refused
//! with their line, and every bad value names its key (or variable, or flag). Secrets (the
//! database URL's password) are never printed.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, anyhow, bail};
use plenum_web::{Config, Tz};

/// The file read when `--config` is not given, if it exists.
pub const DEFAULT_FILE: &str = "plenum.toml";

/// For `plenum serve --help`.
pub const HELP: &str = "\
Configuration, from lowest to highest precedence:
  1. defaults
  2. a TOML file: --config FILE (or PLENUM_CONFIG), else ./plenum.toml if it exists
  3. environment variables
  4. command-line flags
File key               Environment variable           Flag
listen                 PLENUM_LISTEN                  --listen
database_url           PLENUM_DATABASE_URL            --database-url
data_dir               PLENUM_DATA_DIR                --data-dir
time_zone              PLENUM_TIME_ZONE               --time-zone
secure_cookies         PLENUM_SECURE_COOKIES          --secure-cookies
login_attempts_per_ip  PLENUM_LOGIN_ATTEMPTS_PER_IP   --login-attempts-per-ip
signups_per_ip         PLENUM_SIGNUPS_PER_IP          --signups-per-ip
poll_tick_seconds      PLENUM_POLL_TICK_SECONDS       --poll-tick-seconds
credential_keys        PLENUM_CREDENTIAL_KEYS         --credential-keys
credential_signing_key PLENUM_CREDENTIAL_SIGNING_KEY  --credential-signing-key
registry_grace_days    PLENUM_REGISTRY_GRACE_DAYS     --registry-grace-days
Example plenum.toml:
  listen = \"0.0.0.0:8080\"
  data_dir = \"/var/lib/plenum\"
  time_zone = \"Europe/Madrid\"
An unknown key in the file is an error naming it and its line.";

/// One layer: what it sets, each value already checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Layer {
    pub listen: Option<SocketAddr>,
    pub database_url: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub time_zone: Option<Tz>,
    pub secure_cookies: Option<bool>,
    pub login_attempts_per_ip: Option<u32>,
    pub signups_per_ip: Option<u32>,
    pub poll_tick_seconds: Option<u64>,
    /// The key ring file resident credentials are checked with (`plenum credential keygen --ring`).
    pub credential_keys: Option<PathBuf>,
    /// The secret key the registry desk signs credentials with (`plenum credential keygen --key`).
    pub credential_signing_key: Option<PathBuf>,
    /// Days after a credential expires before its holder's personal data is erased.
    pub registry_grace_days: Option<u32>,
}

/// Every key: its name in the file and its environment variable.
const KEYS: [(&str, &str); 11] = [
    ("listen", "PLENUM_LISTEN"),
    ("database_url", "PLENUM_DATABASE_URL"),
    ("data_dir", "PLENUM_DATA_DIR"),
    ("time_zone", "PLENUM_TIME_ZONE"),
    ("secure_cookies", "PLENUM_SECURE_COOKIES"),
    ("login_attempts_per_ip", "PLENUM_LOGIN_ATTEMPTS_PER_IP"),
    ("signups_per_ip", "PLENUM_SIGNUPS_PER_IP"),
    ("poll_tick_seconds", "PLENUM_POLL_TICK_SECONDS"),
    ("credential_keys", "PLENUM_CREDENTIAL_KEYS"),
    ("credential_signing_key", "PLENUM_CREDENTIAL_SIGNING_KEY"),
    ("registry_grace_days", "PLENUM_REGISTRY_GRACE_DAYS"),
];

fn count<T: std::str::FromStr>(text: &str, least: u64) -> Result<T, String> {
    text.trim()
        .parse::<u64>()
        .ok()
        .filter(|n| *n >= least)
        .and_then(|n| n.to_string().parse().ok())
        .ok_or_else(|| format!("{text:?} is not a whole number from {least} up"))
}

impl Layer {
    /// Sets `key` from its text (a TOML value's or an environment variable's); the error says
    /// what is wrong with the value, for the caller to prefix with where it came from.
    fn set(&mut self, key: &str, text: &str) -> Result<(), String> {
        match key {
            "listen" => {
                self.listen =
                    Some(text.trim().parse().map_err(|_| format!("{text:?} is not an address and port (like 127.0.0.1:8080)"))?);
            }
            "database_url" => {
                // The value may hold a password: it is not repeated in the message.
                if !text.contains("://") {
                    return Err("not a database URL (postgres://… or sqlite://…)".to_owned());
                }
                self.database_url = Some(text.to_owned());
            }
            "data_dir" => {
                if text.trim().is_empty() {
                    return Err("the data directory is empty".to_owned());
                }
                self.data_dir = Some(PathBuf::from(text));
            }
            "time_zone" => {
                self.time_zone = Some(
                    text.trim()
                        .parse()
                        .map_err(|_| format!("{text:?} is not an IANA time zone name (like Europe/Madrid or UTC)"))?,
                );
            }
            "secure_cookies" => {
                self.secure_cookies = Some(match text.trim().to_ascii_lowercase().as_str() {
                    "true" | "1" | "yes" => true,
                    "false" | "0" | "no" | "" => false,
                    _ => return Err(format!("{text:?} is not true or false")),
                });
            }
            "login_attempts_per_ip" => self.login_attempts_per_ip = Some(count(text, 1)?),
            "signups_per_ip" => self.signups_per_ip = Some(count(text, 1)?),
            "poll_tick_seconds" => self.poll_tick_seconds = Some(count(text, 1)?),
            "credential_keys" => {
                if text.trim().is_empty() {
                    return Err("the key ring file is empty".to_owned());
                }
                self.credential_keys = Some(PathBuf::from(text));
            }
            "credential_signing_key" => {
                if text.trim().is_empty() {
                    return Err("the signing key file is empty".to_owned());
                }
                self.credential_signing_key = Some(PathBuf::from(text));
            }
            "registry_grace_days" => self.registry_grace_days = Some(count(text, 0)?),
            _ => return Err("unknown key".to_owned()),
        }
        Ok(())
    }

    /// Reads a TOML file's text; `name` is the file's name for messages.
    pub fn from_toml(text: &str, name: &str) -> anyhow::Result<Layer> {
        let line = |at: usize| text[..at.min(text.len())].matches('\n').count() + 1;
        let table = toml::de::DeTable::parse(text).map_err(|e| {
            let at = e.span().map_or(String::new(), |s| format!(":{}", line(s.start)));
            anyhow!("{name}{at}: {}", e.message())
        })?;
        let mut layer = Layer::default();
        for (key, value) in table.get_ref() {
            let at = line(key.span().start);
            let key: &str = key.get_ref();
            if !KEYS.iter().any(|(k, _)| *k == key) {
                let known: Vec<&str> = KEYS.iter().map(|(k, _)| *k).collect();
                bail!("{name}:{at}: unknown key {key:?} (the keys are {})", known.join(", "));
            }
            let text = match value.get_ref() {
                toml::de::DeValue::String(s) => s.to_string(),
                toml::de::DeValue::Boolean(b) => b.to_string(),
                toml::de::DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
                    .map_err(|_| anyhow!("{name}:{at}: {key}: {} is too large", i.as_str()))?
                    .to_string(),
                _ => bail!("{name}:{at}: {key}: must be a string, a whole number or true/false"),
            };
            layer.set(key, &text).map_err(|what| anyhow!("{name}:{at}: {key}: {what}"))?;
        }
        Ok(layer)
    }

    /// Reads the `PLENUM_*` variables through `var` (the process environment, or a test's).
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> anyhow::Result<Layer> {
        let mut layer = Layer::default();
        for (key, name) in KEYS {
            if let Some(text) = var(name) {
                layer.set(key, &text).map_err(|what| anyhow!("{name}: {what}"))?;
            }
        }
        Ok(layer)
    }

    /// This layer over `lower`: what this one sets wins.
    #[must_use]
    pub fn over(self, lower: Layer) -> Layer {
        Layer {
            listen: self.listen.or(lower.listen),
            database_url: self.database_url.or(lower.database_url),
            data_dir: self.data_dir.or(lower.data_dir),
            time_zone: self.time_zone.or(lower.time_zone),
            secure_cookies: self.secure_cookies.or(lower.secure_cookies),
            login_attempts_per_ip: self.login_attempts_per_ip.or(lower.login_attempts_per_ip),
            signups_per_ip: self.signups_per_ip.or(lower.signups_per_ip),
            poll_tick_seconds: self.poll_tick_seconds.or(lower.poll_tick_seconds),
            credential_keys: self.credential_keys.or(lower.credential_keys),
            credential_signing_key: self.credential_signing_key.or(lower.credential_signing_key),
            registry_grace_days: self.registry_grace_days.or(lower.registry_grace_days),
        }
    }
}

/// The configuration in force, every layer applied over the defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub listen: SocketAddr,
    /// A database URL, or else the SQLite database in `data_dir`.
    pub database_url: Option<String>,
    pub data_dir: PathBuf,
    pub time_zone: Tz,
    pub secure_cookies: bool,
    pub login_attempts_per_ip: u32,
    pub signups_per_ip: u32,
    pub poll_tick: Duration,
    pub credential_keys: Option<PathBuf>,
    pub credential_signing_key: Option<PathBuf>,
    pub registry_grace_days: u32,
}

impl Settings {
    #[must_use]
    pub fn from_layer(layer: Layer) -> Settings {
        let web = Config::default();
        Settings {
            listen: layer.listen.unwrap_or(SocketAddr::from(([127, 0, 0, 1], 8080))),
            database_url: layer.database_url,
            data_dir: layer.data_dir.unwrap_or_else(|| PathBuf::from("plenum-data")),
            time_zone: layer.time_zone.unwrap_or(web.time_zone),
            secure_cookies: layer.secure_cookies.unwrap_or(web.secure_cookies),
            login_attempts_per_ip: layer.login_attempts_per_ip.unwrap_or(web.login_attempts_per_ip),
            signups_per_ip: layer.signups_per_ip.unwrap_or(web.signups_per_ip),
            poll_tick: layer.poll_tick_seconds.map_or(web.poll_tick, Duration::from_secs),
            credential_keys: layer.credential_keys,
            credential_signing_key: layer.credential_signing_key,
            registry_grace_days: layer.registry_grace_days.unwrap_or(web.registry_grace_days),
        }
    }

    /// Defaults < the file (`file`, else `./plenum.toml` if present) < the environment (`var`)
    /// < `flags`.
    pub fn resolve(file: Option<&Path>, var: impl Fn(&str) -> Option<String>, flags: Layer) -> anyhow::Result<Settings> {
        let file_layer = match file {
            Some(path) => read_file(path)?,
            None if Path::new(DEFAULT_FILE).is_file() => read_file(Path::new(DEFAULT_FILE))?,
            None => Layer::default(),
        };
        Ok(Settings::from_layer(flags.over(Layer::from_env(var)?.over(file_layer))))
    }
}

fn read_file(path: &Path) -> anyhow::Result<Layer> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading the configuration file {}", path.display()))?;
    Layer::from_toml(&text, &path.display().to_string())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let vars: BTreeMap<String, String> = vars.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
        move |name| vars.get(name).cloned()
    }

    fn settings(file: &str, vars: &[(&str, &str)], flags: Layer) -> Settings {
        let file = Layer::from_toml(file, "plenum.toml").unwrap();
        Settings::from_layer(flags.over(Layer::from_env(env(vars)).unwrap().over(file)))
    }

    #[test]
    fn flags_beat_the_environment_which_beats_the_file_which_beats_the_defaults() {
        let file = "listen = \"0.0.0.0:9000\"\ntime_zone = \"Europe/Madrid\"\nsignups_per_ip = 5\ndata_dir = \"/srv/plenum\"\n";
        let vars = [("PLENUM_TIME_ZONE", "America/Mexico_City"), ("PLENUM_SIGNUPS_PER_IP", "7")];
        let flags = Layer { signups_per_ip: Some(9), ..Layer::default() };
        let s = settings(file, &vars, flags);
        assert_eq!(s.listen, "0.0.0.0:9000".parse().unwrap(), "the file over the default");
        assert_eq!(s.time_zone, chrono_tz_name("America/Mexico_City"), "the environment over the file");
        assert_eq!(s.signups_per_ip, 9, "the flag over the environment and the file");
        assert_eq!(s.data_dir, PathBuf::from("/srv/plenum"));
        assert_eq!(s.login_attempts_per_ip, Config::default().login_attempts_per_ip, "the default when nobody sets it");
        assert_eq!(s.poll_tick, Config::default().poll_tick);

        let s = settings("", &[("PLENUM_LISTEN", "127.0.0.1:9999"), ("PLENUM_POLL_TICK_SECONDS", "1")], Layer::default());
        assert_eq!((s.listen.port(), s.poll_tick), (9999, Duration::from_secs(1)));
        let s = settings("", &[], Layer::default());
        assert_eq!(
            (s.listen, s.data_dir, s.database_url),
            ("127.0.0.1:8080".parse().unwrap(), PathBuf::from("plenum-data"), None)
        );
        assert_eq!(s.credential_keys, None);
        let s = settings(
            "credential_keys = \"/etc/plenum/keys.json\"\n",
            &[("PLENUM_CREDENTIAL_KEYS", "/run/keys.json")],
            Layer::default(),
        );
        assert_eq!(s.credential_keys, Some(PathBuf::from("/run/keys.json")), "the environment over the file");
        assert_eq!(s.registry_grace_days, Config::default().registry_grace_days);
        let s = settings("registry_grace_days = 7\n", &[("PLENUM_REGISTRY_GRACE_DAYS", "0")], Layer::default());
        assert_eq!(s.registry_grace_days, 0, "the environment over the file; no grace at all is allowed");
    }

    fn chrono_tz_name(name: &str) -> Tz {
        name.parse().unwrap()
    }

    #[test]
    fn an_unknown_key_is_named_with_its_line() {
        let err = Layer::from_toml("listen = \"127.0.0.1:1\"\n\nlisten_port = 8080\n", "site.toml").unwrap_err().to_string();
        assert!(err.starts_with("site.toml:3: unknown key \"listen_port\""), "{err}");
        let err = Layer::from_toml("[server]\nlisten = \"127.0.0.1:1\"\n", "site.toml").unwrap_err().to_string();
        assert!(err.starts_with("site.toml:1: unknown key \"server\""), "{err}");
    }

    #[test]
    fn a_bad_value_names_its_key_or_variable() {
        let err = Layer::from_toml("time_zone = \"Mars/Olympus\"\n", "p.toml").unwrap_err().to_string();
        assert!(err.starts_with("p.toml:1: time_zone: \"Mars/Olympus\" is not an IANA time zone"), "{err}");
        let err = Layer::from_toml("# comment\nsignups_per_ip = -3\n", "p.toml").unwrap_err().to_string();
        assert!(err.starts_with("p.toml:2: signups_per_ip:"), "{err}");
        let err = Layer::from_toml("listen = [1]\n", "p.toml").unwrap_err().to_string();
        assert!(err.starts_with("p.toml:1: listen: must be"), "{err}");
        let err = Layer::from_env(env(&[("PLENUM_LISTEN", "everywhere")])).unwrap_err().to_string();
        assert!(err.starts_with("PLENUM_LISTEN: \"everywhere\" is not an address"), "{err}");
        let err = Layer::from_env(env(&[("PLENUM_POLL_TICK_SECONDS", "0")])).unwrap_err().to_string();
        assert!(err.starts_with("PLENUM_POLL_TICK_SECONDS:"), "{err}");
        let err = Layer::from_env(env(&[("PLENUM_CREDENTIAL_KEYS", " ")])).unwrap_err().to_string();
        assert!(err.starts_with("PLENUM_CREDENTIAL_KEYS: the key ring file is empty"), "{err}");
        let err = Layer::from_toml("listen = \n", "p.toml").unwrap_err().to_string();
        assert!(err.starts_with("p.toml:1:"), "{err}");
    }

    #[test]
    fn a_database_url_with_a_password_is_not_repeated_in_errors() {
        let err = Layer::from_env(env(&[("PLENUM_DATABASE_URL", "user:secret@db")])).unwrap_err().to_string();
        assert!(err.starts_with("PLENUM_DATABASE_URL:") && !err.contains("secret"), "{err}");
    }
}
