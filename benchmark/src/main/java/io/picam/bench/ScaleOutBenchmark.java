package io.picam.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.Socket;
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

/**
 * What the hop between relay instances costs: the same load (a paced MPEG-TS publisher on instance A, N viewers,
 * a late joiner every second) once with the viewers on A, once with them on B, so that every byte goes A → Redis
 * → B. Both runs have two instances, one PostgreSQL and one Redis (Debian's redis-server), so the differences are
 * the hop's: added latency, CPU of both instances, memory.
 *
 * <pre>
 * options: --viewers 100,500  --bitrates 1M,4M  --duration 20  --gop 25
 *          --relay-jar relay-app/target/quarkus-app/quarkus-run.jar  --jvm-opts (default: the Procfile's)
 *          --redis-server /usr/bin/redis-server  --out docs/BENCHMARKS.md (appends a Markdown table)
 * </pre>
 */
public final class ScaleOutBenchmark {

    private ScaleOutBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>(Map.of(
                "viewers",
                "100,500",
                "bitrates",
                "1M,4M",
                "duration",
                "20",
                "gop",
                "25",
                "relay-jar",
                "relay-app/target/quarkus-app/quarkus-run.jar",
                "jvm-opts",
                FanoutBenchmark.procfileJvmOptions(),
                "redis-server",
                "/usr/bin/redis-server"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i].substring(2), args[i + 1]);
        }
        Path redisBinary = Path.of(o.get("redis-server"));
        if (!Files.isExecutable(redisBinary)) {
            throw new IllegalStateException(
                    "no Redis at " + redisBinary + ": apt-get install redis-server, or --redis-server PATH");
        }
        int seconds = Integer.parseInt(o.get("duration"));
        int gop = Integer.parseInt(o.get("gop"));
        Path jar = Path.of(o.get("relay-jar"));
        List<Scenario.Result> results = new ArrayList<>();
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().start()) {
            for (String bitrateText : o.get("bitrates").split(",")) {
                long bitrate = FanoutBenchmark.bits(bitrateText);
                byte[] clip = FanoutBenchmark.clip(bitrate, gop);
                for (int n : Arrays.stream(o.get("viewers").split(","))
                        .map(Integer::parseInt)
                        .toList()) {
                    for (boolean cross : List.of(false, true)) {
                        Process redis = startRedis(redisBinary);
                        String database = "postgres://postgres:postgres@127.0.0.1:" + postgres.getPort() + "/"
                                + freshDatabase(postgres);
                        try (RelayPair pair =
                                new RelayPair(jar, o.get("jvm-opts"), database, redisUrl(redis), redis.pid(), cross)) {
                            System.out.printf(
                                    Locale.ROOT,
                                    "running %s %s %d viewers, %d s...%n",
                                    pair.name(),
                                    bitrateText,
                                    n,
                                    seconds);
                            Scenario.Result r = Scenario.run(pair, clip, bitrate, n, 0, seconds, true);
                            results.add(r);
                            System.out.println(row(r, results));
                        } finally {
                            Bench.stop(redis);
                        }
                    }
                }
            }
        }
        StringBuilder table = new StringBuilder(String.format(
                Locale.ROOT,
                "%nScale-out hop: %d s measured per run after 5 s of warm-up; GOP %d frames at 25 fps; two instances, one "
                        + "PostgreSQL, one Redis on this machine; CPU and RSS are both instances' and Redis' together.%n%n",
                seconds,
                gop));
        table.append(
                "| viewers on | bitrate | viewers | delivered | p50 ms | p99 ms | max ms | CPU s (A+B+Redis) | CPU vs same instance "
                        + "| peak RSS MB (A+B+Redis) | late join p50 / max ms |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        results.forEach(r -> table.append(row(r, results)).append('\n'));
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

    private static int port;
    private static int databases;

    private static Process startRedis(Path binary) throws Exception {
        port = Bench.freePort();
        Process redis = new ProcessBuilder(Bench.atDefaultPriority(List.of(
                        binary.toString(),
                        "--port",
                        String.valueOf(port),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return redis;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("redis-server did not start");
    }

    private static String redisUrl(Process redis) {
        return "redis://127.0.0.1:" + port;
    }

    /** A new database per run, so that every pair of instances starts as on a fresh deploy. */
    private static String freshDatabase(EmbeddedPostgres postgres) throws Exception {
        String name = "bench" + (++databases);
        try (var c = postgres.getPostgresDatabase().getConnection();
                var s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return name;
    }

    private static String row(Scenario.Result r, List<Scenario.Result> all) {
        Scenario.Result same = all.stream()
                .filter(b -> b.target().contains("idle") && b.bitrate() == r.bitrate() && b.viewers() == r.viewers())
                .findFirst()
                .orElse(null);
        String ratio = same == null || same == r
                ? ""
                : String.format(Locale.ROOT, "%.2fx", r.cpuSeconds() / same.cpuSeconds());
        return String.format(
                Locale.ROOT,
                "| %s | %.1f Mb/s | %d | %.1f%% | %.1f | %.1f | %.1f | %.1f | %s | %.0f | %.1f / %.1f%s |",
                r.target(),
                r.bitrate() / 1e6,
                r.viewers(),
                r.deliveredPercent(),
                r.p50(),
                r.p99(),
                r.max(),
                r.cpuSeconds(),
                ratio,
                r.peakRssMb(),
                r.lateJoinP50(),
                r.lateJoinMax(),
                r.lateJoinsNotDecodable() > 0 ? " (" + r.lateJoinsNotDecodable() + " not at a join point)" : "");
    }
}
