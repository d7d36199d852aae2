-- picam schema, version 4: logins become server-side sessions that can be listed and ended, tokens get scopes,
-- and the addresses a user has logged in from are remembered (a correct password from one of them is never
-- slowed by guessing spread over other addresses).

create table sessions (
    id           bigserial    primary key,
    user_id      bigint       not null references users (id) on delete cascade,
    -- SHA-256 of the cookie value (256 random bits), hex; the value itself is only ever in the browser
    id_hash      char(64)     not null unique,
    created_at   timestamptz  not null default now(),
    last_seen_at timestamptz  not null default now(),
    address      varchar(64),
    user_agent   varchar(200)
);
create index sessions_user on sessions (user_id);

-- what a token may do, within its owner's roles: view (watch and list), camera (create and read streams), admin
alter table access_tokens add column scopes varchar(40) not null default 'view'
    check (scopes ~ '^(view|camera|admin)(,(view|camera|admin))*$');
-- tokens made before scopes existed could do whatever their owner could: they keep that
update access_tokens set scopes = 'admin,camera,view';

create table login_addresses (
    user_id       bigint      not null references users (id) on delete cascade,
    address       varchar(64) not null,
    last_login_at timestamptz not null default now(),
    primary key (user_id, address)
);

-- sessions replace the "issued before" time of version 3
alter table users drop column sessions_valid_after;
