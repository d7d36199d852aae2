package io.picam.media.ts;

import static org.assertj.core.api.Assertions.assertThat;

import io.picam.media.ffmpeg.FfmpegLocator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Produces MPEG-TS fixtures with the real ffmpeg. Keep the command lines in step with
 * src/test/fixtures/make-fixtures.sh, which documents them.
 */
final class TsFixtures {

    /** 3 s at 25 fps with one GOP per 25 frames. */
    static final int GOPS = 3;

    private static final List<String> VIDEO_INPUT = List.of("-f", "lavfi", "-i", "testsrc=size=320x240:rate=25");
    private static final List<String> AUDIO_INPUT =
            List.of("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100");
    private static final List<String> VIDEO_OUTPUT =
            List.of("-t", "3", "-f", "mpegts", "-codec:v", "mpeg1video", "-bf", "0", "-g", "25", "-b:v", "500k");
    private static final List<String> AUDIO_OUTPUT = List.of("-codec:a", "mp2", "-b:a", "128k");

    private TsFixtures() {}

    static byte[] videoOnly(Path dir) throws IOException, InterruptedException {
        return run(dir.resolve("video.ts"), VIDEO_INPUT, VIDEO_OUTPUT);
    }

    static byte[] videoWithAudio(Path dir) throws IOException, InterruptedException {
        List<String> inputs = new ArrayList<>(VIDEO_INPUT);
        inputs.addAll(AUDIO_INPUT);
        List<String> outputs = new ArrayList<>(VIDEO_OUTPUT);
        outputs.addAll(AUDIO_OUTPUT);
        return run(dir.resolve("video-audio.ts"), inputs, outputs);
    }

    private static byte[] run(Path target, List<String> inputs, List<String> outputs)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(FfmpegLocator.locate().toString());
        command.addAll(List.of("-nostdin", "-hide_banner", "-loglevel", "error", "-y"));
        command.addAll(inputs);
        command.addAll(outputs);
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
        return Files.readAllBytes(target);
    }
}
