-- Organisations, coalitions, platforms and pledges: read tables fed by the coalition events.
-- Portable SQL only (SQLite and PostgreSQL).

CREATE TABLE organisations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    description TEXT NOT NULL,
    contact TEXT NOT NULL,
    created_at TEXT NOT NULL,
    -- The coalition's charter as JSON, for organisations that are coalitions.
    charter TEXT
);

CREATE TABLE representatives (
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    resident_id TEXT NOT NULL REFERENCES residents (id),
    PRIMARY KEY (organisation_id, resident_id)
);

CREATE TABLE coalition_members (
    coalition_id TEXT NOT NULL REFERENCES organisations (id),
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    since TEXT NOT NULL,
    PRIMARY KEY (coalition_id, organisation_id)
);

CREATE TABLE coalition_individuals (
    coalition_id TEXT NOT NULL REFERENCES organisations (id),
    resident_id TEXT NOT NULL REFERENCES residents (id),
    since TEXT NOT NULL,
    PRIMARY KEY (coalition_id, resident_id)
);

-- Admissions and removals, decided or under way.
CREATE TABLE membership_decisions (
    coalition_id TEXT NOT NULL REFERENCES organisations (id),
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    matter TEXT NOT NULL,
    proposed_at TEXT NOT NULL,
    roll BIGINT NOT NULL,
    agree BIGINT NOT NULL,
    object BIGINT NOT NULL,
    -- 'pending', 'carried' or 'not_carried'.
    outcome TEXT NOT NULL,
    decided_at TEXT
);
CREATE INDEX membership_decisions_by_coalition ON membership_decisions (coalition_id, organisation_id);

-- Every version of every plank; the highest version is the current wording.
CREATE TABLE plank_versions (
    plank_id TEXT NOT NULL,
    version BIGINT NOT NULL,
    origin_id TEXT NOT NULL REFERENCES organisations (id),
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    category TEXT NOT NULL,
    author_id TEXT NOT NULL REFERENCES residents (id),
    at TEXT NOT NULL,
    PRIMARY KEY (plank_id, version)
);

CREATE TABLE platform_planks (
    coalition_id TEXT NOT NULL REFERENCES organisations (id),
    plank_id TEXT NOT NULL,
    added_at TEXT NOT NULL,
    adopted_version BIGINT,
    adopted_at TEXT,
    PRIMARY KEY (coalition_id, plank_id)
);

-- Each member's latest position on a plank of a platform.
CREATE TABLE positions (
    coalition_id TEXT NOT NULL REFERENCES organisations (id),
    plank_id TEXT NOT NULL,
    organisation_id TEXT NOT NULL REFERENCES organisations (id),
    version BIGINT NOT NULL,
    stance TEXT NOT NULL,
    -- The reservation or the reasons for a block.
    note TEXT,
    by_id TEXT NOT NULL REFERENCES residents (id),
    at TEXT NOT NULL,
    PRIMARY KEY (coalition_id, plank_id, organisation_id)
);

CREATE TABLE candidates (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    office TEXT NOT NULL,
    statement TEXT,
    account_id TEXT REFERENCES residents (id),
    coalition_id TEXT REFERENCES organisations (id),
    entered_at TEXT NOT NULL,
    elected_at TEXT
);

CREATE TABLE pledges (
    candidate_id TEXT NOT NULL REFERENCES candidates (id),
    coalition_id TEXT NOT NULL REFERENCES organisations (id),
    plank_id TEXT NOT NULL,
    version BIGINT NOT NULL,
    signature TEXT NOT NULL,
    signed_at TEXT NOT NULL,
    withdrawn_at TEXT,
    withdrawal_reason TEXT,
    PRIMARY KEY (candidate_id, coalition_id, plank_id)
);

CREATE TABLE official_votes (
    id TEXT PRIMARY KEY,
    candidate_id TEXT NOT NULL REFERENCES candidates (id),
    coalition_id TEXT NOT NULL REFERENCES organisations (id),
    plank_id TEXT NOT NULL,
    question TEXT NOT NULL,
    vote TEXT NOT NULL,
    held_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES residents (id),
    at TEXT NOT NULL
);
CREATE INDEX official_votes_by_candidate ON official_votes (candidate_id);
