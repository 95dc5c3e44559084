-- Polls open only to residents of the assembly's area holding a valid credential, from a
-- minimum age if given (`poll_residency_required`). Portable SQL (SQLite and PostgreSQL).
CREATE TABLE poll_residency (
    poll_id TEXT PRIMARY KEY REFERENCES polls (id),
    min_age BIGINT,
    set_at TEXT NOT NULL
);
