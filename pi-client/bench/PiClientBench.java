import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * What the Pi client costs while it streams: starts the packaged client ({@code picam stream --source test}, ffmpeg's
 * test pattern) against a sink in this process that stands in for the relay (it takes the chunked upload, answers
 * {@code /q/health/ready}), and prints the time from the client's start to the first byte at the sink, then, over a
 * measuring window after a warm-up: the JVM's CPU (its own utime + stime from /proc; ffmpeg, a child, excluded),
 * resident memory (VmRSS sampled every second, VmHWM, smaps_rollup), threads by name, and, with
 * {@code --nmt}, the JVM's Native Memory Tracking summary (heap, metaspace, code cache, threads, GC, ...).
 *
 * <pre>
 * java pi-client/bench/PiClientBench.java --app pi-client/target/quarkus-app [--opts "-Xmx64m"] [--launcher]
 *      [--warmup 15] [--seconds 60] [--bitrate 2M] [--size 640x360] [--format fmp4] [--nmt] [--runs 1]
 *      [--env MALLOC_ARENA_MAX=2,...]
 * </pre>
 * {@code --launcher} runs the {@code picam} script (its default JVM options, or {@code --opts} through
 * PICAM_JAVA_OPTS); otherwise {@code java <opts> -jar quarkus-run.jar}. Nothing here is a test: it prints numbers.
 */
public class PiClientBench {

    public static void main(String[] args) throws Exception {
        Map<String, String> o = options(args);
        Path app =
                Path.of(o.getOrDefault("app", "pi-client/target/quarkus-app")).toAbsolutePath();
        int runs = Integer.parseInt(o.getOrDefault("runs", "1"));
        for (int i = 1; i <= runs; i++) {
            if (runs > 1) {
                System.out.printf("--- run %d of %d%n", i, runs);
            }
            run(app, o);
        }
    }

