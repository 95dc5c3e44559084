//! `plenum poll token` and `plenum poll cast`: an unlinkable ballot (tier B) from the command
//! line, against a running server over HTTP. `token` signs in, blinds a fresh random token
//! (RFC 9474), has the poll's key sign it and writes the unblinded token and signature to a
//! file; `cast` sends the ballot with that file on a request that carries no session, at a
//! time (and, if you like, from a network) of your choosing.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::header::{AUTHORIZATION, CONTENT_TYPE, HOST};
use hyper::{Method, Request};
use hyper_util::rt::TokioIo;
use plenum_core::PollId;
use plenum_core::blind::{self, HASH_LEN, PublicKey};
use plenum_core::voting_key::{from_hex, key_hash, to_hex};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

#[derive(Debug, clap::Subcommand)]
pub enum PollCommand {
    /// Take your voting token for an unlinkable poll: sign in, blind a fresh token, have the
    /// server sign it blindly, and keep the unblinded token and signature in a file.
    Token {
        /// The server, e.g. http://127.0.0.1:8080 (plain HTTP; put TLS in front of it).
        #[arg(long)]
        server: String,
        /// Your login name.
        #[arg(long)]
        login: String,
        /// Your password (from the environment, so that it is not in the process list).
        #[arg(long, env = "PLENUM_PASSWORD", hide_env_values = true)]
        password: String,
        /// The key hash you expect (from the poll page or the log); refused if the server's differs.
        #[arg(long)]
        key_hash: Option<String>,
        /// Where to write the token (created, never overwritten, readable by you alone).
        #[arg(long)]
        out: PathBuf,
        /// The poll's id.
        poll: String,
    },
    /// Cast the ballot with a token file made by `plenum poll token`; prints the receipt.
    Cast {
        /// The server, e.g. http://127.0.0.1:8080.
        #[arg(long)]
        server: String,
        /// The token file.
        #[arg(long)]
        token: PathBuf,
        /// yes, no or abstain.
        choice: String,
    },
}

/// What `plenum poll token` keeps for `plenum poll cast`.
#[derive(Debug, Serialize, Deserialize)]
struct TokenFile {
    poll: String,
    key_hash: String,
    token: String,
    signature: String,
}

pub fn run(command: PollCommand) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(async {
        match command {
            PollCommand::Token { server, login, password, key_hash, out, poll } => {
                take_token(&Server::parse(&server)?, &login, &password, key_hash.as_deref(), &out, &poll).await
            }
            PollCommand::Cast { server, token, choice } => cast(&Server::parse(&server)?, &token, &choice).await,
        }
    })
}

async fn take_token(
    server: &Server,
    login: &str,
    password: &str,
    expected: Option<&str>,
    out: &Path,
    poll: &str,
) -> anyhow::Result<ExitCode> {
    let poll = PollId::parse(poll).map_err(|_| anyhow::anyhow!("{poll:?} is not a poll id"))?;
    let published = server.call(Method::GET, &format!("/api/v1/polls/{poll}/voting-key"), None, None).await?;
    let part = |name: &str| from_hex(published[name].as_str().unwrap_or_default()).context("the server's key is not hexadecimal");
    let key =
        PublicKey::from_be_bytes(&part("modulus")?, &part("exponent")?).map_err(|e| anyhow::anyhow!("the server's key: {e}"))?;
    let hash = key_hash(&key);
    if published["key_hash"].as_str() != Some(hash.as_str()) {
        bail!("the server's key does not match the hash it publishes");
    }
    if let Some(expected) = expected
        && !expected.eq_ignore_ascii_case(&hash)
    {
        bail!("the poll's key hash is {hash}, not the {expected} you expected");
    }
    let session =
        server.call(Method::POST, "/api/v1/sessions", None, Some(json!({ "login": login, "password": password }))).await?;
    let bearer = session["token"].as_str().context("the server gave no session token")?.to_owned();

    let token: [u8; 32] = random()?;
    let salt: [u8; HASH_LEN] = random()?;
    let (blinded, unblinder) = loop {
        // A blinding factor one byte shorter than the modulus is below it; draw again in the
        // (negligible) case that it has no inverse.
        let mut r = vec![0u8; key.modulus_len() - 1];
        getrandom::fill(&mut r).map_err(|_| anyhow::anyhow!("the operating system's random source failed"))?;
        if let Ok(blinded) = blind::blind(&key, &token, &salt, &r) {
            break blinded;
        }
    };
    let answer = server
        .call(Method::POST, &format!("/api/v1/polls/{poll}/tokens"), Some(&bearer), Some(json!({ "blinded": to_hex(&blinded) })))
        .await?;
    let blind_signature =
        from_hex(answer["blind_signature"].as_str().unwrap_or_default()).context("the answer is not hexadecimal")?;
    let signature = blind::finalize(&key, &token, &blind_signature, &unblinder)
        .map_err(|e| anyhow::anyhow!("the server's signature does not verify: {e}"))?;
    let file = TokenFile { poll: poll.to_string(), key_hash: hash, token: to_hex(&token), signature: to_hex(&signature) };
    write_private(out, &serde_json::to_vec_pretty(&file)?)?;
    println!("token for poll {poll} written to {}; cast it with `plenum poll cast`", out.display());
    Ok(ExitCode::SUCCESS)
}

