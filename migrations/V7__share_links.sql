-- picam schema, version 7: share links, to watch one stream without an account.

create table share_links (
    id           bigserial    primary key,
    stream_id    varchar(32)  not null references streams (id) on delete cascade,
    -- SHA-256 of the link's token (256 random bits), hex; the token itself is shown once and never stored
    token_hash   char(64)     not null unique,
    label        varchar(100) not null,
    created_by   varchar(64),
    created_at   timestamptz  not null default now(),
    expires_at   timestamptz  not null,
    -- bcrypt of the optional PIN (4 to 12 digits: few enough to guess offline, so a slow hash)
    pin_hash     varchar(72),
    max_viewers  int          check (max_viewers is null or max_viewers > 0),
    recordings   boolean      not null default false,
    revoked_at   timestamptz,
    last_used_at timestamptz,
    -- made by a viewer under the stream's "viewers may share": it lives only while that still holds
    by_viewer    boolean      not null default false
);
create index share_links_stream on share_links (stream_id, created_at desc);

-- whether viewers granted a stream may make share links of it (admins always may)
alter table streams add column viewers_may_share boolean not null default false;
