-- Plenum's first schema. Portable SQL only (SQLite and PostgreSQL): no BOOLEAN (BIGINT 0/1),
-- ids are UUID text made by the application, instants are RFC 3339 UTC text, JSON is TEXT.

-- The append-only, hash-chained event log. hash = SHA-256(prev_hash || payload), in hex.
CREATE TABLE events (
    seq BIGINT PRIMARY KEY,
    kind TEXT NOT NULL,
    version BIGINT NOT NULL,
    payload TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE
);

-- Credentials and sessions: private, never in the log.
CREATE TABLE accounts (
    id TEXT PRIMARY KEY,
    login TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_by_account ON sessions (account_id);

-- Read tables, fed by the log in the same transaction as each append.
CREATE TABLE residents (
    id TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    registered_at TEXT NOT NULL
);

CREATE TABLE bodies (
    id TEXT PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    charter TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE memberships (
    body_id TEXT NOT NULL REFERENCES bodies (id),
    resident_id TEXT NOT NULL REFERENCES residents (id),
    status TEXT NOT NULL,
    role TEXT NOT NULL,
    since TEXT NOT NULL,
    PRIMARY KEY (body_id, resident_id)
);

CREATE TABLE meetings (
    id TEXT PRIMARY KEY,
    body_id TEXT NOT NULL REFERENCES bodies (id),
    title TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    venue TEXT NOT NULL,
    agenda TEXT NOT NULL,
    present TEXT NOT NULL,
    guests BIGINT NOT NULL,
    minutes TEXT,
    published BIGINT NOT NULL,
    published_at TEXT
);
CREATE INDEX meetings_by_body ON meetings (body_id, starts_at);

CREATE TABLE motions (
    id TEXT PRIMARY KEY,
    body_id TEXT NOT NULL REFERENCES bodies (id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    proposed_charter TEXT,
    mover_id TEXT NOT NULL REFERENCES residents (id),
    filed_at TEXT NOT NULL,
    status TEXT NOT NULL,
    poll_id TEXT
);
CREATE INDEX motions_by_body ON motions (body_id, id);

CREATE TABLE arguments (
    id TEXT PRIMARY KEY,
    motion_id TEXT NOT NULL REFERENCES motions (id),
    side TEXT NOT NULL,
    text TEXT NOT NULL,
    author_id TEXT NOT NULL REFERENCES residents (id),
    at TEXT NOT NULL
);
CREATE INDEX arguments_by_motion ON arguments (motion_id);

CREATE TABLE amendments (
    id TEXT PRIMARY KEY,
    motion_id TEXT NOT NULL REFERENCES motions (id),
    text TEXT NOT NULL,
    author_id TEXT NOT NULL REFERENCES residents (id),
    at TEXT NOT NULL,
    status TEXT NOT NULL
);
CREATE INDEX amendments_by_motion ON amendments (motion_id);

CREATE TABLE polls (
    id TEXT PRIMARY KEY,
    motion_id TEXT NOT NULL REFERENCES motions (id),
    body_id TEXT NOT NULL REFERENCES bodies (id),
    secrecy TEXT NOT NULL,
    rules TEXT NOT NULL,
    opens_at TEXT NOT NULL,
    closes_at TEXT NOT NULL,
    roll_size BIGINT NOT NULL,
    voted BIGINT NOT NULL,
    in_person TEXT,
    closed BIGINT NOT NULL,
    closed_at TEXT
);
CREATE INDEX polls_by_motion ON polls (motion_id);

-- Who may vote in a poll and whether they have (for a secret poll: that, never what).
CREATE TABLE roll (
    poll_id TEXT NOT NULL REFERENCES polls (id),
    member_id TEXT NOT NULL REFERENCES residents (id),
    voted BIGINT NOT NULL,
    PRIMARY KEY (poll_id, member_id)
);

-- An open poll's votes: who voted what.
CREATE TABLE open_votes (
    poll_id TEXT NOT NULL REFERENCES polls (id),
    member_id TEXT NOT NULL REFERENCES residents (id),
    choice TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (poll_id, member_id)
);

-- A secret poll's ballots: no member, no time. position is the place on the public board,
-- set when the poll closes (NULL while sealed).
CREATE TABLE ballot_box (
    ballot_id TEXT PRIMARY KEY,
    poll_id TEXT NOT NULL REFERENCES polls (id),
    receipt TEXT NOT NULL,
    choice TEXT NOT NULL,
    position BIGINT
);
CREATE INDEX ballot_box_by_poll ON ballot_box (poll_id, position);

CREATE TABLE results (
    poll_id TEXT PRIMARY KEY REFERENCES polls (id),
    passed BIGINT NOT NULL,
    yes_votes BIGINT NOT NULL,
    no_votes BIGINT NOT NULL,
    abstentions BIGINT NOT NULL,
    working TEXT NOT NULL,
    decided_at TEXT NOT NULL
);
