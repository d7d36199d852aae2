package io.picam.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real S3 API server for the recording benchmark: S3Proxy's jar-with-dependencies from Maven Central (as the
 * relay's recording tests run it) with its filesystem backend, as a process at the default priority like the relay.
 * Its jar stays off the benchmark's class path (its bundled libraries would clash with Vert.x): the pom passes its
 * path in {@code s3proxy.jar}.
 */
final class S3ProxyServer implements AutoCloseable {

    static final String BUCKET = "recordings";
    private static final String ACCESS_KEY = "picam-bench";
    private static final String SECRET_KEY = "picam-bench-secret";

    private final Process process;
    private final Path data;
    private final int port;

    S3ProxyServer() throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("s3proxy.jar", ""));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    "no S3Proxy jar at '" + jar + "': run through the benchmark's pom (-Pbench)");
        }
        Path dir = Files.createTempDirectory("picam-bench-s3");
        data = Files.createDirectories(dir.resolve("data"));
        Files.createDirectories(data.resolve(BUCKET));
        port = Bench.freePort();
        Path config = dir.resolve("s3proxy.conf");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "s3proxy.endpoint=http://127.0.0.1:" + port,
                        "s3proxy.authorization=aws-v2-or-v4",
                        "s3proxy.identity=" + ACCESS_KEY,
                        "s3proxy.credential=" + SECRET_KEY,
                        "jclouds.provider=filesystem",
                        "jclouds.filesystem.basedir=" + data,
                        "jclouds.identity=" + ACCESS_KEY,
                        "jclouds.credential=" + SECRET_KEY,
                        ""));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        process = new ProcessBuilder(Bench.atDefaultPriority(
                        List.of(java, "-Xmx256m", "-jar", jar.toString(), "--properties", config.toString())))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("s3proxy.log").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    Bench.stop(process);
                    throw new IllegalStateException(
                            "S3Proxy did not start: " + Files.readString(dir.resolve("s3proxy.log")));
                }
                Thread.sleep(200);
            }
        }
    }

    /** The relay's settings for this store (as environment variables). */
    Map<String, String> relayEnvironment(String prefix) {
        return Map.of(
                "PICAM_RECORDING_S3_ENDPOINT", "http://127.0.0.1:" + port,
                "PICAM_RECORDING_S3_REGION", "us-east-1",
                "PICAM_RECORDING_S3_BUCKET", BUCKET,
                "PICAM_RECORDING_S3_ACCESS_KEY_ID", ACCESS_KEY,
                "PICAM_RECORDING_S3_SECRET_ACCESS_KEY", SECRET_KEY,
                "PICAM_RECORDING_S3_PREFIX", prefix);
    }

    /** Objects and bytes stored under the prefix, counted on S3Proxy's disk. */
    long[] stored(String prefix) throws IOException {
        Path root = data.resolve(BUCKET).resolve(prefix);
        if (!Files.isDirectory(root)) {
            return new long[] {0, 0};
        }
        long[] totals = new long[2];
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(Files::isRegularFile).forEach(f -> {
                totals[0]++;
                totals[1] += f.toFile().length();
            });
        }
        return totals;
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        Bench.stop(process);
    }
}
