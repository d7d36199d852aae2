package io.picam.relay.support;

import io.picam.media.ffmpeg.FfmpegLocator;
import io.picam.media.ts.TsFramer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real media made by a real ffmpeg (the system's, or the static one from Maven Central that FfmpegLocator
 * unpacks): what a Pi publishes. Note that the static build must be given IP addresses, not host names.
 */
public final class TestMedia {

    private static byte[] clip;
    private static byte[] fmp4Clip;

    private TestMedia() {}

    /** 3 s of 320x240 MPEG-1 test pattern in MPEG-TS at 25 fps, one join point per second. */
    public static synchronized byte[] tsClip() {
        if (clip == null) {
            try {
                Path dir = Files.createTempDirectory("picam-media");
                Path out = dir.resolve("clip.ts");
                run(
                        List.of(
                                "-f",
                                "lavfi",
                                "-i",
                                "testsrc=size=320x240:rate=25",
                                "-t",
                                "3",
                                "-c:v",
                                "mpeg1video",
                                "-bf",
                                "0",
                                "-g",
                                "25",
                                "-b:v",
                                "800k",
                                "-f",
                                "mpegts",
                                out.toString()),
                        dir);
                clip = Files.readAllBytes(out);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("could not make the test clip with ffmpeg", e);
            }
        }
        return clip.clone();
    }

    /**
     * The clip's first 20 packets, for uploads the relay refuses: a refusal closes the connection with the body
     * unread (it may be an hours-long stream), so a body larger than the sockets' buffers (the whole 300 KB clip) can
     * still be in the client's write when the connection closes, which fails it with a broken pipe before it reads
     * the answer. These bytes fit, so the client always gets to read the status.
     */
    public static byte[] tsClipStart() {
        return Arrays.copyOf(tsClip(), 20 * TsFramer.PACKET_SIZE);
    }

    /** 3 s of 320x240 H.264 in fragmented MP4, a keyframe a second and a fragment every 200 ms (no mfra). */
    public static synchronized byte[] fmp4Clip() {
        if (fmp4Clip == null) {
            try {
                Path dir = Files.createTempDirectory("picam-media");
                Path out = dir.resolve("clip.mp4");
                run(
                        List.of(
                                "-f",
                                "lavfi",
                                "-i",
                                "testsrc=size=320x240:rate=25",
                                "-t",
                                "3",
                                "-c:v",
                                "libx264",
                                "-pix_fmt",
                                "yuv420p",
                                "-g",
                                "25",
                                "-bf",
                                "0",
                                "-f",
                                "mp4",
                                "-movflags",
                                "+frag_keyframe+empty_moov+default_base_moof",
                                "-frag_duration",
                                "200000",
                                out.toString()),
                        dir);
                byte[] mp4 = Files.readAllBytes(out);
                int end = indexOfBox(mp4, "mfra"); // only a finished file has it
                fmp4Clip = end < 0 ? mp4 : Arrays.copyOf(mp4, end);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("could not make the fMP4 test clip with ffmpeg", e);
            }
        }
        return fmp4Clip.clone();
    }

    /** Offset of the first top-level box of a type, or -1. */
    public static int indexOfBox(byte[] mp4, String type) {
        for (int at = 0; at + 8 <= mp4.length; ) {
            long size = ((mp4[at] & 0xffL) << 24)
                    | ((mp4[at + 1] & 0xff) << 16)
                    | ((mp4[at + 2] & 0xff) << 8)
                    | (mp4[at + 3] & 0xff);
            if (new String(mp4, at + 4, 4, StandardCharsets.ISO_8859_1).equals(type)) {
                return at;
            }
            if (size < 8) {
                return -1;
            }
            at += (int) size;
        }
        return -1;
    }

    /** Starts ffmpeg publishing a live H.264 test pattern in fragmented MP4 for some seconds. */
    public static Process publishFmp4WithFfmpeg(int port, String streamId, String secret, int seconds, Path log)
            throws IOException {
        return publishFmp4WithFfmpeg(port, streamId, secret, seconds, log, false);
    }

    /** Like {@link #publishFmp4WithFfmpeg(int, String, String, int, Path)}, with a 440 Hz tone as AAC when {@code audio}. */
    public static Process publishFmp4WithFfmpeg(
            int port, String streamId, String secret, int seconds, Path log, boolean audio) throws IOException {
        return publishFmp4WithFfmpeg(port, streamId, secret, seconds, log, audio, 25);
    }

    /** Like the others, with a keyframe every {@code gop} frames (25 frames a second). */
    public static Process publishFmp4WithFfmpeg(
            int port, String streamId, String secret, int seconds, Path log, boolean audio, int gop)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(
                FfmpegLocator.locate().toString(),
                "-nostdin",
                "-hide_banner",
                "-loglevel",
                "error",
                "-re",
                "-f",
                "lavfi",
                "-i",
                "testsrc=size=320x240:rate=25"));
        if (audio) {
            command.addAll(
                    List.of("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-c:a", "aac", "-b:a", "64k"));
        }
        command.addAll(List.of(
                "-t",
                String.valueOf(seconds),
                "-c:v",
                "libx264",
                "-pix_fmt",
                "yuv420p",
                "-tune",
                "zerolatency",
                "-g",
                String.valueOf(gop),
                "-keyint_min",
                String.valueOf(gop),
                "-sc_threshold",
                "0",
                "-bf",
                "0",
                "-f",
                "mp4",
                "-movflags",
                "+frag_keyframe+empty_moov+default_base_moof",
                "-frag_duration",
                "200000",
                "-method",
                "POST",
                "-headers",
                "Authorization: Bearer " + secret + "\r\n",
                "-content_type",
                "video/mp4",
                "http://127.0.0.1:" + port + "/ingest/" + streamId));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
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
    public static Process publishWithFfmpeg(int port, String streamId, String secret, int seconds, Path log)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(
                FfmpegLocator.locate().toString(),
                "-nostdin",
                "-hide_banner",
                "-loglevel",
                "error",
                "-re",
                "-f",
                "lavfi",
                "-i",
                "testsrc=size=320x240:rate=25",
                "-t",
                String.valueOf(seconds),
                "-c:v",
                "mpeg1video",
                "-bf",
                "0",
                "-g",
                "25",
                "-b:v",
                "800k",
                "-f",
                "mpegts",
                "-method",
                "POST",
                "-headers",
                "Authorization: Bearer " + secret + "\r\n",
                "-content_type",
                "video/mp2t",
                "http://127.0.0.1:" + port + "/ingest/" + streamId));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    private static void run(List<String> args, Path dir) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(
                List.of(FfmpegLocator.locate().toString(), "-nostdin", "-hide_banner", "-loglevel", "error", "-y"));
        command.addAll(args);
        Path log = dir.resolve("ffmpeg.log");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(
                    "ffmpeg failed: " + command + "\n" + Files.readString(log, StandardCharsets.UTF_8));
        }
    }
}
