package io.picam.client.encoder;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EncoderPipelineTest {

    private static EncoderSettings settings(Source source, String format, Optional<String> audio, boolean flip) {
        return new EncoderSettings(
                source, format, "/dev/video0", 1280, 720, 25, "2M", audio, "ffmpeg", "rpicam-vid", flip);
    }

    @Test
    void theCameraIsEncodedByThePisHardwareAndOnlyCopiedIntoFragments() {
        List<List<String>> c = EncoderPipeline.commands(settings(Source.RPICAM, "fmp4", Optional.empty(), false));
        assertThat(c).hasSize(2);
        assertThat(c.get(0))
                .containsExactly(
                        "rpicam-vid",
                        "-t",
                        "0",
                        "-n",
                        "--inline",
                        "--intra",
                        "25",
                        "--width",
                        "1280",
                        "--height",
                        "720",
                        "--framerate",
                        "25",
                        "--bitrate",
                        "2000000",
                        "-o",
                        "-");
        assertThat(c.get(1))
                .containsSubsequence("-f", "h264", "-framerate", "25", "-i", "-")
                .containsSubsequence("-c:v", "copy")
                .containsSubsequence(
                        "-f",
                        "mp4",
                        "-movflags",
                        "+frag_keyframe+empty_moov+default_base_moof",
                        "-frag_duration",
                        "100000",
                        "-")
                .doesNotContain("libx264", "mpeg1video");
    }

    @Test
    void mpegtsIsMpeg1WithoutBFramesForJsmpeg() {
        List<String> c = EncoderPipeline.commands(settings(Source.V4L2, "mpegts", Optional.of("hw:1,0"), true))
                .get(0);
        assertThat(c)
                .containsSubsequence("-f", "v4l2", "-framerate", "25", "-video_size", "1280x720", "-i", "/dev/video0")
                .containsSubsequence("-f", "alsa", "-ac", "1", "-i", "hw:1,0")
                .containsSubsequence("-c:v", "mpeg1video", "-b:v", "2M", "-bf", "0", "-g", "25")
                .containsSubsequence("-vf", "hflip,vflip")
                .containsSubsequence("-c:a", "mp2")
                .endsWith("-f", "mpegts", "-");
    }

    @Test
    void v4l2H264UsesTheHardwareEncoder() {
        List<String> c = EncoderPipeline.commands(settings(Source.V4L2, "fmp4", Optional.of("hw:1,0"), false))
                .get(0);
        assertThat(c)
                .containsSubsequence("-c:v", "h264_v4l2m2m")
                .containsSubsequence("-c:a", "aac")
                .endsWith("-");
    }

    @Test
    void theTestSourceIsPacedInRealTime() {
        List<String> c = EncoderPipeline.commands(settings(Source.TEST, "fmp4", Optional.empty(), false))
                .get(0);
        assertThat(c)
                .containsSubsequence("-re", "-f", "lavfi", "-i", "testsrc=size=1280x720:rate=25")
                .containsSubsequence("-c:v", "libx264")
                .containsSubsequence("-bf", "0");
    }

    @Test
    void bitratesAreUnderstood() {
        assertThat(settings(Source.TEST, "fmp4", Optional.empty(), false).bitsPerSecond())
                .isEqualTo(2_000_000);
        assertThat(new EncoderSettings(Source.TEST, "fmp4", "", 1, 1, 1, "800k", Optional.empty(), "", "", false)
                        .bitsPerSecond())
                .isEqualTo(800_000);
    }
}
