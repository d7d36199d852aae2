-- picam schema, version 1: users with roles, camera streams with hashed secrets, viewing grants.

create table users (
    id            bigserial primary key,
    username      varchar(64)  not null,
    -- bcrypt in Modular Crypt Format ($2a$/$2b$), as Quarkus Security JPA verifies it
    password_hash varchar(100) not null,
    -- comma-separated roles, read by Quarkus Security JPA
    roles         varchar(64)  not null check (roles ~ '^(admin|viewer)(,(admin|viewer))*$'),
    created_at    timestamptz  not null default now()
);
create unique index users_username_lower on users (lower(username));

create table streams (
    -- short URL-safe random id (base64url of 8 random bytes)
    id                varchar(32)  primary key check (id ~ '^[A-Za-z0-9_-]+$'),
    name              varchar(100) not null,
    format            varchar(8)   not null check (format in ('mpegts', 'fmp4')),
    -- SHA-256 of the secret (256 random bits, so a slow hash adds nothing), hex
    secret_hash       char(64)     not null,
    created_at        timestamptz  not null default now(),
    secret_rotated_at timestamptz  not null default now()
);

create table stream_grants (
    stream_id  varchar(32) not null references streams (id) on delete cascade,
    user_id    bigint      not null references users (id) on delete cascade,
    granted_at timestamptz not null default now(),
    primary key (stream_id, user_id)
);
create index stream_grants_user on stream_grants (user_id);
