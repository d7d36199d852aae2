package io.picam.media.fmp4;

import static org.assertj.core.api.Assertions.assertThat;

import io.picam.media.MediaFormatException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real fragments with random damage: the framer either frames them or says why, and never holds much. */
class Fmp4FramerFuzzTest {

    @Test
    void damagedStreamsOnlyEverFailWithAReason(@TempDir Path dir) throws Exception {
        byte[] original = Fmp4Fixtures.shortFragments(dir);
        Random random = new Random(7);
        for (int round = 0; round < 3000; round++) {
            byte[] damaged = original.clone();
            int flips = 1 + random.nextInt(8);
            for (int i = 0; i < flips; i++) {
                // aim at the first few KB too, where the box headers and the moov are
                int at = random.nextBoolean()
                        ? random.nextInt(Math.min(4096, damaged.length))
                        : random.nextInt(damaged.length);
                damaged[at] = (byte) random.nextInt(256);
            }
            Fmp4Framer framer = new Fmp4Framer();
            try {
                for (int at = 0; at < damaged.length; ) {
                    int n = Math.min(damaged.length - at, 1 + random.nextInt(8192));
                    framer.feed(damaged, at, n);
                    at += n;
                }
            } catch (MediaFormatException expected) {
                assertThat(expected.getMessage()).matches("(not|malformed) fragmented MP4: .+");
            }
        }
    }
}
