//! `plenum serve`, `plenum demo` and `plenum admin create-user`.

use std::io::Read;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use plenum_store::Store;
use plenum_web::demo::{self, DEMO_PASSWORD, DemoSummary};
use plenum_web::{App, Config};

use crate::instance::InstanceArgs;

/// Serves the web interface and the API.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    #[command(flatten)]
    instance: InstanceArgs,
    /// The address and port to listen on.
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR:PORT")]
    listen: SocketAddr,
    /// Fill the instance with the demo confederation first, if it is empty.
    #[arg(long)]
    demo: bool,
    /// Mark cookies Secure (set this when serving behind HTTPS).
    #[arg(long, env = "PLENUM_SECURE_COOKIES")]
    secure_cookies: bool,
    /// Sign-in attempts allowed per address in 5 minutes (raise it for a load test from one machine).
    #[arg(long, default_value_t = Config::default().login_attempts_per_ip, env = "PLENUM_LOGIN_ATTEMPTS_PER_IP")]
    login_attempts_per_ip: u32,
    /// Sign-ups allowed per address per hour.
    #[arg(long, default_value_t = Config::default().signups_per_ip, env = "PLENUM_SIGNUPS_PER_IP")]
    signups_per_ip: u32,
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

/// The closer's interval: `PLENUM_POLL_TICK_SECONDS` (for tests), 5 s by default.
fn poll_tick() -> anyhow::Result<Duration> {
    match std::env::var("PLENUM_POLL_TICK_SECONDS") {
        Ok(text) => {
            let seconds: u64 = text
                .trim()
                .parse()
                .ok()
                .filter(|s| *s > 0)
                .context("PLENUM_POLL_TICK_SECONDS must be a whole number of seconds above 0")?;
            Ok(Duration::from_secs(seconds))
        }
        Err(_) => Ok(Config::default().poll_tick),
    }
}

pub fn serve(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let zone = args.instance.zone()?;
    let tick = poll_tick()?;
    runtime()?.block_on(async {
        let store = Arc::new(args.instance.open().await?);
        if args.demo {
            if store.log_head().await?.count == 0 {
                let summary = demo::fill(&store, zone).await.context("filling the demo")?;
                print_demo(&summary, Some(args.listen));
            } else {
                println!("The instance is not empty: serving it as it is (--demo fills only an empty instance).");
                println!(
                    "Demo logins, if it was filled by the demo: facilitator, member1, member2, member3 (password {DEMO_PASSWORD})"
                );
            }
        }
        let config = Config {
            secure_cookies: args.secure_cookies,
            time_zone: zone,
            poll_tick: tick,
            login_attempts_per_ip: args.login_attempts_per_ip,
            signups_per_ip: args.signups_per_ip,
            ..Config::default()
        };
        let app = App::new(store.clone(), config);
        println!("Plenum is serving on http://{} (Ctrl-C stops it)", args.listen);
        plenum_web::serve(app, args.listen).await.with_context(|| format!("serving on {}", args.listen))?;
        store.close().await;
        Ok(ExitCode::SUCCESS)
    })
}

pub fn demo(args: DemoArgs) -> anyhow::Result<ExitCode> {
    let zone = args.instance.zone()?;
    runtime()?.block_on(async {
        let store = args.instance.open().await?;
        let summary = demo::fill(&store, zone).await?;
        print_demo(&summary, None);
        store.close().await;
        Ok(ExitCode::SUCCESS)
    })
}

pub fn admin(command: AdminCommand) -> anyhow::Result<ExitCode> {
    match command {
        AdminCommand::CreateUser(args) => create_user(args),
    }
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
        let store: Store = args.instance.open().await?;
        let app = App::new(Arc::new(store), Config::default());
        let account = plenum_web::create_account(&app, &args.login, &args.display_name, &password)
            .await
            .map_err(|e| anyhow::anyhow!("{} ({})", e.message, e.code))?;
        println!("created account {account} with login {}", args.login.trim().to_lowercase());
        app.store.close().await;
        Ok(ExitCode::SUCCESS)
    })
}
