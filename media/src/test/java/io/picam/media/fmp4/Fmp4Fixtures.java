package io.picam.media.fmp4;

import static org.assertj.core.api.Assertions.assertThat;

import io.picam.media.ffmpeg.FfmpegLocator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Fragmented MP4 made by the real ffmpeg, with the flags of the contract. Keep the command lines in step
 * with src/test/fixtures/make-fixtures.sh. All are 3 s of 320x240 H.264 High at 25 fps, GOP 25, no B-frames.
 */
final class Fmp4Fixtures {

    static final int GOPS = 3;

    private static final List<String> VIDEO = List.of("-f", "lavfi", "-i", "testsrc=size=320x240:rate=25");
    private static final List<String> AUDIO = List.of("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100");
    private static final List<String> H264 = List.of(
            "-t",
            "3",
            "-c:v",
            "libx264",
            "-profile:v",
            "high",
            "-level",
            "3.1",
            "-pix_fmt",
            "yuv420p",
            "-g",
            "25",
            "-bf",
            "0");
    private static final List<String> FRAGMENTED =
            List.of("-f", "mp4", "-movflags", "+frag_keyframe+empty_moov+default_base_moof");

    private Fmp4Fixtures() {}

    /** One fragment per GOP. */
    static byte[] keyframeFragments(Path dir) throws IOException, InterruptedException {
        return run(dir.resolve("video.mp4"), VIDEO, H264, FRAGMENTED, List.of());
    }

    /** A fragment every 200 ms as well as at each keyframe: most fragments do not start with a keyframe. */
    static byte[] shortFragments(Path dir) throws IOException, InterruptedException {
        return run(dir.resolve("video-200ms.mp4"), VIDEO, H264, FRAGMENTED, List.of("-frag_duration", "200000"));
    }

    /** H.264 and AAC, fragments every 200 ms. */
    static byte[] withAudio(Path dir) throws IOException, InterruptedException {
        List<String> inputs = new ArrayList<>(VIDEO);
        inputs.addAll(AUDIO);
        return run(
                dir.resolve("video-audio.mp4"),
                inputs,
                H264,
                FRAGMENTED,
                List.of("-c:a", "aac", "-b:a", "64k", "-frag_duration", "200000"));
    }

    @SafeVarargs
    private static byte[] run(Path target, List<String>... parts) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(
                List.of(FfmpegLocator.locate().toString(), "-nostdin", "-hide_banner", "-loglevel", "error", "-y"));
        for (List<String> part : parts) {
            command.addAll(part);
        }
        command.add(target.toString());
        Path log = target.resolveSibling(target.getFileName() + ".log");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("ffmpeg timed out: " + command);
        }
        assertThat(process.exitValue())
                .as("ffmpeg %s%n%s", command, Files.readString(log, StandardCharsets.UTF_8))
                .isZero();
        return withoutTrailer(Files.readAllBytes(target));
    }

    /** Drops the mfra box ffmpeg writes when a file ends: a live stream that never ends has none. */
    private static byte[] withoutTrailer(byte[] mp4) {
        int at = 0;
        while (at + 8 <= mp4.length) {
            long size = Box.u32(mp4, at);
            if (Box.fourCc(mp4, at + 4).equals("mfra")) {
                return Arrays.copyOf(mp4, at);
            }
            at += (int) size;
        }
        return mp4;
    }
}
