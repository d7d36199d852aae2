package io.picam.relay.snapshot;

import io.picam.media.ffmpeg.FfmpegLocator;
import io.picam.media.ts.VideoPayload;
import io.picam.relay.live.JoinPointBytes;
import io.picam.relay.stream.StreamFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Decodes the first picture after a join point into a JPEG with ffmpeg (PICAM_FFMPEG, the bundled static one, or
 * the system's). MPEG-TS goes in as its raw MPEG-1 video (see {@link VideoPayload}): the simplest input there is,
 * and the bundled static ffmpeg 4.4 crashes in its TS demuxer on some machines.
 */
final class SnapshotDecoder implements SnapshotTaker.Decoder {

    /** Wide enough for a camera list tile and a notification; smaller pictures keep their size. */
    private static final String SCALE = "scale='min(640,iw)':-2";

    private static final long TIMEOUT_SECONDS = 15;

    private volatile Path ffmpeg;

    @Override
    public byte[] decode(StreamFormat format, JoinPointBytes bytes) throws IOException, InterruptedException {
        byte[] input = bytes.toArray();
        String demuxer = "mp4";
        if (format == StreamFormat.MPEGTS) {
            input = VideoPayload.of(input);
            if (countPictures(input) < 2) {
                return null; // the first picture may still be arriving: only the start of the next one ends it
            }
            demuxer = "mpegvideo";
        }
        Path in = Files.createTempFile("picam-snapshot", ".in");
        try {
            Files.write(in, input);
            List<String> command = List.of(
                    ffmpeg().toString(),
                    "-nostdin",
                    "-hide_banner",
                    "-loglevel",
                    "error",
                    "-f",
                    demuxer,
                    "-i",
                    in.toString(),
                    "-map",
                    "0:v:0",
                    "-frames:v",
                    "1",
                    "-vf",
                    SCALE,
                    "-pix_fmt",
                    "yuvj420p",
                    "-q:v",
                    "5",
                    "-f",
                    "image2pipe",
                    "-c:v",
                    "mjpeg",
                    "pipe:1");
            Process process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            // a hung ffmpeg must not hold this stream's decode slot for ever: killed, its output ends
            CompletableFuture.delayedExecutor(TIMEOUT_SECONDS, TimeUnit.SECONDS).execute(() -> {
                if (process.isAlive()) {
                    process.destroyForcibly();
                }
            });
            byte[] jpeg;
            try (InputStream out = process.getInputStream()) {
                jpeg = out.readAllBytes();
            } finally {
                if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor();
                }
            }
            if (process.exitValue() != 0 || jpeg.length < 4 || (jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != 0xD8) {
                throw new IOException(
                        "ffmpeg made no JPEG (exit " + process.exitValue() + ", " + jpeg.length + " bytes)");
            }
            return jpeg;
        } finally {
            Files.deleteIfExists(in);
        }
    }

    private Path ffmpeg() {
        Path found = ffmpeg;
        if (found == null) {
            found = FfmpegLocator.locate();
            ffmpeg = found;
        }
        return found;
    }

    /** Picture start codes (00 00 01 00) in an MPEG-1 video elementary stream. */
    static int countPictures(byte[] es) {
        int n = 0;
        for (int i = 0; i + 4 <= es.length; i++) {
            if (es[i] == 0 && es[i + 1] == 0 && es[i + 2] == 1 && es[i + 3] == 0) {
                n++;
                if (n > 1) {
                    return n;
                }
            }
        }
        return n;
    }
}
