-- DREES APL written through `rows` like the other official files: a stable key, a content hash and a removal
-- mark, so that a newer file marks removed the rows it no longer lists instead of the importer deleting and
-- re-inserting them. Kept in step with ../sqlite/0016_apl_rows.sql: same columns, same meaning.

-- `commune|year|profession` (`imports::apl::row_key`). Nullable only because a restore of a backup taken
-- before this version inserts rows without it; the restore then derives it as here (`backup.rs`).
ALTER TABLE apl_drees ADD COLUMN row_key TEXT;
UPDATE apl_drees SET row_key = commune_code || '|' || CAST(year AS TEXT) || '|' || profession;
CREATE UNIQUE INDEX apl_drees_row_key ON apl_drees (row_key);
-- Rows imported before this version get an empty hash, which no content hashes to: the first re-import of
-- their file updates each of them once (same values, now hashed), later ones leave them alone.
ALTER TABLE apl_drees ADD COLUMN row_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE apl_drees ADD COLUMN removed_batch_id BIGINT REFERENCES import_batch (id);
