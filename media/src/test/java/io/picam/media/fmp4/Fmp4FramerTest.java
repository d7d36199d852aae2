package io.picam.media.fmp4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.picam.media.MediaFormatException;
import io.picam.media.MediaSegment;
import io.picam.media.MediaSegment.Kind;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Fmp4FramerTest {

    private static byte[] keyframes;
    private static byte[] shortFragments;
    private static byte[] withAudio;

    @BeforeAll
    static void makeFixtures(@TempDir Path dir) throws Exception {
        keyframes = Fmp4Fixtures.keyframeFragments(dir);
        shortFragments = Fmp4Fixtures.shortFragments(dir);
        withAudio = Fmp4Fixtures.withAudio(dir);
    }

    private static List<MediaSegment> frameAll(byte[] data) throws MediaFormatException {
        return new Fmp4Framer().feed(data, 0, data.length);
    }

    private static byte[] join(List<MediaSegment> segments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        segments.forEach(s -> out.writeBytes(s.data()));
        return out.toByteArray();
    }

    private static void assertSameBytes(byte[] actual, byte[] expected) {
        assertThat(actual.length).isEqualTo(expected.length);
        assertThat(Arrays.equals(actual, expected))
                .as("nothing lost, nothing added, in order")
                .isTrue();
    }

    private static long count(List<MediaSegment> segments, Kind kind) {
        return segments.stream().filter(s -> s.kind() == kind).count();
    }

    @Test
    void oneInitThenOneJoinFragmentPerGop() throws Exception {
        List<MediaSegment> segments = frameAll(keyframes);
        assertThat(segments.get(0).kind()).isEqualTo(Kind.INIT);
        assertThat(new String(segments.get(0).data(), 4, 4, StandardCharsets.ISO_8859_1))
                .isEqualTo("ftyp");
        assertThat(count(segments, Kind.INIT)).isEqualTo(1);
        assertThat(count(segments, Kind.JOIN)).isEqualTo(Fmp4Fixtures.GOPS);
        assertThat(count(segments, Kind.CONTINUATION)).isZero();
        assertSameBytes(join(segments), keyframes);
    }

    @Test
    void shortFragmentsAreJoinPointsOnlyAtKeyframes() throws Exception {
        List<MediaSegment> segments = frameAll(shortFragments);
        assertThat(count(segments, Kind.JOIN)).isEqualTo(Fmp4Fixtures.GOPS);
        assertThat(count(segments, Kind.CONTINUATION)).isGreaterThanOrEqualTo(3L * Fmp4Fixtures.GOPS);
        assertThat(segments.get(1).kind())
                .as("the first fragment starts with a keyframe")
                .isEqualTo(Kind.JOIN);
        assertSameBytes(join(segments), shortFragments);
    }

    @Test
    void videoDecidesJoinPointsWhenThereIsAudio() throws Exception {
        List<MediaSegment> segments = frameAll(withAudio);
        assertThat(count(segments, Kind.JOIN)).isEqualTo(Fmp4Fixtures.GOPS);
        assertSameBytes(join(segments), withAudio);
    }

    @Test
    void codecStringsComeFromTheInitSegment() throws Exception {
        Fmp4Framer framer = new Fmp4Framer();
        assertThat(framer.mimeType()).isEmpty();
        List<MediaSegment> segments = framer.feed(keyframes, 0, keyframes.length);
        // High profile (0x64), no constraints, level 3.1 (0x1f)
        assertThat(framer.codecs()).contains("avc1.64001f");
        assertThat(framer.mimeType()).contains("video/mp4; codecs=\"avc1.64001f\"");
        assertThat(Fmp4Framer.mimeTypeOf(segments.get(0).data())).isEqualTo("video/mp4; codecs=\"avc1.64001f\"");

        Fmp4Framer av = new Fmp4Framer();
        av.feed(withAudio, 0, withAudio.length);
        assertThat(av.codecs()).contains("avc1.64001f,mp4a.40.2");
    }

    @Test
    void anyChunkingGivesTheSameSegments() throws Exception {
        List<MediaSegment> whole = frameAll(shortFragments);
        Random random = new Random(42);
        for (int round = 0; round < 20; round++) {
            Fmp4Framer framer = new Fmp4Framer();
            List<MediaSegment> pieces = new ArrayList<>();
            for (int at = 0; at < shortFragments.length; ) {
                int n = Math.min(shortFragments.length - at, 1 + random.nextInt(round % 2 == 0 ? 64 : 64 * 1024));
                pieces.addAll(framer.feed(shortFragments, at, n));
                at += n;
            }
            assertThat(pieces.equals(whole))
                    .as("round %d framed like the whole", round)
                    .isTrue();
        }
    }

    @Test
    void anEncoderRestartIsANewInitSegment() throws Exception {
        byte[] twice = ByteBuffer.allocate(keyframes.length * 2)
                .put(keyframes)
                .put(keyframes)
                .array();
        List<MediaSegment> segments = frameAll(twice);
        assertThat(count(segments, Kind.INIT)).isEqualTo(2);
        assertThat(segments.get(1 + Fmp4Fixtures.GOPS).kind()).isEqualTo(Kind.INIT);
    }

    @Test
    void freeBoxesAreDroppedAndOtherBoxesTravelWithTheNextFragment() throws Exception {
        List<MediaSegment> plain = frameAll(keyframes);
        byte[] init = plain.get(0).data();
        byte[] free = box("free", new byte[20]);
        byte[] prft = box("prft", new byte[12]);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(init);
        stream.writeBytes(free);
        stream.writeBytes(prft);
        stream.writeBytes(plain.get(1).data());
        List<MediaSegment> segments = frameAll(stream.toByteArray());
        assertThat(segments).hasSize(2);
        assertThat(segments.get(1).data()).hasSize(prft.length + plain.get(1).size());
        assertThat(new String(segments.get(1).data(), 4, 4, StandardCharsets.ISO_8859_1))
                .isEqualTo("prft");
        assertThat(segments.get(1).kind()).isEqualTo(Kind.JOIN);
    }

    @Test
    void anIncompleteBoxWaitsForMoreBytes() throws Exception {
        Fmp4Framer framer = new Fmp4Framer();
        List<MediaSegment> out = framer.feed(keyframes, 0, keyframes.length - 1);
        assertThat(out).hasSize(Fmp4Fixtures.GOPS); // init + all but the last fragment
        assertThat(framer.feed(keyframes, keyframes.length - 1, 1)).hasSize(1);
    }

    @Test
    void notMp4AtAll() {
        byte[] ts = new byte[1880];
        for (int i = 0; i < ts.length; i += 188) {
            ts[i] = 0x47;
        }
        assertThatThrownBy(() -> frameAll(ts))
                .isInstanceOf(MediaFormatException.class)
                .hasMessageStartingWith("not fragmented MP4: ");
        assertThatThrownBy(() -> frameAll(box("moov", new byte[8])))
                .hasMessageStartingWith("not fragmented MP4: starts with 'moov'");
    }

    @Test
    void brokenSizesAreClearErrorsWithoutAllocatingWhatTheyDeclare() {
        byte[] ftyp = ftyp();
        assertThatThrownBy(() -> frameAll(concat(ftyp, header(0, "moov")))).hasMessageContaining("size 0");
        assertThatThrownBy(() -> frameAll(concat(ftyp, header(1, "mdat"), longBytes(8))))
                .hasMessageContaining("64-bit size of 8");
        assertThatThrownBy(() -> frameAll(concat(ftyp, header(1, "mdat"), longBytes(1L << 40))))
                .hasMessageContaining("more than");
        assertThatThrownBy(() -> frameAll(concat(ftyp, header(0xFFFFFFFFL, "mdat"))))
                .hasMessageContaining("4294967295 bytes, more than");
        assertThatThrownBy(() -> frameAll(concat(ftyp, header(5, "moov")))).hasMessageContaining("size of 5");
    }

    @Test
    void boxesOutOfOrderAreRefused() throws Exception {
        List<MediaSegment> plain = frameAll(keyframes);
        byte[] init = plain.get(0).data();
        byte[] fragment = plain.get(1).data();
        int moofSize = (int) Box.u32(fragment, 0);
        byte[] moof = Arrays.copyOfRange(fragment, 0, moofSize);
        byte[] mdat = Arrays.copyOfRange(fragment, moofSize, fragment.length);

        assertThatThrownBy(() -> frameAll(concat(ftyp(), fragment)))
                .hasMessageContaining("'moof' before the init segment");
        assertThatThrownBy(() -> frameAll(concat(init, mdat))).hasMessageContaining("'mdat' without a 'moof'");
        assertThatThrownBy(() -> frameAll(concat(init, moof, moof))).hasMessageContaining("two 'moof'");
        assertThatThrownBy(() -> frameAll(concat(ftyp(), mdat))).hasMessageContaining("media data before any fragment");
    }

    @Test
    void aMoovWhoseInsidesLieIsMalformed() {
        byte[] lyingTrak = box("moov", concat(header(500, "trak"), new byte[16]));
        assertThatThrownBy(() -> frameAll(concat(ftyp(), lyingTrak)))
                .isInstanceOf(MediaFormatException.class)
                .hasMessageStartingWith("malformed fragmented MP4: ");
    }

    static byte[] ftyp() {
        return box("ftyp", "isomiso2avc1mp41".getBytes(StandardCharsets.ISO_8859_1));
    }

    static byte[] box(String type, byte[] payload) {
        return concat(header(8 + payload.length, type), payload);
    }

    static byte[] header(long size, String type) {
        return ByteBuffer.allocate(8)
                .putInt((int) size)
                .put(type.getBytes(StandardCharsets.ISO_8859_1))
                .array();
    }

    static byte[] longBytes(long value) {
        return ByteBuffer.allocate(8).putLong(value).array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
