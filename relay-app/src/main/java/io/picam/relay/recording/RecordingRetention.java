package io.picam.relay.recording;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.picam.relay.config.RelayConfig;
import io.picam.relay.recording.store.RecordingStore;
import io.picam.relay.recording.store.StoreException;
import io.picam.relay.stream.StreamDeleted;
import io.quarkus.runtime.Startup;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Keeps the store within its limits, every {@code picam.recording.retention-interval} on one instance at a time
 * (a {@link RetentionLock} in Redis, when there is one): deletes segments older than their stream's retention days,
 * the oldest beyond its size cap, the oldest of all while the folder store is below its free-space floor, and
 * objects without an index row (left by a crash between object and row). A row is always deleted before its object.
 * A deleted stream's objects go at once (its rows went with it).
 */
@Startup // its timers run from the start, not from first use
@ApplicationScoped
public class RecordingRetention {

    private static final Logger LOG = Logger.getLogger(RecordingRetention.class);
    private static final int BATCH = 200;
    /** An object this young may be waiting for its row: the sweeper leaves it alone. */
    static final Duration ORPHAN_GRACE = Duration.ofMinutes(10);

    /** What one run deleted. */
    public record Outcome(int byAge, int bySize, int byFloor, int orphans) {}

    private final RecordingStorage storage;
    private final RecordingIndex index;
    private final RetentionLock lock;
    private final Vertx vertx;
    private final MeterRegistry metrics;
    private final Duration interval;
    private final AtomicInteger belowFloor = new AtomicInteger();
    private final Map<String, AtomicLong> storedBytes = new ConcurrentHashMap<>();
    private long timerId = -1;
    private long firstId = -1;

    public RecordingRetention(
            RecordingStorage storage,
            RecordingIndex index,
            RetentionLock lock,
            Vertx vertx,
            RelayConfig config,
            MeterRegistry metrics) {
        this.storage = storage;
        this.index = index;
        this.lock = lock;
        this.vertx = vertx;
        this.metrics = metrics;
        this.interval = config.recording().retentionInterval();
        Gauge.builder("picam.recording.below.floor", belowFloor, AtomicInteger::get)
                .description(
                        "1 while the recordings folder's disk is below its free-space floor: not writing, deleting the oldest")
                .register(metrics);
    }

    @PostConstruct
    void start() {
        if (storage.store().isEmpty()) {
            return;
        }
        firstId = vertx.setTimer(20_000, id -> runLater());
        timerId = vertx.setPeriodic(interval.toMillis(), id -> runLater());
    }

    @PreDestroy
    void stop() {
        vertx.cancelTimer(firstId);
        vertx.cancelTimer(timerId);
    }

    private void runLater() {
        vertx.executeBlocking(
                        () -> {
                            if (lock.tryAcquire(interval)) {
                                run(Instant.now());
                            }
                            return null;
                        },
                        false)
                .onFailure(e -> LOG.infof("Recording retention skipped: %s", e.toString()));
    }

