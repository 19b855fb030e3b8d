-- sdtrack schema version 1. Never edit a shipped migration: add vNNN-*.sql instead.
-- Columns are documented in schema/README.md; symbols follow docs/math.md.

-- 'SDTR': marks the file as an sdtrack database, so that sdtrack refuses other SQLite files.
PRAGMA application_id = 1396986962;

CREATE TABLE runs (
    run_id          TEXT PRIMARY KEY NOT NULL,
    experiment      TEXT NOT NULL DEFAULT 'default',
    status          TEXT NOT NULL CHECK (status IN ('running', 'finished', 'failed', 'killed')),
    source          TEXT NOT NULL CHECK (source IN ('sdtrack', 'import')),
    created_at      TEXT NOT NULL,
    started_at      TEXT,
    ended_at        TEXT,
    heartbeat_at    TEXT,
    host            TEXT NOT NULL,
    pid             INTEGER,
    sdtrack_version TEXT NOT NULL,
    error           TEXT,
    config_json     TEXT NOT NULL CHECK (json_valid(config_json)),
    dataset         TEXT,
    data_sha256     TEXT,
    K               INTEGER,
    test_size       INTEGER,
    kernel          TEXT,
    gamma           REAL,
    length_scale    REAL,
    degree          INTEGER,
    coef0           REAL,
    depth           INTEGER,
    mode            TEXT,
    eps             REAL,
    c               REAL,
    seed            INTEGER,
    noise           REAL,
    round_count     INTEGER NOT NULL DEFAULT 0,
    r0              REAL,
    kappa           REAL,
    collapse_round  INTEGER,
    bound_lower     INTEGER,
    bound_upper     INTEGER,
    bounds_held     INTEGER CHECK (bounds_held IN (0, 1)),
    checks_held     INTEGER CHECK (checks_held IN (0, 1)),
    note            TEXT
);

CREATE INDEX runs_by_created ON runs (created_at);
CREATE INDEX runs_by_experiment ON runs (experiment, created_at);
CREATE INDEX runs_by_status ON runs (status);

CREATE TABLE rounds (
    run_id      TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    t           INTEGER NOT NULL CHECK (t >= 0),
    c           REAL,
    r           REAL,
    target_norm REAL,
    train_mse   REAL,
    target_mse  REAL,
    test_mse    REAL,
    truth_mse   REAL,
    df          REAL,
    gcv         REAL,
    rkhs_norm   REAL,
    PRIMARY KEY (run_id, t)
) WITHOUT ROWID;

CREATE TABLE round_metrics (
    run_id TEXT NOT NULL,
    t      INTEGER NOT NULL,
    name   TEXT NOT NULL,
    value  REAL NOT NULL,
    PRIMARY KEY (run_id, t, name),
    FOREIGN KEY (run_id, t) REFERENCES rounds (run_id, t) ON DELETE CASCADE
) WITHOUT ROWID;

CREATE TABLE spectra (
    run_id         TEXT PRIMARY KEY NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    length         INTEGER NOT NULL CHECK (length >= 1),
    d              BLOB NOT NULL CHECK (length(d) = 8 * length),
    z0             BLOB NOT NULL CHECK (length(z0) = 8 * length),
    zero_tolerance REAL NOT NULL
);

CREATE TABLE tags (
    run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    key    TEXT NOT NULL,
    value  TEXT NOT NULL,
    PRIMARY KEY (run_id, key)
) WITHOUT ROWID;

CREATE INDEX tags_by_key ON tags (key, value);
