package io.picam.relay.recording;

import io.picam.relay.config.RelayConfig;
import io.picam.relay.recording.store.FolderStore;
import io.picam.relay.recording.store.RecordingStore;
import io.picam.relay.recording.store.S3Store;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Which store the recordings go to: the S3 bucket when one is configured, else the folder
 * {@code $PICAM_DATA_DIR/recordings}, except on Heroku (whose dyno disk is wiped at least daily), where recording is
 * then off with a reason the admin page shows.
 */
@ApplicationScoped
public class RecordingStorage {

    private static final Logger LOG = Logger.getLogger(RecordingStorage.class);

    private final RecordingStore store; // null: recording is off
    private final String offReason;

    @Inject
    public RecordingStorage(RelayConfig config) {
        this(config, System.getenv());
    }

    RecordingStorage(RelayConfig config, Map<String, String> env) {
        RelayConfig.RecordingS3 s3 = config.recordingS3();
        RelayConfig.Recording recording = config.recording();
        if (s3.bucket().filter(b -> !b.isBlank()).isPresent()) {
            store = new S3Store(new S3Store.Settings(
                    s3.endpoint().filter(e -> !e.isBlank()).orElse(null),
                    s3.region(),
                    s3.bucket().get(),
                    s3.accessKeyId().orElse(null),
                    s3.secretAccessKey().orElse(null),
                    s3.prefix().orElse("")));
            offReason = null;
        } else if (env.containsKey("DYNO") && !recording.allowEphemeralDisk()) {
            store = null;
            offReason = "no S3 store is configured (PICAM_RECORDING_S3_BUCKET and the rest) and Heroku wipes the "
                    + "dyno's disk at least daily";
        } else {
            Path dir = recording
                    .dir()
                    .filter(d -> !d.isBlank())
                    .map(Path::of)
                    .orElseGet(() -> Path.of(
                            Optional.ofNullable(env.get("PICAM_DATA_DIR"))
                                    .filter(d -> !d.isBlank())
                                    .orElse("data"),
                            "recordings"));
            store = new FolderStore(dir, recording.minFree().asLongValue());
            offReason = null;
        }
        if (store != null) {
            LOG.infof("Recordings go to the %s", store.describe());
        } else {
            LOG.infof("Recording is off: %s", offReason);
        }
    }

    /** The store, or empty when recording is off on this relay. */
    public Optional<RecordingStore> store() {
        return Optional.ofNullable(store);
    }

    /** Why recording is off, or empty. */
    public Optional<String> offReason() {
        return Optional.ofNullable(offReason);
    }

    @PreDestroy
    void close() {
        if (store instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.debugf("closing the store: %s", e);
            }
        }
    }
}
