-- sdtrack schema version 8: how a run's spectrum was computed, and on which BLAS kernels.

-- The solver path: 'eigenvectors' (dsyevr, V formed), 'tridiagonal' (dsytrd, no eigenvectors)
-- or 'low-rank' (matrix-free pivoted Cholesky). NULL for runs recorded before v008 and imports.
ALTER TABLE runs ADD COLUMN solver TEXT;
-- The number of spectral components the solver resolved (the numerical rank for 'low-rank').
ALTER TABLE runs ADD COLUMN solver_rank INTEGER;
-- An upper bound on ||G - G~||_2 of the matrix the solver decomposed: the discarded trace of a
-- low-rank factorisation, 0 for the dense paths.
ALTER TABLE runs ADD COLUMN solver_error_bound REAL;
-- The largest first-order relative change of any c_t when G's eigenvalues move by their
-- estimated error (docs/math.md 8.2): above 1e-6 the run also has a `warning`. NULL in fixed-c mode.
ALTER TABLE runs ADD COLUMN c_sensitivity REAL;
-- The OpenBLAS core type whose kernels ran (openblas_get_corename), and its thread count.
ALTER TABLE runs ADD COLUMN blas_core TEXT;
ALTER TABLE runs ADD COLUMN blas_threads INTEGER;
