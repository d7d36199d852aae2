package io.picam.relay.recording;

import static org.assertj.core.api.Assertions.assertThat;

import io.picam.media.MediaSegment;
import io.picam.media.MediaSegment.Kind;
import io.picam.relay.stream.StreamFormat;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Cutting at join points, against a fake clock: segments meet, start playable, and a new init starts anew. */
class SegmentCutterTest {

    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final InstantSource clock = () -> now;
    private final List<FinishedSegment> done = new ArrayList<>();
    private final AtomicBoolean on = new AtomicBoolean(true);

    private SegmentCutter cutter(StreamFormat format) {
        return new SegmentCutter("s", format, Duration.ofSeconds(10), 1_000_000, clock, on::get, done::add);
    }

    private static MediaSegment seg(Kind kind, int size, int fill) {
        byte[] data = new byte[size];
        Arrays.fill(data, (byte) fill);
        return new MediaSegment(kind, data);
    }

    private void at(int seconds) {
        now = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(seconds);
    }

    @Test
    void mpegtsIsCutAtTheFirstJoinPointAfterTheLengthAndSegmentsMeet() {
        SegmentCutter c = cutter(StreamFormat.MPEGTS);
        c.accept(seg(Kind.CONTINUATION, 10, 9)); // before any join point: not recorded
        for (int s = 0; s <= 24; s++) {
            at(s);
            c.accept(seg(s % 4 == 0 ? Kind.JOIN : Kind.CONTINUATION, 100, s));
        }
        c.close();
        assertThat(done).hasSize(3);
        assertThat(done.get(0).start()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(done.get(0).end()).isEqualTo(Instant.parse("2026-01-01T00:00:12Z"));
        assertThat(done.get(1).start()).isEqualTo(done.get(0).end());
        assertThat(done.get(1).end()).isEqualTo(Instant.parse("2026-01-01T00:00:24Z"));
        assertThat(done.get(2).start()).isEqualTo(done.get(1).end());
        assertThat(done.get(0).bytes()).isEqualTo(12 * 100);
        assertThat(done.get(0).parts().get(0)[0])
                .as("starts with the join point")
                .isEqualTo((byte) 0);
        assertThat(done.get(1).parts().get(0)[0]).isEqualTo((byte) 12);
    }

    @Test
    void fmp4SegmentsEachBeginWithTheInitSegmentAndANewInitStartsANewSegment() {
        SegmentCutter c = cutter(StreamFormat.FMP4);
        c.accept(seg(Kind.JOIN, 50, 1)); // no init yet: unplayable, not recorded
        c.accept(seg(Kind.INIT, 30, 7));
        at(1);
        c.accept(seg(Kind.JOIN, 50, 2));
        at(2);
        c.accept(seg(Kind.CONTINUATION, 50, 3));
        at(3);
        c.accept(seg(Kind.INIT, 40, 8)); // the camera restarted with other settings
        at(4);
        c.accept(seg(Kind.JOIN, 50, 4));
        at(5);
        c.close();
        assertThat(done).hasSize(2);
        assertThat(done.get(0).parts().get(0)[0]).isEqualTo((byte) 7);
        assertThat(done.get(0).initSize()).isEqualTo(30);
        assertThat(done.get(0).bytes()).isEqualTo(130);
        assertThat(done.get(0).end()).isEqualTo(Instant.parse("2026-01-01T00:00:03Z"));
        assertThat(done.get(1).parts().get(0)[0]).isEqualTo((byte) 8);
        assertThat(done.get(1).initHash()).isNotEqualTo(done.get(0).initHash());
    }

    @Test
    void aStreamNotRecordedCollectsNothing() {
        on.set(false);
        SegmentCutter c = cutter(StreamFormat.MPEGTS);
        c.accept(seg(Kind.JOIN, 100, 0));
        at(20);
        c.accept(seg(Kind.JOIN, 100, 0));
        c.close();
        assertThat(done).isEmpty();
    }

    @Test
    void aSegmentPastTheByteBoundIsDroppedAndRecordingWaitsForTheNextJoinPoint() {
        SegmentCutter c =
                new SegmentCutter("s", StreamFormat.MPEGTS, Duration.ofSeconds(10), 250, clock, on::get, done::add);
        c.accept(seg(Kind.JOIN, 100, 0));
        c.accept(seg(Kind.CONTINUATION, 100, 0));
        c.accept(seg(Kind.CONTINUATION, 100, 0)); // 300 > 250
        c.accept(seg(Kind.CONTINUATION, 100, 0));
        at(11);
        c.accept(seg(Kind.JOIN, 100, 5));
        at(12);
        c.close();
        assertThat(done).hasSize(1);
        assertThat(done.get(0).bytes()).isEqualTo(100);
        assertThat(done.get(0).start()).isEqualTo(Instant.parse("2026-01-01T00:00:11Z"));
    }

    @Test
    void rangesAreParsedAsBrowsersSendThem() {
        assertThat(ByteRange.parse("bytes=0-99", 1000)).isEqualTo(new ByteRange(0, 99));
        assertThat(ByteRange.parse("bytes=900-", 1000)).isEqualTo(new ByteRange(900, 999));
        assertThat(ByteRange.parse("bytes=-100", 1000)).isEqualTo(new ByteRange(900, 999));
        assertThat(ByteRange.parse("bytes=0-5000", 1000)).isEqualTo(new ByteRange(0, 999));
        assertThat(ByteRange.parse("bytes=1000-", 1000)).isSameAs(ByteRange.UNSATISFIABLE);
        assertThat(ByteRange.parse("bytes=0-1,5-9", 1000)).isNull();
        assertThat(ByteRange.parse("items=0-1", 1000)).isNull();
        assertThat(ByteRange.parse(null, 1000)).isNull();
    }
}
