-- Zonage médecins of the ARS (CartoSanté export or ARS file): one row per commune or QPV, with the date of the
-- arrêté. Written through `rows` (stable key `commune:<code>` / `qpv:<code>`, content hash, removal marks).
-- Kept in step with ../sqlite/0006_zonage.sql: same tables, same columns, same meaning.

CREATE TABLE zonage_medecins (
    zonage_key TEXT PRIMARY KEY,
    unit TEXT NOT NULL CHECK (unit IN ('commune', 'qpv')),
    code TEXT NOT NULL,
    zonage TEXT NOT NULL CHECK (zonage IN ('ZIP', 'ZAC', 'ZAR', 'ZV', 'HZ')),
    -- 1 when the zonage holds for some grands quartiers of the commune only (CartoSanté `GQ_`).
    quartiers_only BIGINT NOT NULL,
    arrete TEXT NOT NULL,
    label TEXT,
    row_hash TEXT NOT NULL,
    batch_id BIGINT REFERENCES import_batch (id),
    removed_batch_id BIGINT REFERENCES import_batch (id)
);

CREATE INDEX zonage_medecins_code ON zonage_medecins (unit, code);
