package io.picam.relay.alerts;

import io.picam.relay.stream.SecretRotated;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * {@code camera.secret_rotated}, queued by the instance where the rotation was made (the cluster repeats the event
 * on the others with {@code remote} set: they leave it, so it is delivered once).
 */
@ApplicationScoped
public class SecretRotationAlert {

    private static final Logger LOG = Logger.getLogger(SecretRotationAlert.class);

    private final DataSource db;
    private final Vertx vertx;
    private final WebhookSender sender;

    public SecretRotationAlert(DataSource db, Vertx vertx, WebhookSender sender) {
        this.db = db;
        this.vertx = vertx;
        this.sender = sender;
    }

    void secretRotated(@Observes(during = TransactionPhase.AFTER_SUCCESS) SecretRotated event) {
        if (event.remote()) {
            return;
        }
        Instant at = Instant.now();
        // on a worker: this observer's thread still holds the finished transaction
        vertx.executeBlocking(
                () -> {
                    try (Connection c = db.getConnection()) {
                        String key = WebhookStore.key(AlertEvent.CAMERA_SECRET_ROTATED, event.streamId(), at);
                        if (WebhookStore.enqueue(c, AlertEvent.CAMERA_SECRET_ROTATED, key, at, event.streamId()) > 0) {
                            sender.wake();
                        }
                    } catch (SQLException e) {
                        LOG.warnf(
                                "camera.secret_rotated of stream %s not queued: %s", event.streamId(), e.getMessage());
                    }
                    return null;
                },
                false);
    }
}
