-- Crisis management (PRODUCT.md §3.F, §5.4, §5.5): crisis cell, main courante, register of vulnerable people,
-- phone campaigns, volunteers and requests, stocks, epidemic indicators, clusters, service continuity.
-- Kept in step with ../postgres/0004_crisis.sql: same tables, same columns, same meaning.
-- Instants are RFC 3339 UTC text ("2026-07-28T14:05:00Z"), days ISO text ("2026-07-28"): both compare as text.
-- Codes are the stable slugs of the maillage-crisis crate. Persons are named by account identifiers (text), as in
-- the audit log, so that rows outlive accounts.

-- An event the cell follows (a heatwave, a cold spell, an epidemic...) and its activation level.
CREATE TABLE crisis_event (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('canicule', 'grand_froid', 'epidemie', 'autre')),
    title TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('veille', 'alerte', 'crise')),
    opened_at TEXT NOT NULL,
    opened_by TEXT NOT NULL,
    closed_at TEXT
);

-- Composition of the cell and its outside contacts (ARS focal point, préfecture, SDIS...).
CREATE TABLE crisis_member (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('membre', 'contact_externe')),
    name TEXT NOT NULL,
    function TEXT NOT NULL,
    organisation TEXT,
    phone TEXT,
    email TEXT,
    always_reachable INTEGER NOT NULL CHECK (always_reachable IN (0, 1)),
    active INTEGER NOT NULL CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL
);

-- Places followed for clusters: counts of cases by day, never individual cases.
CREATE TABLE crisis_site (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('ecole', 'creche', 'ehpad', 'foyer', 'hebergement', 'equipement_municipal',
                                       'aire_accueil', 'entreprise', 'autre')),
    address TEXT,
    -- 1: the mayor is the management authority (closure is the mayor's decision).
    municipal INTEGER NOT NULL CHECK (municipal IN (0, 1)),
    created_at TEXT NOT NULL
);

