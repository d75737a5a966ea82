-- Network and Contrat local de santé (PRODUCT.md §3.B, §3.C, §3.G): directory of actors and their contact
-- persons, relay lists and messages, bodies, members, meetings (questions, attendance, decisions, follow-up
-- actions), the watch network, the CLS (axes, objectives, fiches actions, indicators and measures, funding and
-- reports), consultations of inhabitants.
-- Kept in step with ../postgres/0005_network.sql: same tables, same columns, same meaning.
-- Instants are RFC 3339 UTC text, days ISO text (both compare as text). Codes are the stable slugs of the
-- maillage-network crate; lists of codes are `|`-separated. People acting are named by account identifiers.

-- The directory. `slug` is the stable identifier CSV imports update by. Visibility `publique` puts the entry in
-- the public directory (/annuaire); its phone, e-mail and address are the reception's, never a person's.
CREATE TABLE network_actor (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('structure', 'professionnel', 'association', 'service')),
    name TEXT NOT NULL,
    missions TEXT,
    specific_missions TEXT,
    target_public TEXT,
    access_conditions TEXT,
    address TEXT,
    postcode TEXT,
    commune TEXT,
    phone TEXT,
    email TEXT,
    website TEXT,
    opening_hours TEXT,
    appointment TEXT CHECK (appointment IN ('avec_rdv', 'sans_rdv', 'avec_ou_sans_rdv')),
    cost TEXT CHECK (cost IN ('gratuit', 'payant', 'selon_situation')),
    age_min INTEGER CHECK (age_min BETWEEN 0 AND 120),
    age_max INTEGER CHECK (age_max BETWEEN 0 AND 120),
    languages TEXT NOT NULL,
    themes TEXT NOT NULL,
    publics TEXT NOT NULL,
    territory TEXT,
    accessible INTEGER CHECK (accessible IN (0, 1)),
    visibility TEXT NOT NULL CHECK (visibility IN ('publique', 'interne')),
    lon REAL,
    lat REAL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE INDEX network_actor_visibility ON network_actor (visibility, name);

