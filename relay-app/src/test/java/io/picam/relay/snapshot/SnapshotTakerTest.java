package io.picam.relay.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.picam.relay.live.JoinPointBytes;
import io.picam.relay.stream.StreamFormat;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The schedule of decodes, against a fake decoder and a hand-run executor: no ffmpeg, no clock of its own. */
class SnapshotTakerTest {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();
    private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, 1, 2};

    private final List<Runnable> queued = new ArrayList<>();
    private final Map<String, AtomicInteger> decodes = new ConcurrentHashMap<>();
    private final Map<String, JoinPointBytes> joinPoints = new ConcurrentHashMap<>();
    private final SnapshotTaker taker = new SnapshotTaker(
            (format, bytes) -> {
                decodes.computeIfAbsent(new String(bytes.toArray()), k -> new AtomicInteger())
                        .incrementAndGet();
                return JPEG;
            },
            queued::add,
            Clock.fixed(Instant.parse("2026-12-01T03:00:00Z"), ZoneOffset.UTC),
            Duration.ofSeconds(5),
            Duration.ofSeconds(60),
            2);

    @Test
    void tenDueStreamsDecodeTwoAtATimeAndOneAtATimeEach() {
        List<SnapshotTaker.Candidate> streams = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            streams.add(candidate("s" + i, false));
            newJoinPoint("s" + i, "s" + i + "-gop1");
        }

        taker.tick(streams, 0);
        assertThat(taker.running()).as("the global limit").isEqualTo(2);
        taker.tick(streams, SECOND / 2); // the next tick while both still run: nothing more starts
        assertThat(queued).hasSize(2);

        int ticks = 0;
        while (decodes.size() < 10 && ticks++ < 20) {
            runQueued();
            taker.tick(streams, SECOND * (ticks + 1));
            assertThat(taker.running()).isLessThanOrEqualTo(2);
        }
        runQueued();
        assertThat(decodes).as("every stream got its picture").hasSize(10);
        assertThat(decodes.values())
                .allSatisfy(
                        n -> assertThat(n.get()).as("one decode per join point").isEqualTo(1));
        assertThat(taker.peak()).isEqualTo(2);
        for (int i = 0; i < 10; i++) {
            assertThat(taker.latest("s" + i)).isPresent();
        }
    }

    @Test
    void watchedStreamsDueAtEveryTickDoNotKeepANeverDecodedOneWaiting() {
        // two watched streams first in the list, each with a new join point and due whenever the slots free up
        List<SnapshotTaker.Candidate> streams =
                List.of(candidate("a", true), candidate("b", true), candidate("late", false));
        newJoinPoint("late", "late-1");
        for (int round = 0; round < 5 && !decodes.containsKey("late-1"); round++) {
            newJoinPoint("a", "a-" + round);
            newJoinPoint("b", "b-" + round);
            taker.tick(streams, round * 6 * SECOND);
            runQueued();
        }
        assertThat(decodes).as("the stream that never had a picture got a slot").containsKey("late-1");
    }

    @Test
    void aWatchedStreamIsDecodedAgainAfterTheActiveIntervalAnIdleOneAfterTheIdleInterval() {
        List<SnapshotTaker.Candidate> streams = List.of(candidate("watched", true), candidate("idle", false));
        newJoinPoint("watched", "w1");
        newJoinPoint("idle", "i1");
        taker.tick(streams, 0);
        runQueued();

        newJoinPoint("watched", "w2");
        newJoinPoint("idle", "i2");
        taker.tick(streams, 4 * SECOND);
        assertThat(queued).as("within the active interval").isEmpty();
        taker.tick(streams, 5 * SECOND);
        runQueued();
        assertThat(decodes).containsKey("w2").doesNotContainKey("i2");

        taker.tick(streams, 59 * SECOND);
        runQueued();
        assertThat(decodes).doesNotContainKey("i2");
        taker.tick(streams, 60 * SECOND);
        runQueued();
        assertThat(decodes).containsKey("i2");
    }

    @Test
    void aStreamInAnOpenCameraListCountsAsWatched() {
        List<SnapshotTaker.Candidate> streams = List.of(candidate("listed", false));
        newJoinPoint("listed", "l1");
        taker.tick(streams, 0);
        runQueued();
        newJoinPoint("listed", "l2");

        assertThat(taker.wanted("listed", 2 * SECOND)).as("the first picture").isPresent();
        taker.tick(streams, 5 * SECOND);
        runQueued();
        assertThat(decodes).containsKey("l2");

        newJoinPoint("listed", "l3"); // nobody asked for 30 s: back to the idle interval
        taker.tick(streams, 40 * SECOND);
        runQueued();
        assertThat(decodes).doesNotContainKey("l3");
    }

    @Test
    void noNewJoinPointNoNewDecode() {
        List<SnapshotTaker.Candidate> streams = List.of(candidate("still", true));
        newJoinPoint("still", "gop");
        taker.tick(streams, 0);
        runQueued();
        taker.tick(streams, 10 * SECOND);
        assertThat(queued).isEmpty();
        assertThat(decodes.get("gop").get()).isEqualTo(1);
    }

    @Test
    void aPictureNotYetWholeIsTriedAgainAtTheNextTick() {
        AtomicInteger calls = new AtomicInteger();
        SnapshotTaker partial = new SnapshotTaker(
                (format, bytes) -> calls.incrementAndGet() < 2 ? null : JPEG,
                queued::add,
                Clock.systemUTC(),
                Duration.ofSeconds(5),
                Duration.ofSeconds(60),
                2);
        newJoinPoint("s", "gop");
        List<SnapshotTaker.Candidate> streams = List.of(candidate("s", false));
        partial.tick(streams, 0);
        runQueued();
        assertThat(partial.latest("s")).isEmpty();
        partial.tick(streams, SECOND);
        runQueued();
        assertThat(partial.latest("s")).isPresent();
    }

    @Test
    void aFailedDecodeFreesItsSlotAndKeepsTheLastPicture() {
        AtomicInteger calls = new AtomicInteger();
        SnapshotTaker failing = new SnapshotTaker(
                (format, bytes) -> {
                    if (calls.incrementAndGet() > 1) {
                        throw new IOException("ffmpeg made no JPEG");
                    }
                    return JPEG;
                },
                queued::add,
                Clock.systemUTC(),
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                1);
        List<SnapshotTaker.Candidate> streams = List.of(candidate("s", true));
        newJoinPoint("s", "one");
        failing.tick(streams, 0);
        runQueued();
        newJoinPoint("s", "two");
        failing.tick(streams, 2 * SECOND);
        runQueued();
        assertThat(failing.running()).isZero();
        assertThat(failing.latest("s")).as("the last good picture").isPresent();
        newJoinPoint("s", "three");
        failing.tick(streams, 4 * SECOND);
        assertThat(queued).as("the slot is free again").hasSize(1);
    }

    private SnapshotTaker.Candidate candidate(String id, boolean watched) {
        return new SnapshotTaker.Candidate(
                id, StreamFormat.FMP4, watched, () -> Optional.ofNullable(joinPoints.get(id)));
    }

    private void newJoinPoint(String id, String content) {
        joinPoints.put(id, new JoinPointBytes(null, List.of(Buffer.buffer(content))));
    }

    private void runQueued() {
        List<Runnable> now = new ArrayList<>(queued);
        queued.clear();
        now.forEach(Runnable::run);
    }
}
