-- The audit log keyed and locked (issue 14). Kept in step with ../sqlite/0012_audit.sql.
--
-- audit_head gains what the keyed chain needs:
--   keyed_from  the first entry hashed with the key (HMAC-SHA256); the entries before it, written by earlier
--               versions, keep the unkeyed rule. Fixed here: the next entry of an existing base, 1 for a new one;
--   key_id      a fingerprint of the key (an HMAC of a constant: it reveals nothing), set by the first keyed
--               entry, so that a process holding another key is refused instead of forking the chain;
--   head_seal   an HMAC of (last_id, last_hash): moving the head back after deleting the tail needs the key;
--   base_id     a random name of this base, by which a process finds the key it loaded for it.
ALTER TABLE audit_head ADD COLUMN keyed_from BIGINT NOT NULL DEFAULT 1;
ALTER TABLE audit_head ADD COLUMN key_id TEXT;
ALTER TABLE audit_head ADD COLUMN head_seal TEXT;
ALTER TABLE audit_head ADD COLUMN base_id TEXT NOT NULL DEFAULT '';
UPDATE audit_head SET keyed_from = last_id + 1, base_id = md5(random()::text || clock_timestamp()::text);

-- Entries are never removed (0002 already refuses UPDATE): there is no retention purge, a restore only writes
-- into an empty log. TRUNCATE fires no row trigger: it has its own.
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- The head only moves forward; where keying starts, the key and the base's name change only while the log is
-- empty (a restore into a new base).
CREATE FUNCTION audit_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'UPDATE' THEN
        RAISE EXCEPTION 'audit_head cannot be removed';
    END IF;
    IF NEW.last_id < OLD.last_id
        OR (OLD.last_id > 0 AND (NEW.keyed_from <> OLD.keyed_from OR NEW.base_id <> OLD.base_id))
        OR (OLD.last_id > 0 AND OLD.key_id IS NOT NULL AND NEW.key_id IS DISTINCT FROM OLD.key_id) THEN
        RAISE EXCEPTION 'audit_head only moves forward';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER audit_head_forward_only BEFORE UPDATE OR DELETE ON audit_head
FOR EACH ROW EXECUTE FUNCTION audit_head_forward_only();
CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head
FOR EACH STATEMENT EXECUTE FUNCTION audit_head_forward_only();
