-- The confederation: councils over constituent bodies, delegates and their seats, sortition
-- draws, mandates and votes against them, reports, recall petitions, ratifications with every
-- constituent's result, disputes and administrative tasks. Read tables fed by the log, as in
-- the platform schema: portable SQL, BIGINT 0/1 for truth values, JSON as TEXT.

CREATE TABLE councils (
    body_id TEXT PRIMARY KEY REFERENCES bodies (id),
    seat_rule TEXT NOT NULL,
    ratification_rule TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE council_constituents (
    council_id TEXT NOT NULL REFERENCES councils (body_id),
    body_id TEXT NOT NULL REFERENCES bodies (id),
    position BIGINT NOT NULL,
    seats BIGINT NOT NULL,
    represented BIGINT NOT NULL,
    rules TEXT NOT NULL,
    PRIMARY KEY (council_id, body_id)
);

-- Every seat held, now (ended_at NULL) or in the past.
CREATE TABLE delegate_seats (
    council_id TEXT NOT NULL REFERENCES councils (body_id),
    constituent_id TEXT NOT NULL REFERENCES bodies (id),
    delegate_id TEXT NOT NULL REFERENCES residents (id),
    round BIGINT NOT NULL,
    seated_by TEXT NOT NULL,
    since TEXT NOT NULL,
    term_ends TEXT NOT NULL,
    ended_at TEXT,
    ended_reason TEXT,
    PRIMARY KEY (council_id, constituent_id, delegate_id, since)
);
CREATE INDEX delegate_seats_by_constituent ON delegate_seats (constituent_id);

CREATE TABLE elections (
    council_id TEXT NOT NULL REFERENCES councils (body_id),
    constituent_id TEXT NOT NULL REFERENCES bodies (id),
    round BIGINT NOT NULL,
    candidates TEXT NOT NULL,
    ballots TEXT NOT NULL,
    elected TEXT NOT NULL,
    held_at TEXT NOT NULL,
    PRIMARY KEY (council_id, constituent_id, round)
);

CREATE TABLE draws (
    id TEXT PRIMARY KEY,
    council_id TEXT NOT NULL REFERENCES councils (body_id),
    constituent_id TEXT NOT NULL REFERENCES bodies (id),
    seats BIGINT NOT NULL,
    commitment TEXT NOT NULL,
    volunteers_close_at TEXT NOT NULL,
    quotas TEXT NOT NULL,
    term_ends TEXT NOT NULL,
    announced_at TEXT NOT NULL,
    seed TEXT,
    drawn TEXT,
    held_at TEXT
);

CREATE TABLE draw_volunteers (
    draw_id TEXT NOT NULL REFERENCES draws (id),
    resident_id TEXT NOT NULL REFERENCES residents (id),
    category TEXT,
    enrolled_at TEXT NOT NULL,
    PRIMARY KEY (draw_id, resident_id)
);

CREATE TABLE mandates (
    council_motion_id TEXT NOT NULL REFERENCES motions (id),
    constituent_id TEXT NOT NULL REFERENCES bodies (id),
    council_id TEXT NOT NULL REFERENCES councils (body_id),
    poll_id TEXT NOT NULL,
    decided BIGINT NOT NULL,
    mandate TEXT,
    PRIMARY KEY (council_motion_id, constituent_id)
);

CREATE TABLE mandate_deviations (
    poll_id TEXT NOT NULL,
    delegate_id TEXT NOT NULL REFERENCES residents (id),
    council_id TEXT NOT NULL REFERENCES councils (body_id),
    council_motion_id TEXT NOT NULL REFERENCES motions (id),
    constituent_id TEXT NOT NULL REFERENCES bodies (id),
    mandate TEXT NOT NULL,
    vote TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (poll_id, delegate_id)
);

CREATE TABLE delegate_reports (
    id TEXT PRIMARY KEY,
    council_id TEXT NOT NULL REFERENCES councils (body_id),
    constituent_id TEXT NOT NULL REFERENCES bodies (id),
    meeting_id TEXT NOT NULL REFERENCES meetings (id),
    delegate_id TEXT NOT NULL REFERENCES residents (id),
    text TEXT NOT NULL,
    at TEXT NOT NULL
);

CREATE TABLE recalls (
    id TEXT PRIMARY KEY,
    council_id TEXT NOT NULL REFERENCES councils (body_id),
    constituent_id TEXT NOT NULL REFERENCES bodies (id),
    delegate_id TEXT NOT NULL REFERENCES residents (id),
    reason TEXT,
    share TEXT NOT NULL,
    closes_at TEXT NOT NULL,
    started_by TEXT,
    started_at TEXT NOT NULL,
    stage TEXT NOT NULL,
    poll_id TEXT
);

CREATE TABLE recall_signatures (
    recall_id TEXT NOT NULL REFERENCES recalls (id),
    resident_id TEXT NOT NULL REFERENCES residents (id),
    signed_at TEXT NOT NULL,
    PRIMARY KEY (recall_id, resident_id)
);

CREATE TABLE ratifications (
    id TEXT PRIMARY KEY,
    council_id TEXT NOT NULL REFERENCES councils (body_id),
    subject TEXT NOT NULL,
    title TEXT NOT NULL,
    nodes TEXT NOT NULL,
    closes_at TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    ratified BIGINT,
    outcome TEXT,
    decided_at TEXT
);

CREATE TABLE ratification_results (
    ratification_id TEXT NOT NULL REFERENCES ratifications (id),
    body_id TEXT NOT NULL REFERENCES bodies (id),
    parent_id TEXT NOT NULL REFERENCES bodies (id),
    decision TEXT NOT NULL,
    counted_as TEXT NOT NULL,
    yes_votes BIGINT NOT NULL,
    no_votes BIGINT NOT NULL,
    members BIGINT NOT NULL,
    PRIMARY KEY (ratification_id, body_id, parent_id)
);

CREATE TABLE disputes (
    id TEXT PRIMARY KEY,
    council_id TEXT NOT NULL REFERENCES councils (body_id),
    claimant_id TEXT NOT NULL REFERENCES bodies (id),
    respondent_id TEXT NOT NULL REFERENCES bodies (id),
    title TEXT NOT NULL,
    claim TEXT NOT NULL,
    response TEXT,
    hearing_meeting_id TEXT,
    decision TEXT,
    reasons TEXT,
    stage TEXT NOT NULL,
    ratification_id TEXT,
    brought_at TEXT NOT NULL
);

CREATE TABLE tasks (
    id TEXT PRIMARY KEY,
    council_id TEXT NOT NULL REFERENCES councils (body_id),
    title TEXT NOT NULL,
    responsible_id TEXT NOT NULL REFERENCES residents (id),
    due TEXT NOT NULL,
    status TEXT NOT NULL,
    added_at TEXT NOT NULL
);

CREATE TABLE task_updates (
    task_id TEXT NOT NULL REFERENCES tasks (id),
    position BIGINT NOT NULL,
    status TEXT NOT NULL,
    note TEXT NOT NULL,
    by_id TEXT NOT NULL REFERENCES residents (id),
    at TEXT NOT NULL,
    PRIMARY KEY (task_id, position)
);
