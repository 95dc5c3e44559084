//! `plenum credential`: a key is made, a credential issued and verified offline from the
//! published ring alone; altered, expired and unknown credentials are refused with the reason;
//! rotation keeps old credentials valid.

#![expect(clippy::unwrap_used, reason = "tests fail loudly")]
use std::path::Path;
use std::process::Command;

const AREA: &str = "01968a3c-0000-7000-8000-000000000002";

fn plenum(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_plenum")).arg("credential").args(args).output().unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn issue(key: &Path, number: &str, expires: &str) -> String {
    let args = ["issue", "--key", path(key), "--number", number, "--area", AREA, "--age-band", "adult", "--expires", expires];
    let (ok, out, err) = plenum(&[&args[..], &["--issued-at", "2026-03-01T10:00:00Z"]].concat());
    assert!(ok, "{err}");
    out.trim().to_owned()
}

fn verify(token: &str, ring: &Path, at: &str) -> (bool, String) {
    let (ok, out, _) = plenum(&["verify", token, "--ring", path(ring), "--at", at]);
    (ok, out)
}

#[test]
fn a_credential_is_issued_verified_offline_and_refused_when_altered_or_expired() {
    let dir = tempfile::tempdir().unwrap();
    let (key, ring) = (dir.path().join("key.json"), dir.path().join("ring.json"));
    let (ok, out, err) = plenum(&["keygen", "--key", path(&key), "--ring", path(&ring)]);
    assert!(ok, "{err}");
    assert!(out.starts_with("key "), "{out}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&key).unwrap().permissions().mode() & 0o777, 0o600);
    }

    let token = issue(&key, "1042", "2030-03-01T00:00:00Z");
    let (ok, out) = verify(&token, &ring, "2027-01-01T00:00:00Z");
    assert!(ok, "{out}");
    assert_eq!(
        out.trim(),
        format!(
            "valid: credential 1042 for area {AREA}, age band adult, issued 2026-03-01T10:00:00Z, expires 2030-03-01T00:00:00Z"
        )
    );

    let (ok, out) = verify(&token, &ring, "2030-03-01T00:00:00Z");
    assert!(!ok);
    assert_eq!(out.trim(), "NOT VALID: the credential expired at 2030-03-01T00:00:00Z");

    // The number changed in the payload (byte 16 of the payload, in the third base64 block).
    let mut altered: Vec<char> = token.chars().collect();
    let at = "PLN1.".len() + 21;
    altered[at] = if altered[at] == 'A' { 'B' } else { 'A' };
    let altered: String = altered.into_iter().collect();
    let (ok, out, _) = plenum(&["verify", &altered, "--ring", path(&ring), "--at", "2027-01-01T00:00:00Z", "--format", "json"]);
    assert!(!ok);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["valid"], false);
    assert_eq!(json["code"], "bad_signature", "{out}");

    // Another instance's credential: its key is not in this ring.
    let (other_key, other_ring) = (dir.path().join("other-key.json"), dir.path().join("other-ring.json"));
    assert!(plenum(&["keygen", "--key", path(&other_key), "--ring", path(&other_ring)]).0);
    let (ok, out) = verify(&issue(&other_key, "1", "2030-01-01T00:00:00Z"), &ring, "2027-01-01T00:00:00Z");
    assert!(!ok);
    assert!(out.starts_with("NOT VALID: the credential was signed with key "), "{out}");

    let (ok, out) = verify("not a credential", &ring, "2027-01-01T00:00:00Z");
    assert!(!ok);
    assert_eq!(out.trim(), "NOT VALID: this is not a Plenum credential: it does not start with PLN1.");
}

#[test]
fn rotation_keeps_old_credentials_valid_and_keys_are_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let (first, second, ring) = (dir.path().join("first.json"), dir.path().join("second.json"), dir.path().join("ring.json"));
    assert!(plenum(&["keygen", "--key", path(&first), "--ring", path(&ring)]).0);
    let old = issue(&first, "7", "2031-01-01T00:00:00Z");
    let (ok, _, err) = plenum(&["keygen", "--key", path(&first), "--ring", path(&ring)]);
    assert!(!ok);
    assert!(err.contains("it must not exist yet"), "{err}");
    assert!(plenum(&["keygen", "--key", path(&second), "--ring", path(&ring)]).0);
    let ring_json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&ring).unwrap()).unwrap();
    let keys = ring_json["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 2);
    assert!(!keys[0]["retired_at"].is_null() && keys[1]["retired_at"].is_null());
    assert!(verify(&old, &ring, "2027-01-01T00:00:00Z").0);
    assert!(verify(&issue(&second, "8", "2031-01-01T00:00:00Z"), &ring, "2027-01-01T00:00:00Z").0);
}

#[test]
fn bad_arguments_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let (key, ring) = (dir.path().join("key.json"), dir.path().join("ring.json"));
    assert!(plenum(&["keygen", "--key", path(&key), "--ring", path(&ring)]).0);
    let base = ["issue", "--key", path(&key), "--number", "1", "--area", AREA, "--expires", "2030-01-01T00:00:00Z"];
    let (ok, _, err) = plenum(&[&base[..], &["--age-band", "old"]].concat());
    assert!(!ok);
    assert!(err.contains("--age-band \"old\": expected under16, from16_to17 or adult"), "{err}");
    let (ok, _, err) = plenum(&[&base[..], &["--age-band", "adult", "--issued-at", "2031-01-01T00:00:00Z"]].concat());
    assert!(!ok);
    assert!(err.contains("is not after the issue time"), "{err}");
    std::fs::write(dir.path().join("junk.json"), "{").unwrap();
    let (ok, _, err) = plenum(&["verify", "PLN1.x.y", "--ring", path(&dir.path().join("junk.json"))]);
    assert!(!ok);
    assert!(err.contains("junk.json: not a valid file of this kind"), "{err}");
}
