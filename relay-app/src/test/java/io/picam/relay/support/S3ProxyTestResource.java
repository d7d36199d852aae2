package io.picam.relay.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A real S3 API server for the recording tests: S3Proxy (from Maven Central, its jar-with-dependencies) with its
 * filesystem backend, run as a separate process so that a test can stop the store and start it again on the same
 * port and data.
 */
public class S3ProxyTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String BUCKET = "recordings";
    public static final String ACCESS_KEY = "picam-test";
    public static final String SECRET_KEY = "picam-test-secret";

    private static Process process;
    private static Path config;
    private static Path log;
    private static int port;

    @Override
    public Map<String, String> start() {
        try {
            Path dir = Files.createTempDirectory("picam-s3proxy");
            Path data = Files.createDirectories(dir.resolve("data"));
            Files.createDirectories(data.resolve(BUCKET));
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            config = dir.resolve("s3proxy.conf");
            log = dir.resolve("s3proxy.log");
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
            startProcess();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start S3Proxy", e);
        }
        return Map.of(
                "picam.recording-s3.endpoint",
                "http://127.0.0.1:" + port,
                "picam.recording-s3.region",
                "us-east-1",
                "picam.recording-s3.bucket",
                BUCKET,
                "picam.recording-s3.access-key-id",
                ACCESS_KEY,
                "picam.recording-s3.secret-access-key",
                SECRET_KEY,
                "picam.recording-s3.prefix",
                "test/");
    }

    /** The store stops answering (its process ends; connections are refused). */
    public static synchronized void stopStore() {
        if (process != null) {
            process.destroy();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /** The store comes back with the same data on the same port. */
    public static synchronized void startStore() {
        try {
            startProcess();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void startProcess() throws IOException {
        String jar = s3ProxyJar();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        process = new ProcessBuilder(List.of(java, "-Xmx256m", "-jar", jar, "--properties", config.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IOException("S3Proxy exited: " + Files.readString(log));
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        throw new IOException("S3Proxy did not listen on port " + port + " within 60 s");
    }

    /** The jar-with-dependencies that Maven put into the local repository (a test dependency of the relay). */
    private static String s3ProxyJar() throws IOException {
        String configured = System.getProperty("s3proxy.jar"); // set by the relay's pom
        if (configured != null && Files.isRegularFile(Path.of(configured))) {
            return configured;
        }
        Path repo =
                Path.of(System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository"));
        try (var versions = Files.list(repo.resolve("org/gaul/s3proxy"))) {
            return versions.filter(Files::isDirectory)
                    .sorted()
                    .map(v -> v.resolve("s3proxy-" + v.getFileName() + "-jar-with-dependencies.jar"))
                    .filter(Files::isRegularFile)
                    .reduce((a, b) -> b)
                    .orElseThrow(() -> new IOException("no S3Proxy jar under " + repo))
                    .toString();
        }
    }

    @Override
    public void stop() {
        stopStore();
    }
}
