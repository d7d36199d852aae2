package io.picam.bench;

import io.picam.media.ffmpeg.FfmpegLocator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * What recording costs the relay: N cameras publishing fMP4 (real ffmpeg processes sending a looped H.264 test
 * pattern in real time, as a Pi does) into one relay with an S3 store (S3Proxy), once with recording off and once
 * with it on for every stream, the same relay configuration both times. Reports the relay's CPU over the same window,
 * its peak and steady RSS, what was stored and how long storing took (the relay's own metrics), and, for moments in
 * the past, the time from asking for the recording to the first decodable frame's bytes.
 *
 * <pre>
 * options: --streams 10  --bitrate 2M  --duration 60 (measured seconds per side)  --warmup 15  --moments 30
 *          --gop 50  --relay-jar relay-app/target/quarkus-app/quarkus-run.jar  --jvm-opts (default: the Procfile's)
 *          --out docs/BENCHMARKS.md (appends a Markdown table)
 * </pre>
 */
public final class RecordingBenchmark {

    record Side(
            boolean recorded,
            double cpuSeconds,
            double peakRssMb,
            double steadyRssMb,
            double storeCpuSeconds,
            RelayMetrics window,
            long[] storedOnDisk,
            int publishersUp,
            List<FirstFrame.Timing> firstFrames) {}

    private RecordingBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>(Map.of(
                "streams", "10",
                "bitrate", "2M",
                "duration", "60",
                "warmup", "15",
                "moments", "30",
                "gop", "50",
                "relay-jar", "relay-app/target/quarkus-app/quarkus-run.jar",
                "jvm-opts", FanoutBenchmark.procfileJvmOptions()));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value, got " + args[i]);
            }
            o.put(args[i].substring(2), args[i + 1]);
        }
        int streams = Integer.parseInt(o.get("streams"));
        long bitrate = FanoutBenchmark.bits(o.get("bitrate"));
        int seconds = Integer.parseInt(o.get("duration"));
        Path clip = sourceClip(bitrate, Integer.parseInt(o.get("gop")));
        double clipBitrate = Files.size(clip) * 8.0 / 20 / 1e6;
        System.out.printf(Locale.ROOT, "source clip: %.2f Mb/s (%s)%n", clipBitrate, clip);
        List<Side> sides = new ArrayList<>();
        try (S3ProxyServer store = new S3ProxyServer()) {
            for (boolean recorded : List.of(false, true)) {
                System.out.printf(
                        Locale.ROOT,
                        "running %d streams at %s, recording %s, %d s...%n",
                        streams,
                        o.get("bitrate"),
                        recorded ? "on" : "off",
                        seconds);
                sides.add(side(o, store, clip, recorded));
            }
        }
        String table = RecordingReport.table(sides, streams, clipBitrate, seconds, o.get("jvm-opts"));
        System.out.println();
        System.out.println(table);
        if (o.containsKey("out")) {
            Files.writeString(
                    Path.of(o.get("out")),
                    table + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
        System.exit(0);
    }

    private static Side side(Map<String, String> o, S3ProxyServer store, Path clip, boolean recorded) throws Exception {
        int streams = Integer.parseInt(o.get("streams"));
        int seconds = Integer.parseInt(o.get("duration"));
        int warmup = Integer.parseInt(o.get("warmup"));
        String prefix = (recorded ? "on-" : "off-") + UUID.randomUUID() + "/";
        List<Process> publishers = new ArrayList<>();
        try (PicamRelay relay = new PicamRelay(
                Path.of(o.get("relay-jar")),
                o.get("jvm-opts"),
                Bench.freePort(),
                store.relayEnvironment(prefix),
                UUID.randomUUID().toString(),
                null)) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < streams; i++) {
                String[] created = relay.createStream("camera " + (i + 1), "fmp4");
                ids.add(created[0]);
                if (recorded) {
                    relay.admin("PUT", "/api/admin/streams/" + created[0] + "/recording", "{\"enabled\":true}");
                }
                publishers.add(publish(clip, relay.port(), created[0], created[1]));
            }
            Instant publishing = Instant.now();
            Thread.sleep(TimeUnit.SECONDS.toMillis(warmup)); // a fixed window: JIT, first segments, steady state
            RssSampler rss = new RssSampler(relay.pid());
            RelayMetrics before = RelayMetrics.read(relay);
            double cpu = ProcessStats.cpuSeconds(relay.pid());
            double storeCpu = ProcessStats.cpuSeconds(store.pid());
            Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
            cpu = ProcessStats.cpuSeconds(relay.pid()) - cpu;
            storeCpu = ProcessStats.cpuSeconds(store.pid()) - storeCpu;
            RelayMetrics window = RelayMetrics.read(relay).minus(before);
            rss.stop();
            int up = (int) publishers.stream().filter(Process::isAlive).count();
            List<FirstFrame.Timing> firstFrames = new ArrayList<>();
            if (recorded) { // while the cameras go on publishing and the relay recording
                firstFrames = firstFrames(relay, ids, publishing, Integer.parseInt(o.get("moments")));
            }
            Side side = new Side(
                    recorded,
                    cpu,
                    rss.peakMb(),
                    rss.steadyMb(),
                    storeCpu,
                    window,
                    store.stored(prefix),
                    up,
                    firstFrames);
            System.out.println(RecordingReport.summary(side, seconds));
            return side;
        } finally {
            for (Process p : publishers) {
                Bench.stop(p);
            }
        }
    }

    /** Moments spread over what has been recorded so far (each at least a segment old), each on one stream. */
    private static List<FirstFrame.Timing> firstFrames(
            PicamRelay relay, List<String> ids, Instant publishing, int moments) throws Exception {
        FirstFrame probe = new FirstFrame(relay.port(), relay.cookie());
        Random random = new Random(42);
        Instant earliest = publishing.plusSeconds(2);
        Instant latest = Instant.now().minusSeconds(15);
        long span = Duration.between(earliest, latest).toMillis();
        List<FirstFrame.Timing> timings = new ArrayList<>();
        for (int i = 0; i < moments; i++) {
            Instant moment = earliest.plusMillis((long) (random.nextDouble() * span));
            timings.add(probe.measure(ids.get(i % ids.size()), moment));
        }
        return timings;
    }

    /**
     * ffmpeg sending the clip in a loop, in real time, as fragmented MP4 (copied, not encoded again: ten encoders
     * would measure the machine, not the relay), the way a Pi publishes.
     */
    private static Process publish(Path clip, int port, String id, String secret) throws IOException {
        Path log = Files.createTempFile("picam-bench-publisher", ".log");
        return new ProcessBuilder(
                        FfmpegLocator.locate().toString(),
                        "-nostdin",
                        "-hide_banner",
                        "-loglevel",
                        "error",
                        "-re",
                        "-stream_loop",
                        "-1",
                        "-i",
                        clip.toString(),
                        "-c",
                        "copy",
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
                        "http://127.0.0.1:" + port + "/ingest/" + id)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    /** A 20 s H.264 test pattern (720p, 25 fps, constant bitrate, a keyframe every {@code gop} frames). */
    private static Path sourceClip(long bitrate, int gop) throws IOException, InterruptedException {
        Path out = Files.createTempDirectory("picam-bench-clip").resolve("clip.mp4");
        String rate = String.valueOf(bitrate);
        Process ffmpeg = new ProcessBuilder(
                        FfmpegLocator.locate().toString(),
                        "-nostdin",
                        "-hide_banner",
                        "-loglevel",
                        "error",
                        "-f",
                        "lavfi",
                        "-i",
                        "testsrc2=size=1280x720:rate=25",
                        "-t",
                        "20",
                        "-c:v",
                        "libx264",
                        "-preset",
                        "veryfast",
                        "-pix_fmt",
                        "yuv420p",
                        "-b:v",
                        rate,
                        "-minrate",
                        rate,
                        "-maxrate",
                        rate,
                        "-bufsize",
                        rate,
                        "-x264-params",
                        "nal-hrd=cbr",
                        "-g",
                        String.valueOf(gop),
                        "-keyint_min",
                        String.valueOf(gop),
                        "-sc_threshold",
                        "0",
                        "-bf",
                        "0",
                        "-movflags",
                        "+faststart",
                        out.toString())
                .inheritIO()
                .start();
        if (!ffmpeg.waitFor(300, TimeUnit.SECONDS) || ffmpeg.exitValue() != 0) {
            throw new IllegalStateException("ffmpeg could not make the clip");
        }
        return out;
    }
}
