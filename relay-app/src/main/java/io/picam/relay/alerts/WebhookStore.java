package io.picam.relay.alerts;

import io.picam.relay.recording.RecordingGap;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The webhooks and their deliveries (the outbox), in plain SQL: the claims need {@code FOR UPDATE SKIP LOCKED}. */
@ApplicationScoped
public class WebhookStore {

    private static final SecureRandom RANDOM = new SecureRandom();

    public record Webhook(long id, String url, List<AlertEvent> events, WebhookFormat format, Instant createdAt) {}

    /** The answer to POST: the only time the secret is shown. */
    public record CreatedWebhook(long id, String url, List<AlertEvent> events, WebhookFormat format, String secret) {}

    public record Delivery(
            long id,
            String event,
            String status,
            int attempts,
            Instant createdAt,
            Instant lastAttemptAt,
            Instant nextAttemptAt,
            Integer lastStatus,
            String lastError) {}

    private final DataSource db;

    public WebhookStore(DataSource db) {
        this.db = db;
    }

    public CreatedWebhook create(String url, List<AlertEvent> events, WebhookFormat format, String createdBy) {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(key);
        String eventList = String.join(",", events.stream().map(AlertEvent::id).toList());
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "insert into webhooks (url, events, format, secret, created_by) values (?, ?, ?, ?, ?) returning id")) {
            s.setString(1, url);
            s.setString(2, eventList);
            s.setString(3, format.id());
            s.setString(4, secret);
            s.setString(5, createdBy);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return new CreatedWebhook(r.getLong(1), url, events, format, secret);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not store the webhook", e);
        }
    }

    public List<Webhook> list() {
        List<Webhook> out = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement s =
                        c.prepareStatement("select id, url, events, format, created_at from webhooks order by id");
                ResultSet r = s.executeQuery()) {
            while (r.next()) {
                List<AlertEvent> events = Arrays.stream(r.getString(3).split(","))
                        .map(AlertEvent::of)
                        .flatMap(Optional::stream)
                        .toList();
                out.add(new Webhook(
                        r.getLong(1),
                        r.getString(2),
                        events,
                        WebhookFormat.of(r.getString(4)).orElseThrow(),
                        r.getTimestamp(5).toInstant()));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the webhooks", e);
        }
    }

    /** Deletes the webhook and its deliveries; the URL when it existed. */
    public Optional<String> delete(long id) {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("delete from webhooks where id = ? returning url")) {
            s.setLong(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not delete the webhook", e);
        }
    }

    public boolean exists(long id) {
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement("select 1 from webhooks where id = ?")) {
            s.setLong(1, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the webhooks", e);
        }
    }

    /** The latest deliveries to the webhook, newest first. */
    public List<Delivery> deliveries(long webhookId, int limit) {
        List<Delivery> out = new ArrayList<>();
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "select id, event, status, attempts, created_at, last_attempt_at, next_attempt_at, last_status, last_error"
                                + " from webhook_deliveries where webhook_id = ? order by id desc limit ?")) {
            s.setLong(1, webhookId);
            s.setInt(2, limit);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    int status = r.getInt(8);
                    out.add(new Delivery(
                            r.getLong(1),
                            r.getString(2),
                            r.getString(3),
                            r.getInt(4),
                            instant(r.getTimestamp(5)),
                            instant(r.getTimestamp(6)),
                            r.getString(3).equals("pending") ? instant(r.getTimestamp(7)) : null,
                            r.wasNull() ? null : status,
                            r.getString(9)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the deliveries", e);
        }
    }

    /**
     * Queues the event for every webhook that wants it, within the caller's transaction; {@code key} names the event
     * itself, so the same event queued twice (by two instances) is delivered once; it is {@code
     * <event>:<stream id>:<millis>} (see {@link #key}), from which the sender takes the stream.
     */
    static int enqueue(Connection c, AlertEvent event, String key, Instant at, String streamId) throws SQLException {
        return enqueue(c, event, key, at, streamId, null);
    }

    /** As above, for a {@code recording.gap} ({@code gap} null for every other event). */
    static int enqueue(Connection c, AlertEvent event, String key, Instant at, String streamId, RecordingGap gap)
            throws SQLException {
        String name = streamId;
        try (PreparedStatement s = c.prepareStatement("select name from streams where id = ?")) {
            s.setString(1, streamId);
            try (ResultSet r = s.executeQuery()) {
                if (r.next()) {
                    name = r.getString(1);
                }
            }
        }
        record Target(long id, WebhookFormat format) {}
        List<Target> targets = new ArrayList<>();
        try (PreparedStatement s =
                c.prepareStatement("select id, format from webhooks where ',' || events || ',' like ?")) {
            s.setString(1, "%," + event.id() + ",%");
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    targets.add(new Target(
                            r.getLong(1), WebhookFormat.of(r.getString(2)).orElse(WebhookFormat.JSON)));
                }
            }
        }
        int queued = 0;
        try (PreparedStatement s =
                c.prepareStatement("insert into webhook_deliveries (webhook_id, event, event_key, body)"
                        + " values (?, ?, ?, ?) on conflict (webhook_id, event_key) do nothing")) {
            for (Target target : targets) {
                s.setLong(1, target.id());
                s.setString(2, event.id());
                s.setString(3, key);
                s.setString(4, target.format().body(event, at, streamId, name, gap));
                queued += s.executeUpdate();
            }
        }
        return queued;
    }

    /** The key of an event about a stream: {@code <event>:<stream id>:<millis>}. */
    static String key(AlertEvent event, String streamId, Instant at) {
        return event.id() + ":" + streamId + ":" + at.toEpochMilli();
    }

    /** The stream an event key is about (stream ids have no colon). */
    static String streamOf(String key) {
        int first = key.indexOf(':');
        int last = key.lastIndexOf(':');
        return first < 0 || last <= first ? "" : key.substring(first + 1, last);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
