-- sdtrack schema version 2: the zero predictor's errors. From its collapse round on, a run's
-- model is f = 0, so these are the honest values of its metrics at every later round
-- (GCV of f = 0 is zero_train_mse: the smoother is 0 and df = 0).
ALTER TABLE runs ADD COLUMN zero_train_mse REAL;
ALTER TABLE runs ADD COLUMN zero_test_mse REAL;
ALTER TABLE runs ADD COLUMN zero_truth_mse REAL;
