//! `plenum poll token` and `plenum poll cast` against a running server: a member takes a
//! blind-signed token and casts an unlinkable ballot with it; casting the same token again is
//! refused with its reason.

#![expect(clippy::unwrap_used, reason = "tests fail loudly")]

use std::process::{Command, Output};
use std::sync::Arc;

use plenum_core::voting_key::generate_bits;
use plenum_core::{
    BodyId, BodySlug, CreateBody, FileMotion, Instant, MotionId, MotionKind, OpenPoll, PollId, Prose, Secrecy, Title,
};
use plenum_store::Store;
use plenum_web::{App, Config};

fn now() -> Instant {
    let seconds = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    Instant::from_unix_seconds(i64::try_from(seconds).unwrap()).unwrap()
}

fn plenum(args: &[&str], password: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_plenum"));
    command.args(args).env_remove("PLENUM_PASSWORD");
    if let Some(password) = password {
        command.env("PLENUM_PASSWORD", password);
    }
    command.output().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_member_takes_a_token_and_casts_an_unlinkable_ballot_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(Store::open_data_dir(dir.path()).await.unwrap());
    let app = App::new(store.clone(), Config::default());
    let rosa = plenum_web::create_account(&app, "rosa", "Rosa", "a long password").await.unwrap();
    let ana = plenum_web::create_account(&app, "ana", "Ana", "another long password").await.unwrap();
    let body = BodyId::parse("01968a3c-0000-7000-8000-00000000c001").unwrap();
    let new = CreateBody {
        body: body.clone(),
        slug: BodySlug::parse("riverside").unwrap(),
        name: Title::parse("Riverside").unwrap(),
        charter: None,
    };
    store.execute(|s| s.create_body(new, &rosa, now())).await.unwrap();
    store.execute(|s| s.join(&body, &ana, now())).await.unwrap();
    let motion = MotionId::parse("01968a3c-0000-7000-8000-00000000c002").unwrap();
    let file = FileMotion {
        motion: motion.clone(),
        body,
        kind: MotionKind::Policy,
        title: Title::parse("Benches").unwrap(),
        text: Prose::parse("Six benches by the river.").unwrap(),
        proposed_charter: None,
    };
    store.execute(|s| s.file_motion(file, &rosa, now())).await.unwrap();
    let poll = PollId::parse("01968a3c-0000-7000-8000-00000000c003").unwrap();
    let key = generate_bits([77; 32], 2048).unwrap();
    let open =
        OpenPoll { poll: poll.clone(), motion, secrecy: Secrecy::Secret, opens_at: now(), closes_at: now().plus_seconds(3600) };
    store.open_unlinkable_poll(open, &key, &rosa, now()).await.unwrap();
    let hash = plenum_core::voting_key::key_hash(key.public());

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let server = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let serving = tokio::spawn(plenum_web::serve_on(app, listener, async {
        let _ = stopped.await;
    }));

    let token_file = dir.path().join("token.json");
    let (server2, poll2, file2, hash2) = (server.clone(), poll.to_string(), token_file.display().to_string(), hash.clone());
    let taken = tokio::task::spawn_blocking(move || {
        let wrong = plenum(
            &["poll", "token", "--server", &server2, "--login", "ana", "--out", &file2, "--key-hash", &"0".repeat(64), &poll2],
            Some("another long password"),
        );
        let taken = plenum(
            &["poll", "token", "--server", &server2, "--login", "ana", "--out", &file2, "--key-hash", &hash2, &poll2],
            Some("another long password"),
        );
        (wrong, taken)
    })
    .await
    .unwrap();
    assert!(!taken.0.status.success(), "an unexpected key hash is refused");
    assert!(String::from_utf8_lossy(&taken.0.stderr).contains("not the"), "{}", String::from_utf8_lossy(&taken.0.stderr));
    assert!(taken.1.status.success(), "{}", String::from_utf8_lossy(&taken.1.stderr));
    let held: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&token_file).unwrap()).unwrap();
    assert_eq!(held["key_hash"], hash.as_str());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&token_file).unwrap().permissions().mode() & 0o777, 0o600);
    }
    assert_eq!(store.read(|s| s.unlinkable_poll(&poll).unwrap().tokens_issued.len()).await, 1);

    let (server2, file2) = (server.clone(), token_file.display().to_string());
    let (cast, replay, second) = tokio::task::spawn_blocking(move || {
        let cast = plenum(&["poll", "cast", "--server", &server2, "--token", &file2, "yes"], None);
        let replay = plenum(&["poll", "cast", "--server", &server2, "--token", &file2, "no"], None);
        let second = plenum(
            &["poll", "token", "--server", &server2, "--login", "ana", "--out", &format!("{file2}.2"), &poll2_of(&file2)],
            Some("another long password"),
        );
        (cast, replay, second)
    })
    .await
    .unwrap();
    assert!(cast.status.success(), "{}", String::from_utf8_lossy(&cast.stderr));
    let receipt = String::from_utf8(cast.stdout).unwrap().trim().to_owned();
    assert_eq!(receipt.len(), 19, "{receipt}");
    assert!(!replay.status.success());
    assert!(
        String::from_utf8_lossy(&replay.stderr).contains("token_already_used"),
        "{}",
        String::from_utf8_lossy(&replay.stderr)
    );
    assert!(
        String::from_utf8_lossy(&second.stderr).contains("token_already_issued"),
        "{}",
        String::from_utf8_lossy(&second.stderr)
    );

    let closes_at = store.read(|s| s.poll(&poll).unwrap().closes_at).await;
    store.execute(|s| s.close_poll(&poll, closes_at, [1; 32])).await.unwrap();
    let board = store.published_ballots(&poll).await.unwrap();
    assert_eq!(board.len(), 1);
    assert_eq!(board[0].receipt.as_str(), receipt);
    assert!(store.verify().await.unwrap().is_ok());
    let _ = stop.send(());
    serving.await.unwrap().unwrap();
}

/// The poll id inside a token file.
fn poll2_of(file: &str) -> String {
    let held: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    held["poll"].as_str().unwrap().to_owned()
}
