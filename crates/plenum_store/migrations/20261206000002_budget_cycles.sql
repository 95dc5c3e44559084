-- Participatory budgeting: cycles, ideas, projects, their implementation, and the secret
-- ballots of each cycle's vote. Portable SQL (SQLite and PostgreSQL), as the first schema.

CREATE TABLE budget_cycles (
    id TEXT PRIMARY KEY,
    body_id TEXT NOT NULL REFERENCES bodies (id),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    currency TEXT NOT NULL,
    total BIGINT NOT NULL,
    districts TEXT NOT NULL,
    schedule TEXT NOT NULL,
    ideas_from TEXT NOT NULL,
    ballot_format TEXT NOT NULL,
    rule TEXT NOT NULL,
    phase TEXT NOT NULL,
    roll_size BIGINT NOT NULL,
    voted BIGINT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX budget_cycles_by_body ON budget_cycles (body_id);

-- Every phase move, as logged.
CREATE TABLE budget_transitions (
    cycle_id TEXT NOT NULL REFERENCES budget_cycles (id),
    phase TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (cycle_id, phase)
);

-- Who may vote in a cycle and whether they have (that, never what).
CREATE TABLE budget_roll (
    cycle_id TEXT NOT NULL REFERENCES budget_cycles (id),
    member_id TEXT NOT NULL REFERENCES residents (id),
    voted BIGINT NOT NULL,
    PRIMARY KEY (cycle_id, member_id)
);

CREATE TABLE budget_ideas (
    id TEXT PRIMARY KEY,
    cycle_id TEXT NOT NULL REFERENCES budget_cycles (id),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    place TEXT,
    category TEXT NOT NULL,
    district_id TEXT,
    author_id TEXT NOT NULL REFERENCES residents (id),
    at TEXT NOT NULL,
    supporters BIGINT NOT NULL,
    merged_into TEXT
);
CREATE INDEX budget_ideas_by_cycle ON budget_ideas (cycle_id);

CREATE TABLE budget_idea_supports (
    idea_id TEXT NOT NULL REFERENCES budget_ideas (id),
    resident_id TEXT NOT NULL REFERENCES residents (id),
    at TEXT NOT NULL,
    PRIMARY KEY (idea_id, resident_id)
);

CREATE TABLE budget_idea_comments (
    id TEXT PRIMARY KEY,
    idea_id TEXT NOT NULL REFERENCES budget_ideas (id),
    text TEXT NOT NULL,
    author_id TEXT NOT NULL REFERENCES residents (id),
    at TEXT NOT NULL
);

CREATE TABLE budget_projects (
    id TEXT PRIMARY KEY,
    cycle_id TEXT NOT NULL REFERENCES budget_cycles (id),
    code TEXT NOT NULL,
    ideas TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    estimate BIGINT NOT NULL,
    district_id TEXT,
    author_id TEXT NOT NULL REFERENCES residents (id),
    at TEXT NOT NULL,
    -- NULL until reviewed; then 1 (feasible, final_cost set) or 0 (not, reason set).
    feasible BIGINT,
    final_cost BIGINT,
    reason TEXT,
    -- NULL until counted; then 1 or 0.
    funded BIGINT,
    votes BIGINT,
    status TEXT,
    spent BIGINT,
    UNIQUE (cycle_id, code)
);

CREATE TABLE budget_progress (
    project_id TEXT NOT NULL REFERENCES budget_projects (id),
    at TEXT NOT NULL,
    status TEXT NOT NULL,
    spent BIGINT NOT NULL,
    note TEXT NOT NULL,
    author_id TEXT NOT NULL REFERENCES residents (id)
);
CREATE INDEX budget_progress_by_project ON budget_progress (project_id, at);

-- A cycle's secret ballots: no member, no time. position is the place on the public board,
-- set when the vote is counted (NULL while sealed). vote is the ballot as JSON.
CREATE TABLE budget_ballot_box (
    ballot_id TEXT PRIMARY KEY,
    cycle_id TEXT NOT NULL REFERENCES budget_cycles (id),
    receipt TEXT NOT NULL,
    vote TEXT NOT NULL,
    position BIGINT
);
CREATE INDEX budget_ballot_box_by_cycle ON budget_ballot_box (cycle_id, position);

CREATE TABLE budget_results (
    cycle_id TEXT PRIMARY KEY REFERENCES budget_cycles (id),
    ballots BIGINT NOT NULL,
    result TEXT NOT NULL,
    counted_at TEXT NOT NULL
);
