//! The resident registry through the store, on both engines: enrolment with the personal data
//! only as ciphertext, reads logged before the data is shown, one-time claim codes (unknown,
//! used, expired refused with nothing changed), erasure that destroys the key, erasure at
//! expiry after the grace period, the raw database never holding a name, and a schema that
//! never gains a column for documents, nationality, status or photos.

use std::sync::atomic::{AtomicU64, Ordering};

use plenum_core::credential::AgeBand;
use plenum_core::{AccountId, BodyId, BodySlug, CreateBody, EnrolResident, ErasureReason, Instant, Prose, Refusal, Title};
use plenum_store::{ClaimRefusal, Engine, EnrolSecrets, PersonalData, Store, StoreError};
use sqlx::Row;

use crate::engine::{TestDb, on_both_engines};
use crate::scenarios::{account, now};

/// A name that appears nowhere else, to look for in the raw files.
const NAME: &str = "Zyxqwv Brandelmoor-Quintanilla";

static NEXT: AtomicU64 = AtomicU64::new(1);

fn id() -> String {
    format!("01968a3e-0000-7000-8000-{:012x}", NEXT.fetch_add(1, Ordering::Relaxed))
}

fn secrets(seed: u8, code: &str, claim_expires_at: Instant) -> EnrolSecrets {
    EnrolSecrets { key: [seed; 32], nonce: [seed ^ 0x5a; 24], claim_code: code.to_owned(), claim_expires_at }
}

fn person(name: &str) -> PersonalData {
    PersonalData { name: Title::parse(name).unwrap() }
}

fn in_days(days: i64) -> Instant {
    now().plus_seconds(days * 86_400)
}

struct Desk {
    registrar: AccountId,
    area: BodyId,
}

async fn desk(store: &Store) -> Desk {
    let registrar = account(store, "Registrar").await;
    let area = BodyId::parse(&id()).unwrap();
    let slug = BodySlug::parse(&format!("area-{}", &id()[24..])).unwrap();
    let new = CreateBody { body: area.clone(), slug, name: Title::parse("Old Town").unwrap(), charter: None };
    store.execute(|s| s.create_body(new, &registrar, now())).await.unwrap();
    store.appoint_registrar(&registrar, now()).await.unwrap();
    Desk { registrar, area }
}

impl Desk {
    async fn enrol(&self, store: &Store, name: &str, seed: u8, code: &str, expires_at: Instant) -> u64 {
        let enrol = EnrolResident { area: self.area.clone(), age_band: AgeBand::Adult, expires_at };
        store.enrol(enrol, &person(name), secrets(seed, code, in_days(30)), &self.registrar, now()).await.unwrap()
    }
}

async fn count(store: &Store, sql: &str, credential: u64) -> i64 {
    sqlx::query(sql).bind(i64::try_from(credential).unwrap()).fetch_one(store.pool()).await.unwrap().get::<i64, _>(0)
}

on_both_engines!(
    a_registrar_enrols_reads_with_a_reason_and_the_resident_claims_and_erases,
    claim_codes_that_are_unknown_used_or_expired_are_refused_and_change_nothing,
    personal_data_is_erased_at_expiry_only_after_the_grace_period,
    the_raw_database_never_holds_a_residents_name,
    the_schema_has_no_column_for_documents_nationality_status_or_photos,
    a_reprint_gives_a_fresh_claim_code_and_the_older_one_stops_working,
);

