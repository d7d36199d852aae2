package io.picam.relay.recording;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.picam.relay.audit.AuditLog;
import io.picam.relay.config.RelayConfig;
import io.picam.relay.recording.store.RecordingStore;
import io.picam.relay.recording.store.StoreException;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Stores finished segments, off the event loops, one at a time: the object first, then its index row. Segments
 * wait in a queue bounded in bytes; while the store is slow or away the oldest one is retried with backoff, and a
 * segment that finds the queue full is dropped: a gap, counted, logged once and written to the audit log when it
 * starts. Recording resumes by itself when the store answers again, and the gap is then told as a
 * {@link RecordingGap} (with its start and end). Live viewing never waits for any of this.
 */
@ApplicationScoped
public class SegmentUploader {

    private static final Logger LOG = Logger.getLogger(SegmentUploader.class);
    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final long MAX_BACKOFF_MILLIS = 10_000;

    private final RecordingStorage storage;
    private final RecordingIndex index;
    private final AuditLog audit;
    private final Vertx vertx;
    private final MeterRegistry metrics;
    private final long limit;
    private final LinkedBlockingQueue<FinishedSegment> queue = new LinkedBlockingQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    /** Streams whose segments are being dropped, with where the first dropped one began. */
    private final Map<String, Instant> inGap = new ConcurrentHashMap<>();

    private final Event<RecordingGap> gaps;
    private final Timer uploads;
    private final Counter failures;
    private volatile boolean running = true;
    private Thread worker;

    public SegmentUploader(
            RecordingStorage storage,
            RecordingIndex index,
            AuditLog audit,
            Vertx vertx,
            RelayConfig config,
            MeterRegistry metrics,
            Event<RecordingGap> gaps) {
        this.storage = storage;
        this.gaps = gaps;
        this.index = index;
        this.audit = audit;
        this.vertx = vertx;
        this.metrics = metrics;
        this.limit = config.recording().queueLimit().asLongValue();
        this.uploads = Timer.builder("picam.recording.upload")
                .description("Time to store one segment, object and index row")
                .register(metrics);
        this.failures = Counter.builder("picam.recording.failures")
                .description("Attempts to store a segment that failed (each is retried while the queue has room)")
                .register(metrics);
        Gauge.builder("picam.recording.queued.bytes", queuedBytes, AtomicLong::get)
                .description("Bytes of finished segments waiting for the store")
                .register(metrics);
    }

    @PostConstruct
    void start() {
        worker = new Thread(this::run, "picam-recording-uploads");
        worker.setDaemon(true);
        worker.start();
    }

    @PreDestroy
    void stop() {
        running = false;
        worker.interrupt();
    }

    /** Takes a finished segment; never blocks. Drops it (a gap) when the queue's bytes would pass the limit. */
    void offer(FinishedSegment segment) {
        if (queuedBytes.addAndGet(segment.bytes()) > limit) {
            queuedBytes.addAndGet(-segment.bytes());
            dropped(segment);
            return;
        }
        Instant gapStart = inGap.remove(segment.streamId());
        if (gapStart != null) {
            LOG.infof("Recording of stream %s resumes at %s", segment.streamId(), segment.start());
            RecordingGap gap = new RecordingGap(segment.streamId(), gapStart, segment.start());
            vertx.executeBlocking(
                    () -> {
                        gaps.fire(gap); // observers write to the database: off the event loop
                        return null;
                    },
                    false);
        }
        queue.add(segment);
    }

    long queuedBytes() {
        return queuedBytes.get();
    }

    private void dropped(FinishedSegment segment) {
        Counter.builder("picam.recording.dropped.segments")
                .tag("stream", segment.streamId())
                .description("Segments dropped because the store did not keep up")
                .register(metrics)
                .increment();
        if (inGap.putIfAbsent(segment.streamId(), segment.start()) == null) {
            Counter.builder("picam.recording.gaps")
                    .tag("stream", segment.streamId())
                    .description("Gaps in the recordings: runs of segments dropped because the store did not keep up")
                    .register(metrics)
                    .increment();
            String detail = "gap from " + segment.start() + ": the store did not keep up (" + queuedBytes.get()
                    + " bytes waiting)";
            LOG.warnf("Recording of stream %s: %s", segment.streamId(), detail);
            vertx.executeBlocking(
                    () -> {
                        audit.record("relay", AuditLog.Action.RECORDING_GAP, segment.streamId(), detail, null);
                        return null;
                    },
                    false);
        }
    }

    private void run() {
        long backoff = 0;
        FinishedSegment current = null; // still counted in queuedBytes until it is done with
        while (running) {
            try {
                if (current == null) {
                    current = queue.poll(1, TimeUnit.SECONDS);
                    continue;
                }
                if (store(current)) {
                    queuedBytes.addAndGet(-current.bytes());
                    current = null;
                    backoff = 0;
                } else {
                    backoff = Math.min(MAX_BACKOFF_MILLIS, backoff == 0 ? 250 : backoff * 2);
                    Thread.sleep(ThreadLocalRandom.current().nextLong(backoff / 2, backoff + 1));
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.errorf(e, "Recording upload failed unexpectedly");
            }
        }
    }

    /** True when the segment is done with (stored, or no longer wanted); false to retry it. */
    private boolean store(FinishedSegment segment) {
        RecordingStore store = storage.store().orElse(null);
        if (store == null) {
            return true;
        }
        String key = key(segment);
        Timer.Sample sample = Timer.start(metrics);
        try {
            store.put(key, segment.content(), segment.bytes());
        } catch (StoreException e) {
            failures.increment();
            LOG.debugf("Storing %s failed: %s", key, e.getMessage());
            return false;
        }
        try {
            index.add(segment, key);
        } catch (RuntimeException e) {
            // the stream was deleted meanwhile, or the database is away: the object must not stay without a row
            failures.increment();
            LOG.infof("Segment %s not indexed (%s); deleting its object", key, e.getMessage());
            try {
                store.delete(key);
            } catch (StoreException ignored) {
                // the orphan sweeper removes it
            }
            return true;
        }
        sample.stop(uploads);
        Counter.builder("picam.recording.segments")
                .tag("stream", segment.streamId())
                .description("Segments recorded")
                .register(metrics)
                .increment();
        Counter.builder("picam.recording.bytes")
                .tag("stream", segment.streamId())
                .description("Bytes recorded")
                .register(metrics)
                .increment(segment.bytes());
        return true;
    }

    /** {@code stream/day/startmillis-random.ext}: the start in the name lets the orphan sweeper judge an object's age. */
    static String key(FinishedSegment segment) {
        return segment.streamId() + "/" + DAY.format(segment.start()) + "/"
                + segment.start().toEpochMilli() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16) + "." + segment.extension();
    }

    /** The start of a segment from its key, or -1 when the key is not one of ours. */
    static long startMillis(String key) {
        int slash = key.lastIndexOf('/');
        int dash = key.indexOf('-', slash + 1);
        if (slash < 0 || dash < 0) {
            return -1;
        }
        try {
            return Long.parseLong(key.substring(slash + 1, dash));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