async fn cast(server: &Server, path: &Path, choice: &str) -> anyhow::Result<ExitCode> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let file: TokenFile = serde_json::from_str(&text).with_context(|| format!("{} is not a token file", path.display()))?;
    let body = json!({ "token": file.token, "signature": file.signature, "choice": choice });
    let answer = server.call(Method::POST, &format!("/api/v1/polls/{}/ballots", file.poll), None, Some(body)).await?;
    println!("{}", answer["receipt"].as_str().unwrap_or_default());
    Ok(ExitCode::SUCCESS)
}

fn random<const N: usize>() -> anyhow::Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|_| anyhow::anyhow!("the operating system's random source failed"))?;
    Ok(bytes)
}

/// Creates `path` readable by its owner alone; refuses to overwrite.
fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).with_context(|| format!("creating {} (it must not exist)", path.display()))?;
    file.write_all(bytes)?;
    Ok(())
}

/// A server reached over plain HTTP/1.1, one connection per call.
struct Server {
    address: String,
}

impl Server {
    fn parse(url: &str) -> anyhow::Result<Server> {
        let Some(rest) = url.strip_prefix("http://") else { bail!("{url:?}: give the server as http://host:port") };
        let address = rest.trim_end_matches('/');
        if address.is_empty() || address.contains('/') {
            bail!("{url:?}: give the server as http://host:port");
        }
        Ok(Server { address: address.to_owned() })
    }

    /// One JSON call; a refusal becomes an error with the server's code and message.
    async fn call(&self, method: Method, path: &str, bearer: Option<&str>, body: Option<Value>) -> anyhow::Result<Value> {
        let stream =
            tokio::net::TcpStream::connect(&self.address).await.with_context(|| format!("connecting to {}", self.address))?;
        let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
        tokio::spawn(connection);
        let mut request = Request::builder().method(method).uri(path).header(HOST, &self.address);
        if let Some(bearer) = bearer {
            request = request.header(AUTHORIZATION, format!("Bearer {bearer}"));
        }
        let bytes = match body {
            Some(body) => {
                request = request.header(CONTENT_TYPE, "application/json");
                Bytes::from(serde_json::to_vec(&body)?)
            }
            None => Bytes::new(),
        };
        let response = sender.send_request(request.body(Full::new(bytes))?).await?;
        let status = response.status();
        let bytes = response.into_body().collect().await?.to_bytes();
        let value: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        if !status.is_success() {
            let code = value["error"]["code"].as_str().unwrap_or("error");
            let message = value["error"]["message"].as_str().unwrap_or("");
            bail!("{path}: {status} {code}: {message}");
        }
        Ok(value)
    }
}
