-- Accounts, sessions, API tokens, login attempts and the audit log.
-- Kept in step with ../postgres/0002_accounts.sql: same tables, same columns, same meaning.
-- Instants are RFC 3339 UTC text to the second ("2026-03-31T14:05:00Z"): they compare as text.

CREATE TABLE account (
    id INTEGER PRIMARY KEY,
    -- The login, lower case.
    identifier TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    -- argon2id, PHC string format.
    password_hash TEXT NOT NULL,
    -- 1: every commune of the instance; 0: only those of account_territory.
    all_territories INTEGER NOT NULL CHECK (all_territories IN (0, 1)),
    active INTEGER NOT NULL CHECK (active IN (0, 1)),
    -- Demonstration accounts only log in while the base is a demonstration base.
    demo INTEGER NOT NULL CHECK (demo IN (0, 1)),
    created_at TEXT NOT NULL,
    password_changed_at TEXT NOT NULL
);

-- Role names are checked by the program (an unknown role grants nothing).
CREATE TABLE account_role (
    account_id INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    PRIMARY KEY (account_id, role)
);

CREATE TABLE account_territory (
    account_id INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    commune_code TEXT NOT NULL,
    PRIMARY KEY (account_id, commune_code)
);

-- Only the SHA-256 of session tokens is stored: a copy of the base gives no session.
CREATE TABLE account_session (
    token_hash TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX account_session_account ON account_session (account_id);

CREATE TABLE api_token (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    -- The first characters of the token, to recognise it in lists.
    prefix TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    revoked_at TEXT,
    last_used_at TEXT
);

-- account_key is the SHA-256 of the identifier as typed, so that unknown identifiers are limited like known
-- ones without storing what was typed.
CREATE TABLE login_attempt (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    account_key TEXT NOT NULL,
    ip TEXT NOT NULL,
    success INTEGER NOT NULL CHECK (success IN (0, 1))
);
CREATE INDEX login_attempt_account ON login_attempt (account_key, at);
CREATE INDEX login_attempt_ip ON login_attempt (ip, at);

-- Append-only, hash-chained: each row stores the previous row's hash and its own hash over a canonical
-- serialisation of its fields. ids are given by the program (previous id + 1), so two writers cannot fork the
-- chain: audit_head serialises them.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    actor_id INTEGER,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    details TEXT NOT NULL,
    ip TEXT,
    prev_hash TEXT NOT NULL UNIQUE,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor);
CREATE INDEX audit_log_action ON audit_log (action);

CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TABLE audit_head (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    last_id INTEGER NOT NULL,
    last_hash TEXT NOT NULL
);
INSERT INTO audit_head (singleton, last_id, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
