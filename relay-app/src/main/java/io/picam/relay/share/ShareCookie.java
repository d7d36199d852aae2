package io.picam.relay.share;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.OptionalLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The cookie a share link gives the browser once it has opened the link (and entered its PIN): the link's id and an
 * HMAC of the id with the link's token hash, under a key derived from the session key. Every instance can check it
 * without any state of its own; it proves the PIN was entered (it is only issued after that), and it dies with the
 * link: a revoked or expired link is refused whatever cookie is presented. HttpOnly, SameSite=Lax, Path=/ (the
 * WebSocket and the snapshot need it), expiring with the link.
 */
@ApplicationScoped
public class ShareCookie {

    public static final String NAME = "picam-share";

    private final SecretKeySpec key;

    public ShareCookie(@ConfigProperty(name = "quarkus.http.auth.session.encryption-key") String sessionKey) {
        this.key = new SecretKeySpec(sha256("picam share key\0" + sessionKey), "HmacSHA256");
    }

    /** The cookie's value for a link. */
    String value(long linkId, String tokenHash) {
        return linkId + "." + tag(linkId, tokenHash);
    }

    /** The link id a value names, without checking it (that needs the link's token hash: {@link #matches}). */
    static OptionalLong linkId(String value) {
        if (value == null || value.length() > 80) {
            return OptionalLong.empty();
        }
        int dot = value.indexOf('.');
        if (dot < 1 || dot > 19) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(value.substring(0, dot)));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** Constant-time check of a presented value against the link's. */
    boolean matches(String presented, long linkId, String tokenHash) {
        return presented != null
                && MessageDigest.isEqual(
                        value(linkId, tokenHash).getBytes(StandardCharsets.US_ASCII),
                        presented.getBytes(StandardCharsets.US_ASCII));
    }

    /** The Set-Cookie header that gives the browser the link's cookie until the link expires. */
    public String issue(HttpServerRequest request, long linkId, String tokenHash, Instant expiresAt) {
        long seconds = Math.max(1, Duration.between(Instant.now(), expiresAt).toSeconds());
        return base(request, value(linkId, tokenHash)).setMaxAge(seconds).encode();
    }

    private static Cookie base(HttpServerRequest request, String value) {
        boolean tls = request.isSSL() || "https".equalsIgnoreCase(request.scheme());
        return Cookie.cookie(NAME, value)
                .setPath("/")
                .setHttpOnly(true)
                .setSameSite(CookieSameSite.LAX)
                .setSecure(tls);
    }

    private String tag(long linkId, String tokenHash) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] tag = mac.doFinal(("link " + linkId + " " + tokenHash).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
