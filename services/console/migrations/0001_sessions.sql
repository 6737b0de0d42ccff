-- Console sign-in state. Not business facts, so not events: a session is a random secret the
-- browser holds (only its SHA-256 is stored) and dies at logout, expiry or when its user is
-- disabled; sign-in attempts are kept for rate limiting and for the security log.
CREATE TABLE IF NOT EXISTS console_sessions (
    token_hash   text PRIMARY KEY,
    username     text NOT NULL,
    csrf_token   text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    ended_at     timestamptz
);
CREATE INDEX IF NOT EXISTS console_sessions_user ON console_sessions (username);

CREATE TABLE IF NOT EXISTS console_login_attempts (
    id           bigserial PRIMARY KEY,
    username     text NOT NULL,
    client_ip    text NOT NULL,
    succeeded    boolean NOT NULL,
    attempted_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS console_login_attempts_recent
    ON console_login_attempts (username, attempted_at);
CREATE INDEX IF NOT EXISTS console_login_attempts_ip
    ON console_login_attempts (client_ip, attempted_at);
