package io.picam.client.relay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.picam.client.config.ConfigurationException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * The relay's HTTP API as {@code setup} and {@code doctor} use it, for one relay URL, with its credentials: a
 * personal access token ({@code Authorization: Bearer}), or a form login (the session cookie plus the CSRF token
 * from {@code /api/me}). Bodies are the relay's own JSON shapes, as records. Problems become one clear sentence
 * each (unreachable, 401, 403, 404).
 */
public final class RelayApi {

    /** {@code POST /api/admin/streams} body. */
    public record NewStream(String name, String format) {}

    /** Its answer: the only time the relay shows the secret. */
    public record CreatedStream(String id, String name, String format, String secret) {}

    /** {@code GET /api/me}. */
    public record Me(String username, Set<String> roles, String csrfToken) {}

    private static final String SESSION_COOKIE = "picam-session";
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON =
            new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final URI base;
    private final HttpClient client;
    private String authorization;
    private String cookie;
    private String csrf;

    public RelayApi(URI base) {
        this(base, RelayHttp.client());
    }

    public RelayApi(URI base, HttpClient client) {
        this.base = base;
        this.client = client;
    }

    /** True when the relay answers its login page. */
    public boolean reachable() {
        try {
            return send(request("login").GET()).statusCode() == 200;
        } catch (ConfigurationException e) {
            return false;
        }
    }

    /** Acts with a personal access token from now on (checked at once). */
    public void useToken(String token) {
        authorization = "Bearer " + token.strip();
        me("check the token");
    }

    /** Logs in with the form, as the login page does, and keeps the session cookie and its CSRF token. */
    public void login(String username, String password) {
        HttpResponse<String> r = send(request("j_security_check")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "j_username=" + URLEncoder.encode(username, StandardCharsets.UTF_8) + "&j_password="
                                + URLEncoder.encode(password, StandardCharsets.UTF_8))));
        cookie = r.headers().allValues("Set-Cookie").stream()
                .map(c -> c.split(";", 2)[0].strip())
                .filter(c -> c.startsWith(SESSION_COOKIE + "="))
                .findFirst()
                .orElse(null);
        if (r.statusCode() == 429) {
            throw new ConfigurationException(
                    "the relay refuses logins of " + username + " for now (too many failures); try again in "
                            + r.headers().firstValue("Retry-After").orElse("a few") + " s");
        }
        if (cookie == null) {
            throw new ConfigurationException(
                    "the relay refused the login of " + username + " (wrong username or password)");
        }
        csrf = me("log in").csrfToken();
    }

    public CreatedStream createStream(String name, String format) {
        HttpRequest.Builder request = authenticated(request("api/admin/streams"))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json(new NewStream(name, format))));
        if (csrf != null) {
            request.header("X-CSRF-Token", csrf);
        }
        return parse(succeeded(send(request), "create the stream"), CreatedStream.class, "create the stream");
    }

    /** Whether the relay accepts this secret for the stream: an empty upload is authenticated and ends at once. */
    public Optional<String> checkSecret(String streamId, String secret, String contentType) {
        HttpResponse<String> r = send(request("ingest/" + streamId)
                .header("Authorization", "Bearer " + secret)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.noBody()));
        if (r.statusCode() == 200) {
            return Optional.empty();
        }
        if (r.statusCode() == 401) {
            return Optional.of("the relay does not accept this stream id and secret (401): check the stream id and the"
                    + " secret (the relay's admin page shows a new one when you rotate it)");
        }
        if (r.statusCode() == 415) { // checked after the secret: the secret is right, the format is not
            return Optional.of("the relay accepts the secret, but " + r.body().trim() + " (--format)");
        }
        return Optional.of(
                "the relay answered " + r.statusCode() + ": " + r.body().trim());
    }

    private Me me(String what) {
        HttpRequest.Builder request = authenticated(request("api/me"))
                .header("Accept", "application/json")
                .GET();
        return parse(succeeded(send(request), what), Me.class, what);
    }

    private HttpRequest.Builder request(String path) {
        String prefix = base.getPath() == null ? "" : base.getPath().replaceAll("/+$", "");
        return HttpRequest.newBuilder(base.resolve(prefix + "/" + path)).timeout(READ_TIMEOUT);
    }

    private HttpRequest.Builder authenticated(HttpRequest.Builder request) {
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return request;
    }

    /** Any answer, whatever its status; no answer at all becomes one sentence. */
    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw RelayHttp.refused(e)
                    ? new ConfigurationException("cannot reach the relay at " + base + " (connection refused)")
                    : new ConfigurationException("cannot reach the relay at " + base + ": " + RelayHttp.reason(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConfigurationException("interrupted while asking the relay at " + base);
        }
    }

    /** Calls that must succeed: a non-2xx status becomes one sentence. */
    private HttpResponse<String> succeeded(HttpResponse<String> r, String what) {
        if (r.statusCode() / 100 == 2) {
            return r;
        }
        throw switch (r.statusCode()) {
            case 401 ->
                new ConfigurationException("cannot " + what + ": the relay does not accept these credentials (401)");
            case 403 ->
                new ConfigurationException("cannot " + what + ": this user is not an admin"
                        + (authorization != null
                                ? ", or the token lacks the camera scope (make one with it on the relay's /account page)"
                                : "")
                        + " (403)");
            case 404 ->
                new ConfigurationException(
                        "cannot " + what + ": the relay has no such endpoint or stream (404); is --relay right?");
            default ->
                new ConfigurationException("cannot " + what + ": the relay answered " + r.statusCode() + " "
                        + r.body().trim());
        };
    }

    private static <T> T parse(HttpResponse<String> r, Class<T> type, String what) {
        try {
            return JSON.readValue(r.body(), type);
        } catch (JsonProcessingException e) {
            throw new ConfigurationException("cannot " + what
                    + ": the relay's answer is not what this client understands (" + e.getOriginalMessage() + ")");
        }
    }

    private static String json(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
