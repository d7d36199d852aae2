-- picam schema, version 6: when each camera was last seen (and whether it counts as online), webhooks with their
-- deliveries as an outbox, and share links.

-- Written by the instance that holds the camera's upload; an online camera not seen for the grace period is set
-- offline by whichever instance gets there first (one UPDATE ... RETURNING: once, whatever the number of instances).
create table camera_presence (
    stream_id    varchar(32) primary key references streams (id) on delete cascade,
    online       boolean     not null,
    last_seen_at timestamptz not null,
    changed_at   timestamptz not null default now()
);

create table webhooks (
    id         bigserial     primary key,
    url        varchar(2000) not null,
    -- comma-separated event names
    events     varchar(200)  not null check (events ~ '^[a-z_.]+(,[a-z_.]+)*$'),
    format     varchar(8)    not null check (format in ('json', 'ntfy', 'discord')),
    -- the HMAC key of the signatures: kept as it is, since every delivery is signed with it
    secret     varchar(64)   not null,
    created_by varchar(64),
    created_at timestamptz   not null default now()
);

-- one row per delivery of an event to a webhook (an outbox): claimed with FOR UPDATE SKIP LOCKED, so each is sent
-- by one instance; retried with growing gaps until delivered or a day old
create table webhook_deliveries (
    id              bigserial    primary key,
    webhook_id      bigint       not null references webhooks (id) on delete cascade,
    event           varchar(40)  not null,
    -- what makes the event itself unique (e.g. camera.offline:<stream>:<when>): a second insert is ignored
    event_key       varchar(200) not null,
    body            text         not null,
    status          varchar(10)  not null default 'pending' check (status in ('pending', 'delivered', 'failed')),
    attempts        int          not null default 0,
    created_at      timestamptz  not null default now(),
    next_attempt_at timestamptz  not null default now(),
    last_attempt_at timestamptz,
    last_status     int,
    last_error      varchar(300)
);
create unique index webhook_deliveries_once on webhook_deliveries (webhook_id, event_key);
create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where status = 'pending';
create index webhook_deliveries_log on webhook_deliveries (webhook_id, id desc);
