package io.picam.client.relay;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.picam.client.config.ConfigurationException;

/**
 * The relay's HTTP API as {@code setup} and {@code doctor} use it: form login, stream creation, and a
 * secret check. Problems become one clear sentence each (unreachable, 401, 403, 404).
 */
public final class RelayApi {

    /** A created stream; the secret is shown by the relay only this once. */
    public record CreatedStream(String id, String name, String format, String secret) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final URI base;
    private String cookie;

    public RelayApi(URI base) {
        this.base = base;
    }

    /** True when the relay answers its login page. */
    public boolean reachable() {
        try {
            return send(HttpRequest.newBuilder(url("/login")).GET()).statusCode() == 200;
        } catch (ConfigurationException e) {
            return false;
        }
    }

    public void login(String username, String password) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(url("/j_security_check"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("j_username=" + enc(username) + "&j_password=" + enc(password))));
        cookie = r.headers().allValues("set-cookie").stream().filter(c -> c.startsWith("picam-session="))
                .map(c -> c.split(";", 2)[0]).findFirst()
                .orElseThrow(() -> new ConfigurationException("the relay refused the login of " + username + " (wrong username or password)"));
    }

    public CreatedStream createStream(String name, String format) {
        String body;
        try {
            body = JSON.writeValueAsString(JSON.createObjectNode().put("name", name).put("format", format));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        HttpResponse<String> r = send(HttpRequest.newBuilder(url("/api/admin/streams")).header("Cookie", cookie)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
        check(r, "create the stream");
        try {
            JsonNode n = JSON.readTree(r.body());
            return new CreatedStream(n.path("id").asText(), n.path("name").asText(), n.path("format").asText(), n.path("secret").asText());
        } catch (IOException e) {
            throw new ConfigurationException("the relay's answer is not the expected JSON: " + e.getMessage());
        }
    }

    /** Whether the relay accepts this secret for the stream: an empty upload is authenticated and ends at once. */
    public Optional<String> checkSecret(String streamId, String secret, String contentType) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(url("/ingest/" + streamId))
                .header("Authorization", "Bearer " + secret).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.noBody()));
        if (r.statusCode() == 200) {
            return Optional.empty();
        }
        if (r.statusCode() == 401) {
            return Optional.of("the relay does not accept this stream id and secret (401)");
        }
        return Optional.of("the relay answered " + r.statusCode() + ": " + r.body().trim());
    }

    private static void check(HttpResponse<String> r, String what) {
        switch (r.statusCode()) {
            case 200, 201 -> {
            }
            case 401 -> throw new ConfigurationException("cannot " + what + ": not logged in (401)");
            case 403 -> throw new ConfigurationException("cannot " + what + ": this user is not an admin (403)");
            case 404 -> throw new ConfigurationException("cannot " + what + ": the relay has no such endpoint or stream (404); is --relay right?");
            default -> throw new ConfigurationException("cannot " + what + ": the relay answered " + r.statusCode() + " " + r.body().trim());
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(15)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new ConfigurationException("cannot reach the relay at " + base + " (connection refused)");
        } catch (IOException e) {
            throw new ConfigurationException("cannot reach the relay at " + base + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigurationException("interrupted");
        }
    }

    private URI url(String path) {
        String b = base.toString().replaceAll("/+$", "");
        return URI.create(b + path);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