CREATE TABLE crisis_site_cases (
    site_id INTEGER NOT NULL REFERENCES crisis_site (id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    cases INTEGER NOT NULL CHECK (cases >= 0),
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    PRIMARY KEY (site_id, day)
);

CREATE TABLE crisis_site_status (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES crisis_site (id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('en_investigation', 'maitrise', 'diffusion_communautaire', 'cloture')),
    note TEXT,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX crisis_site_status_site ON crisis_site_status (site_id, day);

-- The main courante: append-only. `at` is when it happened, `recorded_at` when it was written; `author` is who
-- decided or recommended (a recommendation of the ARS and the mayor's decision are two entries).
CREATE TABLE crisis_log (
    id INTEGER PRIMARY KEY,
    event_id INTEGER REFERENCES crisis_event (id),
    site_id INTEGER REFERENCES crisis_site (id),
    at TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('evenement', 'information', 'recommandation', 'decision', 'arrete', 'fermeture',
                                       'reouverture', 'niveau')),
    author TEXT,
    text TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX crisis_log_at ON crisis_log (at);

CREATE TRIGGER crisis_log_append_only BEFORE UPDATE ON crisis_log
BEGIN
    SELECT RAISE(ABORT, 'crisis_log is append-only');
END;

CREATE TABLE crisis_task (
    id INTEGER PRIMARY KEY,
    event_id INTEGER REFERENCES crisis_event (id),
    title TEXT NOT NULL,
    owner TEXT NOT NULL,
    due_at TEXT,
    status TEXT NOT NULL CHECK (status IN ('a_faire', 'en_cours', 'faite', 'abandonnee')),
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    done_at TEXT
);

-- The register of vulnerable people (CASF L121-6-1, R121-3): these columns and no other. Sensitive: every read
-- is audited; a removal deletes the row (and its calls), leaving only an anonymous count.
CREATE TABLE crisis_person (
    id INTEGER PRIMARY KEY,
    last_name TEXT NOT NULL,
    first_name TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    address TEXT NOT NULL,
    phone TEXT,
    basis TEXT NOT NULL CHECK (basis IN ('age_65', 'inapte_60', 'adulte_handicape')),
    requester TEXT NOT NULL CHECK (requester IN ('personne', 'representant_legal', 'proche', 'voisin', 'medecin',
                                                 'service_domicile', 'autre_tiers')),
    requested_on TEXT NOT NULL,
    informed_on TEXT,
    acknowledged_on TEXT,
    emergency_contact TEXT,
    emergency_phone TEXT,
    home_care TEXT,
    doctor TEXT,
    -- The address located (to split call lists by area and send visits); not shown anywhere else.
    lon REAL,
    lat REAL,
    confirmed_on TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE crisis_person_removal (
    id INTEGER PRIMARY KEY,
    removed_at TEXT NOT NULL,
    reason TEXT NOT NULL CHECK (reason IN ('demande', 'deces', 'demenagement', 'non_confirmation', 'autre')),
    removed_by TEXT NOT NULL
);

-- Phone campaigns over the register during an alert.
CREATE TABLE crisis_campaign (
    id INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES crisis_event (id),
    title TEXT NOT NULL,
    script TEXT NOT NULL,
    -- Minutes before each retry after no answer, "30,60,120".
    retry_minutes TEXT NOT NULL,
    started_at TEXT NOT NULL,
    started_by TEXT NOT NULL,
    closed_at TEXT
);

CREATE TABLE crisis_campaign_caller (
    campaign_id INTEGER NOT NULL REFERENCES crisis_campaign (id) ON DELETE CASCADE,
    caller TEXT NOT NULL,
    PRIMARY KEY (campaign_id, caller)
);

-- One row per person and campaign. A caller holds a call by setting claimed_by with a conditional update: two
-- callers can never hold the same person.
CREATE TABLE crisis_call (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES crisis_campaign (id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES crisis_person (id) ON DELETE CASCADE,
    assigned_to TEXT,
    position INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('a_appeler', 'a_rappeler', 'joint', 'besoin', 'urgence', 'injoignable')),
    attempts INTEGER NOT NULL CHECK (attempts >= 0),
    next_attempt_at TEXT NOT NULL,
    claimed_by TEXT,
    claimed_at TEXT,
    updated_at TEXT NOT NULL,
    UNIQUE (campaign_id, person_id)
);
CREATE INDEX crisis_call_queue ON crisis_call (campaign_id, status, next_attempt_at);

CREATE TABLE crisis_call_attempt (
    id INTEGER PRIMARY KEY,
    call_id INTEGER NOT NULL REFERENCES crisis_call (id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    caller TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('joint', 'pas_de_reponse', 'besoin', 'urgence')),
    note TEXT
);
CREATE INDEX crisis_call_attempt_call ON crisis_call_attempt (call_id);

CREATE TABLE crisis_escalation (
    id INTEGER PRIMARY KEY,
    call_id INTEGER NOT NULL REFERENCES crisis_call (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('visite', 'secours', 'besoin')),
    status TEXT NOT NULL CHECK (status IN ('ouverte', 'en_cours', 'close')),
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    follow_up TEXT,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);

-- Volunteers (personal data, with their consent) and inhabitants' requests.
CREATE TABLE crisis_volunteer (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    phone TEXT,
    email TEXT,
    -- The account a volunteer logs in with, to see their missions.
    account TEXT UNIQUE,
    -- Comma-separated codes.
    skills TEXT NOT NULL,
    days TEXT NOT NULL,
    availability TEXT,
    area TEXT,
    lon REAL,
    lat REAL,
    radius_km REAL NOT NULL CHECK (radius_km > 0),
    consent_on TEXT NOT NULL,
    active INTEGER NOT NULL CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL
);

-- Meal and food-aid delivery rounds.
CREATE TABLE crisis_round (
    id INTEGER PRIMARY KEY,
    day TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('repas', 'colis_alimentaire')),
    label TEXT NOT NULL,
    volunteer_id INTEGER REFERENCES crisis_volunteer (id),
    depot_lon REAL,
    depot_lat REAL,
    length_km REAL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);

CREATE TABLE crisis_request (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('courses', 'repas', 'medicaments', 'convivialite', 'visite', 'transport',
                                       'colis_alimentaire', 'autre')),
    beneficiary TEXT NOT NULL,
    address TEXT NOT NULL,
    phone TEXT,
    details TEXT,
    lon REAL,
    lat REAL,
    needed_on TEXT,
    status TEXT NOT NULL CHECK (status IN ('nouvelle', 'affectee', 'faite', 'annulee')),
    volunteer_id INTEGER REFERENCES crisis_volunteer (id),
    round_id INTEGER REFERENCES crisis_round (id),
    round_position INTEGER,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    assigned_at TEXT,
    done_at TEXT,
    done_note TEXT
);
CREATE INDEX crisis_request_volunteer ON crisis_request (volunteer_id, status);

-- Stocks by lot. `available` can never go below zero: distributions decrement it with a conditional update,
-- and the CHECK refuses anything else.
CREATE TABLE crisis_stock_item (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    unit TEXT NOT NULL,
    alert_threshold INTEGER,
    -- Bumped first by every distribution of the item: serialises them (row lock on PostgreSQL, write lock on
    -- SQLite) so that a first-expired-first-out allocation sees the lots as they are.
    version INTEGER NOT NULL
);

CREATE TABLE crisis_stock_lot (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES crisis_stock_item (id),
    lot_number TEXT NOT NULL,
    expiry TEXT,
    received_qty INTEGER NOT NULL CHECK (received_qty > 0),
    available INTEGER NOT NULL CHECK (available >= 0),
    supplier TEXT,
    received_at TEXT NOT NULL,
    UNIQUE (item_id, lot_number)
);

CREATE TABLE crisis_stock_movement (
    id INTEGER PRIMARY KEY,
    lot_id INTEGER NOT NULL REFERENCES crisis_stock_lot (id),
    kind TEXT NOT NULL CHECK (kind IN ('reception', 'distribution')),
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    recipient_kind TEXT CHECK (recipient_kind IN ('professionnel', 'pharmacie', 'structure', 'agent', 'habitant')),
    recipient TEXT,
    at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
CREATE INDEX crisis_stock_movement_lot ON crisis_stock_movement (lot_id);

-- Santé publique France daily counts as imported (`P`, `T`, `pop`), by zone; the published sliding indicators of
-- the same files beside them; populations entered or implied.
CREATE TABLE crisis_epi_daily (
    level TEXT NOT NULL CHECK (level IN ('commune', 'departement', 'region', 'france')),
    zone TEXT NOT NULL,
    day TEXT NOT NULL,
    positives REAL,
    tests REAL,
    population REAL,
    batch_id INTEGER REFERENCES import_batch (id),
    PRIMARY KEY (level, zone, day)
);

CREATE TABLE crisis_epi_published (
    level TEXT NOT NULL,
    zone TEXT NOT NULL,
    day TEXT NOT NULL,
    indicator TEXT NOT NULL,
    value REAL,
    batch_id INTEGER REFERENCES import_batch (id),
    PRIMARY KEY (level, zone, day, indicator)
);

CREATE TABLE crisis_epi_population (
    level TEXT NOT NULL,
    zone TEXT NOT NULL,
    population REAL NOT NULL CHECK (population > 0),
    source TEXT NOT NULL,
    PRIMARY KEY (level, zone)
);

-- Which municipal services and reception points stay open; public rows are on the public page.
CREATE TABLE crisis_service (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    address TEXT,
    status TEXT NOT NULL CHECK (status IN ('ouvert', 'horaires_reduits', 'sur_rendez_vous', 'a_distance', 'ferme')),
    hours TEXT,
    phone TEXT,
    note TEXT,
    public INTEGER NOT NULL CHECK (public IN (0, 1)),
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
