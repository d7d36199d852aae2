package io.picam.media.ts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VideoPayloadTest {

    private static final int PICTURE_START = 0x00;
    private static final int SEQUENCE_HEADER = 0xB3;

    @Test
    void theVideoOfAStreamWithAudioIsEveryPictureAndNoAudio(@TempDir Path dir) throws Exception {
        byte[] ts = TsFixtures.videoWithAudio(dir);

        byte[] video = VideoPayload.of(ts);

        assertThat(Arrays.copyOf(video, 4))
                .as("starts with a sequence header")
                .containsExactly(0, 0, 1, SEQUENCE_HEADER);
        assertThat(count(video, PICTURE_START)).as("3 s at 25 fps").isEqualTo(75);
        assertThat(count(video, 0xC0))
                .as("no MPEG audio PES header left in the video")
                .isZero();
    }

    @Test
    void bytesFromAJoinPointOnGiveTheVideoFromThatGop(@TempDir Path dir) throws Exception {
        byte[] ts = TsFixtures.videoOnly(dir);
        int second = -1;
        int seen = 0;
        for (int at = 0; at + TsFramer.PACKET_SIZE <= ts.length; at += TsFramer.PACKET_SIZE) {
            if (TsFramer.isJoinPointPacket(ts, at) && ++seen == 2) {
                second = at;
                break;
            }
        }

        byte[] video = VideoPayload.of(Arrays.copyOfRange(ts, second, ts.length));

        assertThat(Arrays.copyOf(video, 4)).containsExactly(0, 0, 1, SEQUENCE_HEADER);
        assertThat(count(video, PICTURE_START)).as("the last two of three GOPs").isEqualTo(50);
    }

    @Test
    void brokenInputGivesWhatItCanAndNeverFails() {
        Random random = new Random(19);
        for (int round = 0; round < 2000; round++) {
            byte[] junk = new byte[random.nextInt(4 * TsFramer.PACKET_SIZE)];
            random.nextBytes(junk);
            for (int at = 0; at < junk.length; at += TsFramer.PACKET_SIZE) {
                junk[at] = 0x47; // packets that look like TS, with random headers
            }
            assertThat(VideoPayload.of(junk).length).isLessThanOrEqualTo(junk.length);
        }
        assertThat(VideoPayload.of(new byte[0])).isEmpty();
    }

    private static int count(byte[] es, int startCode) {
        int n = 0;
        for (int i = 0; i + 4 <= es.length; i++) {
            if (es[i] == 0 && es[i + 1] == 0 && es[i + 2] == 1 && (es[i + 3] & 0xFF) == startCode) {
                n++;
            }
        }
        return n;
    }
}
