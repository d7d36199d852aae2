package io.picam.relay.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged relay started exactly as Heroku starts it: the Procfile's {@code web:} line, run by a shell in
 * the repository root, with {@code PORT} and the configuration in the environment.
 */
final class ProcfileRelay implements AutoCloseable {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path root;
    private final String webLine;
    private final Map<String, String> env;
    private final int port;
    private final Path log;
    private Process process;

    ProcfileRelay(Map<String, String> env) throws IOException {
        root = Path.of(System.getProperty("picam.root", "..")).toAbsolutePath().normalize();
        Path jar = root.resolve("relay-app/target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("the relay is not packaged at " + jar + ": run ./mvnw verify from the top");
        }
        webLine = Files.readAllLines(root.resolve("Procfile"), StandardCharsets.UTF_8).stream()
                .filter(line -> line.startsWith("web:"))
                .map(line -> line.substring(4).strip())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("the Procfile has no web: line"));
        this.env = env;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        log = Files.createTempFile("picam-it-relay", ".log");
    }

    Path root() {
        return root;
    }

    String webLine() {
        return webLine;
    }

    /** Starts the web process and returns when it answers. */
    void start() throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", "exec " + webLine)
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        builder.environment().put("PORT", String.valueOf(port));
        process = builder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the relay exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                HttpResponse<Void> answer = HTTP.send(
                        HttpRequest.newBuilder(url("/q/health/live")).build(), HttpResponse.BodyHandlers.discarding());
                if (answer.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the relay did not answer within 90 s:\n" + log());
    }

    /** SIGTERM, as Heroku sends it at the daily restart; the milliseconds until the process was gone. */
    long terminate() throws InterruptedException {
        long start = System.nanoTime();
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the relay did not exit within 30 s of SIGTERM (Heroku kills it then)");
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    /** SIGKILL: the process is gone without a goodbye, as in a crash or an out-of-memory kill. */
    void crash() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    int port() {
        return port;
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    String log() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    /**
     * SIGTERM first, as Heroku stops a dyno: the relay then stops its embedded PostgreSQL too (a SIGKILL left one
     * server running after every test run); forced only when it does not exit in time.
     */
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
