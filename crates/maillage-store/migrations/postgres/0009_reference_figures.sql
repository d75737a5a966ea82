-- Reference figures (issue 12, item 5): what every département and France count, read in the same pass as the
-- territory's rows of the national Annuaire and FINESS files, and the populations they are divided by, read from
-- the communes file. Each import of a source replaces that source's rows, in its transaction.
-- Kept in step with ../sqlite/0009_reference_figures.sql.

-- Professionals (Annuaire: distinct national identifiers) or establishments (FINESS: officines) per profession,
-- for each département (level 'departement', code = département code) and for France (level 'france', code 'FR').
CREATE TABLE reference_count (
    source TEXT NOT NULL,
    level TEXT NOT NULL,
    code TEXT NOT NULL,
    profession TEXT NOT NULL,
    count BIGINT NOT NULL,
    batch_id BIGINT NOT NULL REFERENCES import_batch(id),
    PRIMARY KEY (source, level, code, profession)
);

-- Population municipale of each département and of France (sum of its communes), with its vintage.
CREATE TABLE reference_population (
    level TEXT NOT NULL,
    code TEXT NOT NULL,
    vintage BIGINT NOT NULL,
    population DOUBLE PRECISION NOT NULL,
    batch_id BIGINT NOT NULL REFERENCES import_batch(id),
    PRIMARY KEY (level, code)
);
