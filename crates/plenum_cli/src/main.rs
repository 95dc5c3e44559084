//! `plenum`: the one binary, with a subcommand per job.

mod bench;
mod config;
mod credential;
mod files;
mod instance;
mod pb;
mod poll;
mod report;
mod serve;
mod verify;
mod vote;

/// mimalloc instead of the system allocator: reading an election allocates a few small vectors
/// per voter, and glibc's malloc was a third of the time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Plenum: direct democracy for confederated assemblies, with exact, reproducible tallies.
#[derive(Debug, Parser)]
#[command(name = "plenum", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the web interface and the JSON API (and close polls at their deadlines).
    #[command(after_long_help = config::HELP)]
    Serve(serve::ServeArgs),
    /// Fill a fresh, empty instance with a demo confederation of neighbourhood assemblies.
    Demo(serve::DemoArgs),
    /// Administer an instance: accounts.
    #[command(subcommand)]
    Admin(serve::AdminCommand),
    /// Participatory budgeting: tally, check and explain Pabulib (.pb) files.
    #[command(subcommand)]
    Pb(pb::PbCommand),
    /// Voting methods: count PrefLib and BLT ballot files, measure the methods.
    #[command(subcommand)]
    Vote(vote::VoteCommand),
    /// Recompute the event log's hash chain and re-tally every closed poll; exits non-zero and
    /// names the first bad event if anything was altered.
    Verify(verify::VerifyArgs),
    /// Measure the platform: durable ballots through the store (`plenum bench ballots`) and the
    /// running server over loopback (`plenum bench http`).
    #[command(subcommand)]
    Bench(bench::BenchCommand),
    /// Resident credentials: make a signing key, issue a credential, verify one offline.
    #[command(subcommand)]
    Credential(credential::CredentialCommand),
    /// Unlinkable ballots from the command line: take a blind-signed voting token, cast with it.
    #[command(subcommand)]
    Poll(poll::PollCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve(args) => serve::serve(args),
        Command::Demo(args) => serve::demo(args),
        Command::Admin(command) => serve::admin(command),
        Command::Pb(command) => pb::run(command),
        Command::Vote(command) => vote::run(command),
        Command::Verify(args) => verify::run(args),
        Command::Bench(command) => bench::run(command),
        Command::Credential(command) => credential::run(command),
        Command::Poll(command) => poll::run(command),
    };
    match result {
        Ok(code) => code,
        // The reader of our output went away (`plenum … | head`): nothing left to say.
        Err(error)
            if error
                .chain()
                .any(|e| e.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)) =>
        {
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("plenum: {error:#}");
            ExitCode::from(2)
        }
    }
}
