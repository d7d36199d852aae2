package io.picam.relay.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Every picam setting of the relay. Defaults live in application.properties and in the
 * table of docs/CONFIGURATION.md; {@code ConfigurationTableTest} keeps the three in step.
 */
@ConfigMapping(prefix = "picam")
public interface RelayConfig {

    /** Password of the first {@code admin}, used only when the user table is empty. */
    Optional<String> adminPassword();

    /**
     * The relay's address as its users reach it (https://relay.example): links in notifications (the snapshot ntfy
     * attaches, the player page) start with it. Unset: notifications carry no links.
     */
    Optional<String> publicUrl();

    Viewer viewer();

    Hub hub();

    Ingest ingest();

    Demo demo();

    Login login();

    Proxy proxy();

    Redis redis();

    Session session();

    Audit audit();

    Access access();

    interface Access {
        /**
         * How long who a session cookie or token is, with their roles, and which streams they may watch, are
         * answered from memory; every change that matters forgets them at once (on every instance). 0: always ask
         * the database.
         */
        @WithDefault("30S")
        Duration cacheFor();
    }

    Recording recording();

    RecordingS3 recordingS3();

    Snapshot snapshot();

    Alerts alerts();

    Webhooks webhooks();

    interface Session {
        /** A login not used for this long ends (its cookie is refused). */
        @WithDefault("7D")
        Duration idleTimeout();

        /** A login ends this long after it was made, however much it is used. */
        @WithDefault("30D")
        Duration maxAge();
    }

    interface Audit {
        /** Audit entries older than this are deleted. */
        @WithDefault("90D")
        Duration retention();
    }

    interface Alerts {
        /** A camera whose upload has been gone this long is offline (camera.offline); shorter gaps are reconnects. */
        @WithDefault("30S")
        Duration offlineGrace();
    }

    interface Webhooks {
        /** Allow webhook URLs on loopback and private addresses (Home Assistant on the LAN); link-local never. */
        @WithDefault("false")
        boolean allowPrivate();

        /** Wait before the first retry of a failed delivery; each further one waits twice as long (at most an hour). */
        @WithDefault("10S")
        Duration firstRetry();

        /** A delivery that has failed for this long is given up. */
        @WithDefault("1D")
        Duration giveUpAfter();
    }

    interface Snapshot {
        /** Time between two pictures of a live stream that has viewers, or is in a camera list someone has open. */
        @WithDefault("5S")
        Duration activeInterval();

        /** Time between two pictures of a live stream nobody looks at. */
        @WithDefault("60S")
        Duration idleInterval();

        /** Pictures decoded (ffmpeg processes) at once on this relay, all streams together. */
        @WithDefault("2")
        int maxConcurrentDecodes();

        /** How long a signed snapshot link (what an ntfy notification attaches) opens the picture without a login. */
        @WithDefault("1D")
        Duration linkValidFor();
    }

    interface Viewer {
        /** Bytes a viewer may have in flight before it skips to the next join point. */
        @WithDefault("2M")
        MemorySize queueLimit();

        /** A viewer whose queue has not drained for this long is disconnected. */
        @WithDefault("30S")
        Duration stallTimeout();

        /** Viewer sockets one user may hold on this relay at once; beyond it the upgrade is refused (429). */
        @WithDefault("16")
        int maxPerUser();

        /** Viewer sockets this relay holds at once; beyond it the upgrade is refused (503: another instance takes it). */
        @WithDefault("5000")
        int maxTotal();

        /**
         * Bytes held for all viewers together (handed to their sockets, not yet written). Well below the JVM's direct
         * memory (the Procfile gives 128m): past it the viewers holding the most skip to the next join point, and are
         * closed if their bytes do not drain.
         */
        @WithDefault("48M")
        MemorySize heldBudget();
    }

    interface Hub {
        /** Upper bound of the bytes kept since the latest join point (a GOP) for joining viewers. */
        @WithDefault("8M")
        MemorySize joinCacheLimit();
    }

    interface Ingest {
        /** A publisher that sends nothing for this long is disconnected and the stream goes offline. */
        @WithDefault("20S")
        Duration idleTimeout();
    }

    interface Login {
        /** Failed logins for one username from one client address before that pair is throttled (429). */
        @WithDefault("5")
        int failuresPerUser();

        /**
         * Failed logins for one username from all addresses together before it is throttled (429), except from
         * addresses the user has logged in from before: bounds guessing spread over many addresses.
         */
        @WithDefault("20")
        int failuresPerUserAllAddresses();

        /** Failed logins from one client address before it is throttled (429), whatever the usernames. */
        @WithDefault("30")
        int failuresPerAddress();

        /** Time that gives back one throttled attempt. */
        @WithDefault("60S")
        Duration penalty();
    }

    interface Proxy {
        /**
         * Proxies in front of the relay that append the client's address to {@code X-Forwarded-For} (Heroku's
         * router: 1). The client address for login limits and the audit log is then that many entries from the
         * right of the header, which a client cannot forge; 0 uses the connection's own address.
         */
        @WithDefault("0")
        int hops();
    }

    interface Redis {
        /**
         * Redis shared by every relay instance behind one URL ({@code redis://} or {@code rediss://}); Heroku's
         * {@code REDIS_URL} is read too. Unset: one instance, nothing shared.
         */
        Optional<String> url();

        /** Check the Redis server's TLS certificate; Heroku Key-Value Store's is self-signed: set false there. */
        @WithDefault("true")
        boolean tlsVerify();
    }

    interface Demo {
        /** Run a test-pattern camera (stream id {@code demo}) inside the relay, for trying picam without a Pi. */
        @WithDefault("false")
        boolean enabled();

        /**
         * Who publishes the demo streams: {@code relay} (a bundled ffmpeg inside the relay publishes {@code demo}) or
         * {@code client} (the relay writes both streams' secrets into its data directory for two
         * {@code picam stream --source test} clients, as {@code ./demo.sh} runs them).
         */
        @WithDefault("relay")
        DemoPublisher publisher();
    }

    interface Recording {
        /** Length of a recorded segment (cut at the next join point after it): the most a crash may lose. */
        @WithDefault("10S")
        Duration segment();

        /** Bytes of finished segments waiting for the store; beyond it new segments are dropped (a gap). */
        @WithDefault("64M")
        MemorySize queueLimit();

        /** Folder of the recordings when no S3 store is set; unset: {@code $PICAM_DATA_DIR/recordings}. */
        Optional<String> dir();

        /** Free space the folder store leaves on its disk: below it, it stops writing and deletes the oldest. */
        @WithDefault("1G")
        MemorySize minFree();

        /** Record into the folder even on Heroku, whose dyno disk is wiped at least daily. */
        @WithDefault("false")
        boolean allowEphemeralDisk();

        /** How often retention, the free-space floor and the orphan sweeper run. */
        @WithDefault("5M")
        Duration retentionInterval();
    }

    /** The S3-compatible store of the recordings (AWS S3, Cloudflare R2, Backblaze B2, MinIO); used when a bucket is set. */
    interface RecordingS3 {
        /** Endpoint URL; unset: AWS S3 of the region. */
        Optional<String> endpoint();

        @WithDefault("us-east-1")
        String region();

        Optional<String> bucket();

        Optional<String> accessKeyId();

        Optional<String> secretAccessKey();

        /** Prepended to every object key, e.g. {@code picam/}. */
        Optional<String> prefix();
    }

    enum DemoPublisher {
        RELAY,
        CLIENT
    }
}
