-- Network records belong to the commune that keeps them (issue 14, item 3): `commune_code` is its INSEE code,
-- NULL for a record of the whole territory (an intercommunal CLS, the EPCI's relay list). Every read and change
-- is filtered by the caller's communes (maillage_store::reach). Actors, relay lists and messages, bodies, CLS
-- contracts and consultations are internal records: their territory-wide rows are read by every account.
-- Contacts, members of bodies and watch cases are personal records: their territory-wide rows are read only by
-- accounts holding every commune. Children (meetings, decisions, actions, CLS fiches...) follow their parent;
-- contacts of an actor and members of a body keep their own copy (written from the parent) so that the
-- PostgreSQL row-level security policies need no join.
-- Kept in step with ../sqlite/0013_network_communes.sql: same columns, same meaning.

ALTER TABLE network_actor ADD COLUMN commune_code TEXT;
CREATE INDEX network_actor_commune ON network_actor (commune_code);
ALTER TABLE network_list ADD COLUMN commune_code TEXT;
CREATE INDEX network_list_commune ON network_list (commune_code);
ALTER TABLE network_message ADD COLUMN commune_code TEXT;
CREATE INDEX network_message_commune ON network_message (commune_code);
ALTER TABLE network_body ADD COLUMN commune_code TEXT;
CREATE INDEX network_body_commune ON network_body (commune_code);
ALTER TABLE cls_contract ADD COLUMN commune_code TEXT;
CREATE INDEX cls_contract_commune ON cls_contract (commune_code);
ALTER TABLE network_consultation ADD COLUMN commune_code TEXT;
CREATE INDEX network_consultation_commune ON network_consultation (commune_code);
ALTER TABLE network_contact ADD COLUMN commune_code TEXT;
CREATE INDEX network_contact_commune ON network_contact (commune_code);
ALTER TABLE network_member ADD COLUMN commune_code TEXT;
CREATE INDEX network_member_commune ON network_member (commune_code);
ALTER TABLE network_watch_case ADD COLUMN commune_code TEXT;
CREATE INDEX network_watch_case_commune ON network_watch_case (commune_code);

-- Existing rows: when the territory has exactly one commune, every record is that commune's; otherwise they are
-- left to the whole territory (NULL), so that only accounts holding every commune read the personal ones until an
-- administrator gives them a commune.
UPDATE network_actor SET commune_code = (SELECT (value::jsonb -> 'communes') ->> 0 FROM setting
     WHERE key = 'territoire' AND jsonb_typeof(value::jsonb -> 'communes') = 'array'
       AND jsonb_array_length(value::jsonb -> 'communes') = 1);
UPDATE network_list SET commune_code = (SELECT (value::jsonb -> 'communes') ->> 0 FROM setting
     WHERE key = 'territoire' AND jsonb_typeof(value::jsonb -> 'communes') = 'array'
       AND jsonb_array_length(value::jsonb -> 'communes') = 1);
UPDATE network_message SET commune_code = (SELECT (value::jsonb -> 'communes') ->> 0 FROM setting
     WHERE key = 'territoire' AND jsonb_typeof(value::jsonb -> 'communes') = 'array'
       AND jsonb_array_length(value::jsonb -> 'communes') = 1);
UPDATE network_body SET commune_code = (SELECT (value::jsonb -> 'communes') ->> 0 FROM setting
     WHERE key = 'territoire' AND jsonb_typeof(value::jsonb -> 'communes') = 'array'
       AND jsonb_array_length(value::jsonb -> 'communes') = 1);
UPDATE cls_contract SET commune_code = (SELECT (value::jsonb -> 'communes') ->> 0 FROM setting
     WHERE key = 'territoire' AND jsonb_typeof(value::jsonb -> 'communes') = 'array'
       AND jsonb_array_length(value::jsonb -> 'communes') = 1);
UPDATE network_consultation SET commune_code = (SELECT (value::jsonb -> 'communes') ->> 0 FROM setting
     WHERE key = 'territoire' AND jsonb_typeof(value::jsonb -> 'communes') = 'array'
       AND jsonb_array_length(value::jsonb -> 'communes') = 1);
UPDATE network_contact SET commune_code = (SELECT (value::jsonb -> 'communes') ->> 0 FROM setting
     WHERE key = 'territoire' AND jsonb_typeof(value::jsonb -> 'communes') = 'array'
       AND jsonb_array_length(value::jsonb -> 'communes') = 1);
UPDATE network_member SET commune_code = (SELECT (value::jsonb -> 'communes') ->> 0 FROM setting
     WHERE key = 'territoire' AND jsonb_typeof(value::jsonb -> 'communes') = 'array'
       AND jsonb_array_length(value::jsonb -> 'communes') = 1);
UPDATE network_watch_case SET commune_code = (SELECT (value::jsonb -> 'communes') ->> 0 FROM setting
     WHERE key = 'territoire' AND jsonb_typeof(value::jsonb -> 'communes') = 'array'
       AND jsonb_array_length(value::jsonb -> 'communes') = 1);
