package io.picam.bench;

import io.picam.media.ffmpeg.FfmpegLocator;
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
import java.util.stream.Collectors;

/**
 * The fan-out benchmark: picam's relay and a baseline in the original's architecture under the same load
 * (a paced MPEG-TS publisher, N WebSocket viewers, a share of them stalled, a late joiner every second).
 *
 * <pre>
 * options: --scenarios 500x1M,1000x2M,2000x0.5M (viewers x bitrate pairs; or every pair of
 *          --viewers 100,500,1000 and --bitrates 1M,4M)  --stalled 0,0.2  --duration 30  --gop 25
 *          --warmup 50 (seconds of publishing before the measured window: the JIT compiles the media path in the
 *          first 20-30 s, the first runs of the relay's periodic jobs and its one start-up heap collection (45 s
 *          after start) pause it once each: one-time costs that a relay running for days does not pay again)
 *          --targets picam,baseline (picam:JAR: another build, as a row of its own; picam@OPTION@OPTION: this
 *          build with more JVM options or environment, e.g. picam@-Xmn8m@MALLOC_ARENA_MAX=2)  --relay-jar relay-app/target/quarkus-app/quarkus-run.jar
 *          --jvm-opts "-Xmx..." (default: the JVM options of the Procfile's web process, as on a dyno)
 *          --out docs/BENCHMARKS.md (appends a Markdown table)
 * </pre>
 */
public final class FanoutBenchmark {

    private FanoutBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o = options(args);
        List<long[]> sizes = new ArrayList<>(); // {viewers, bitrate}
        if (o.containsKey("scenarios")) {
            for (String pair : o.get("scenarios").split(",")) {
                String[] vb = pair.trim().split("x", 2);
                sizes.add(new long[] {Integer.parseInt(vb[0]), bits(vb[1])});
            }
        } else {
            for (String b : o.get("bitrates").split(",")) {
                for (String v : o.get("viewers").split(",")) {
                    sizes.add(new long[] {Integer.parseInt(v.trim()), bits(b)});
                }
            }
        }
        List<Double> stalled = Arrays.stream(o.get("stalled").split(","))
                .map(Double::parseDouble)
                .toList();
        List<String> targets = List.of(o.get("targets").split(","));
        int seconds = Integer.parseInt(o.get("duration"));
        Scenario.warmup(Integer.parseInt(o.get("warmup")));
        int gop = Integer.parseInt(o.get("gop"));

        List<Scenario.Result> results = new ArrayList<>();
        Map<Long, byte[]> clips = new HashMap<>();
        for (long[] size : sizes) {
            int n = (int) size[0];
            long bitrate = size[1];
            byte[] clip = clips.computeIfAbsent(bitrate, b -> {
                try {
                    return clip(b, gop);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            for (double s : stalled) {
                // the targets alternate, scenario by scenario, so that the machine's other load hits both alike
                for (String target : targets) {
                    try (RelayUnderTest relay = start(target, o)) {
                        System.out.printf(
                                Locale.ROOT,
                                "running %s %.1f Mb/s %d viewers, %.0f%% stalled, %d s...%n",
                                target,
                                bitrate / 1e6,
                                n,
                                s * 100,
                                seconds);
                        Scenario.Result r =
                                Scenario.run(relay, clip, bitrate, n, s, seconds, target.startsWith("picam"));
                        results.add(r);
                        System.out.println(Report.row(r, results));
                    }
                }
            }
        }
        String table = Report.table(results, gop, seconds);
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

    private static RelayUnderTest start(String target, Map<String, String> o) throws Exception {
        int port = Bench.freePort();
        if (target.equals("picam")) {
            return new PicamRelay(Path.of(o.get("relay-jar")), o.get("jvm-opts"), port);
        }
        if (target.startsWith("picam:")) { // another build of the relay, e.g. picam:../main/relay-app/target/...jar
            return new PicamRelay(Path.of(target.substring("picam:".length())), o.get("jvm-opts"), port, target);
        }
        if (target.startsWith("picam@")) { // this build, more JVM options after the Procfile's: A/B of a setting
            String more = target.substring("picam@".length()).replace('@', ' ');
            return new PicamRelay(Path.of(o.get("relay-jar")), o.get("jvm-opts") + " " + more, port, target);
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
        Process ffmpeg = new ProcessBuilder(
                        FfmpegLocator.locate().toString(),
                        "-nostdin",
                        "-hide_banner",
                        "-loglevel",
                        "error",
                        "-f",
                        "lavfi",
                        "-i",
                        "testsrc=size=640x360:rate=25",
                        "-t",
                        "10",
                        "-c:v",
                        "mpeg1video",
                        "-b:v",
                        rate,
                        "-minrate",
                        rate,
                        "-maxrate",
                        rate,
                        "-bufsize",
                        rate,
                        "-bf",
                        "0",
                        "-g",
                        String.valueOf(gop),
                        "-f",
                        "mpegts",
                        out.toString())
                .inheritIO()
                .start();
        if (!ffmpeg.waitFor(120, TimeUnit.SECONDS) || ffmpeg.exitValue() != 0) {
            throw new IllegalStateException("ffmpeg could not make the clip");
        }
        byte[] bytes = Files.readAllBytes(out);
        return Arrays.copyOf(bytes, bytes.length / 188 * 188);
    }

    /**
     * The JVM options ({@code -X...}) and environment settings of the Procfile's web process, so that benchmarks run
     * the relay as a dyno does.
     */
    static String procfileJvmOptions() {
        try {
            for (String line : Files.readAllLines(Path.of("Procfile"))) {
                if (line.startsWith("web:")) {
                    // the -X options, Netty's allocator and the JDK's NIO settings, and variables set for the process
                    // (MALLOC_ARENA_MAX=2 java ...); not the relay's own -D settings (proxy headers)
                    return Arrays.stream(line.split("\\s+"))
                            .filter(t -> t.startsWith("-X")
                                    || t.startsWith("-Dio.netty.")
                                    || t.startsWith("-Djdk.")
                                    || t.matches("[A-Z_]+=[^$]*"))
                            .collect(Collectors.joining(" "));
                }
            }
        } catch (IOException e) {
            // run from elsewhere: the dyno's basics
        }
        return "-Xmx192m -XX:+UseSerialGC -Xss512k";
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
        Map<String, String> o = new HashMap<>(Map.of(
                "viewers",
                "100,500,1000",
                "bitrates",
                "1M,4M",
                "stalled",
                "0,0.2",
                "duration",
                "30",
                "gop",
                "25",
                "warmup",
                "50",
                "targets",
                "picam,baseline",
                "relay-jar",
                "relay-app/target/quarkus-app/quarkus-run.jar",
                "jvm-opts",
                procfileJvmOptions()));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value, got " + args[i]);
            }
            o.put(args[i].substring(2), args[i + 1]);
        }
        return o;
    }
}
