package io.picam.bench;

import io.picam.media.ts.TsFramer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The picam relay, started from its packaged jar exactly as in production (embedded PostgreSQL). */
final class PicamRelay implements RelayUnderTest {

    private final Process process;
    private final int port;
    private final String cookie;
    private final String streamId;
    private final String secret;
    private final HttpClient http;

    private String name = "picam";
    private String csrf;

    PicamRelay(Path jar, String jvmOptions, int port) throws IOException, InterruptedException {
        this(jar, jvmOptions, port, Map.of(), UUID.randomUUID().toString(), null);
    }

    /** Named as in the report's first column. */
    PicamRelay(Path jar, String jvmOptions, int port, String name) throws IOException, InterruptedException {
        this(jar, jvmOptions, port);
        this.name = name;
    }

    /**
     * With more environment (DATABASE_URL, REDIS_URL, the session key) and the admin's password; {@code join}
     * names a stream another instance made on the same database (null: make one).
     */
    PicamRelay(Path jar, String jvmOptions, int port, Map<String, String> env, String password, PicamRelay join)
            throws IOException, InterruptedException {
        this.port = port;
        Path data = Files.createTempDirectory("picam-bench");
        List<String> command = new ArrayList<>(List.of("java"));
        Map<String, String> variables = new HashMap<>();
        for (String option : jvmOptions.trim().split("\\s+")) {
            if (option.matches("[A-Z_]+=.*")) { // an environment variable, e.g. MALLOC_ARENA_MAX=2 in an A/B
                variables.put(option.substring(0, option.indexOf('=')), option.substring(option.indexOf('=') + 1));
            } else if (!option.isEmpty()) {
                command.add(option);
            }
        }
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(Bench.atDefaultPriority(command))
                .redirectErrorStream(true)
                .redirectOutput(data.resolve("relay.log").toFile());
        builder.environment().put("PORT", String.valueOf(port));
        builder.environment().put("PICAM_DATA_DIR", data.toString());
        builder.environment().put("PICAM_ADMIN_PASSWORD", password);
        builder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
        // every simulated viewer is the admin: the per-user and per-relay socket limits would cut the crowd short
        builder.environment().put("PICAM_VIEWER_MAX_PER_USER", "1000000");
        builder.environment().put("PICAM_VIEWER_MAX_TOTAL", "1000000");
        builder.environment().putAll(variables);
        builder.environment().putAll(env);
        process = builder.start();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try {
            Bench.awaitHttp(http, URI.create("http://127.0.0.1:" + port + "/login"), process);
        } catch (RuntimeException | InterruptedException e) {
            Bench.stop(process); // not left running when it never came up
            throw e;
        }
        HttpResponse<String> login = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/j_security_check"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("j_username=admin&j_password=" + password))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        cookie = login.headers().allValues("set-cookie").stream()
                .filter(c -> c.startsWith("picam-session="))
                .map(c -> c.split(";", 2)[0])
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("login failed"));
        if (join != null) {
            streamId = join.streamId;
            secret = join.secret;
            return;
        }
        csrf = field(
                http.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/me"))
                                        .header("Cookie", cookie)
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body(),
                "csrfToken");
        HttpResponse<String> created = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/admin/streams"))
                        .header("Content-Type", "application/json")
                        .header("Cookie", cookie)
                        .header("X-CSRF-Token", csrf)
                        .timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"bench\",\"format\":\"mpegts\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        streamId = field(created.body(), "id");
        secret = field(created.body(), "secret");
    }

    /** An admin API call with the session and its CSRF token; fails on any status but 2xx. */
    String admin(String method, String path, String json) throws IOException, InterruptedException {
        if (csrf == null) { // an instance that joined another's stream has not asked for it yet
            csrf = field(get("/api/me").body(), "csrfToken");
        }
        HttpResponse<String> answer = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Content-Type", "application/json")
                        .header("Cookie", cookie)
                        .header("X-CSRF-Token", csrf)
                        .timeout(Duration.ofSeconds(30))
                        .method(method, HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + " answered " + answer.statusCode());
        }
        return answer.body();
    }

    /** A GET with the admin's session. */
    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Cookie", cookie)
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A new stream of the format: {id, secret}. */
    String[] createStream(String streamName, String format) throws IOException, InterruptedException {
        String created =
                admin("POST", "/api/admin/streams", "{\"name\":\"" + streamName + "\",\"format\":\"" + format + "\"}");
        return new String[] {field(created, "id"), field(created, "secret")};
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + json);
        }
        return m.group(1);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String streamId() {
        return streamId;
    }

    @Override
    public String secret() {
        return secret;
    }

    @Override
    public String cookie() {
        return cookie;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public int viewerStartOffset(byte[] published) {
        for (int i = 0; i + TsFramer.PACKET_SIZE <= published.length; i += TsFramer.PACKET_SIZE) {
            if (TsFramer.isJoinPointPacket(published, i)) {
                return i;
            }
        }
        throw new IllegalStateException("no join point in the clip");
    }

    @Override
    public void close() {
        Bench.stop(process);
    }
}
