package io.picam.relay.alerts;

import io.picam.relay.config.RelayConfig;
import io.picam.relay.live.HubRegistry;
import io.picam.relay.live.StreamHub;
import io.quarkus.runtime.Startup;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * When each camera was last seen, and the events of it coming and going, derived so that one instance emits each:
 * the instance holding a camera's upload writes its last-seen time (every few seconds, and once more when the upload
 * ends) and emits {@code camera.online} when its UPDATE is the one that turns the row online; any instance turns an
 * online camera not seen for the grace period offline with one {@code UPDATE … RETURNING}, and only the instance
 * whose statement changed the row emits {@code camera.offline}. Events go to the webhook outbox in the same
 * transaction as the change (see {@link WebhookStore#enqueue}).
 */
@Startup
@ApplicationScoped
public class CameraPresence {

    private static final Logger LOG = Logger.getLogger(CameraPresence.class);

    private final DataSource db;
    private final HubRegistry hubs;
    private final Vertx vertx;
    private final WebhookSender sender;
    private final Duration grace;
    private final long refreshNanos;
    private final Map<String, Long> writtenAt = new HashMap<>(); // streams published here; only the tick touches it
    private final AtomicBoolean running = new AtomicBoolean();
    private long timerId = -1;

    public CameraPresence(DataSource db, HubRegistry hubs, Vertx vertx, WebhookSender sender, RelayConfig config) {
        this.db = db;
        this.hubs = hubs;
        this.vertx = vertx;
        this.sender = sender;
        this.grace = config.alerts().offlineGrace();
        // well within the grace, so that a camera that is there is never taken for gone
        this.refreshNanos = Math.min(Duration.ofSeconds(5).toNanos(), grace.toNanos() / 3);
    }

    @PostConstruct
    void start() {
        timerId = vertx.setPeriodic(1000, id -> {
            if (running.compareAndSet(false, true)) {
                vertx.executeBlocking(
                        () -> {
                            try {
                                tick(System.nanoTime());
                            } finally {
                                running.set(false);
                            }
                            return null;
                        },
                        false);
            }
        });
    }

    @PreDestroy
    void stop() {
        vertx.cancelTimer(timerId);
    }

    void tick(long now) {
        Set<String> here = new HashSet<>();
        for (StreamHub hub : hubs.all()) {
            if (hub.publishedHere()) {
                here.add(hub.streamId());
            }
        }
        boolean queued = false;
        try {
            for (String id : here) {
                Long at = writtenAt.get(id);
                if (at == null || now - at >= refreshNanos) {
                    queued |= seen(id);
                    writtenAt.put(id, now);
                }
            }
            for (String id : Set.copyOf(writtenAt.keySet())) {
                if (!here.contains(id)) {
                    seenLast(id);
                    writtenAt.remove(id);
                }
            }
            queued |= sweepOffline();
        } catch (SQLException e) {
            LOG.debugf("Camera presence not written: %s", e.getMessage()); // the database is away; next second
        }
        if (queued) {
            sender.wake();
        }
    }

    /** The camera's upload is here now; true when that made it online (and the event was queued). */
    private boolean seen(String streamId) throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                Optional<Instant> cameBack = Optional.empty();
                try (PreparedStatement s =
                        c.prepareStatement("update camera_presence set online = true, changed_at = now(),"
                                + " last_seen_at = now() where stream_id = ? and not online returning changed_at")) {
                    s.setString(1, streamId);
                    try (ResultSet r = s.executeQuery()) {
                        if (r.next()) {
                            cameBack = Optional.of(r.getTimestamp(1).toInstant());
                        }
                    }
                }
                if (cameBack.isEmpty()) {
                    try (PreparedStatement s =
                            c.prepareStatement("insert into camera_presence (stream_id, online, last_seen_at)"
                                    + " values (?, true, now()) on conflict (stream_id) do update set last_seen_at = now()"
                                    + " returning (xmax = 0), changed_at")) {
                        s.setString(1, streamId);
                        try (ResultSet r = s.executeQuery()) {
                            if (r.next() && r.getBoolean(1)) {
                                cameBack = Optional.of(r.getTimestamp(2).toInstant()); // its first upload ever
                            }
                        }
                    }
                }
                boolean queued = false;
                if (cameBack.isPresent()) {
                    Instant at = cameBack.get();
                    queued = WebhookStore.enqueue(
                                    c,
                                    AlertEvent.CAMERA_ONLINE,
                                    WebhookStore.key(AlertEvent.CAMERA_ONLINE, streamId, at),
                                    at,
                                    streamId)
                            > 0;
                }
                c.commit();
                return queued;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** The upload ended here: the camera was last seen now. */
    private void seenLast(String streamId) throws SQLException {
        try (Connection c = db.getConnection();
                PreparedStatement s =
                        c.prepareStatement("update camera_presence set last_seen_at = now() where stream_id = ?")) {
            s.setString(1, streamId);
            s.executeUpdate();
        }
    }

    /** Online cameras nobody has seen for the grace period go offline; true when events were queued. */
    private boolean sweepOffline() throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                int queued = 0;
                try (PreparedStatement s = c.prepareStatement(
                        "update camera_presence set online = false, changed_at = now()"
                                + " where online and last_seen_at < now() - make_interval(secs => ?) returning stream_id, last_seen_at")) {
                    s.setDouble(1, grace.toMillis() / 1000.0);
                    try (ResultSet r = s.executeQuery()) {
                        while (r.next()) {
                            String id = r.getString(1);
                            Instant lastSeen = r.getTimestamp(2).toInstant();
                            queued += WebhookStore.enqueue(
                                    c,
                                    AlertEvent.CAMERA_OFFLINE,
                                    WebhookStore.key(AlertEvent.CAMERA_OFFLINE, id, lastSeen),
                                    lastSeen,
                                    id);
                        }
                    }
                }
                c.commit();
                return queued > 0;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** When each camera was last seen (live now, or when its upload ended); absent when never. */
    public Map<String, Instant> lastSeen() {
        Map<String, Instant> out = new HashMap<>();
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select stream_id, last_seen_at from camera_presence");
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                out.put(r.getString(1), r.getTimestamp(2).toInstant());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read when the cameras were last seen", e);
        }
        return out;
    }
}
