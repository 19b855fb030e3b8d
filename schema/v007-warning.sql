-- sdtrack schema version 7: a run's numerical warning.

-- Why a finished run's numbers deserve doubt, in words: eps within 0.1% of the smallest
-- feasible eps, where c_t depends on rounding. NULL for a run without one.
ALTER TABLE runs ADD COLUMN warning TEXT;
