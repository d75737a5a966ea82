-- Crisis records belong to the commune that keeps them (issue 14: an account limited to one commune must not
-- read another commune's register). `commune_code` is the INSEE code of that commune, or NULL for a record of the
-- whole territory (the EPCI's crisis cell, a campaign over every commune).
-- Internal records (reached by every account when NULL): crisis_event, crisis_member, crisis_site, crisis_log,
-- crisis_task, crisis_campaign, crisis_stock_item, crisis_service. Personal records (reached when NULL only by
-- accounts holding every commune): crisis_person, crisis_person_removal, crisis_call, crisis_volunteer,
-- crisis_round, crisis_request. Child rows without their own column (call attempts and escalations, lots and
-- movements, site counts and statuses, campaign callers) follow their parent's commune; calls keep a copy of
-- their person's commune so that the row-level security policies need no join.
-- Kept in step with ../sqlite/0011_crisis_communes.sql: same columns, same meaning.

ALTER TABLE crisis_event ADD COLUMN commune_code TEXT;
CREATE INDEX crisis_event_commune ON crisis_event (commune_code);

ALTER TABLE crisis_member ADD COLUMN commune_code TEXT;
CREATE INDEX crisis_member_commune ON crisis_member (commune_code);

ALTER TABLE crisis_site ADD COLUMN commune_code TEXT;
CREATE INDEX crisis_site_commune ON crisis_site (commune_code);

ALTER TABLE crisis_log ADD COLUMN commune_code TEXT;
CREATE INDEX crisis_log_commune ON crisis_log (commune_code);

ALTER TABLE crisis_task ADD COLUMN commune_code TEXT;
CREATE INDEX crisis_task_commune ON crisis_task (commune_code);

ALTER TABLE crisis_campaign ADD COLUMN commune_code TEXT;
CREATE INDEX crisis_campaign_commune ON crisis_campaign (commune_code);

ALTER TABLE crisis_stock_item ADD COLUMN commune_code TEXT;
CREATE INDEX crisis_stock_item_commune ON crisis_stock_item (commune_code);

ALTER TABLE crisis_service ADD COLUMN commune_code TEXT;
CREATE INDEX crisis_service_commune ON crisis_service (commune_code);

ALTER TABLE crisis_person ADD COLUMN commune_code TEXT;
CREATE INDEX crisis_person_commune ON crisis_person (commune_code);

ALTER TABLE crisis_person_removal ADD COLUMN commune_code TEXT;
CREATE INDEX crisis_person_removal_commune ON crisis_person_removal (commune_code);

ALTER TABLE crisis_call ADD COLUMN commune_code TEXT;
CREATE INDEX crisis_call_commune ON crisis_call (commune_code);

ALTER TABLE crisis_volunteer ADD COLUMN commune_code TEXT;
CREATE INDEX crisis_volunteer_commune ON crisis_volunteer (commune_code);

ALTER TABLE crisis_round ADD COLUMN commune_code TEXT;
CREATE INDEX crisis_round_commune ON crisis_round (commune_code);

ALTER TABLE crisis_request ADD COLUMN commune_code TEXT;
CREATE INDEX crisis_request_commune ON crisis_request (commune_code);

-- Rows written before this migration: when the territory is one commune, they are that commune's; otherwise
-- nobody can tell which commune keeps them, and they stay NULL (records of the whole territory: the personal ones
-- are then read only by accounts holding every commune, until someone with every commune reassigns them).
-- The main courante refuses updates: its trigger is lifted for this one assignment and put back.
ALTER TABLE crisis_log DISABLE TRIGGER crisis_log_append_only;
UPDATE crisis_event SET commune_code = (SELECT value::jsonb -> 'communes' ->> 0 FROM setting
     WHERE key = 'territoire' AND jsonb_array_length(value::jsonb -> 'communes') = 1);
UPDATE crisis_member SET commune_code = (SELECT value::jsonb -> 'communes' ->> 0 FROM setting
     WHERE key = 'territoire' AND jsonb_array_length(value::jsonb -> 'communes') = 1);
UPDATE crisis_site SET commune_code = (SELECT value::jsonb -> 'communes' ->> 0 FROM setting
     WHERE key = 'territoire' AND jsonb_array_length(value::jsonb -> 'communes') = 1);
UPDATE crisis_log SET commune_code = (SELECT value::jsonb -> 'communes' ->> 0 FROM setting
     WHERE key = 'territoire' AND jsonb_array_length(value::jsonb -> 'communes') = 1);
UPDATE crisis_task SET commune_code = (SELECT value::jsonb -> 'communes' ->> 0 FROM setting
     WHERE key = 'territoire' AND jsonb_array_length(value::jsonb -> 'communes') = 1);
UPDATE crisis_campaign SET commune_code = (SELECT value::jsonb -> 'communes' ->> 0 FROM setting
     WHERE key = 'territoire' AND jsonb_array_length(value::jsonb -> 'communes') = 1);
UPDATE crisis_stock_item SET commune_code = (SELECT value::jsonb -> 'communes' ->> 0 FROM setting
     WHERE key = 'territoire' AND jsonb_array_length(value::jsonb -> 'communes') = 1);
UPDATE crisis_service SET commune_code = (SELECT value::jsonb -> 'communes' ->> 0 FROM setting
     WHERE key = 'territoire' AND jsonb_array_length(value::jsonb -> 'communes') = 1);
UPDATE crisis_person SET commune_code = (SELECT value::jsonb -> 'communes' ->> 0 FROM setting
     WHERE key = 'territoire' AND jsonb_array_length(value::jsonb -> 'communes') = 1);
UPDATE crisis_person_removal SET commune_code = (SELECT value::jsonb -> 'communes' ->> 0 FROM setting
     WHERE key = 'territoire' AND jsonb_array_length(value::jsonb -> 'communes') = 1);
UPDATE crisis_call SET commune_code = (SELECT value::jsonb -> 'communes' ->> 0 FROM setting
     WHERE key = 'territoire' AND jsonb_array_length(value::jsonb -> 'communes') = 1);
UPDATE crisis_volunteer SET commune_code = (SELECT value::jsonb -> 'communes' ->> 0 FROM setting
     WHERE key = 'territoire' AND jsonb_array_length(value::jsonb -> 'communes') = 1);
UPDATE crisis_round SET commune_code = (SELECT value::jsonb -> 'communes' ->> 0 FROM setting
     WHERE key = 'territoire' AND jsonb_array_length(value::jsonb -> 'communes') = 1);
UPDATE crisis_request SET commune_code = (SELECT value::jsonb -> 'communes' ->> 0 FROM setting
     WHERE key = 'territoire' AND jsonb_array_length(value::jsonb -> 'communes') = 1);
ALTER TABLE crisis_log ENABLE TRIGGER crisis_log_append_only;
