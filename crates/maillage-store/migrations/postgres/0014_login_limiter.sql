-- Login limiter (issue 14): progressive delays per (account, address), decided atomically by one upsert before
-- the password is checked. `attempts` counts the checks granted since the last success; after `free_tries` of
-- them, each further check waits `delay_seconds` (doubling up to a cap) after the previous one: `allowed_from`
-- (Unix seconds). `refused` counts the tries turned away while waiting (for the audit, not for the decision).
CREATE TABLE login_throttle (
    account_key TEXT NOT NULL,
    ip TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    delay_seconds BIGINT NOT NULL,
    allowed_from BIGINT NOT NULL,
    granted BIGINT NOT NULL CHECK (granted IN (0, 1)),
    refused BIGINT NOT NULL,
    last_at BIGINT NOT NULL,
    PRIMARY KEY (account_key, ip)
);
CREATE INDEX login_throttle_last_at ON login_throttle (last_at);