    /** One pass; blocking. */
    public Outcome run(Instant now) {
        RecordingStore store = storage.store().orElse(null);
        if (store == null) {
            return new Outcome(0, 0, 0, 0);
        }
        int byAge = 0;
        int bySize = 0;
        for (var entry : index.allSettings().entrySet()) {
            String streamId = entry.getKey();
            RecordingIndex.Settings settings = entry.getValue();
            if (settings.retentionDays() != null) {
                Instant before = now.minus(Duration.ofDays(settings.retentionDays()));
                List<RecordedSegment> old;
                while (!(old = index.endedBefore(streamId, before, BATCH)).isEmpty()) {
                    byAge += delete(store, old);
                }
            }
            if (settings.retentionBytes() != null) {
                long excess = index.storedBytes(streamId) - settings.retentionBytes();
                while (excess > 0) {
                    List<RecordedSegment> oldest = index.oldest(streamId, BATCH);
                    if (oldest.isEmpty()) {
                        break;
                    }
                    long before = excess;
                    for (RecordedSegment s : oldest) {
                        if (excess <= 0) {
                            break;
                        }
                        bySize += delete(store, List.of(s));
                        excess -= s.bytes;
                    }
                    if (excess == before) {
                        break;
                    }
                }
            }
        }
        int byFloor = 0;
        while (store.belowFloor()) {
            belowFloor.set(1);
            List<RecordedSegment> oldest = index.oldestOfAll(20);
            if (oldest.isEmpty()) {
                break;
            }
            byFloor += delete(store, oldest);
        }
        belowFloor.set(store.belowFloor() ? 1 : 0);
        if (byFloor > 0) {
            LOG.warnf(
                    "Recordings: the disk of the %s was below its free-space floor; deleted the %d oldest segments",
                    store.describe(), byFloor);
        }
        int orphans = sweepOrphans(store, now);
        updateStoredBytes();
        if (byAge + bySize + orphans > 0) {
            LOG.infof(
                    "Recording retention: deleted %d segments by age, %d by size, %d objects without a row",
                    byAge, bySize, orphans);
        }
        return new Outcome(byAge, bySize, byFloor, orphans);
    }

    /** True while the folder store refuses to write for lack of free space, as of the last check. */
    public boolean belowFloor() {
        return belowFloor.get() == 1
                || storage.store().map(RecordingStore::belowFloor).orElse(false);
    }

    private int delete(RecordingStore store, List<RecordedSegment> rows) {
        int deleted = 0;
        for (RecordedSegment row : rows) {
            if (index.remove(row.id)) {
                deleted++;
                try {
                    store.delete(row.storageKey);
                } catch (StoreException e) {
                    LOG.debugf("Object %s stays for the orphan sweeper: %s", row.storageKey, e.getMessage());
                }
            }
        }
        return deleted;
    }

    private int sweepOrphans(RecordingStore store, Instant now) {
        long cutoff = now.minus(ORPHAN_GRACE).toEpochMilli();
        List<String> candidates = store.list("").stream()
                .map(RecordingStore.StoredObject::key)
                .filter(key -> {
                    long start = SegmentUploader.startMillis(key);
                    return start >= 0 && start < cutoff;
                })
                .toList();
        Set<String> known = index.knownKeys(candidates);
        int deleted = 0;
        for (String key : candidates) {
            if (!known.contains(key)) {
                store.delete(key);
                deleted++;
            }
        }
        return deleted;
    }

    private void updateStoredBytes() {
        Map<String, Long> now = index.storedBytesByStream();
        storedBytes.forEach((stream, gauge) -> gauge.set(now.getOrDefault(stream, 0L)));
        now.forEach((stream, bytes) -> storedBytes
                .computeIfAbsent(stream, s -> {
                    AtomicLong gauge = new AtomicLong();
                    Gauge.builder("picam.recording.stored.bytes", gauge, AtomicLong::get)
                            .tag("stream", s)
                            .description("Bytes of recordings in the store, per stream")
                            .register(metrics);
                    return gauge;
                })
                .set(bytes));
    }

    /** The stream's rows went with it (on delete cascade); its objects go now, off the caller's thread. */
    void streamDeleted(@Observes(during = TransactionPhase.AFTER_SUCCESS) StreamDeleted event) {
        RecordingStore store = storage.store().orElse(null);
        if (store == null || event.remote()) {
            return;
        }
        vertx.executeBlocking(
                        () -> {
                            int n = 0;
                            for (RecordingStore.StoredObject object : store.list(event.streamId() + "/")) {
                                store.delete(object.key());
                                n++;
                            }
                            if (n > 0) {
                                LOG.infof("Deleted the %d recorded segments of deleted stream %s", n, event.streamId());
                            }
                            return null;
                        },
                        false)
                .onFailure(e -> LOG.infof(
                        "Recordings of deleted stream %s left for the orphan sweeper: %s",
                        event.streamId(), e.toString()));
    }
}