async fn a_registrar_enrols_reads_with_a_reason_and_the_resident_claims_and_erases(db: &TestDb) {
    let store = &db.store;
    let desk = desk(store).await;
    let number = desk.enrol(store, NAME, 7, "AAAA-BBBB-CCCC-DDDD", in_days(365)).await;
    assert_eq!(number, 1);

    // Only a registrar reads, and the read is logged before anything is shown.
    let ana = account(store, "Ana").await;
    let reason = Prose::parse("The resident lost the card").unwrap();
    let refused = store.read_personal_data(number, &ana, reason.clone(), now()).await;
    assert!(matches!(refused, Err(StoreError::Refused(Refusal::NotARegistrar))), "{refused:?}");
    let data = store.read_personal_data(number, &desk.registrar, reason.clone(), now()).await.unwrap();
    assert_eq!(data.name.as_str(), NAME);
    let reads = store.read(|s| s.registry().reads_of(number).map(|r| (r.by.clone(), r.reason.clone())).collect::<Vec<_>>()).await;
    assert_eq!(reads, [(desk.registrar.clone(), reason)]);
    assert_eq!(count(store, "SELECT COUNT(*) FROM registry_reads WHERE credential_number = $1", number).await, 1);

    // Claiming makes Ana a member of the area and links her account privately.
    assert_eq!(store.claim_credential("AAAA-BBBB-CCCC-DDDD", &ana, now()).await.unwrap(), number);
    assert!(store.read(|s| s.body(&desk.area).unwrap().is_member(&ana)).await);
    assert_eq!(store.held_credential(&ana).await.unwrap(), Some(number));

    // Erasure on request destroys the key and everything private about her.
    store.erase_personal_data(number, ErasureReason::Requested, now()).await.unwrap();
    for table in ["registry_keys", "registry_sealed_data", "registry_claim_codes", "registry_holders"] {
        let sql = format!("SELECT COUNT(*) FROM {table} WHERE credential_number = $1");
        assert_eq!(count(store, &sql, number).await, 0, "{table}");
    }
    assert_eq!(store.held_credential(&ana).await.unwrap(), None);
    let again = store.read_personal_data(number, &desk.registrar, Prose::parse("Check").unwrap(), now()).await;
    assert!(matches!(again, Err(StoreError::Refused(Refusal::CredentialErased { .. }))), "{again:?}");
    // What remains: that credential 1 existed, when, and when it was erased.
    let row = sqlx::query("SELECT issued_at, erased_at, erasure_reason FROM registry_credentials WHERE number = 1")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(row.get::<Option<String>, _>("erasure_reason").as_deref(), Some("requested"));

    let reopened = db.reopen().await;
    assert_eq!(reopened.read(Clone::clone).await, store.read(Clone::clone).await);
    assert!(reopened.verify().await.unwrap().is_ok());
}

async fn claim_codes_that_are_unknown_used_or_expired_are_refused_and_change_nothing(db: &TestDb) {
    let store = &db.store;
    let desk = desk(store).await;
    let first = desk.enrol(store, "Resident One", 1, "1111-2222-3333-4444", in_days(365)).await;
    let enrol = EnrolResident { area: desk.area.clone(), age_band: AgeBand::From16To17, expires_at: in_days(365) };
    let short = secrets(2, "5555-6666-7777-8888", now().plus_seconds(3600));
    store.enrol(enrol, &person("Resident Two"), short, &desk.registrar, now()).await.unwrap();
    let (ana, ben) = (account(store, "Ana").await, account(store, "Ben").await);
    let head = store.log_head().await.unwrap();

    let forged = store.claim_credential("1111-2222-3333-4445", &ana, now()).await;
    assert!(matches!(forged, Err(StoreError::Claim(ClaimRefusal::Unknown))), "{forged:?}");
    let late = store.claim_credential("5555-6666-7777-8888", &ana, now().plus_seconds(3600)).await;
    assert!(matches!(late, Err(StoreError::Claim(ClaimRefusal::Expired))), "{late:?}");
    assert_eq!(store.log_head().await.unwrap(), head, "a refused claim writes nothing");

    assert_eq!(store.claim_credential("1111-2222-3333-4444", &ana, now()).await.unwrap(), first);
    let replayed = store.claim_credential("1111-2222-3333-4444", &ben, now()).await;
    assert!(matches!(replayed, Err(StoreError::Claim(ClaimRefusal::Used))), "{replayed:?}");
    assert!(!store.read(|s| s.body(&desk.area).unwrap().is_member(&ben)).await);
    // An account holds one credential.
    let second = store.claim_credential("5555-6666-7777-8888", &ana, now()).await;
    assert!(matches!(second, Err(StoreError::Refused(Refusal::AlreadyHoldsCredential))), "{second:?}");
    let used = sqlx::query("SELECT used_at FROM registry_claim_codes WHERE code_hash = $1")
        .bind(plenum_store::claim_hash("5555-6666-7777-8888"))
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(used.get::<Option<String>, _>("used_at"), None, "a refused claim leaves its code unused");
    // Codes are kept only as hashes.
    let stored = sqlx::query("SELECT code_hash FROM registry_claim_codes").fetch_all(store.pool()).await.unwrap();
    assert!(stored.iter().all(|r| !r.get::<String, _>("code_hash").contains("1111")));
}

async fn personal_data_is_erased_at_expiry_only_after_the_grace_period(db: &TestDb) {
    let store = &db.store;
    let desk = desk(store).await;
    let soon = desk.enrol(store, "Resident Soon", 3, "AAAA-0000-0000-0001", in_days(10)).await;
    let later = desk.enrol(store, "Resident Later", 4, "AAAA-0000-0000-0002", in_days(100)).await;
    let grace = 30 * 86_400;
    assert_eq!(store.erase_expired(grace, in_days(39)).await.unwrap(), 0, "still in the grace period");
    assert_eq!(count(store, "SELECT COUNT(*) FROM registry_keys WHERE credential_number = $1", soon).await, 1);
    assert_eq!(store.erase_expired(grace, in_days(40)).await.unwrap(), 1);
    assert_eq!(count(store, "SELECT COUNT(*) FROM registry_keys WHERE credential_number = $1", soon).await, 0);
    assert_eq!(count(store, "SELECT COUNT(*) FROM registry_keys WHERE credential_number = $1", later).await, 1);
    let erased = store.read(|s| s.registry().credential(soon).unwrap().erased).await;
    assert_eq!(erased, Some((ErasureReason::Expired, in_days(40))));
    assert_eq!(store.erase_expired(grace, in_days(40)).await.unwrap(), 0, "erased once");
}

