#!/usr/bin/env python3
"""Read an sdtrack database with nothing but sqlite3 and numpy.

Usage: python3 example.py sdtrack.db

Lists the runs, then rebuilds every round of each finished run from its stored
spectra (d, z0) and its c_t sequence, and checks the rebuilt df_t, train MSE and
||y_t|| against the recorded ones, and the run's curves against its rounds. Exits 0
when they all match.
"""
import sqlite3
import sys

import numpy as np


def main(path):
    # Read-only. The database is in WAL mode: a read-only connection needs the folder
    # to be writable (SQLite creates the -shm file) unless another connection has it open.
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    app_id = db.execute("PRAGMA application_id").fetchone()[0]
    if app_id != 1396986962:  # 'SDTR'
        sys.exit(f"{path} is not an sdtrack database")
    print(f"schema version {db.execute('PRAGMA user_version').fetchone()[0]}")

    runs = db.execute(
        "SELECT run_id, experiment, status, dataset, K, kernel, eps, round_count"
        " FROM runs ORDER BY created_at, run_id").fetchall()
    for run_id, experiment, status, dataset, k, kernel, eps, round_count in runs:
        eps = "-" if eps is None else f"{eps:.4g}"
        print(f"{run_id[:8]}  {experiment:<10} {status:<8} {dataset or '-':<8} "
              f"K={k} {kernel or '-'} eps={eps} rounds={round_count}")

    finished = db.execute(
        "SELECT runs.run_id, spectra.length, spectra.d, spectra.z0"
        " FROM runs JOIN spectra USING (run_id)"
        " WHERE runs.status = 'finished' ORDER BY runs.created_at, runs.run_id").fetchall()
    for run_id, length, d_blob, z0_blob in finished:
        d = np.frombuffer(d_blob, dtype="<f8")    # eigenvalues of G, descending
        z0 = np.frombuffer(z0_blob, dtype="<f8")  # z_0 = V^T y_0
        assert len(d) == len(z0) == length
        rounds = db.execute(
            "SELECT t, c, df, train_mse, target_norm FROM rounds WHERE run_id = ? ORDER BY t",
            (run_id,)).fetchall()
        if not rounds:
            print(f"run {run_id[:8]}: no rounds (collapsed at round 0)")
            continue
        t, c, df, train_mse, target_norm = (np.array(column, dtype=float) for column in zip(*rounds))
        assert np.array_equal(t, np.arange(len(rounds))), "rounds are numbered 0, 1, 2, ..."

        B = np.ones_like(d)           # B_{-1} = 1
        rebuilt_df, rebuilt_mse, rebuilt_norm = [], [], []
        for c_t in c:
            z_t = B * z0              # z_t = B_{t-1} z_0
            B = B * d / (c_t + d)     # B_t = B_{t-1} s(t), s_k(t) = d_k / (c_t + d_k)
            rebuilt_norm.append(np.linalg.norm(z_t))
            rebuilt_df.append(B.sum())
            rebuilt_mse.append(np.mean((B - 1) ** 2 * z0 ** 2))

        assert np.allclose(rebuilt_df, df, rtol=1e-9, atol=0), f"{run_id}: df differs"
        assert np.allclose(rebuilt_mse, train_mse, rtol=1e-9, atol=0), f"{run_id}: train MSE differs"
        assert np.allclose(rebuilt_norm, target_norm, rtol=1e-9, atol=0), f"{run_id}: ||y_t|| differs"

        # The curves table holds the same numbers, one blob per metric (v004).
        curves = dict(db.execute("SELECT metric, curve FROM curves WHERE run_id = ?", (run_id,)))
        for name, column in (("c", c), ("df", df), ("train_mse", train_mse), ("target_norm", target_norm)):
            assert np.array_equal(np.frombuffer(curves[name], dtype="<f8"), column), f"{run_id}: curve {name} differs"
        print(f"run {run_id[:8]}: {len(rounds)} rounds, df, train MSE and ||y_t|| rebuilt from spectra match;"
              " its curves match its rounds")
    db.close()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python3 example.py PATH/TO/sdtrack.db")
    main(sys.argv[1])
