package io.picam.media.ts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.picam.media.MediaFormatException;
import io.picam.media.MediaSegment;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mangled real streams must either frame cleanly or fail with MediaFormatException, nothing else. */
class TsFramerFuzzTest {

    private static final int P = TsFramer.PACKET_SIZE;
    private static final int VARIANTS = 3000;

    @TempDir
    static Path fixtureDir;

    private static byte[] fixture;

    @BeforeAll
    static void makeFixture() throws Exception {
        fixture = TsFixtures.videoWithAudio(fixtureDir);
    }

    @Test
    void mutatedStreamsFailOnlyWithMediaFormatException() {
        Random random = new Random(20240601);
        int rejected = 0;
        for (int i = 0; i < VARIANTS; i++) {
            byte[] variant = mutate(random);
            TsFramer framer = new TsFramer(random.nextInt(4 * P));
            int maxChunk = 1 + random.nextInt(random.nextBoolean() ? 64 : 8192);
            try {
                Framing framing = Framing.randomChunks(framer, variant, random, maxChunk);
                assertWellFormed(framing, framer, variant.length);
            } catch (MediaFormatException e) {
                assertThat(e.getMessage()).matches("(not MPEG-TS|lost MPEG-TS sync): .*");
                rejected++;
            } catch (RuntimeException | Error e) {
                fail("variant " + i + " threw " + e, e);
            }
        }
        // both outcomes must actually be exercised
        assertThat(rejected).isBetween(1, VARIANTS - 1);
    }

    private static void assertWellFormed(Framing framing, TsFramer framer, int inputLength) {
        byte[] out = framing.bytes();
        assertThat(out.length % P).isZero();
        assertThat(out.length + framer.discardedBytes()).isLessThanOrEqualTo(inputLength);
        assertThat(framer.packets()).isEqualTo(out.length / P);
        for (int at = 0; at < out.length; at += P) {
            assertThat(out[at]).isEqualTo((byte) 0x47);
        }
        for (MediaSegment segment : framing.segments()) {
            if (segment.isJoinPoint()) {
                assertThat(TsFramer.isJoinPointPacket(segment.data(), 0)).isTrue();
            }
        }
    }

    /** A window of the fixture with a few random corruptions. */
    private static byte[] mutate(Random random) {
        int start = random.nextInt(10) == 0 ? 0 : random.nextInt(fixture.length);
        int length = Math.min(fixture.length - start, random.nextInt(24 * 1024));
        byte[] bytes = Arrays.copyOfRange(fixture, start, start + length);
        int corruptions = random.nextInt(6);
        for (int c = 0; c < corruptions && bytes.length > 0; c++) {
            int at = random.nextInt(bytes.length);
            switch (random.nextInt(5)) {
                case 0 -> bytes[at] = (byte) random.nextInt(256);
                case 1 -> bytes = splice(bytes, at, randomBytes(random, random.nextInt(2 * P)), 0);
                case 2 -> bytes = splice(bytes, at, new byte[0], random.nextInt(P * 3));
                case 3 -> bytes = Arrays.copyOf(bytes, at);
                default -> scrambleHeader(bytes, at - at % P, random);
            }
        }
        if (random.nextInt(8) == 0) {
            // leading junk around the 1024-byte acquisition limit
            bytes = splice(bytes, 0, randomBytes(random, random.nextInt(2048)), 0);
        }
        return bytes;
    }

    /** Hits the fields the join-point parser reads: flags, adaptation field length, PES header length. */
    private static void scrambleHeader(byte[] bytes, int packet, Random random) {
        int[] offsets = {1, 3, 4, 5, 8, 9, 10, 12, 13, 14, 16, 17};
        for (int offset : offsets) {
            if (packet + offset < bytes.length && random.nextBoolean()) {
                bytes[packet + offset] = (byte) random.nextInt(256);
            }
        }
    }

    private static byte[] splice(byte[] bytes, int at, byte[] insert, int remove) {
        int removed = Math.min(remove, bytes.length - at);
        byte[] out = new byte[bytes.length - removed + insert.length];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(bytes, at + removed, out, at + insert.length, bytes.length - at - removed);
        return out;
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }
}
