-- Yearly activity of professionals given by the commune (consultations and visits per year), the supply of an
-- accessibility computed in the DREES APL's unit. Keyed by the Annuaire's national identifier, not by a row of
-- `professional`: a file may name someone the Annuaire no longer lists (counted apart, never lost).
-- Kept in step with ../postgres/0010_professional_acts.sql.

CREATE TABLE professional_acts (
    national_id TEXT NOT NULL,
    year BIGINT NOT NULL,
    consultations REAL,
    visits REAL,
    batch_id BIGINT REFERENCES import_batch (id),
    PRIMARY KEY (national_id, year)
);
