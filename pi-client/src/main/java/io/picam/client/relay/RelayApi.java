package io.picam.client.relay;

import java.net.ConnectException;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import io.picam.client.config.ConfigurationException;
import io.picam.client.relay.RelayClient.CreatedStream;
import io.picam.client.relay.RelayClient.NewStream;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;

/**
 * {@link RelayClient} for one relay URL, with its credentials: a personal access token, or a form login (session
 * cookie plus the CSRF token from {@code /api/me}). Problems become one clear sentence each (unreachable, 401, 403,
 * 404).
 */
public final class RelayApi {

    private static final String SESSION_COOKIE = "picam-session";

    private final URI base;
    private final RelayClient client;
    private String authorization;
    private String cookie;
    private String csrf;

    public RelayApi(URI base) {
        this.base = base;
        this.client = QuarkusRestClientBuilder.newBuilder().baseUri(base).followRedirects(false)
                .connectTimeout(10, TimeUnit.SECONDS).readTimeout(15, TimeUnit.SECONDS)
                .build(RelayClient.class);
    }

    /** True when the relay answers its login page. */
    public boolean reachable() {
        try (Response r = call(client::loginPage)) {
            return r.getStatus() == 200;
        } catch (ConfigurationException e) {
            return false;
        }
    }

    /** Acts with a personal access token from now on (checked at once). */
    public void useToken(String token) {
        authorization = "Bearer " + token.strip();
        call(() -> client.me(authorization, null), "check the token");
    }

    /** Logs in with the form, as the login page does, and keeps the session cookie and its CSRF token. */
    public void login(String username, String password) {
        try (Response r = call(() -> client.login(username, password))) {
            cookie = r.getCookies().containsKey(SESSION_COOKIE) ? SESSION_COOKIE + "=" + r.getCookies().get(SESSION_COOKIE).getValue() : null;
            if (r.getStatus() == 429) {
                throw new ConfigurationException("the relay refuses logins of " + username + " for now (too many failures); try again in "
                        + r.getHeaderString("Retry-After") + " s");
            }
            if (cookie == null) {
                throw new ConfigurationException("the relay refused the login of " + username + " (wrong username or password)");
            }
        }
        csrf = call(() -> client.me(null, cookie), "log in").csrfToken();
    }

    public CreatedStream createStream(String name, String format) {
        return call(() -> client.createStream(authorization, cookie, csrf, new NewStream(name, format)), "create the stream");
    }

    /** Whether the relay accepts this secret for the stream: an empty upload is authenticated and ends at once. */
    public Optional<String> checkSecret(String streamId, String secret, String contentType) {
        try (Response r = call(() -> client.ingest(streamId, "Bearer " + secret, contentType, new byte[0]))) {
            if (r.getStatus() == 200) {
                return Optional.empty();
            }
            if (r.getStatus() == 401) {
                return Optional.of("the relay does not accept this stream id and secret (401): check the stream id and the"
                        + " secret (the relay's admin page shows a new one when you rotate it)");
            }
            if (r.getStatus() == 415) { // checked after the secret: the secret is right, the format is not
                return Optional.of("the relay accepts the secret, but " + body(r) + " (--format)");
            }
            return Optional.of("the relay answered " + r.getStatus() + ": " + r.readEntity(String.class).trim());
        }
    }

    /** Calls whose answer the caller reads itself (any status). */
    private Response call(java.util.function.Supplier<Response> request) {
        try {
            return request.get();
        } catch (WebApplicationException e) {
            return e.getResponse();
        } catch (ProcessingException e) {
            throw unreachable(e);
        }
    }

    /** Calls that must succeed: a non-2xx status becomes one sentence. */
    private <T> T call(java.util.function.Supplier<T> request, String what) {
        try {
            return request.get();
        } catch (WebApplicationException e) {
            throw refused(e.getResponse(), what);
        } catch (ProcessingException e) {
            throw unreachable(e);
        }
    }

    private ConfigurationException refused(Response r, String what) {
        return switch (r.getStatus()) {
            case 401 -> new ConfigurationException("cannot " + what + ": the relay does not accept these credentials (401)");
            case 403 -> new ConfigurationException("cannot " + what + ": this user is not an admin"
                    + (authorization != null ? ", or the token lacks the camera scope (make one with it on the relay's /account page)" : "")
                    + " (403)");
            case 404 -> new ConfigurationException("cannot " + what + ": the relay has no such endpoint or stream (404); is --relay right?");
            default -> new ConfigurationException("cannot " + what + ": the relay answered " + r.getStatus() + " " + body(r));
        };
    }

    private static String body(Response r) {
        try {
            return r.readEntity(String.class).trim();
        } catch (RuntimeException e) {
            return "";
        }
    }

    private ConfigurationException unreachable(ProcessingException e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause != cause.getCause()) {
            cause = cause.getCause();
        }
        return cause instanceof ConnectException
                ? new ConfigurationException("cannot reach the relay at " + base + " (connection refused)")
                : new ConfigurationException("cannot reach the relay at " + base + ": " + cause.getMessage());
    }
}
