-- Zones, their populations and the commune's activity file written through `rows` like the other official files
-- (after the DREES APL, migration 0016): a stable key, a content hash and a removal mark on each table, so that
-- one mechanism decides what an import inserts, updates, leaves alone or marks removed.
-- Kept in step with ../postgres/0017_zone_activity_rows.sql: same columns, same meaning.

-- Keys are nullable only because a restore of a backup taken before this version inserts rows without them; the
-- restore then derives them as here (`backup.rs`).

-- `kind|code` (`zones::row_key`). The zone already had its hash and removal mark; the hash now covers the
-- kind and code too, so the first import after this version updates each zone it lists once (same values).
ALTER TABLE zone ADD COLUMN row_key TEXT;
UPDATE zone SET row_key = kind || '|' || code;
CREATE UNIQUE INDEX zone_row_key ON zone (row_key);

-- `zone_id|vintage|band` (`zones::population_key`). Rows written before this version get an empty hash,
-- which no content hashes to: the first import of their figures updates each of them once.
ALTER TABLE population ADD COLUMN row_key TEXT;
UPDATE population SET row_key = CAST(zone_id AS TEXT) || '|' || CAST(vintage AS TEXT) || '|' || band;
CREATE UNIQUE INDEX population_row_key ON population (row_key);
ALTER TABLE population ADD COLUMN row_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE population ADD COLUMN removed_batch_id INTEGER REFERENCES import_batch (id);

-- `national_id|year` (`imports::activity::row_key`), same empty hash as above.
ALTER TABLE professional_acts ADD COLUMN row_key TEXT;
UPDATE professional_acts SET row_key = national_id || '|' || CAST(year AS TEXT);
CREATE UNIQUE INDEX professional_acts_row_key ON professional_acts (row_key);
ALTER TABLE professional_acts ADD COLUMN row_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE professional_acts ADD COLUMN removed_batch_id INTEGER REFERENCES import_batch (id);
