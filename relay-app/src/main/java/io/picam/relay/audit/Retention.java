package io.picam.relay.audit;

import io.picam.relay.account.LoginSessions;
import io.picam.relay.config.RelayConfig;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * What the relay keeps, and for how long: audit entries older than {@code picam.audit.retention} and sessions past
 * their lifetime are deleted every hour (and once shortly after start), so neither table grows for ever. Running
 * it on several instances at once is harmless: each delete is idempotent.
 */
@ApplicationScoped
public class Retention {

    private static final Logger LOG = Logger.getLogger(Retention.class);
    static final Duration EVERY = Duration.ofHours(1);

    private final AuditLog audit;
    private final LoginSessions sessions;
    private final Duration auditRetention;
    private final Vertx vertx;
    private long timerId = -1;
    private long firstId = -1;

    public Retention(AuditLog audit, LoginSessions sessions, RelayConfig config, Vertx vertx) {
        this.audit = audit;
        this.sessions = sessions;
        this.auditRetention = config.audit().retention();
        this.vertx = vertx;
    }

    @PostConstruct
    void start() {
        firstId = vertx.setTimer(Duration.ofSeconds(30).toMillis(), id -> runLater());
        timerId = vertx.setPeriodic(EVERY.toMillis(), id -> runLater());
    }

    @PreDestroy
    void stop() {
        vertx.cancelTimer(firstId);
        vertx.cancelTimer(timerId);
    }

    private void runLater() {
        vertx.executeBlocking(
                () -> {
                    run();
                    return null;
                },
                false);
    }

    /** Deletes what is past its time; returns the audit entries deleted. */
    public long run() {
        try {
            long entries = audit.deleteOlderThan(Instant.now().minus(auditRetention));
            long ended = sessions.sweep();
            if (entries > 0 || ended > 0) {
                LOG.infof(
                        "Retention: deleted %d audit entries older than %s and %d sessions past their lifetime",
                        entries, auditRetention, ended);
            }
            return entries;
        } catch (RuntimeException e) {
            LOG.debugf("Retention skipped: %s", e.toString()); // the database is away; next hour
            return 0;
        }
    }
}
