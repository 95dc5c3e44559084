//! `plenum serve`, `plenum demo`, `plenum admin create-user` and `plenum admin grant-registrar`.

use std::io::Read;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use plenum_store::Store;
use plenum_web::demo::{self, DEMO_PASSWORD, DemoSummary};
use plenum_web::{App, Config};

use crate::config::{Layer, Settings};
use crate::instance::{self, InstanceArgs};

/// Serves the web interface and the API. Every option may also be set in the configuration
/// file or the environment (see below); flags win.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    #[command(flatten)]
    instance: InstanceArgs,
    /// The address and port to listen on [default: 127.0.0.1:8080].
    #[arg(long, value_name = "ADDR:PORT")]
    listen: Option<SocketAddr>,
    /// Fill the instance with the demo confederation first, if it is empty.
    #[arg(long)]
    demo: bool,
    /// Mark cookies Secure (set this when serving behind HTTPS).
    #[arg(long)]
    secure_cookies: bool,
    /// Sign-in attempts allowed per address in 5 minutes (raise it for a load test from one machine) [default: 60].
    #[arg(long, value_name = "N")]
    login_attempts_per_ip: Option<u32>,
    /// Sign-ups allowed per address per hour [default: 100].
    #[arg(long, value_name = "N")]
    signups_per_ip: Option<u32>,
    /// How often overdue polls are closed, in seconds [default: 5].
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..))]
    poll_tick_seconds: Option<u64>,
    /// The key ring resident credentials are checked with, published at
    /// /api/v1/credentials/keys (made by `plenum credential keygen --ring`).
    #[arg(long, value_name = "FILE")]
    credential_keys: Option<PathBuf>,
    /// The secret key the registry desk signs resident credentials with (made by `plenum
    /// credential keygen --key`); without it the desk cannot issue cards.
    #[arg(long, value_name = "FILE")]
    credential_signing_key: Option<PathBuf>,
    /// Days after a credential expires before its holder's personal data is erased [default: 30].
    #[arg(long, value_name = "DAYS")]
    registry_grace_days: Option<u32>,
}

impl ServeArgs {
    fn settings(&self) -> anyhow::Result<Settings> {
        self.instance.settings(Layer {
            listen: self.listen,
            secure_cookies: self.secure_cookies.then_some(true),
            login_attempts_per_ip: self.login_attempts_per_ip,
            signups_per_ip: self.signups_per_ip,
            poll_tick_seconds: self.poll_tick_seconds,
            credential_keys: self.credential_keys.clone(),
            credential_signing_key: self.credential_signing_key.clone(),
            registry_grace_days: self.registry_grace_days,
            ..Layer::default()
        })
    }
}

/// Fills a fresh instance with a demo confederation.
#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    #[command(flatten)]
    instance: InstanceArgs,
}

#[derive(Debug, clap::Subcommand)]
pub enum AdminCommand {
    /// Creates an account (the password is asked for on standard input).
    CreateUser(CreateUserArgs),
    /// Makes an account a registrar, who may enrol residents at the registry desk. Run it while
    /// the server is stopped (a running server does not see the change until it restarts).
    GrantRegistrar(GrantRegistrarArgs),
}

#[derive(Debug, clap::Args)]
pub struct GrantRegistrarArgs {
    #[command(flatten)]
    instance: InstanceArgs,
    /// The account's login name.
    #[arg(long)]
    login: String,
}

#[derive(Debug, clap::Args)]
pub struct CreateUserArgs {
    #[command(flatten)]
    instance: InstanceArgs,
    /// The login name (2–64 letters, digits, '.', '_', '-', '@'; stored in lowercase).
    #[arg(long)]
    login: String,
    /// The name others see.
    #[arg(long)]
    display_name: String,
    /// Read the password from standard input (its first line) instead of prompting.
    #[arg(long)]
    password_stdin: bool,
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().context("starting the async runtime")
}

