package io.picam.media.ts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.picam.media.MediaFormatException;
import io.picam.media.MediaSegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TsFramerTest {

    private static final int P = TsFramer.PACKET_SIZE;

    @TempDir
    static Path fixtureDir;

    private static byte[] video;
    private static byte[] videoAudio;

    @BeforeAll
    static void makeFixtures() throws Exception {
        video = TsFixtures.videoOnly(fixtureDir);
        videoAudio = TsFixtures.videoWithAudio(fixtureDir);
    }

    static Stream<Arguments> fixtures() {
        return Stream.of(Arguments.of("video", video), Arguments.of("video+mp2", videoAudio));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void wholeStreamPassesThroughWithOneJoinPerGop(String name, byte[] ts) throws Exception {
        assertThat(ts.length % P).isZero();
        TsFramer framer = new TsFramer();

        Framing whole = Framing.whole(framer, ts);

        assertThat(whole.bytes()).isEqualTo(ts);
        assertThat(whole.joinSegments()).isEqualTo(TsFixtures.GOPS);
        // PAT/PMT come first, then one segment per GOP
        assertThat(whole.segments()).hasSize(TsFixtures.GOPS + 1);
        assertThat(whole.segments().get(0).kind()).isEqualTo(MediaSegment.Kind.CONTINUATION);
        assertThat(framer.packets()).isEqualTo(ts.length / P);
        assertThat(framer.discardedBytes()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void chunkingDoesNotChangeOutputOrJoinPoints(String name, byte[] ts) throws Exception {
        Framing whole = Framing.whole(new TsFramer(), ts);
        Framing random = Framing.randomChunks(new TsFramer(), ts, new Random(42), 4000);
        Framing tiny = Framing.randomChunks(new TsFramer(), ts, new Random(7), 200);
        Framing single = Framing.byteByByte(new TsFramer(), ts);

        for (Framing other : List.of(random, tiny, single)) {
            assertThat(other.bytes()).isEqualTo(whole.bytes());
            assertThat(other.joinOffsets()).isEqualTo(whole.joinOffsets());
        }
        // a call never returns more segments than its join points plus one
        assertThat(random.segments().size()).isLessThanOrEqualTo(random.feeds() + TsFixtures.GOPS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void joinSegmentsStartWithAVideoSequenceHeader(String name, byte[] ts) throws Exception {
        Framing whole = Framing.whole(new TsFramer(), ts);

        for (MediaSegment segment : whole.segments()) {
            assertThat(segment.size() % P).isZero();
            if (segment.isJoinPoint()) {
                assertThat(TsFramer.isJoinPointPacket(segment.data(), 0)).isTrue();
                assertThat(indexOf(segment.data(), 0, P, new byte[] {0, 0, 1, (byte) 0xB3}))
                        .isPositive();
            }
        }
        int joinPackets = 0;
        for (int at = 0; at < ts.length; at += P) {
            joinPackets += TsFramer.isJoinPointPacket(ts, at) ? 1 : 0;
        }
        assertThat(joinPackets).isEqualTo(TsFixtures.GOPS);
    }

    @Test
    void emptyFeedYieldsNothing() throws Exception {
        TsFramer framer = new TsFramer();
        assertThat(framer.feed(new byte[0], 0, 0)).isEmpty();
        assertThat(framer.feed(video, 10, 0)).isEmpty();
        assertThat(Framing.whole(framer, video).bytes()).isEqualTo(video);
    }

    @Test
    void randomBytesAreNotMpegTs() {
        byte[] garbage = new byte[4096];
        new Random(1).nextBytes(garbage);

        assertThatThrownBy(() -> Framing.whole(new TsFramer(), garbage))
                .isInstanceOf(MediaFormatException.class)
                .hasMessage("not MPEG-TS: no sync byte 0x47 at a 188-byte stride in the first 1024 bytes");
        assertThatThrownBy(() -> Framing.byteByByte(new TsFramer(), garbage))
                .isInstanceOf(MediaFormatException.class)
                .hasMessageContaining("not MPEG-TS");
    }

    @Test
    void httpRequestIsNotMpegTs() {
        // 'G' is 0x47, so the text has to run past two packet strides before it can be refused
        byte[] request = ("GET / HTTP/1.1\r\nHost: relay.example\r\nUser-Agent: curl/8.0\r\n" + "X-Padding: "
                        + "x".repeat(1500) + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> Framing.whole(new TsFramer(), request))
                .isInstanceOf(MediaFormatException.class)
                .hasMessageContaining("not MPEG-TS");
    }

    @Test
    void stopsAcceptingInputAfterAFailure() throws Exception {
        TsFramer framer = new TsFramer();
        byte[] garbage = new byte[2048];
        assertThatThrownBy(() -> framer.feed(garbage, 0, garbage.length)).isInstanceOf(MediaFormatException.class);
        assertThatThrownBy(() -> framer.feed(video, 0, video.length))
                .isInstanceOf(MediaFormatException.class)
                .hasMessageContaining("not MPEG-TS");
    }

    @Test
    void leadingGarbageWithinTheFirst1024BytesIsSkipped() throws Exception {
        byte[] garbage = garbage(1023, 3);
        TsFramer framer = new TsFramer();

        Framing framing = Framing.randomChunks(framer, concat(garbage, video), new Random(3), 500);

        assertThat(framing.bytes()).isEqualTo(video);
        assertThat(framer.discardedBytes()).isEqualTo(1023);
    }

    @Test
    void shortGarbageBurstMidStreamIsDropped() throws Exception {
        int at = 100 * P;
        byte[] input = insert(video, at, garbage(50, 11));
        TsFramer framer = new TsFramer();

        Framing framing = Framing.randomChunks(framer, input, new Random(5), 3000);

        assertThat(framing.bytes()).isEqualTo(video);
        assertThat(framer.discardedBytes()).isEqualTo(50);
        assertThat(framing.joinSegments()).isEqualTo(TsFixtures.GOPS);
    }

    @Test
    void tornPacketTailMidStreamIsDropped() throws Exception {
        // the second half of a packet whose start was lost: no sync byte at the boundary
        byte[] tail = Arrays.copyOfRange(video, 200 * P + P / 2, 201 * P);
        byte[] input = insert(video, 150 * P, tail);
        TsFramer framer = new TsFramer();

        Framing framing = Framing.byteByByte(framer, input);

        assertThat(framing.bytes()).isEqualTo(video);
        assertThat(framer.discardedBytes()).isEqualTo(P / 2);
    }

    @Test
    void tornPacketHeadMidStreamCostsOnePacket() throws Exception {
        // a packet cut short after its sync byte looks whole until the next boundary; it is passed on
        // (nothing is held back waiting for confirmation) and the packet it overlapped is dropped
        int at = 150 * P;
        byte[] head = Arrays.copyOfRange(video, 200 * P, 200 * P + P / 2);
        byte[] input = insert(video, at, head);
        TsFramer framer = new TsFramer();

        Framing framing = Framing.whole(framer, input);

        byte[] expected = concat(Arrays.copyOfRange(input, 0, at + P), Arrays.copyOfRange(video, at + P, video.length));
        assertThat(framing.bytes()).isEqualTo(expected);
        assertThat(framer.discardedBytes()).isEqualTo(P / 2);
        assertThat(framer.packets()).isEqualTo(video.length / P);
    }

    @Test
    void garbageUpToTheResyncLimitIsTolerated() throws Exception {
        TsFramer framer = new TsFramer(P * 4);

        Framing framing = Framing.whole(framer, insert(video, 300 * P, garbage(P * 4, 13)));

        assertThat(framing.bytes()).isEqualTo(video);
        assertThat(framer.discardedBytes()).isEqualTo(P * 4);
    }

    @Test
    void garbageBeyondTheResyncLimitLosesSync() {
        int at = 300 * P;
        byte[] input = insert(video, at, garbage(P * 4 + 1, 17));

        assertThatThrownBy(() -> Framing.randomChunks(new TsFramer(P * 4), input, new Random(9), 1000))
                .isInstanceOf(MediaFormatException.class)
                .hasMessage("lost MPEG-TS sync: more than 752 bytes without a 0x47 sync byte at a 188-byte"
                        + " stride (at stream offset " + at + ")");
    }

    @Test
    void defaultResyncLimitIsSixteenPackets() {
        byte[] input = insert(video, 300 * P, garbage(16 * P + 1, 19));

        assertThatThrownBy(() -> Framing.whole(new TsFramer(), input))
                .isInstanceOf(MediaFormatException.class)
                .hasMessageContaining("lost MPEG-TS sync: more than 3008 bytes")
                .hasMessageContaining("(at stream offset " + 300 * P + ")");
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> new TsFramer(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TsFramer().feed(video, video.length - 10, 11))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    /** Random bytes that do not start with a sync byte, so the loss of sync is seen where they begin. */
    static byte[] garbage(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        if (bytes[0] == 0x47) {
            bytes[0] = 0x00;
        }
        return bytes;
    }

    static byte[] insert(byte[] into, int at, byte[] what) {
        return concat(Arrays.copyOfRange(into, 0, at), what, Arrays.copyOfRange(into, at, into.length));
    }

    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    static int indexOf(byte[] haystack, int from, int to, byte[] needle) {
        for (int i = from; i + needle.length <= to; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }
}
