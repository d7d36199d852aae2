package io.picam.relay.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.picam.media.ffmpeg.FfmpegLocator;
import io.picam.media.ts.TsFramer;

/**
 * Real media made by a real ffmpeg (the system's, or the static one from Maven Central that FfmpegLocator
 * unpacks): what a Pi publishes. Note that the static build must be given IP addresses, not host names.
 */
public final class TestMedia {

    private static byte[] clip;

    private TestMedia() {
    }

    /** 3 s of 320x240 MPEG-1 test pattern in MPEG-TS at 25 fps, one join point per second. */
    public static synchronized byte[] tsClip() {
        if (clip == null) {
            try {
                Path dir = Files.createTempDirectory("picam-media");
                Path out = dir.resolve("clip.ts");
                run(List.of("-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-t", "3",
                        "-c:v", "mpeg1video", "-bf", "0", "-g", "25", "-b:v", "800k", "-f", "mpegts", out.toString()), dir);
                clip = Files.readAllBytes(out);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("could not make the test clip with ffmpeg", e);
            }
        }
        return clip.clone();
    }

    /** Offset of the first TS packet where a decoder can start. */
    public static int firstJoinPoint(byte[] ts) {
        for (int i = 0; i + TsFramer.PACKET_SIZE <= ts.length; i += TsFramer.PACKET_SIZE) {
            if (TsFramer.isJoinPointPacket(ts, i)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no join point in " + ts.length + " bytes");
    }

    /** Starts ffmpeg publishing a live test pattern (MPEG-1 in MPEG-TS, paced in real time) for some seconds. */
    public static Process publishWithFfmpeg(int port, String streamId, String secret, int seconds, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(FfmpegLocator.locate().toString(), "-nostdin", "-hide_banner",
                "-loglevel", "error", "-re", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25", "-t", String.valueOf(seconds),
                "-c:v", "mpeg1video", "-bf", "0", "-g", "25", "-b:v", "800k", "-f", "mpegts",
                "-method", "POST", "-headers", "Authorization: Bearer " + secret + "\r\n", "-content_type", "video/mp2t",
                "http://127.0.0.1:" + port + "/ingest/" + streamId));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static void run(List<String> args, Path dir) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(FfmpegLocator.locate().toString(), "-nostdin", "-hide_banner",
                "-loglevel", "error", "-y"));
        command.addAll(args);
        Path log = dir.resolve("ffmpeg.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("ffmpeg failed: " + command + "\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
    }
}
