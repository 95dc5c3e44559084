-- The resident registry. Read tables fed by the log (registrars, credentials, reads, legal
-- demands) hold what a credential says and nothing about the person. The private tables
-- (never in the log) hold the personal data, encrypted, and one key per resident apart from
-- it: deleting a resident's key row erases the person (crypto-shredding). No column ever holds
-- a document, a document type or number, a nationality, a status or a photo; a test fails
-- if one appears.

CREATE TABLE registrars (
    account_id TEXT PRIMARY KEY REFERENCES residents (id),
    appointed_at TEXT NOT NULL
);

CREATE TABLE registry_credentials (
    number BIGINT PRIMARY KEY,
    area_id TEXT NOT NULL REFERENCES bodies (id),
    age_band TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    registrar_id TEXT NOT NULL REFERENCES residents (id),
    erased_at TEXT,
    erasure_reason TEXT
);
CREATE INDEX registry_credentials_by_expiry ON registry_credentials (expires_at);

-- Every read of personal data: who, when and why (also in the log).
CREATE TABLE registry_reads (
    credential_number BIGINT NOT NULL REFERENCES registry_credentials (number),
    reader_id TEXT NOT NULL REFERENCES residents (id),
    reason TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX registry_reads_by_credential ON registry_reads (credential_number);

-- The register of legal demands; a sealed demand has only its dates.
CREATE TABLE legal_demands (
    id TEXT PRIMARY KEY,
    received_at TEXT NOT NULL,
    sealed BIGINT NOT NULL,
    authority TEXT,
    asked TEXT,
    given TEXT,
    recorded_by TEXT NOT NULL REFERENCES residents (id),
    recorded_at TEXT NOT NULL
);

-- Private: one random key per resident (XChaCha20-Poly1305), hex. SQLite runs with
-- secure_delete on, so a deleted key is overwritten in the file.
CREATE TABLE registry_keys (
    credential_number BIGINT PRIMARY KEY REFERENCES registry_credentials (number),
    key_hex TEXT NOT NULL
);

-- Private: the personal data, only as ciphertext (nonce and sealed box, hex).
CREATE TABLE registry_sealed_data (
    credential_number BIGINT PRIMARY KEY REFERENCES registry_credentials (number),
    nonce_hex TEXT NOT NULL,
    sealed_hex TEXT NOT NULL
);

-- Private: one-time claim codes, as SHA-256 hashes.
CREATE TABLE registry_claim_codes (
    code_hash TEXT PRIMARY KEY,
    credential_number BIGINT NOT NULL REFERENCES registry_credentials (number),
    expires_at TEXT NOT NULL,
    used_at TEXT
);

-- Private: which account claimed which credential (the log never says). Erased with the key.
CREATE TABLE registry_holders (
    credential_number BIGINT PRIMARY KEY REFERENCES registry_credentials (number),
    account_id TEXT NOT NULL UNIQUE REFERENCES accounts (id)
);

-- Budget cycles whose vote is open only to residents of the area holding a valid credential.
CREATE TABLE budget_residency (
    cycle_id TEXT PRIMARY KEY REFERENCES budget_cycles (id),
    min_age BIGINT,
    set_at TEXT NOT NULL
);
