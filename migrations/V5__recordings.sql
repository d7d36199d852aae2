-- picam schema, version 5: recording settings per stream and the index of recorded segments.

create table recording_settings (
    stream_id       varchar(32) primary key references streams (id) on delete cascade,
    enabled         boolean     not null default false,
    -- null: no limit of that kind
    retention_days  integer     check (retention_days > 0),
    retention_bytes bigint      check (retention_bytes > 0),
    updated_at      timestamptz not null default now()
);

-- One row per stored segment (an object in the store), written after the object and deleted before it.
-- Rows go with their stream; the objects of a deleted stream are deleted by the relay (and the orphan sweeper).
create table recordings (
    id          bigserial    primary key,
    stream_id   varchar(32)  not null references streams (id) on delete cascade,
    start_at    timestamptz  not null,
    end_at      timestamptz  not null check (end_at >= start_at),
    bytes       bigint       not null check (bytes >= 0),
    storage_key varchar(300) not null unique,
    -- fmp4: bytes of the init segment at the head of the object (0 for mpegts); its hash tells which segments
    -- share a decoder configuration and can be joined into one clip
    init_size   integer      not null default 0,
    init_hash   char(64),
    codec       varchar(200)
);
create index recordings_stream_start on recordings (stream_id, start_at);
