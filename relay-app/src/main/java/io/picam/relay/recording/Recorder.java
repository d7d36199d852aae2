package io.picam.relay.recording;

import io.picam.media.MediaSegment;
import io.picam.relay.config.RelayConfig;
import io.picam.relay.ingest.MediaTap;
import io.picam.relay.stream.StreamFormat;
import io.quarkus.runtime.Startup;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Records the streams whose publisher is connected to this instance (so that several instances never record the
 * same stream twice): each publisher connection gets a {@link SegmentCutter} whose segments go to the
 * {@link SegmentUploader}. Which streams are recorded is read from the database every {@link #REFRESH} (and at
 * once when changed on this instance), so the event loop never waits for it.
 */
@Startup // its timers run from the start, not from first use
@ApplicationScoped
public class Recorder implements MediaTap {

    private static final Logger LOG = Logger.getLogger(Recorder.class);
    static final Duration REFRESH = Duration.ofSeconds(15);

    private final RecordingStorage storage;
    private final RecordingIndex index;
    private final SegmentUploader uploader;
    private final Vertx vertx;
    private final Duration length;
    private final long maxSegmentBytes;
    private final Map<String, Boolean> enabled = new ConcurrentHashMap<>();
    private long timerId = -1;

    public Recorder(
            RecordingStorage storage, RecordingIndex index, SegmentUploader uploader, Vertx vertx, RelayConfig config) {
        this.storage = storage;
        this.index = index;
        this.uploader = uploader;
        this.vertx = vertx;
        this.length = config.recording().segment();
        // a segment never holds more than the upload queue could take
        this.maxSegmentBytes = Math.max(1, config.recording().queueLimit().asLongValue() / 2);
    }

    @PostConstruct
    void start() {
        if (storage.store().isEmpty()) {
            return;
        }
        refresh();
        timerId = vertx.setPeriodic(REFRESH.toMillis(), id -> refresh());
    }

    @PreDestroy
    void stop() {
        vertx.cancelTimer(timerId);
    }

    private void refresh() {
        vertx.executeBlocking(
                        () -> {
                            Map<String, RecordingIndex.Settings> all = index.allSettings();
                            enabled.keySet().retainAll(all.keySet());
                            all.forEach((stream, settings) -> enabled.put(stream, settings.enabled()));
                            return null;
                        },
                        false)
                .onFailure(e -> LOG.debugf("Recording settings not refreshed: %s", e.toString()));
    }

    /** Called after a change on this instance, so it takes effect at the next join point. */
    public void settingsChanged(String streamId, boolean on) {
        enabled.put(streamId, on);
    }

    boolean recording(String streamId) {
        return storage.store().isPresent() && enabled.getOrDefault(streamId, false);
    }

    @Override
    public Session open(String streamId, StreamFormat format) {
        SegmentCutter cutter = new SegmentCutter(
                streamId,
                format,
                length,
                maxSegmentBytes,
                InstantSource.system(),
                () -> recording(streamId),
                uploader::offer);
        return new Session() {
            private boolean closed;

            @Override
            public void accept(MediaSegment segment) {
                if (!closed) {
                    cutter.accept(segment);
                }
            }

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    cutter.close();
                }
            }
        };
    }
}