/// Whether `needle` occurs in `haystack`.
fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The files under `dir` (recursively) that contain `needle`.
fn files_containing(dir: &std::path::Path, needle: &[u8]) -> Vec<String> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return found };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_containing(&path, needle));
        } else if let Ok(bytes) = std::fs::read(&path)
            && contains(&bytes, needle)
        {
            found.push(path.display().to_string());
        }
    }
    found
}

async fn the_raw_database_never_holds_a_residents_name(db: &TestDb) {
    let store = &db.store;
    let desk = desk(store).await;
    let number = desk.enrol(store, NAME, 9, "QQQQ-RRRR-SSSS-TTTT", in_days(365)).await;
    let key: String = sqlx::query("SELECT key_hex FROM registry_keys WHERE credential_number = $1")
        .bind(i64::try_from(number).unwrap())
        .fetch_one(store.pool())
        .await
        .unwrap()
        .get("key_hex");
    // The read shows the name (so it really was stored), and is itself logged.
    let reason = Prose::parse("Printing a new card").unwrap();
    assert_eq!(store.read_personal_data(number, &desk.registrar, reason, now()).await.unwrap().name.as_str(), NAME);
    match store.engine() {
        Engine::Sqlite => {
            let file = db.url.trim_start_matches("sqlite://").split('?').next().unwrap().to_owned();
            let dir = std::path::Path::new(&file).parent().unwrap().to_owned();
            // The database, its write-ahead log and its shared memory, byte by byte.
            let files: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().map(|e| e.path()).collect();
            assert!(files.iter().any(|f| f.display().to_string().ends_with("-wal")), "{files:?}");
            assert_eq!(files_containing(&dir, NAME.as_bytes()), Vec::<String>::new());
            assert_eq!(files_containing(&dir, key.as_bytes()).len(), 1, "the key is stored while the resident is registered");
            store.erase_personal_data(number, ErasureReason::Requested, now()).await.unwrap();
            assert_eq!(files_containing(&dir, NAME.as_bytes()), Vec::<String>::new());
            assert_eq!(files_containing(&dir, key.as_bytes()), Vec::<String>::new(), "the destroyed key is gone from every file");
        }
        Engine::Postgres => {
            // Every row of every table, as text.
            let tables: Vec<String> =
                sqlx::query("SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = 'public'")
                    .fetch_all(store.pool())
                    .await
                    .unwrap()
                    .iter()
                    .map(|r| r.get("name"))
                    .collect();
            assert!(tables.iter().any(|t| t == "registry_keys"), "{tables:?}");
            let dump = |store: &Store| {
                let tables = tables.clone();
                let pool = store.pool().clone();
                async move {
                    let mut all = String::new();
                    for table in tables {
                        for row in
                            sqlx::query(&format!("SELECT t::text AS row FROM \"{table}\" t")).fetch_all(&pool).await.unwrap()
                        {
                            all.push_str(&row.get::<String, _>("row"));
                            all.push('\n');
                        }
                    }
                    all
                }
            };
            let before = dump(store).await;
            assert!(!before.contains(NAME));
            assert!(before.contains(&key), "the key is stored while the resident is registered");
            // The data directory's files too, when this server is on this machine and readable.
            let place = sqlx::query(
                "SELECT current_setting('data_directory') AS dir, (SELECT oid::text FROM pg_database WHERE datname = current_database()) AS oid",
            )
            .fetch_one(store.pool())
            .await;
            if let Ok(row) = place {
                let _ = sqlx::query("CHECKPOINT").execute(store.pool()).await;
                let dir = std::path::Path::new(&row.get::<String, _>("dir")).join("base").join(row.get::<String, _>("oid"));
                if dir.is_dir() {
                    assert_eq!(files_containing(&dir, NAME.as_bytes()), Vec::<String>::new());
                    // The search works: the key, stored in clear, is found.
                    assert!(!files_containing(&dir, key.as_bytes()).is_empty(), "the key is in the data files");
                }
            }
            store.erase_personal_data(number, ErasureReason::Requested, now()).await.unwrap();
            let after = dump(store).await;
            assert!(!after.contains(NAME) && !after.contains(&key));
        }
    }
}

