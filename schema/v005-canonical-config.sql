-- sdtrack schema version 5: every configuration in canonical form. config_json is rewritten
-- with object keys sorted at every depth and numbers in shortest round-trip form (whole
-- numbers as integers), so that equal configurations are equal text whoever wrote them, and
-- group_key (v003, kept right by its update trigger) groups runs recorded before and after.
-- SQL cannot sort an object's keys: sdtrack does it in this migration's transaction, right
-- after this file. Every writer stores canonical configurations from now on.
SELECT 1;
