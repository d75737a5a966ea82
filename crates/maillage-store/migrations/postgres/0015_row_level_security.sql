-- Row-level security: the second lock on the records that belong to a commune (the first is the SQL condition
-- every store function adds, `reach.rs`). The policies read the caller's reach that `reach::begin_read` /
-- `reach::begin_write` set for the transaction: `maillage.tout` = '1' for every commune, '0' for the communes
-- listed in `maillage.communes` (INSEE codes separated by commas). Without a reach set, nothing is reached.
--
-- Policies bind the roles that do not own the tables: the application runs as a role holding only
-- SELECT/INSERT/UPDATE/DELETE (`maillage serve --role-application`, `Store::open_as_application`), while
-- migrations, backups, restores and the demonstration writer run as the owner, which policies do not bind.
-- SQLite has no row-level security: ../sqlite/0015_row_level_security.sql is a comment.

-- Whether the caller's reach reads a record of `commune` (NULL: the whole territory). `shared`: a record of the
-- whole territory is read by every account (internal records); otherwise only with every commune (personal).
CREATE FUNCTION maillage_reach_reads(commune TEXT, shared BOOLEAN) RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
    SELECT CASE coalesce(current_setting('maillage.tout', true), '')
        WHEN '1' THEN true
        WHEN '0' THEN
            CASE WHEN commune IS NULL THEN shared
                 ELSE commune = ANY (string_to_array(coalesce(current_setting('maillage.communes', true), ''), ','))
            END
        ELSE false
    END
$$;

-- Whether the caller's reach writes a record of `commune`: a record of the whole territory only with every
-- commune, whatever its table.
CREATE FUNCTION maillage_reach_writes(commune TEXT) RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
    SELECT CASE coalesce(current_setting('maillage.tout', true), '')
        WHEN '1' THEN true
        WHEN '0' THEN commune IS NOT NULL
            AND commune = ANY (string_to_array(coalesce(current_setting('maillage.communes', true), ''), ','))
        ELSE false
    END
$$;

-- Locks one table on its `commune_code` column (idempotent: the policies are replaced).
CREATE FUNCTION maillage_lock_by_commune(tbl TEXT, shared BOOLEAN) RETURNS VOID
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', tbl);
    EXECUTE format('DROP POLICY IF EXISTS maillage_reach_read ON %I', tbl);
    EXECUTE format('DROP POLICY IF EXISTS maillage_reach_write ON %I', tbl);
    EXECUTE format('CREATE POLICY maillage_reach_read ON %I FOR SELECT USING (maillage_reach_reads(commune_code, %L))',
                   tbl, shared);
    EXECUTE format('CREATE POLICY maillage_reach_write ON %I FOR ALL USING (maillage_reach_writes(commune_code)) '
                   'WITH CHECK (maillage_reach_writes(commune_code))', tbl);
END
$$;

-- The tables owned by a commune, as `reach::OWNED_TABLES` lists them (shared: territory-wide rows read by all).
CREATE FUNCTION maillage_owned_tables() RETURNS TABLE (module TEXT, tbl TEXT, shared BOOLEAN)
LANGUAGE sql IMMUTABLE AS $$
    VALUES
        ('crisis', 'crisis_event', true), ('crisis', 'crisis_member', true), ('crisis', 'crisis_site', true),
        ('crisis', 'crisis_log', true), ('crisis', 'crisis_task', true), ('crisis', 'crisis_campaign', true),
        ('crisis', 'crisis_stock_item', true), ('crisis', 'crisis_service', true),
        ('crisis', 'crisis_person', false), ('crisis', 'crisis_person_removal', false),
        ('crisis', 'crisis_call', false), ('crisis', 'crisis_volunteer', false), ('crisis', 'crisis_round', false),
        ('crisis', 'crisis_request', false),
        ('network', 'network_actor', true), ('network', 'network_list', true), ('network', 'network_message', true),
        ('network', 'network_body', true), ('network', 'cls_contract', true), ('network', 'network_consultation', true),
        ('network', 'network_contact', false), ('network', 'network_member', false),
        ('network', 'network_watch_case', false)
$$;

-- Locks every owned table. Each module gets its `commune_code` columns from its own migration (0011 crisis,
-- 0013 network), which runs before this one: a module is locked whole, and a module where some tables have the
-- column and others not is an error (a table its migration forgot). A module without the column at all (a base
-- built by a development version before those migrations) is left for a later call of this function.
CREATE FUNCTION maillage_lock_owned_tables() RETURNS VOID
LANGUAGE plpgsql AS $$
DECLARE
    m TEXT;
    total INT;
    owned INT;
    t RECORD;
BEGIN
    FOR m IN SELECT DISTINCT o.module FROM maillage_owned_tables() o LOOP
        SELECT count(*), count(c.column_name) INTO total, owned
          FROM maillage_owned_tables() o
          LEFT JOIN information_schema.columns c
            ON c.table_schema = current_schema() AND c.table_name = o.tbl AND c.column_name = 'commune_code'
         WHERE o.module = m;
        IF owned = 0 THEN
            CONTINUE;
        ELSIF owned <> total THEN
            RAISE EXCEPTION 'module %: % tables sur % ont la colonne commune_code', m, owned, total;
        END IF;
        FOR t IN SELECT o.tbl, o.shared FROM maillage_owned_tables() o WHERE o.module = m LOOP
            PERFORM maillage_lock_by_commune(t.tbl, t.shared);
        END LOOP;
    END LOOP;
END
$$;

SELECT maillage_lock_owned_tables();