/// Column names the registry must never have: what would identify a person or their status.
const FORBIDDEN: &[&str] = &[
    "document",
    "doc_type",
    "doc_number",
    "passport",
    "visa",
    "id_number",
    "national_id",
    "ssn",
    "social_security",
    "nationality",
    "citizenship",
    "country_of_birth",
    "birthplace",
    "birth_date",
    "date_of_birth",
    "immigration",
    "legal_status",
    "residency_status",
    "residence_status",
    "photo",
    "picture",
    "portrait",
    "image",
    "biometric",
    "fingerprint",
];

/// The `table.column` names that match a forbidden pattern.
fn forbidden_columns(columns: &[(String, String)]) -> Vec<String> {
    columns
        .iter()
        .filter(|(_, column)| FORBIDDEN.iter().any(|pattern| column.to_lowercase().contains(pattern)))
        .map(|(table, column)| format!("{table}.{column}"))
        .collect()
}

#[test]
fn the_forbidden_column_check_catches_what_it_must() {
    let columns: Vec<(String, String)> =
        ["passport_number", "Nationality", "immigration_status", "photo_url", "document_type", "display_name", "status"]
            .iter()
            .map(|c| ("residents".to_owned(), (*c).to_owned()))
            .collect();
    assert_eq!(forbidden_columns(&columns).len(), 5);
}

async fn the_schema_has_no_column_for_documents_nationality_status_or_photos(db: &TestDb) {
    let store = &db.store;
    let sql = match store.engine() {
        Engine::Sqlite => {
            "SELECT m.name AS t, p.name AS c FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table'"
        }
        Engine::Postgres => {
            "SELECT table_name::text AS t, column_name::text AS c FROM information_schema.columns WHERE table_schema = 'public'"
        }
    };
    let columns: Vec<(String, String)> =
        sqlx::query(sql).fetch_all(store.pool()).await.unwrap().iter().map(|r| (r.get("t"), r.get("c"))).collect();
    assert!(columns.iter().any(|(t, c)| t == "registry_credentials" && c == "age_band"), "{columns:?}");
    assert!(columns.len() > 100, "the whole schema is read: {}", columns.len());
    assert_eq!(forbidden_columns(&columns), Vec::<String>::new());
}

async fn a_reprint_gives_a_fresh_claim_code_and_the_older_one_stops_working(db: &TestDb) {
    let store = &db.store;
    let desk = desk(store).await;
    let number = desk.enrol(store, "Resident Reprint", 11, "OLDC-ODE0-0000-0001", in_days(365)).await;
    let missing = store.renew_claim_code(99, "NONE-0000-0000-0000", in_days(30)).await;
    assert!(matches!(missing, Err(StoreError::Refused(Refusal::NotFound { .. }))), "{missing:?}");
    assert!(store.renew_claim_code(number, "NEWC-ODE0-0000-0002", in_days(30)).await.unwrap());
    assert!(store.renew_claim_code(number, "NEWC-ODE0-0000-0003", in_days(30)).await.unwrap());
    let ana = account(store, "Ana").await;
    let head = store.log_head().await.unwrap();
    for old in ["OLDC-ODE0-0000-0001", "NEWC-ODE0-0000-0002"] {
        let refused = store.claim_credential(old, &ana, now()).await;
        assert!(matches!(refused, Err(StoreError::Claim(ClaimRefusal::Unknown))), "{old}: {refused:?}");
    }
    assert_eq!(store.log_head().await.unwrap(), head, "a refused claim writes nothing");
    assert_eq!(store.claim_credential("NEWC-ODE0-0000-0003", &ana, now()).await.unwrap(), number);
    // Once claimed, a reprint gives no code (a card links to one account) and changes nothing.
    let codes = "SELECT COUNT(*) FROM registry_claim_codes WHERE credential_number = $1";
    assert_eq!(count(store, codes, number).await, 1);
    assert!(!store.renew_claim_code(number, "LATE-C0DE-0000-0004", in_days(30)).await.unwrap());
    assert_eq!(count(store, codes, number).await, 1);
    let ben = account(store, "Ben").await;
    let late = store.claim_credential("LATE-C0DE-0000-0004", &ben, now()).await;
    assert!(matches!(late, Err(StoreError::Claim(ClaimRefusal::Unknown))), "{late:?}");
    // Erased: refused.
    store.erase_personal_data(number, ErasureReason::Requested, now()).await.unwrap();
    let erased = store.renew_claim_code(number, "GONE-C0DE-0000-0005", in_days(30)).await;
    assert!(matches!(erased, Err(StoreError::Refused(Refusal::CredentialErased { .. }))), "{erased:?}");
}