-- Contact persons of actors (or on their own): personal data, never public; changes and exports are audited.
CREATE TABLE network_contact (
    id INTEGER PRIMARY KEY,
    actor_id INTEGER REFERENCES network_actor (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    role TEXT,
    email TEXT,
    phone TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX network_contact_actor ON network_contact (actor_id);

-- Relay: lists of contacts, and the messages and newsletters sent to them.
CREATE TABLE network_list (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    description TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE network_list_member (
    list_id INTEGER NOT NULL REFERENCES network_list (id) ON DELETE CASCADE,
    contact_id INTEGER NOT NULL REFERENCES network_contact (id) ON DELETE CASCADE,
    added_at TEXT NOT NULL,
    -- Set by the signed unsubscribe link: the contact receives nothing more from this list.
    unsubscribed_at TEXT,
    PRIMARY KEY (list_id, contact_id)
);

CREATE TABLE network_message (
    id INTEGER PRIMARY KEY,
    list_id INTEGER NOT NULL REFERENCES network_list (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('message', 'lettre')),
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    -- How it left: through the SMTP server, or exported for another tool (no server configured).
    mode TEXT CHECK (mode IN ('smtp', 'export')),
    sent_at TEXT,
    recipients INTEGER NOT NULL DEFAULT 0,
    failures INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE network_message_recipient (
    message_id INTEGER NOT NULL REFERENCES network_message (id) ON DELETE CASCADE,
    contact_id INTEGER NOT NULL REFERENCES network_contact (id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('envoye', 'echec', 'exporte')),
    -- The server's answer on a failure (its code and text: no personal data).
    error TEXT,
    at TEXT NOT NULL,
    PRIMARY KEY (message_id, contact_id)
);

-- Bodies (instances de concertation) and their sub-groups.
CREATE TABLE network_body (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('conseil_local_sante', 'cos', 'clasp', 'clsm', 'comite_pilotage',
                                       'commission', 'sous_groupe', 'reseau', 'autre')),
    name TEXT NOT NULL,
    purpose TEXT,
    parent_id INTEGER REFERENCES network_body (id) ON DELETE CASCADE,
    -- Meets every so many days (60: every two months).
    cadence_days INTEGER CHECK (cadence_days > 0),
    consultative INTEGER NOT NULL CHECK (consultative IN (0, 1)),
    pilot TEXT,
    since TEXT,
    active INTEGER NOT NULL CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Members, typed (élu, institution, users' representative...); co-chairs marked.
CREATE TABLE network_member (
    id INTEGER PRIMARY KEY,
    body_id INTEGER NOT NULL REFERENCES network_body (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    function TEXT,
    organisation TEXT,
    member_type TEXT NOT NULL CHECK (member_type IN ('elu', 'institution', 'etablissement', 'professionnel_sante',
                                                     'representant_profession', 'representant_usagers', 'habitant',
                                                     'association', 'service_municipal', 'coordination', 'expert',
                                                     'autre')),
    co_chair INTEGER NOT NULL CHECK (co_chair IN (0, 1)),
    email TEXT,
    phone TEXT,
    actor_id INTEGER REFERENCES network_actor (id) ON DELETE SET NULL,
    since TEXT,
    until TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX network_member_body ON network_member (body_id);

CREATE TABLE network_meeting (
    id INTEGER PRIMARY KEY,
    body_id INTEGER NOT NULL REFERENCES network_body (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT,
    place TEXT,
    status TEXT NOT NULL CHECK (status IN ('prevue', 'tenue', 'annulee')),
    agenda TEXT,
    minutes TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX network_meeting_body ON network_meeting (body_id, starts_at);

-- Questions collected before the meeting, and their answers.
CREATE TABLE network_question (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES network_meeting (id) ON DELETE CASCADE,
    asked_by TEXT,
    text TEXT NOT NULL,
    answer TEXT,
    asked_at TEXT NOT NULL
);

CREATE TABLE network_attendance (
    meeting_id INTEGER NOT NULL REFERENCES network_meeting (id) ON DELETE CASCADE,
    member_id INTEGER NOT NULL REFERENCES network_member (id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('present', 'represente', 'excuse', 'absent')),
    PRIMARY KEY (meeting_id, member_id)
);

CREATE TABLE network_decision (
    id INTEGER PRIMARY KEY,
    meeting_id INTEGER NOT NULL REFERENCES network_meeting (id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- Follow-up actions (the body's board of files in progress), with owners and due dates.
CREATE TABLE network_action (
    id INTEGER PRIMARY KEY,
    body_id INTEGER NOT NULL REFERENCES network_body (id) ON DELETE CASCADE,
    meeting_id INTEGER REFERENCES network_meeting (id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    owner TEXT NOT NULL,
    owner_email TEXT,
    due_on TEXT,
    status TEXT NOT NULL CHECK (status IN ('a_faire', 'en_cours', 'faite', 'abandonnee')),
    note TEXT,
    done_on TEXT,
    reminded_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX network_action_due ON network_action (status, due_on);

-- The watch network: dysfunctions in access to care (situations, never named persons).
CREATE TABLE network_watch_case (
    id INTEGER PRIMARY KEY,
    body_id INTEGER REFERENCES network_body (id) ON DELETE SET NULL,
    observed_on TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('refus_de_soins', 'delais_rendez_vous', 'droits_couverture',
                                               'medecin_traitant', 'interpretariat', 'mobilite_transport',
                                               'demarches_numeriques', 'pass_hopital', 'reste_a_charge', 'autre')),
    public_concerned TEXT,
    place TEXT,
    lon REAL,
    lat REAL,
    reported_by TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('signale', 'attribue', 'solution_en_cours', 'interpellation', 'resolu',
                                           'clos')),
    assignee TEXT,
    solution TEXT,
    institution TEXT,
    interpellation_on TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);

-- The history of a case: append-only.
CREATE TABLE network_watch_event (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES network_watch_case (id) ON DELETE CASCADE,
    at TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    note TEXT,
    recorded_by TEXT NOT NULL
);
CREATE INDEX network_watch_event_case ON network_watch_event (case_id, at);

CREATE TRIGGER network_watch_event_append_only BEFORE UPDATE ON network_watch_event
BEGIN
    SELECT RAISE(ABORT, 'network_watch_event is append-only');
END;

-- Contrats locaux de santé: one row per generation.
CREATE TABLE cls_contract (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    generation INTEGER NOT NULL CHECK (generation >= 1),
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    territory TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('preparation', 'en_vigueur', 'en_evaluation', 'clos')),
    signed_on TEXT,
    summary TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE cls_signatory (
    id INTEGER PRIMARY KEY,
    contract_id INTEGER NOT NULL REFERENCES cls_contract (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    represented_by TEXT,
    signed_on TEXT
);

CREATE TABLE cls_axis (
    id INTEGER PRIMARY KEY,
    contract_id INTEGER NOT NULL REFERENCES cls_contract (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    description TEXT
);

CREATE TABLE cls_objective (
    id INTEGER PRIMARY KEY,
    axis_id INTEGER NOT NULL REFERENCES cls_axis (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title TEXT NOT NULL
);

-- Fiches actions.
CREATE TABLE cls_fiche (
    id INTEGER PRIMARY KEY,
    objective_id INTEGER NOT NULL REFERENCES cls_objective (id) ON DELETE CASCADE,
    number TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT,
    pilot TEXT NOT NULL,
    copilots TEXT,
    partners TEXT,
    target_public TEXT,
    territory TEXT,
    budget REAL CHECK (budget >= 0),
    starts_on TEXT,
    ends_on TEXT,
    status TEXT NOT NULL CHECK (status IN ('a_lancer', 'en_cours', 'realisee', 'reportee', 'abandonnee')),
    nature TEXT NOT NULL CHECK (nature IN ('existante', 'nouvelle', 'en_perspective')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);

CREATE TABLE cls_fiche_funder (
    id INTEGER PRIMARY KEY,
    fiche_id INTEGER NOT NULL REFERENCES cls_fiche (id) ON DELETE CASCADE,
    funder TEXT NOT NULL,
    amount REAL CHECK (amount >= 0)
);

-- Indicators of a fiche; optionally linked to an observatory indicator (code, profession, zone).
CREATE TABLE cls_indicator (
    id INTEGER PRIMARY KEY,
    fiche_id INTEGER NOT NULL REFERENCES cls_fiche (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('processus', 'resultat')),
    label TEXT NOT NULL,
    unit TEXT,
    baseline REAL,
    baseline_on TEXT,
    target REAL,
    target_on TEXT,
    source TEXT,
    observatory_indicator TEXT,
    observatory_profession TEXT,
    observatory_zone_kind TEXT,
    observatory_zone_code TEXT
);

CREATE TABLE cls_measure (
    id INTEGER PRIMARY KEY,
    indicator_id INTEGER NOT NULL REFERENCES cls_indicator (id) ON DELETE CASCADE,
    measured_on TEXT NOT NULL,
    value REAL NOT NULL,
    source TEXT,
    note TEXT,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    UNIQUE (indicator_id, measured_on)
);

-- Funding: calls for projects, grants, FIR, contrat de ville, CPOM; and the reports (bilans) they require.
CREATE TABLE cls_funding (
    id INTEGER PRIMARY KEY,
    contract_id INTEGER NOT NULL REFERENCES cls_contract (id) ON DELETE CASCADE,
    fiche_id INTEGER REFERENCES cls_fiche (id) ON DELETE SET NULL,
    funder TEXT NOT NULL,
    scheme TEXT NOT NULL CHECK (scheme IN ('appel_a_projets', 'subvention', 'fir', 'contrat_de_ville', 'cpom', 'autre')),
    title TEXT NOT NULL,
    requested REAL CHECK (requested >= 0),
    granted REAL CHECK (granted >= 0),
    status TEXT NOT NULL CHECK (status IN ('prevu', 'depose', 'accorde', 'refuse', 'solde')),
    applied_on TEXT,
    decided_on TEXT,
    period_start TEXT,
    period_end TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE cls_funding_report (
    id INTEGER PRIMARY KEY,
    funding_id INTEGER NOT NULL REFERENCES cls_funding (id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    due_on TEXT NOT NULL,
    submitted_on TEXT
);
CREATE INDEX cls_funding_report_due ON cls_funding_report (due_on);

-- Démocratie en santé: consultations of inhabitants and users, workshops, inhabitants' initiatives.
CREATE TABLE network_consultation (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('consultation', 'atelier_participatif', 'enquete', 'reunion_publique',
                                       'diagnostic_partage', 'initiative_habitants')),
    title TEXT NOT NULL,
    held_on TEXT NOT NULL,
    place TEXT,
    participants INTEGER CHECK (participants >= 0),
    public_concerned TEXT,
    body_id INTEGER REFERENCES network_body (id) ON DELETE SET NULL,
    contract_id INTEGER REFERENCES cls_contract (id) ON DELETE SET NULL,
    summary TEXT,
    outcomes TEXT,
    created_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);
