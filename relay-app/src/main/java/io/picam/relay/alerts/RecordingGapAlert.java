package io.picam.relay.alerts;

import io.picam.relay.recording.RecordingGap;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * {@code recording.gap}, queued when a stream's recording resumes after segments were dropped. Only the instance that
 * records a stream (the one holding its upload) sees its gaps, and the event key (stream and start of the gap) makes a
 * second queueing of the same gap a no-op: delivered once.
 */
@ApplicationScoped
public class RecordingGapAlert {

    private static final Logger LOG = Logger.getLogger(RecordingGapAlert.class);

    private final DataSource db;
    private final WebhookSender sender;

    public RecordingGapAlert(DataSource db, WebhookSender sender) {
        this.db = db;
        this.sender = sender;
    }

    /** Runs on a worker thread (the uploader fires it there). */
    void recordingGap(@Observes RecordingGap gap) {
        try (Connection c = db.getConnection()) {
            String key = WebhookStore.key(AlertEvent.RECORDING_GAP, gap.streamId(), gap.start());
            if (WebhookStore.enqueue(c, AlertEvent.RECORDING_GAP, key, gap.end(), gap.streamId(), gap) > 0) {
                sender.wake();
            }
        } catch (SQLException e) {
            LOG.warnf("recording.gap of stream %s not queued: %s", gap.streamId(), e.getMessage());
        }
    }
}
