package io.picam.client.encoder;

import java.util.ArrayList;
import java.util.List;

/**
 * The encoder command lines for a source and a format: one process, or rpicam-vid piped into ffmpeg. The
 * output always goes to stdout, in the container the relay expects. Kept as argument lists (no shell), so
 * nothing in a setting can be interpreted by a shell, and so they can be shown by {@code --dry-run}.
 */
public final class EncoderPipeline {

    /** A fragment every 100 ms as well as at each keyframe: the relay forwards whole fragments. */
    private static final String FRAGMENT_MICROS = "100000";

    private EncoderPipeline() {}

    public static List<List<String>> commands(EncoderSettings s) {
        return switch (s.source()) {
            case TEST -> List.of(test(s));
            case V4L2 -> List.of(v4l2(s));
            case RPICAM -> List.of(rpicam(s), remux(s));
        };
    }

    private static List<String> test(EncoderSettings s) {
        List<String> c = ffmpeg(s);
        c.addAll(List.of(
                "-re", "-f", "lavfi", "-i", "testsrc=size=" + s.width() + "x" + s.height() + ":rate=" + s.fps()));
        if (s.audio().isPresent()) {
            c.addAll(List.of("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100"));
        }
        c.addAll(video(
                s,
                s.fmp4()
                        ? List.of(
                                "-c:v", "libx264", "-pix_fmt", "yuv420p", "-preset", "veryfast", "-tune", "zerolatency")
                        : mpeg1()));
        return finish(c, s);
    }

    private static List<String> v4l2(EncoderSettings s) {
        List<String> c = ffmpeg(s);
        c.addAll(List.of(
                "-f",
                "v4l2",
                "-framerate",
                String.valueOf(s.fps()),
                "-video_size",
                s.width() + "x" + s.height(),
                "-i",
                s.device()));
        alsa(c, s);
        c.addAll(video(s, s.fmp4() ? List.of("-c:v", "h264_v4l2m2m", "-pix_fmt", "yuv420p") : mpeg1()));
        return finish(c, s);
    }

    /** rpicam-vid encodes H.264 in the Pi's hardware, with inline headers and a keyframe a second. */
    private static List<String> rpicam(EncoderSettings s) {
        List<String> c = new ArrayList<>(List.of(
                s.rpicamBinary(),
                "-t",
                "0",
                "-n",
                "--inline",
                "--intra",
                String.valueOf(s.fps()),
                "--width",
                String.valueOf(s.width()),
                "--height",
                String.valueOf(s.height()),
                "--framerate",
                String.valueOf(s.fps()),
                "--bitrate",
                String.valueOf(s.bitsPerSecond())));
        if (s.flip()) {
            c.addAll(List.of("--hflip", "--vflip"));
        }
        c.addAll(List.of("-o", "-"));
        return c;
    }

    /** fmp4: the hardware H.264 copied into fragments; mpegts: transcoded to MPEG-1 for jsmpeg (CPU heavy). */
    private static List<String> remux(EncoderSettings s) {
        List<String> c = ffmpeg(s);
        c.addAll(List.of("-f", "h264", "-framerate", String.valueOf(s.fps()), "-i", "-"));
        alsa(c, s);
        if (s.fmp4()) {
            c.addAll(List.of("-c:v", "copy"));
        } else {
            c.addAll(List.of("-c:v", "mpeg1video", "-b:v", s.bitrate(), "-bf", "0", "-g", String.valueOf(s.fps())));
        }
        return finish(c, s);
    }

    private static List<String> ffmpeg(EncoderSettings s) {
        return new ArrayList<>(List.of(s.encoderBinary(), "-nostdin", "-hide_banner", "-loglevel", "error"));
    }

    private static void alsa(List<String> c, EncoderSettings s) {
        s.audio().ifPresent(device -> c.addAll(List.of("-f", "alsa", "-ac", "1", "-i", device)));
    }

    private static List<String> mpeg1() {
        return List.of("-c:v", "mpeg1video");
    }

    private static List<String> video(EncoderSettings s, List<String> codec) {
        List<String> c = new ArrayList<>(codec);
        c.addAll(List.of("-b:v", s.bitrate(), "-bf", "0", "-g", String.valueOf(s.fps())));
        if (s.flip()) {
            c.addAll(List.of("-vf", "hflip,vflip"));
        }
        return c;
    }

    private static List<String> finish(List<String> c, EncoderSettings s) {
        if (s.audio().isPresent()) {
            c.addAll(s.fmp4() ? List.of("-c:a", "aac", "-b:a", "64k") : List.of("-c:a", "mp2", "-b:a", "128k"));
        }
        if (s.fmp4()) {
            c.addAll(List.of(
                    "-f",
                    "mp4",
                    "-movflags",
                    "+frag_keyframe+empty_moov+default_base_moof",
                    "-frag_duration",
                    FRAGMENT_MICROS,
                    "-"));
        } else {
            c.addAll(List.of("-f", "mpegts", "-"));
        }
        return c;
    }
}
