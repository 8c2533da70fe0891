-- The leads' dashboard in the browser (spec §16): one-time links that open it, and the browser
-- sessions they open. Only a SHA-256 hash of each token is kept, so a copy of the database (a
-- backup, a leaked file) opens nothing. A link works once, for 15 minutes; a session lasts 12 hours.

CREATE TABLE dashboard_links (
    token_hash  TEXT    PRIMARY KEY,
    person_id   INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER
);
CREATE INDEX dashboard_links_by_person ON dashboard_links (person_id);
CREATE INDEX dashboard_links_by_expiry ON dashboard_links (expires_at);

CREATE TABLE dashboard_sessions (
    token_hash  TEXT    PRIMARY KEY,
    person_id   INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
);
CREATE INDEX dashboard_sessions_by_person ON dashboard_sessions (person_id);
CREATE INDEX dashboard_sessions_by_expiry ON dashboard_sessions (expires_at);

-- The dashboard's counts at national scale (bench/dashboard.py): members by region and library
-- type, and the isolated, each read from an index alone instead of 100,000 rows of `people`.
CREATE INDEX people_by_group ON people (region_key, library, signed_up_at);
CREATE INDEX people_by_signup ON people (signed_up_at, paused_at, paused_until, region_key, library);
