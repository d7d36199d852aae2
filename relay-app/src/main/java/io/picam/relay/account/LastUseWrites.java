package io.picam.relay.account;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * "Last seen" of sessions and "last used" of tokens, written in batches: a use is noted in memory and every few
 * seconds all noted uses are written with one statement per table. A thousand viewers coming back at once so cost
 * two updates, not a thousand. A batch is stamped with its latest use, so a time may be late by the batch interval,
 * never early (no login lives shorter for it); a failed write (the database away) is retried with the next batch.
 */
@ApplicationScoped
public class LastUseWrites {

    private static final Logger LOG = Logger.getLogger(LastUseWrites.class);
    static final Duration EVERY = Duration.ofSeconds(5);
    private static final int CHUNK = 1000; // ids per statement, far below PostgreSQL's parameter limit

    private final Map<Long, Instant> sessions = new ConcurrentHashMap<>();
    private final Map<Long, Instant> tokens = new ConcurrentHashMap<>();
    private final Vertx vertx;
    private long timerId = -1;

    public LastUseWrites(Vertx vertx) {
        this.vertx = vertx;
    }

    @PostConstruct
    void start() {
        timerId = vertx.setPeriodic(EVERY.toMillis(), id -> {
            if (!sessions.isEmpty() || !tokens.isEmpty()) {
                vertx.executeBlocking(
                        () -> {
                            flush();
                            return null;
                        },
                        false);
            }
        });
    }

    @PreDestroy
    void stop() {
        vertx.cancelTimer(timerId);
        flush();
    }

    void sessionSeen(long id, Instant at) {
        sessions.merge(id, at, LastUseWrites::later);
    }

    void tokenUsed(long id, Instant at) {
        tokens.merge(id, at, LastUseWrites::later);
    }

    /** Writes what was noted since the last time (blocking). */
    public void flush() {
        write(sessions, "update LoginSession set lastSeenAt = ?1 where id in ?2 and lastSeenAt < ?1");
        write(
                tokens,
                "update AccessToken set lastUsedAt = ?1 where id in ?2 and (lastUsedAt is null or lastUsedAt < ?1)");
    }

    private void write(Map<Long, Instant> noted, String update) {
        if (noted.isEmpty()) {
            return;
        }
        Map<Long, Instant> batch = new HashMap<>(noted);
        Instant at = batch.values().stream().max(Instant::compareTo).orElseThrow();
        List<Long> ids = List.copyOf(batch.keySet());
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                for (int from = 0; from < ids.size(); from += CHUNK) {
                    LoginSession.getEntityManager()
                            .createQuery(update)
                            .setParameter(1, at)
                            .setParameter(2, ids.subList(from, Math.min(ids.size(), from + CHUNK)))
                            .executeUpdate();
                }
            });
            batch.forEach(noted::remove); // remove(key, value): a newer use noted meanwhile stays for the next batch
        } catch (RuntimeException e) {
            LOG.debugf("Last-use times not written now (%s); the next batch tries again", e.toString());
        }
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
