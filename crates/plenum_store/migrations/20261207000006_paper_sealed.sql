-- Paper ballot entries are sealed until the count, like online ballots: the log records only
-- that a volunteer entered (or a facilitator resolved) paper ballot number N. The read table of
-- entries loses its content, which moves to the private `budget_paper_box` (never served; the
-- count publishes the settled paper ballots on the board). Nothing was deployed with the old
-- shape, so the old table is replaced.

DROP TABLE budget_paper_entries;

-- entry: 1 and 2 for the volunteers' entries, 0 for a facilitator's resolution.
CREATE TABLE budget_paper_entries (
    cycle_id TEXT NOT NULL REFERENCES budget_cycles (id),
    number BIGINT NOT NULL,
    entry BIGINT NOT NULL,
    by_id TEXT NOT NULL REFERENCES residents (id),
    at TEXT NOT NULL,
    PRIMARY KEY (cycle_id, number, entry)
);

CREATE TABLE budget_paper_box (
    cycle_id TEXT NOT NULL REFERENCES budget_cycles (id),
    number BIGINT NOT NULL,
    entry BIGINT NOT NULL,
    vote TEXT NOT NULL,
    PRIMARY KEY (cycle_id, number, entry)
);
