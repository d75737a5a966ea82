-- Accessibility: the DREES APL by commune as published, and Maillage's own runs (E2SFCA by IRIS and quartier,
-- isochrones), each with the parameters and sources it was computed from.
-- Kept in step with ../postgres/0003_accessibility.sql.

CREATE TABLE apl_drees (
    commune_code TEXT NOT NULL,
    year INTEGER NOT NULL,
    profession TEXT NOT NULL,
    commune_name TEXT,
    apl REAL,
    apl_under_65 REAL,
    standardised_population REAL,
    population REAL,
    batch_id INTEGER REFERENCES import_batch (id),
    PRIMARY KEY (commune_code, year, profession)
);

CREATE TABLE accessibility_run (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    profession TEXT NOT NULL,
    network TEXT NOT NULL,
    metadata TEXT NOT NULL
);

CREATE TABLE accessibility_result (
    run_id INTEGER NOT NULL REFERENCES accessibility_run (id) ON DELETE CASCADE,
    zone_kind TEXT NOT NULL,
    zone_code TEXT NOT NULL,
    value REAL,
    population REAL,
    sites_reached INTEGER NOT NULL,
    outside_territory INTEGER NOT NULL,
    PRIMARY KEY (run_id, zone_kind, zone_code)
);

CREATE TABLE isochrone (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    label TEXT NOT NULL,
    profile TEXT NOT NULL,
    minutes INTEGER NOT NULL,
    origin_lon REAL NOT NULL,
    origin_lat REAL NOT NULL,
    geojson TEXT NOT NULL,
    population_covered REAL,
    network TEXT NOT NULL
);
