-- sdtrack schema version 6: syncing runs to a collection server (`sdtrack sync`, `sdtrack serve`).

-- When the run's tags or note were last edited (NULL: as created). A sync's labels are last
-- writer wins by this time: a server keeps the labels edited last, wherever they were edited.
ALTER TABLE runs ADD COLUMN labels_edited_at TEXT;

-- Client side. The remotes this database syncs to, by the name `sdtrack remote add` gave.
-- server_id is the remote's own id, learned at its first sync.
CREATE TABLE remotes (
    name              TEXT PRIMARY KEY NOT NULL,
    url               TEXT NOT NULL,
    server_id         TEXT,
    propagate_deletes INTEGER NOT NULL DEFAULT 0 CHECK (propagate_deletes IN (0, 1)),
    added_at          TEXT NOT NULL
);

-- What each server (by its id, so that two names for one server share it) has acknowledged of
-- each run: how many rounds, whether its end, and the labels of which edit time. A run is due
-- for sync when it has changed since. No foreign key to runs: the row of a run deleted here
-- says that the server still has it.
CREATE TABLE sync_acks (
    server_id        TEXT NOT NULL,
    run_id           TEXT NOT NULL,
    round_count      INTEGER NOT NULL,
    ended            INTEGER NOT NULL CHECK (ended IN (0, 1)),
    labels_edited_at TEXT,
    acked_at         TEXT NOT NULL,
    PRIMARY KEY (server_id, run_id)
) WITHOUT ROWID;

-- Server side. The server's id, made once per database: clients key what it acknowledged by it.
CREATE TABLE server_identity (
    id         TEXT PRIMARY KEY NOT NULL,
    created_at TEXT NOT NULL
);

-- Bearer tokens of a server. Only the SHA-256 of a token is stored, never the token.
CREATE TABLE server_tokens (
    token_id   TEXT PRIMARY KEY NOT NULL,
    name       TEXT NOT NULL,
    scopes     TEXT NOT NULL,
    sha256     TEXT NOT NULL CHECK (length(sha256) = 64),
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
