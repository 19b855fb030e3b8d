-- sdtrack schema version 3: each run's group key, stored. `sdtrack query` groups runs by
-- their configuration without the seed, the sdtrack version and the values the data
-- decided ("resolved"); working that out from config_json for every run of every query
-- cost more than the rest of reading the runs. The triggers keep it right for any writer.
ALTER TABLE runs ADD COLUMN group_key TEXT;

UPDATE runs SET group_key = json_remove(config_json, '$.seed', '$.sdtrack_version', '$.resolved');

CREATE TRIGGER runs_group_key_on_insert AFTER INSERT ON runs BEGIN
    UPDATE runs SET group_key = json_remove(NEW.config_json, '$.seed', '$.sdtrack_version', '$.resolved')
    WHERE run_id = NEW.run_id;
END;

CREATE TRIGGER runs_group_key_on_update AFTER UPDATE OF config_json ON runs BEGIN
    UPDATE runs SET group_key = json_remove(NEW.config_json, '$.seed', '$.sdtrack_version', '$.resolved')
    WHERE run_id = NEW.run_id;
END;
