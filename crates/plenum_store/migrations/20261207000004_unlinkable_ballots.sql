-- Unlinkable ballots (ballot secrecy tier B): each unlinkable poll's RSA key, who took a
-- voting token and which tokens were spent. Portable SQL (SQLite and PostgreSQL).

-- The secret half of each unlinkable poll's key. Private: never in the log, never served.
-- Written before the poll opens (so no poll row to reference yet); a key whose poll never
-- opened is harmless and signs nothing.
CREATE TABLE poll_signing_keys (
    poll_id TEXT PRIMARY KEY,
    modulus TEXT NOT NULL,
    public_exponent TEXT NOT NULL,
    secret_exponent TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- The public half, as `voting_key_published` logged it.
CREATE TABLE unlinkable_polls (
    poll_id TEXT PRIMARY KEY REFERENCES polls (id),
    modulus TEXT NOT NULL,
    public_exponent TEXT NOT NULL,
    key_hash TEXT NOT NULL,
    tokens_issued BIGINT NOT NULL,
    tokens_spent BIGINT NOT NULL
);

-- Who took their token (that, never what was signed).
CREATE TABLE voting_tokens_issued (
    poll_id TEXT NOT NULL REFERENCES polls (id),
    member_id TEXT NOT NULL REFERENCES residents (id),
    PRIMARY KEY (poll_id, member_id)
);

-- The SHA-256 of every spent token: a token spends once, the key enforces it a second time.
CREATE TABLE spent_tokens (
    poll_id TEXT NOT NULL REFERENCES polls (id),
    token_hash TEXT NOT NULL,
    PRIMARY KEY (poll_id, token_hash)
);
