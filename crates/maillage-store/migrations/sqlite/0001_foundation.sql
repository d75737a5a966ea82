-- Foundation: territories, population, care supply, local enrichment, provenance.
-- Kept in step with ../postgres/0001_foundation.sql: same tables, same columns, same meaning.

CREATE TABLE import_batch (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    vintage TEXT,
    imported_at TEXT NOT NULL,
    rows_read INTEGER NOT NULL,
    inserted INTEGER NOT NULL,
    updated INTEGER NOT NULL,
    unchanged INTEGER NOT NULL,
    rejected INTEGER NOT NULL,
    filtered INTEGER NOT NULL,
    removed INTEGER NOT NULL,
    details TEXT NOT NULL
);

CREATE TABLE setting (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE zone (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('region', 'departement', 'epci', 'commune', 'arrondissement', 'iris', 'quartier', 'qpv')),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    parent_code TEXT,
    departement TEXT,
    attributes TEXT NOT NULL,
    row_hash TEXT NOT NULL,
    batch_id INTEGER REFERENCES import_batch (id),
    removed_batch_id INTEGER REFERENCES import_batch (id),
    UNIQUE (kind, code)
);

CREATE TABLE zone_geometry (
    zone_id INTEGER PRIMARY KEY REFERENCES zone (id) ON DELETE CASCADE,
    geojson TEXT NOT NULL,
    min_lon REAL NOT NULL,
    min_lat REAL NOT NULL,
    max_lon REAL NOT NULL,
    max_lat REAL NOT NULL,
    centroid_lon REAL NOT NULL,
    centroid_lat REAL NOT NULL,
    area_m2 REAL NOT NULL,
    row_hash TEXT NOT NULL,
    batch_id INTEGER REFERENCES import_batch (id)
);

-- A quartier drawn as a union of IRIS lists them here; a drawn quartier has its own geometry instead.
CREATE TABLE quartier_iris (
    quartier_id INTEGER NOT NULL REFERENCES zone (id) ON DELETE CASCADE,
    iris_code TEXT NOT NULL,
    PRIMARY KEY (quartier_id, iris_code)
);

CREATE TABLE commune_postcode (
    commune_code TEXT NOT NULL,
    postcode TEXT NOT NULL,
    PRIMARY KEY (commune_code, postcode)
);

-- Population by zone, vintage and age band ('TOTAL', fine bands '0002'..'80P', broad bands '0014'..'75P').
CREATE TABLE population (
    zone_id INTEGER NOT NULL REFERENCES zone (id) ON DELETE CASCADE,
    vintage INTEGER NOT NULL,
    band TEXT NOT NULL,
    value REAL NOT NULL,
    batch_id INTEGER REFERENCES import_batch (id),
    PRIMARY KEY (zone_id, vintage, band)
);

CREATE TABLE professional (
    national_id TEXT PRIMARY KEY,
    id_type TEXT NOT NULL,
    pp_id TEXT NOT NULL,
    civility TEXT,
    last_name TEXT NOT NULL,
    first_name TEXT,
    row_hash TEXT NOT NULL,
    batch_id INTEGER REFERENCES import_batch (id),
    removed_batch_id INTEGER REFERENCES import_batch (id)
);

CREATE TABLE practice_site (
    site_key TEXT PRIMARY KEY,
    structure_id TEXT,
    siret TEXT,
    finess_site TEXT,
    finess_legal TEXT,
    name TEXT,
    address_number TEXT,
    address_repetition TEXT,
    street_type TEXT,
    street TEXT,
    address_extra TEXT,
    postcode TEXT,
    commune_code TEXT,
    commune_name TEXT,
    departement TEXT,
    phone TEXT,
    email TEXT,
    lon REAL,
    lat REAL,
    geocode_quality TEXT,
    row_hash TEXT NOT NULL,
    batch_id INTEGER REFERENCES import_batch (id),
    removed_batch_id INTEGER REFERENCES import_batch (id)
);

CREATE TABLE activity (
    activity_key TEXT PRIMARY KEY,
    national_id TEXT NOT NULL REFERENCES professional (national_id),
    site_key TEXT REFERENCES practice_site (site_key),
    profession_code TEXT NOT NULL,
    profession_label TEXT,
    category_code TEXT,
    skill_type_code TEXT,
    skill_code TEXT,
    skill_label TEXT,
    practice_mode_code TEXT,
    practice_mode_label TEXT,
    sector_code TEXT,
    sector_label TEXT,
    profession TEXT,
    row_hash TEXT NOT NULL,
    batch_id INTEGER REFERENCES import_batch (id),
    removed_batch_id INTEGER REFERENCES import_batch (id)
);
CREATE INDEX activity_national_id ON activity (national_id);
CREATE INDEX activity_site_key ON activity (site_key);

CREATE TABLE establishment (
    finess_et TEXT PRIMARY KEY,
    finess_legal TEXT,
    name TEXT NOT NULL,
    long_name TEXT,
    address TEXT,
    postcode TEXT,
    commune_code TEXT,
    departement TEXT,
    phone TEXT,
    category_code TEXT,
    category_label TEXT,
    category_group_code TEXT,
    category_group_label TEXT,
    siret TEXT,
    opened_on TEXT,
    updated_on TEXT,
    lon REAL,
    lat REAL,
    coordinates_source TEXT,
    row_hash TEXT NOT NULL,
    batch_id INTEGER REFERENCES import_batch (id),
    removed_batch_id INTEGER REFERENCES import_batch (id)
);

-- Where each geolocated practice site or establishment lies, recomputed when zones or positions change.
CREATE TABLE location_zone (
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('site', 'etablissement')),
    subject_key TEXT NOT NULL,
    zone_id INTEGER NOT NULL REFERENCES zone (id) ON DELETE CASCADE,
    PRIMARY KEY (subject_kind, subject_key, zone_id)
);
CREATE INDEX location_zone_zone ON location_zone (zone_id);

-- What open data lacks, entered by the commune. Keyed by stable national identifiers and never touched by
-- imports, so it survives every re-import of the official files.
CREATE TABLE local_enrichment (
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('professionnel', 'site', 'etablissement')),
    subject_key TEXT NOT NULL,
    birth_year INTEGER,
    planned_retirement_year INTEGER,
    part_time INTEGER,
    accepting_new_patients INTEGER,
    teleconsultation INTEGER,
    notes TEXT,
    updated_at TEXT NOT NULL,
    updated_by TEXT,
    PRIMARY KEY (subject_kind, subject_key)
);

CREATE TABLE address (
    ban_id TEXT PRIMARY KEY,
    number TEXT,
    repetition TEXT,
    street TEXT NOT NULL,
    postcode TEXT,
    commune_code TEXT NOT NULL,
    commune_name TEXT,
    lon REAL NOT NULL,
    lat REAL NOT NULL,
    row_hash TEXT NOT NULL,
    batch_id INTEGER REFERENCES import_batch (id),
    removed_batch_id INTEGER REFERENCES import_batch (id)
);
CREATE INDEX address_commune ON address (commune_code);

CREATE TABLE road_node (
    id INTEGER PRIMARY KEY,
    lon REAL NOT NULL,
    lat REAL NOT NULL
);

CREATE TABLE road_edge (
    from_node INTEGER NOT NULL REFERENCES road_node (id),
    to_node INTEGER NOT NULL REFERENCES road_node (id),
    millis INTEGER NOT NULL CHECK (millis > 0),
    PRIMARY KEY (from_node, to_node)
);