    private static void run(Path app, Map<String, String> o) throws Exception {
        int warmup = Integer.parseInt(o.getOrDefault("warmup", "15"));
        int seconds = Integer.parseInt(o.getOrDefault("seconds", "60"));
        boolean nmt = o.containsKey("nmt");
        String opts = o.get("opts");
        if (nmt) {
            opts = (opts == null ? "-Xmx64m" : opts) + " -XX:NativeMemoryTracking=summary";
        }
        Sink sink = new Sink();
        Path dir = Files.createTempDirectory("picam-bench");
        Path secret = dir.resolve("secret");
        Files.writeString(secret, "bench-secret\n");
        Files.setPosixFilePermissions(secret, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        List<String> command = new ArrayList<>();
        if (o.containsKey("launcher")) {
            command.add(app.resolve("picam").toString());
        } else {
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(List.of((opts == null ? "-Xmx64m" : opts).trim().split("\\s+")));
            command.addAll(List.of("-jar", app.resolve("quarkus-run.jar").toString()));
        }
        command.addAll(List.of(
                "stream",
                "--source",
                "test",
                "--format",
                o.getOrDefault("format", "fmp4"),
                "--encoder-binary",
                noisyFfmpeg(app).toString(),
                "--size",
                o.getOrDefault("size", "640x360"),
                "--bitrate",
                o.getOrDefault("bitrate", "2M"),
                "--relay",
                "http://127.0.0.1:" + sink.port(),
                "--stream",
                "bench",
                "--secret-file",
                secret.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("client.log").toFile());
        builder.environment().put("PICAM_CONFIG", "");
        for (String kv : o.getOrDefault("env", "").split(",")) { // e.g. --env MALLOC_ARENA_MAX=2
            if (kv.contains("=")) {
                builder.environment().put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
            }
        }
        if (o.containsKey("launcher") && opts != null) {
            builder.environment().put("PICAM_JAVA_OPTS", opts);
        }
        System.out.println("client: " + String.join(" ", command));
        long start = System.nanoTime();
        Process client = builder.start();
        try {
            long pid = javaPid(client);
            while (sink.firstByteNanos.get() == 0
                    && client.isAlive()
                    && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(60)) {
                Thread.sleep(5);
            }
            if (sink.firstByteNanos.get() == 0) {
                throw new IllegalStateException("no byte reached the sink; see " + dir.resolve("client.log"));
            }
            System.out.printf(
                    Locale.ROOT,
                    "start -> upload connected: %d ms, -> first byte at the sink: %d ms%n",
                    (sink.connectedNanos.get() - start) / 1_000_000,
                    (sink.firstByteNanos.get() - start) / 1_000_000);
            Thread.sleep(warmup * 1000L);
            Map<String, Long> threadTicks0 = threadTicks(pid);
            long cpu0 = cpuTicks(pid);
            long bytes0 = sink.bytes.get();
            long t0 = System.nanoTime();
            long maxRss = 0;
            for (int s = 0; s < seconds; s++) {
                Thread.sleep(1000);
                maxRss = Math.max(maxRss, status(pid, "VmRSS"));
            }
            long cpu1 = cpuTicks(pid);
            double wall = (System.nanoTime() - t0) / 1e9;
            long bytes = sink.bytes.get() - bytes0;
            double cpuSeconds = (cpu1 - cpu0) / 100.0; // USER_HZ
            System.out.printf(
                    Locale.ROOT,
                    "window: %.0f s after %d s of warm-up, %.0f kb/s received%n",
                    wall,
                    warmup,
                    bytes * 8 / wall / 1000);
            System.out.printf(
                    Locale.ROOT,
                    "CPU: %.2f s = %.2f %% of one core (the JVM only)%n",
                    cpuSeconds,
                    100 * cpuSeconds / wall);
            System.out.printf(
                    "RSS: %d kB now, %d kB peak in the window, %d kB VmHWM; threads: %d%n",
                    status(pid, "VmRSS"), maxRss, status(pid, "VmHWM"), status(pid, "Threads"));
            System.out.println("smaps_rollup: " + rollup(pid));
            System.out.println("threads: " + threads(pid));
            Map<String, Long> threadTicks1 = threadTicks(pid);
            StringBuilder busy = new StringBuilder();
            threadTicks1.entrySet().stream()
                    .map(e -> Map.entry(e.getKey(), e.getValue() - threadTicks0.getOrDefault(e.getKey(), 0L)))
                    .filter(e -> e.getValue() > 0)
                    .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                    .forEach(e -> busy.append(e.getKey().replaceFirst("^\\d+ ", ""))
                            .append(' ')
                            .append(e.getValue() * 10)
                            .append(" ms, "));
            System.out.println("CPU by thread in the window: " + busy.toString().replaceAll(", $", ""));
            if (nmt) {
                Process jcmd = new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "jcmd")
                                        .toString(),
                                String.valueOf(pid),
                                "VM.native_memory",
                                "summary")
                        .redirectErrorStream(true)
                        .start();
                String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                jcmd.waitFor();
                out.lines()
                        .filter(l -> l.startsWith("Total")
                                || l.startsWith("-")
                                || l.contains("committed=") && l.contains("(") && !l.contains("#"))
                        .forEach(l -> System.out.println("NMT " + l.strip()));
            }
        } finally {
            client.descendants().forEach(ProcessHandle::destroy);
            client.destroy();
            client.waitFor(30, TimeUnit.SECONDS); // the run that makes the class data archive writes it at exit
            client.descendants().forEach(ProcessHandle::destroyForcibly);
            client.destroyForcibly();
            sink.stop();
        }
    }

