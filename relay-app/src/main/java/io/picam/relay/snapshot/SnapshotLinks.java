package io.picam.relay.snapshot;

import io.picam.relay.config.RelayConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Signed, time-limited links to one stream's snapshot ({@code /api/streams/{id}/snapshot.jpg?expires=<unix>&sig=…}),
 * fetchable without a login: what an ntfy notification attaches. The signature is an HMAC-SHA256 over the stream id
 * and the expiry, under a key derived from the session key (the same on every instance and across restarts; the
 * session key itself never signs anything here). A link opens that one stream's snapshot until it expires, and
 * nothing else.
 */
@Startup
@ApplicationScoped
public class SnapshotLinks {

    private static final String ALGORITHM = "HmacSHA256";
    private static final byte[] LABEL = "picam snapshot link v1".getBytes(StandardCharsets.US_ASCII);

    private final Optional<SecretKeySpec> key;
    private final Optional<String> publicUrl;
    private final Duration validFor;
    private final Clock clock;

    @Inject
    public SnapshotLinks(
            RelayConfig config,
            @ConfigProperty(name = "quarkus.http.auth.session.encryption-key") Optional<String> sessionKey) {
        this(sessionKey, config.publicUrl(), config.snapshot().linkValidFor(), Clock.systemUTC());
    }

    SnapshotLinks(Optional<String> sessionKey, Optional<String> publicUrl, Duration validFor, Clock clock) {
        this.key = sessionKey
                .filter(k -> !k.isBlank())
                .map(k -> new SecretKeySpec(
                        mac(new SecretKeySpec(k.getBytes(StandardCharsets.UTF_8), ALGORITHM), LABEL), ALGORITHM));
        this.publicUrl = publicUrl.filter(u -> !u.isBlank()).map(SnapshotLinks::checkedBase);
        this.validFor = validFor;
        this.clock = clock;
    }

    /** The relay's public base URL without a trailing slash (PICAM_PUBLIC_URL), when it is set. */
    public Optional<String> publicUrl() {
        return publicUrl;
    }

    /** A signed link to the stream's snapshot, valid from now for the configured time; empty without a public URL. */
    public Optional<String> url(String streamId) {
        if (publicUrl.isEmpty() || key.isEmpty()) {
            return Optional.empty();
        }
        long expires = clock.instant().plus(validFor).getEpochSecond();
        return Optional.of(publicUrl.get() + "/api/streams/" + streamId + "/snapshot.jpg?" + query(streamId, expires));
    }

    /** The query string of a link to the stream's snapshot that expires at {@code expires} (unix seconds). */
    public String query(String streamId, long expires) {
        return "expires=" + expires + "&sig=" + signature(streamId, expires);
    }

    /** Whether {@code expires} and {@code sig} make a link to this stream's snapshot that has not expired. */
    public boolean valid(String streamId, String expires, String sig) {
        if (key.isEmpty() || expires == null || sig == null || !expires.matches("[0-9]{1,12}")) {
            return false;
        }
        long until = Long.parseLong(expires);
        if (until < clock.instant().getEpochSecond()) {
            return false;
        }
        byte[] expected = signature(streamId, until).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, sig.getBytes(StandardCharsets.US_ASCII));
    }

    private String signature(String streamId, long expires) {
        // the path it opens is part of what is signed: a link cannot be moved to another stream or endpoint
        String signed = "/api/streams/" + streamId + "/snapshot.jpg\n" + expires;
        byte[] mac = mac(key.orElseThrow(), signed.getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac);
    }

    private static String checkedBase(String url) {
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null
                || uri.getHost() == null
                || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
                || uri.getQuery() != null
                || uri.getUserInfo() != null) {
            throw new IllegalStateException("PICAM_PUBLIC_URL must be the relay's address as its users reach it, "
                    + "like https://relay.example (http or https, no query): got " + url);
        }
        String base = uri.toString();
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    private static byte[] mac(SecretKeySpec key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has " + ALGORITHM, e);
        }
    }
}
