-- picam schema, version 2: personal access tokens and the audit log.

create table access_tokens (
    id           bigserial    primary key,
    user_id      bigint       not null references users (id) on delete cascade,
    name         varchar(100) not null,
    -- SHA-256 of the token (256 random bits), hex; the token itself is shown once and never stored
    token_hash   char(64)     not null unique,
    created_at   timestamptz  not null default now(),
    expires_at   timestamptz  not null,
    last_used_at timestamptz
);
create index access_tokens_user on access_tokens (user_id);

-- Who did what, when, from where. Never a secret, token or password.
create table audit_log (
    id      bigserial    primary key,
    at      timestamptz  not null default now(),
    actor   varchar(64),
    action  varchar(40)  not null,
    target  varchar(200),
    detail  varchar(500),
    address varchar(64)
);
create index audit_log_at on audit_log (at desc);
