package io.picam.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.picam.media.ffmpeg.FfmpegLocator;

/**
 * The fan-out benchmark: picam's relay and a baseline in the original's architecture under the same load
 * (a paced MPEG-TS publisher, N WebSocket viewers, a share of them stalled, a late joiner every second).
 *
 * <pre>
 * options: --viewers 100,500,1000  --bitrates 1M,4M  --stalled 0,0.2  --duration 30  --gop 25
 *          --targets picam,baseline  --relay-jar relay-app/target/quarkus-app/quarkus-run.jar
 *          --jvm-opts "-Xmx192m -XX:+UseSerialGC -Xss512k" (the relay's, as for a 512 MB dyno)
 *          --out docs/BENCHMARKS.md (appends a Markdown table)
 * </pre>
 */
public final class FanoutBenchmark {

    private FanoutBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = options(args);
        List<Integer> viewers = Arrays.stream(o.get("viewers").split(",")).map(Integer::parseInt).toList();
        List<Long> bitrates = Arrays.stream(o.get("bitrates").split(",")).map(FanoutBenchmark::bits).toList();
        List<Double> stalled = Arrays.stream(o.get("stalled").split(",")).map(Double::parseDouble).toList();
        List<String> targets = List.of(o.get("targets").split(","));
        int seconds = Integer.parseInt(o.get("duration"));
        int gop = Integer.parseInt(o.get("gop"));

        List<Scenario.Result> results = new ArrayList<>();
        for (long bitrate : bitrates) {
            byte[] clip = clip(bitrate, gop);
            for (int n : viewers) {
                for (double s : stalled) {
                    for (String target : targets) {
                        try (RelayUnderTest relay = start(target, o)) {
                            System.out.printf(Locale.ROOT, "running %s %s %d viewers, %.0f%% stalled, %d s...%n",
                                    target, o.get("bitrates"), n, s * 100, seconds);
                            Scenario.Result r = Scenario.run(relay, clip, bitrate, n, s, seconds, target.equals("picam"));
                            results.add(r);
                            System.out.println(Report.row(r, results));
                        }
                    }
                }
            }
        }
        String table = Report.table(results, gop, seconds);
        System.out.println();
        System.out.println(table);
        if (o.containsKey("out")) {
            Files.writeString(Path.of(o.get("out")), table + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        System.exit(0);
    }

    private static RelayUnderTest start(String target, Map<String, String> o) throws Exception {
        int port = Bench.freePort();
        if (target.equals("picam")) {
            return new PicamRelay(Path.of(o.get("relay-jar")), o.get("jvm-opts"), port);
        }
        if (target.equals("baseline")) {
            return new BaselineRelay(Path.of("benchmark", "baseline"), port);
        }
        throw new IllegalArgumentException("unknown target " + target);
    }

    /** A 10 s MPEG-1 test-pattern clip at about the bitrate, looped by the publisher. */
    static byte[] clip(long bitrate, int gop) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("picam-bench-clip");
        Path out = dir.resolve("clip.ts");
        String rate = String.valueOf(bitrate);
        Process ffmpeg = new ProcessBuilder(FfmpegLocator.locate().toString(), "-nostdin", "-hide_banner", "-loglevel", "error",
                "-f", "lavfi", "-i", "testsrc=size=640x360:rate=25", "-t", "10", "-c:v", "mpeg1video",
                "-b:v", rate, "-minrate", rate, "-maxrate", rate, "-bufsize", rate, "-bf", "0", "-g", String.valueOf(gop),
                "-f", "mpegts", out.toString()).inheritIO().start();
        if (!ffmpeg.waitFor(120, TimeUnit.SECONDS) || ffmpeg.exitValue() != 0) {
            throw new IllegalStateException("ffmpeg could not make the clip");
        }
        byte[] bytes = Files.readAllBytes(out);
        return Arrays.copyOf(bytes, bytes.length / 188 * 188);
    }

    static long bits(String s) {
        String t = s.trim().toUpperCase(Locale.ROOT);
        if (t.endsWith("M")) {
            return (long) (Double.parseDouble(t.substring(0, t.length() - 1)) * 1_000_000);
        }
        if (t.endsWith("K")) {
            return (long) (Double.parseDouble(t.substring(0, t.length() - 1)) * 1_000);
        }
        return Long.parseLong(t);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>(Map.of("viewers", "100,500,1000", "bitrates", "1M,4M", "stalled", "0,0.2",
                "duration", "30", "gop", "25", "targets", "picam,baseline",
                "relay-jar", "relay-app/target/quarkus-app/quarkus-run.jar", "jvm-opts", "-Xmx192m -XX:+UseSerialGC -Xss512k"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value, got " + args[i]);
            }
            o.put(args[i].substring(2), args[i + 1]);
        }
        return o;
    }
}
