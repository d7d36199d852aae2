package io.picam.relay.alerts;

import io.picam.relay.config.RelayConfig;
import io.picam.relay.snapshot.SnapshotLinks;
import io.quarkus.runtime.Startup;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Sends what the outbox holds: due deliveries are claimed with {@code SELECT … FOR UPDATE SKIP LOCKED}, so that with
 * several instances each row is sent by exactly one of them, and are marked delivered (2xx), or retried after a
 * growing wait (the first retry, then twice as long each time with a little jitter, at most an hour) until they are
 * older than the give-up time. The target is checked again before every attempt (DNS may have changed), and
 * redirects are not followed (they could lead anywhere).
 */
@Startup
@ApplicationScoped
public class WebhookSender {

    private static final Logger LOG = Logger.getLogger(WebhookSender.class);
    private static final int BATCH = 5;
    private static final Duration MAX_WAIT = Duration.ofHours(1);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private record Due(
            long id,
            String event,
            String eventKey,
            String body,
            int attempts,
            Instant createdAt,
            String url,
            WebhookFormat format,
            String secret) {}

    private final DataSource db;
    private final Vertx vertx;
    private final WebhookTargets targets;
    private final SnapshotLinks links;
    private final Duration firstRetry;
    private final Duration giveUpAfter;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    private final AtomicBoolean running = new AtomicBoolean();
    private long timerId = -1;

    public WebhookSender(DataSource db, Vertx vertx, RelayConfig config, SnapshotLinks links) {
        this.db = db;
        this.links = links;
        this.vertx = vertx;
        this.targets = new WebhookTargets(config.webhooks().allowPrivate());
        this.firstRetry = config.webhooks().firstRetry();
        this.giveUpAfter = config.webhooks().giveUpAfter();
    }

    @PostConstruct
    void start() {
        timerId = vertx.setPeriodic(500, id -> wake());
    }

    @PreDestroy
    void stop() {
        vertx.cancelTimer(timerId);
    }

    /** Sends what is due now, unless a round is already running (it will see the new rows). */
    public void wake() {
        if (running.compareAndSet(false, true)) {
            vertx.executeBlocking(
                    () -> {
                        try {
                            while (round() == BATCH) {
                                // a full batch: there may be more due
                            }
                        } catch (SQLException e) {
                            LOG.debugf("Webhook deliveries wait: %s", e.getMessage()); // the database is away
                        } finally {
                            running.set(false);
                        }
                        return null;
                    },
                    false);
        }
    }

    /** One transaction: claim up to a batch of due deliveries, try each, record the outcome. */
    private int round() throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                List<Due> due = claim(c);
                for (Due d : due) {
                    attempt(c, d);
                }
                c.commit();
                return due.size();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private List<Due> claim(Connection c) throws SQLException {
        List<Due> due = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(
                "select d.id, d.event, d.event_key, d.body, d.attempts, d.created_at, w.url, w.format,"
                        + " w.secret from webhook_deliveries d join webhooks w on w.id = d.webhook_id"
                        + " where d.status = 'pending' and d.next_attempt_at <= now() order by d.next_attempt_at, d.id"
                        + " limit " + BATCH + " for update of d skip locked")) {
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    due.add(new Due(
                            r.getLong(1),
                            r.getString(2),
                            r.getString(3),
                            r.getString(4),
                            r.getInt(5),
                            r.getTimestamp(6).toInstant(),
                            r.getString(7),
                            WebhookFormat.of(r.getString(8)).orElse(WebhookFormat.JSON),
                            r.getString(9)));
                }
            }
        }
        return due;
    }

    private void attempt(Connection c, Due d) throws SQLException {
        Integer status = null;
        String error = null;
        try {
            URI target = targets.check(d.url());
            HttpRequest.Builder request = HttpRequest.newBuilder(target)
                    .timeout(TIMEOUT)
                    .header("Content-Type", d.format().contentType())
                    .header("User-Agent", "picam-relay")
                    .header("X-Picam-Event", d.event())
                    .header("X-Picam-Delivery", String.valueOf(d.id()))
                    .header(
                            WebhookSignature.HEADER,
                            WebhookSignature.sign(d.secret(), Instant.now().getEpochSecond(), d.body()))
                    .POST(HttpRequest.BodyPublishers.ofString(d.body()));
            if (d.format() == WebhookFormat.NTFY) {
                // made at each attempt: the snapshot link is valid for its full time from when it is sent
                String stream = WebhookStore.streamOf(d.eventKey());
                d.format()
                        .headers(
                                d.event(),
                                links.url(stream),
                                links.publicUrl().map(base -> base + "/streams/" + stream))
                        .forEach(request::header);
            }
            status = http.send(request.build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
            if (status / 100 != 2) {
                error = "answered " + status;
            }
        } catch (WebhookTargets.Refused e) {
            error = e.getMessage();
        } catch (IOException e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        }
        int attempts = d.attempts() + 1;
        Instant answered = Instant.now();
        if (error == null) {
            update(c, d.id(), "delivered", attempts, answered, null, status, null);
            return;
        }
        Instant next = answered.plus(wait(attempts));
        boolean giveUp = next.isAfter(d.createdAt().plus(giveUpAfter));
        if (giveUp) {
            LOG.infof("Webhook delivery %d (%s) given up after %d attempts: %s", d.id(), d.event(), attempts, error);
        }
        update(c, d.id(), giveUp ? "failed" : "pending", attempts, answered, giveUp ? null : next, status, error);
    }

    /** The wait after the n-th failed attempt: the first retry doubled n-1 times, at most an hour, ±10 %. */
    Duration wait(int attempts) {
        long base = firstRetry.toMillis() << Math.min(attempts - 1, 20);
        long capped = Math.min(base, MAX_WAIT.toMillis());
        double jitter = 0.9 + 0.2 * ThreadLocalRandom.current().nextDouble();
        return Duration.ofMillis((long) (capped * jitter));
    }

    /** {@code at}: when the attempt ended (its answer, or its failure); the next one is planned from then. */
    private static void update(
            Connection c, long id, String state, int attempts, Instant at, Instant next, Integer status, String error)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("update webhook_deliveries set status = ?, attempts = ?,"
                + " last_attempt_at = ?, next_attempt_at = coalesce(?, next_attempt_at), last_status = ?, last_error = ?"
                + " where id = ?")) {
            s.setString(1, state);
            s.setInt(2, attempts);
            s.setTimestamp(3, Timestamp.from(at));
            s.setTimestamp(4, next == null ? null : Timestamp.from(next));
            if (status == null) {
                s.setNull(5, Types.INTEGER);
            } else {
                s.setInt(5, status);
            }
            s.setString(6, error == null ? null : error.length() > 300 ? error.substring(0, 300) : error);
            s.setLong(7, id);
            s.executeUpdate();
        }
    }
}
