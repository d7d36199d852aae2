package io.picam.relay.snapshot;

import io.picam.relay.live.JoinPointBytes;
import io.picam.relay.stream.StreamFormat;
import io.vertx.core.buffer.Buffer;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Decides when each live stream's picture is decoded again, and keeps the latest one per stream (one JPEG each,
 * in memory: after a restart they come back with the next join point). Called once a second with the live streams;
 * a stream is decoded again after the active interval while it is watched (viewers, or someone's camera list asks
 * for its picture), after the idle interval otherwise, and only when a newer join point has arrived. Never two
 * decodes of one stream at once, and never more than the global limit together: a stream that finds no free slot
 * waits for a later tick, at which the stream whose picture is oldest goes first.
 */
final class SnapshotTaker {

    private static final Logger LOG = Logger.getLogger(SnapshotTaker.class);
    /** A camera list asks for pictures every few seconds; this long after the last ask, nobody is looking. */
    static final Duration WANTED_FOR = Duration.ofSeconds(30);

    private static final long NEVER = Long.MIN_VALUE;

    /** Makes a JPEG of the first picture; null when the bytes do not hold a whole picture yet. */
    interface Decoder {
        byte[] decode(StreamFormat format, JoinPointBytes bytes) throws Exception;
    }

    /** A live stream: whether it has viewers, and how to read its latest join point (only read when due). */
    record Candidate(String streamId, StreamFormat format, boolean watched, Supplier<Optional<JoinPointBytes>> bytes) {}

    private final Decoder decoder;
    private final Executor executor;
    private final Clock clock;
    private final long activeNanos;
    private final long idleNanos;
    private final Semaphore slots;
    private final Map<String, State> states = new ConcurrentHashMap<>();
    private final Map<String, Snapshot> latest = new ConcurrentHashMap<>();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();

    SnapshotTaker(Decoder decoder, Executor executor, Clock clock, Duration active, Duration idle, int maxConcurrent) {
        this.decoder = decoder;
        this.executor = executor;
        this.clock = clock;
        this.activeNanos = active.toNanos();
        this.idleNanos = idle.toNanos();
        this.slots = new Semaphore(Math.max(1, maxConcurrent));
    }

    void tick(Collection<Candidate> live, long nowNanos) {
        // the oldest picture first (never decoded before all): with more streams due than slots, those that come
        // first in the list would otherwise take the slots at every tick and a stream further down would wait for ever
        List<Candidate> oldestFirst = live.stream()
                .sorted(Comparator.comparingLong(
                        c -> states.computeIfAbsent(c.streamId(), id -> new State()).decodedAt))
                .toList();
        for (Candidate candidate : oldestFirst) {
            State state = states.computeIfAbsent(candidate.streamId(), id -> new State());
            boolean active = candidate.watched() || state.wantedSince(nowNanos) < WANTED_FOR.toNanos();
            long every = active ? activeNanos : idleNanos;
            if (state.busy.get() || (state.decodedAt != NEVER && nowNanos - state.decodedAt < every)) {
                continue;
            }
            Optional<JoinPointBytes> bytes = candidate.bytes().get();
            if (bytes.isEmpty() || bytes.get().joinPoint() == state.joinPoint) {
                continue; // nothing new to see since the last picture
            }
            if (!slots.tryAcquire()) {
                return; // the global limit: the others wait for the next tick
            }
            state.busy.set(true);
            int now = running.incrementAndGet();
            peak.accumulateAndGet(now, Math::max);
            decode(candidate, bytes.get(), state, nowNanos);
        }
    }

    private void decode(Candidate candidate, JoinPointBytes bytes, State state, long nowNanos) {
        try {
            executor.execute(() -> {
                try {
                    byte[] jpeg = decoder.decode(candidate.format(), bytes);
                    if (jpeg != null) {
                        latest.put(candidate.streamId(), Snapshot.of(jpeg, clock.instant()));
                        state.joinPoint = bytes.joinPoint();
                        state.decodedAt = nowNanos;
                    }
                } catch (Exception e) {
                    state.decodedAt = nowNanos; // not again at once: the next try after the interval
                    LOG.debugf("No snapshot of stream %s: %s", candidate.streamId(), e.getMessage());
                } finally {
                    done(state);
                }
            });
        } catch (RuntimeException rejected) {
            done(state);
        }
    }

    private void done(State state) {
        running.decrementAndGet();
        state.busy.set(false);
        slots.release();
    }

    /** The latest picture of the stream; counts as someone looking at it. */
    Optional<Snapshot> wanted(String streamId, long nowNanos) {
        states.computeIfAbsent(streamId, id -> new State()).wantedAt = nowNanos;
        return Optional.ofNullable(latest.get(streamId));
    }

    Optional<Snapshot> latest(String streamId) {
        return Optional.ofNullable(latest.get(streamId));
    }

    void forget(String streamId) {
        states.remove(streamId);
        latest.remove(streamId);
    }

    /** Decodes running now. */
    int running() {
        return running.get();
    }

    /** The most decodes that ever ran at once. */
    int peak() {
        return peak.get();
    }

    private static final class State {
        final AtomicBoolean busy = new AtomicBoolean();
        volatile long decodedAt = NEVER;
        volatile long wantedAt = NEVER;
        /** The join point of the latest picture: held only to compare identity. */
        volatile Buffer joinPoint;

        long wantedSince(long nowNanos) {
            return wantedAt == NEVER ? Long.MAX_VALUE : nowNanos - wantedAt;
        }
    }
}
