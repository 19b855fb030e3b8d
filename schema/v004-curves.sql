-- sdtrack schema version 4: each finished run's metrics as curves, one row per metric.
-- A cross-run query reads a metric of every run: from `rounds` that is one row per round
-- (200,000 for 10,000 runs of 20 rounds), from here one per run. sdtrack writes a run's
-- curves in the transaction that finishes it (or imports it), from its rows in `rounds` and
-- `round_metrics`; upgrading a file fills them in for the runs already finished.
CREATE TABLE curves (
    metric TEXT NOT NULL,
    run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
    -- Little-endian float64, the value at round t in bytes 8t ..< 8t + 8; NaN where the
    -- round has no value. Runs until the metric's last value.
    curve  BLOB NOT NULL CHECK (length(curve) % 8 = 0 AND length(curve) > 0),
    PRIMARY KEY (metric, run_id)
) WITHOUT ROWID;

CREATE INDEX curves_by_run ON curves (run_id);
