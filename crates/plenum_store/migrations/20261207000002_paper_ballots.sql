-- Paper ballots of budget cycles, entered twice by volunteers: who may enter them, and every
-- entry (the two independent ones and a facilitator's resolution). Read tables fed by the log.

CREATE TABLE budget_paper_volunteers (
    cycle_id TEXT NOT NULL REFERENCES budget_cycles (id),
    volunteer_id TEXT NOT NULL REFERENCES residents (id),
    appointed_at TEXT NOT NULL,
    PRIMARY KEY (cycle_id, volunteer_id)
);

-- entry: 1 and 2 for the volunteers' entries, 0 for a facilitator's resolution.
CREATE TABLE budget_paper_entries (
    cycle_id TEXT NOT NULL REFERENCES budget_cycles (id),
    number BIGINT NOT NULL,
    entry BIGINT NOT NULL,
    vote TEXT NOT NULL,
    by_id TEXT NOT NULL REFERENCES residents (id),
    at TEXT NOT NULL,
    PRIMARY KEY (cycle_id, number, entry)
);
