package io.picam.client.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The packaged relay as a real process, on its embedded PostgreSQL in a data directory that survives restarts. */
final class RelayProcess implements AutoCloseable {

    static final String PASSWORD = "it-admin-password";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final Path jar;
    private final Path data;
    private final int port;
    private Process process;
    private String cookie;

    RelayProcess() throws IOException {
        jar = Path.of(System.getProperty("picam.relay.jar", "../relay-app/target/quarkus-app/quarkus-run.jar"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException("the relay is not packaged at " + jar + ": run ./mvnw verify from the top");
        }
        data = Files.createTempDirectory("picam-it-relay");
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
    }

    /** Starts the relay and returns when it answers. */
    void start() throws Exception {
        ProcessBuilder builder = new ProcessBuilder("java", "-Xmx256m", "-jar", jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        data.resolve("relay.log").toFile()));
        builder.environment().put("PORT", String.valueOf(port));
        builder.environment().put("PICAM_DATA_DIR", data.toString());
        builder.environment().put("PICAM_ADMIN_PASSWORD", PASSWORD);
        builder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
        process = builder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the relay exited; see " + data.resolve("relay.log"));
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(url("/login")).build(), HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the relay did not start within 240 s");
    }

    /** SIGTERM, as a Heroku restart does. */
    void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            process.waitFor(20, TimeUnit.SECONDS);
        }
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    String cookie() throws Exception {
        if (cookie == null) {
            HttpResponse<String> login = HTTP.send(
                    HttpRequest.newBuilder(url("/j_security_check"))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString("j_username=admin&j_password=" + PASSWORD))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            cookie = login.headers().allValues("set-cookie").stream()
                    .filter(c -> c.startsWith("picam-session="))
                    .map(c -> c.split(";", 2)[0])
                    .findFirst()
                    .orElseThrow();
        }
        return cookie;
    }

    /** The CSRF token that goes with the admin's cookie on every change. */
    private String csrf() throws Exception {
        return field(
                HTTP.send(
                                HttpRequest.newBuilder(url("/api/me"))
                                        .header("Cookie", cookie())
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body(),
                "csrfToken");
    }

    /** A new personal access token of the admin. */
    String token() throws Exception {
        String body = HTTP.send(
                        HttpRequest.newBuilder(url("/api/tokens"))
                                .header("Cookie", cookie())
                                .header("X-CSRF-Token", csrf())
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"it\",\"scopes\":[\"camera\"]}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        return field(body, "token");
    }

    /** Creates a stream; answers {id, secret}. */
    String[] createStream(String format) throws Exception {
        String body = HTTP.send(
                        HttpRequest.newBuilder(url("/api/admin/streams"))
                                .header("Cookie", cookie())
                                .header("X-CSRF-Token", csrf())
                                .header("Content-Type", "application/json")
                                .timeout(Duration.ofSeconds(10))
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"name\":\"it " + format + "\",\"format\":\"" + format + "\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        return new String[] {field(body, "id"), field(body, "secret")};
    }

    boolean live(String streamId) throws Exception {
        String body = HTTP.send(
                        HttpRequest.newBuilder(url("/api/streams"))
                                .header("Cookie", cookie())
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        return body.contains("\"id\":\"" + streamId + "\"")
                && Pattern.compile("\"id\":\"" + Pattern.quote(streamId) + "\"[^}]*\"live\":true")
                        .matcher(body)
                        .find();
    }

    int port() {
        return port;
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