fn print_demo(summary: &DemoSummary, listen: Option<SocketAddr>) {
    println!("Demo confederation created ({} events):", summary.events);
    for (slug, name) in &summary.assemblies {
        match listen {
            Some(addr) => println!("  {name}: http://{addr}/bodies/{slug}"),
            None => println!("  {name}: /bodies/{slug}"),
        }
    }
    println!("Demo logins (password for all: {DEMO_PASSWORD}):");
    for (login, role) in &summary.logins {
        println!("  {login:<12} {role}");
    }
}

pub fn serve(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let settings = args.settings()?;
    let (zone, listen) = (settings.time_zone, settings.listen);
    runtime()?.block_on(async {
        let store = Arc::new(instance::open(&settings).await?);
        if args.demo {
            if store.log_head().await?.count == 0 {
                let summary = demo::fill(&store, zone).await.context("filling the demo")?;
                print_demo(&summary, Some(listen));
            } else {
                println!("The instance is not empty: serving it as it is (--demo fills only an empty instance).");
                println!(
                    "Demo logins, if it was filled by the demo: facilitator, member1, member2, member3 (password {DEMO_PASSWORD})"
                );
            }
        }
        let config = Config {
            secure_cookies: settings.secure_cookies,
            time_zone: zone,
            poll_tick: settings.poll_tick,
            login_attempts_per_ip: settings.login_attempts_per_ip,
            signups_per_ip: settings.signups_per_ip,
            credential_keys: settings.credential_keys.as_deref().map(crate::credential::read_ring).transpose()?.map(Arc::new),
            credential_issuer: settings
                .credential_signing_key
                .as_deref()
                .map(crate::credential::read_key)
                .transpose()?
                .map(Arc::new),
            registry_grace_days: settings.registry_grace_days,
            ..Config::default()
        };
        let app = App::new(store.clone(), config);
        println!("Plenum is serving on http://{listen} (Ctrl-C stops it)");
        plenum_web::serve(app, listen).await.with_context(|| format!("serving on {listen}"))?;
        store.close().await;
        Ok(ExitCode::SUCCESS)
    })
}

pub fn demo(args: DemoArgs) -> anyhow::Result<ExitCode> {
    let settings = args.instance.settings(Layer::default())?;
    let zone = settings.time_zone;
    runtime()?.block_on(async {
        let store = instance::open(&settings).await?;
        let summary = demo::fill(&store, zone).await?;
        print_demo(&summary, None);
        store.close().await;
        Ok(ExitCode::SUCCESS)
    })
}

pub fn admin(command: AdminCommand) -> anyhow::Result<ExitCode> {
    match command {
        AdminCommand::CreateUser(args) => create_user(args),
        AdminCommand::GrantRegistrar(args) => grant_registrar(args),
    }
}

fn grant_registrar(args: GrantRegistrarArgs) -> anyhow::Result<ExitCode> {
    let login = args.login.trim().to_lowercase();
    runtime()?.block_on(async {
        let store: Store = instance::open(&args.instance.settings(Layer::default())?).await?;
        let (account, _) =
            store.credentials(&login).await?.with_context(|| format!("there is no account with login {login:?}"))?;
        let at = crate::credential::now()?;
        store.appoint_registrar(&account, at).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        println!("{login} is now a registrar");
        store.close().await;
        Ok(ExitCode::SUCCESS)
    })
}

fn create_user(args: CreateUserArgs) -> anyhow::Result<ExitCode> {
    if !args.password_stdin {
        eprint!("Password for {}: ", args.login);
    }
    let mut input = String::new();
    std::io::stdin().take(4096).read_to_string(&mut input).context("reading the password from standard input")?;
    let password = input.lines().next().unwrap_or_default().to_owned();
    anyhow::ensure!(!password.is_empty(), "no password was given on standard input");
    runtime()?.block_on(async {
        let store: Store = instance::open(&args.instance.settings(Layer::default())?).await?;
        let app = App::new(Arc::new(store), Config::default());
        let account = plenum_web::create_account(&app, &args.login, &args.display_name, &password)
            .await
            .map_err(|e| anyhow::anyhow!("{} ({})", e.message, e.code))?;
        println!("created account {account} with login {}", args.login.trim().to_lowercase());
        app.store.close().await;
        Ok(ExitCode::SUCCESS)
    })
}