    /**
     * ffmpeg's test pattern is so regular that x264 spends a fraction of the bitrate it is given: this wrapper adds
     * noise to it, so that the client carries what it would carry from a camera (about --bitrate). It lives below the
     * working directory (root's, not writable by others), as the client run as root refuses an encoder in /tmp.
     */
    private static Path noisyFfmpeg(Path app) throws IOException {
        Path real;
        try (Stream<Path> bundled =
                Files.exists(app.resolve("ffmpeg")) ? Files.list(app.resolve("ffmpeg")) : Stream.empty()) {
            real = bundled.filter(p -> p.getFileName().toString().startsWith("ffmpeg-"))
                    .findFirst()
                    .orElse(Path.of("ffmpeg"));
        }
        Path dir = Files.createDirectories(Path.of("target", "pi-client-bench").toAbsolutePath());
        Path script = dir.resolve("ffmpeg-noisy");
        Files.writeString(
                script,
                "#!/bin/sh\nfor a; do shift; case $a in testsrc=*) set -- \"$@\" \"$a,noise=alls=40:allf=t\";;"
                        + " *) set -- \"$@\" \"$a\";; esac; done\nexec " + real + " \"$@\"\n");
        Files.setPosixFilePermissions(script, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    /**
     * The JVM: the started process itself, as the launcher execs java, except on the run that makes the class data
     * archive, where java is the launcher's child.
     */
    private static long javaPid(Process p) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            if (p.info().command().orElse("").endsWith("/java")) {
                return p.pid();
            }
            var child = p.children()
                    .filter(c -> c.info().command().orElse("").endsWith("/java"))
                    .findFirst();
            if (child.isPresent()) {
                return child.get().pid();
            }
            Thread.sleep(10);
        }
        return p.pid();
    }

    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
    }

    /** utime + stime of each thread, keyed by "tid name". */
    private static Map<String, Long> threadTicks(long pid) throws IOException {
        Map<String, Long> ticks = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks.put(t.getFileName() + " " + name, Long.parseLong(f[11]) + Long.parseLong(f[12]));
                } catch (IOException gone) {
                    // the thread ended
                }
            }
        }
        return ticks;
    }

    private static long status(long pid, String key) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(key + ":")) {
                return Long.parseLong(
                        line.substring(key.length() + 1).replace("kB", "").strip());
            }
        }
        return -1;
    }

    private static String rollup(long pid) throws IOException {
        StringBuilder b = new StringBuilder();
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/smaps_rollup"))) {
            String[] kv = line.split(":\\s+");
            if (kv.length == 2
                    && List.of("Rss", "Pss", "Anonymous", "Shared_Clean", "Private_Clean")
                            .contains(kv[0])) {
                b.append(kv[0]).append(' ').append(kv[1].replace(" kB", "")).append(" kB, ");
            }
        }
        return b.toString().replaceAll(", $", "");
    }

    private static String threads(long pid) throws IOException {
        Map<String, Integer> names = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String name = Files.readString(t.resolve("comm")).strip().replaceAll("[0-9]+$", "#");
                    names.merge(name, 1, Integer::sum);
                } catch (IOException gone) {
                    // the thread ended
                }
            }
        }
        return names.toString();
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new TreeMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i].replaceFirst("^--", "");
            if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                o.put(name, args[++i]);
            } else {
                o.put(name, "true");
            }
        }
        return o;
    }

    /** The relay's two endpoints the client uses while streaming: the upload, and readiness. */
    static final class Sink {

        final AtomicLong connectedNanos = new AtomicLong();
        final AtomicLong firstByteNanos = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        private final HttpServer server;

        Sink() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/q/health/ready", e -> answer(e, 200));
            server.createContext("/ingest/", this::ingest);
            server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        private void ingest(HttpExchange e) throws IOException {
            connectedNanos.compareAndSet(0, System.nanoTime());
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = e.getRequestBody()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    firstByteNanos.compareAndSet(0, System.nanoTime());
                    bytes.addAndGet(n);
                }
            } catch (IOException closed) {
                // the client went away
            }
            answer(e, 200);
        }

        private static void answer(HttpExchange e, int status) throws IOException {
            e.sendResponseHeaders(status, -1);
            e.close();
        }

        void stop() {
            server.stop(0);
        }
    }
}
