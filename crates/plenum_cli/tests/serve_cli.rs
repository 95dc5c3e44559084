//! `plenum demo`, `plenum admin create-user`, `plenum admin grant-registrar` and `plenum serve` as an operator runs them.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn plenum() -> Command {
    Command::new(env!("CARGO_BIN_EXE_plenum"))
}

#[test]
fn the_demo_fills_a_fresh_instance_once_and_create_user_reads_the_password_from_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let out = plenum().args(["demo", "--data-dir"]).arg(dir.path()).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout} {}", String::from_utf8_lossy(&out.stderr));
    assert!(
        stdout.contains("Riverside Assembly") && stdout.contains("facilitator") && stdout.contains("demo-password"),
        "{stdout}"
    );

    let again = plenum().args(["demo", "--data-dir"]).arg(dir.path()).output().unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("not empty"));

    let mut child = plenum()
        .args(["admin", "create-user", "--login", "Zoe", "--display-name", "Zoë", "--password-stdin", "--data-dir"])
        .arg(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"a long enough password\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("with login zoe"));

    // The operator makes Zoe a registrar; once only, and only an account that exists.
    let grant = |login: &str| {
        plenum().args(["admin", "grant-registrar", "--login", login, "--data-dir"]).arg(dir.path()).output().unwrap()
    };
    let out = grant("Zoe");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("zoe is now a registrar"));
    let again = grant("zoe");
    assert!(!again.status.success() && String::from_utf8_lossy(&again.stderr).contains("already a registrar"));
    let nobody = grant("nobody");
    assert!(!nobody.status.success() && String::from_utf8_lossy(&nobody.stderr).contains("no account with login"));

    let verified = plenum().args(["verify", "--data-dir"]).arg(dir.path()).output().unwrap();
    assert!(verified.status.success(), "{}", String::from_utf8_lossy(&verified.stdout));
}

#[test]
fn serve_with_demo_answers_on_its_address() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut server = plenum()
        .args(["serve", "--demo", "--listen", &format!("127.0.0.1:{port}"), "--data-dir"])
        .arg(dir.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let answer = loop {
        if let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").unwrap();
            let mut answer = String::new();
            stream.read_to_string(&mut answer).unwrap();
            break answer;
        }
        assert!(started.elapsed() < Duration::from_secs(60), "the server did not start");
        std::thread::sleep(Duration::from_millis(200));
    };
    server.kill().unwrap();
    server.wait().unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains(r#""status":"ok""#), "{answer}");
}

#[test]
fn serve_reads_its_configuration_file_and_names_what_is_wrong_in_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("site.toml");
    std::fs::write(&file, "time_zone = \"Europe/Madrid\"\nlistn = \"127.0.0.1:1\"\n").unwrap();
    let out = plenum().args(["serve", "--config"]).arg(&file).env_remove("PLENUM_LISTEN").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("site.toml:2: unknown key \"listn\""), "{stderr}");

    std::fs::write(&file, "signups_per_ip = \"many\"\n").unwrap();
    let out = plenum().args(["serve", "--config"]).arg(&file).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && stderr.contains("site.toml:1: signups_per_ip:"), "{stderr}");

    // The environment is read over the file: a bad variable is named even with a good file.
    std::fs::write(&file, "time_zone = \"UTC\"\n").unwrap();
    let out = plenum().args(["serve", "--config"]).arg(&file).env("PLENUM_LISTEN", "nowhere").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && stderr.contains("PLENUM_LISTEN: \"nowhere\""), "{stderr}");

    // A missing file given by name is an error, not silently ignored.
    let out = plenum().args(["serve", "--config"]).arg(dir.path().join("absent.toml")).output().unwrap();
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("absent.toml"));

    // ./plenum.toml is read when no --config is given.
    std::fs::write(dir.path().join("plenum.toml"), "bogus = 1\n").unwrap();
    let out = plenum().arg("serve").current_dir(dir.path()).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && stderr.contains("plenum.toml:1: unknown key \"bogus\""), "{stderr}");
}

#[test]
fn serve_help_documents_the_layers() {
    let out = plenum().args(["serve", "--help"]).output().unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for needle in ["--config", "plenum.toml", "PLENUM_LISTEN", "PLENUM_DATABASE_URL", "PLENUM_DATA_DIR", "PLENUM_TIME_ZONE"] {
        assert!(help.contains(needle), "--help lacks {needle}: {help}");
    }
}
