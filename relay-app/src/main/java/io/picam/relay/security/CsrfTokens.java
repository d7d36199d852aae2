package io.picam.relay.security;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * CSRF tokens for logged-in pages: an HMAC of the login session's id under a key derived from the session key. A
 * page of ours embeds it and sends it back (header {@code X-CSRF-Token}, or form field {@code csrf}); another site
 * can neither read it nor compute it; it needs no state of its own, so it works on every relay instance, and it
 * dies with its session.
 */
@ApplicationScoped
public class CsrfTokens {

    public static final String HEADER = "X-CSRF-Token";
    public static final String FORM_FIELD = "csrf";

    private final SecretKeySpec key;

    public CsrfTokens(@ConfigProperty(name = "quarkus.http.auth.session.encryption-key") String sessionKey) {
        this.key = new SecretKeySpec(sha256("picam csrf key\0" + sessionKey), "HmacSHA256");
    }

    /** The token of the caller's login session; null for anyone else (tokens need none). */
    public String tokenFor(SecurityIdentity identity) {
        long session = CallerCredential.sessionId(identity);
        return session == 0 ? null : tokenFor(session);
    }

    String tokenFor(long session) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] tag = mac.doFinal(("session " + session).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Constant-time comparison of a presented token with the user's. */
    public boolean matches(SecurityIdentity identity, String presented) {
        String expected = tokenFor(identity);
        if (presented == null || expected == null) {
            return false;
        }
        return MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.US_ASCII), presented.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
