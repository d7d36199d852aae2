package io.picam.relay.security;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.picam.relay.account.User;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * A password change ends every login made before it, on every instance: a session cookie last issued or renewed
 * before the user's {@code sessions_valid_after} is treated as no cookie at all (the pages then say the session
 * has ended). The login cookie is Quarkus' own (an AES-GCM sealed {@code expiry:username}, renewed while the
 * user is active); it says when it was last issued, {@code expiry - timeout}, which is what is compared. The
 * times come from a small in-memory map, read from the database every few seconds, so no request waits for it.
 */
@ApplicationScoped
public class SessionRevocation {

    private static final Logger LOG = Logger.getLogger(SessionRevocation.class);
    private static final String LOGIN_PATH = "/j_security_check";
    /** How often the times are read again: a change made on another instance applies within this. */
    static final Duration REFRESH = Duration.ofSeconds(5);

    private final SecretKeySpec key;
    private final String cookieName;
    private final long timeoutMillis;
    private final Vertx vertx;
    private volatile Map<String, Instant> validAfter = Map.of();
    private long timerId = -1;

    public SessionRevocation(@ConfigProperty(name = "quarkus.http.auth.session.encryption-key") String sessionKey,
                             @ConfigProperty(name = "quarkus.http.auth.form.cookie-name") String cookieName,
                             @ConfigProperty(name = "quarkus.http.auth.form.timeout") Duration timeout, Vertx vertx) {
        this.key = new SecretKeySpec(sha256(sessionKey), "AES");
        this.cookieName = cookieName;
        this.timeoutMillis = timeout.toMillis();
        this.vertx = vertx;
    }

    @PostConstruct
    void start() {
        timerId = vertx.setPeriodic(REFRESH.toMillis(), id -> refreshLater());
    }

    @PreDestroy
    void stop() {
        vertx.cancelTimer(timerId);
    }

    void load(@Observes io.quarkus.runtime.StartupEvent event) {
        refresh();
    }

    void register(@Observes Router router) {
        // ahead of Quarkus' authentication, which would otherwise restore (and renew) the cookie
        router.route().order(Integer.MIN_VALUE).handler(this::check);
    }

    /** A password was just changed here (a worker thread, after the commit): apply it before answering. */
    public void changed() {
        refresh();
    }

    /** Another instance changed a password: apply it soon, off the event loop. */
    public void changedElsewhere() {
        refreshLater();
    }

    private void refreshLater() {
        vertx.executeBlocking(() -> {
            refresh();
            return null;
        }, false);
    }

    void refresh() {
        try {
            List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> User.getEntityManager()
                    .createQuery("select lower(u.username), u.sessionsValidAfter from User u where u.sessionsValidAfter is not null",
                            Object[].class).getResultList());
            Map<String, Instant> fresh = new HashMap<>();
            rows.forEach(r -> fresh.put((String) r[0], (Instant) r[1]));
            validAfter = Map.copyOf(fresh);
        } catch (RuntimeException e) {
            LOG.debugf("Keeping the session revocation times: %s", e.toString()); // the database is away
        }
    }

    private void check(RoutingContext ctx) {
        String header = ctx.request().getHeader(HttpHeaders.COOKIE);
        if (header != null && !LOGIN_PATH.equals(ctx.normalizedPath())) {
            String value = cookieValue(header);
            if (value != null && revoked(value)) {
                // as if the browser sent a cookie nobody can read: Quarkus ignores it, the pages say "session ended"
                ctx.request().headers().set(HttpHeaders.COOKIE, header.replace(cookieName + "=" + value, cookieName + "=ended"));
            }
        }
        ctx.next();
    }

    private String cookieValue(String header) {
        for (String part : header.split(";")) {
            String p = part.strip();
            if (p.startsWith(cookieName + "=")) {
                return p.substring(cookieName.length() + 1);
            }
        }
        return null;
    }

    /** True when the cookie is ours and was issued before its user's last password change. */
    boolean revoked(String cookie) {
        Optional<Issued> issued = open(cookie);
        if (issued.isEmpty()) {
            return false; // not readable: Quarkus refuses it as well
        }
        Instant after = validAfter.get(issued.get().username().toLowerCase(Locale.ROOT));
        return after != null && issued.get().at() < after.toEpochMilli();
    }

    record Issued(String username, long at) {
    }

    /** Reads the sealed {@code expiry:username}; empty when it does not open with our key. */
    Optional<Issued> open(String cookie) {
        try {
            ByteBuffer sealed = ByteBuffer.wrap(Base64.getDecoder().decode(cookie.getBytes(StandardCharsets.UTF_8)));
            byte[] iv = new byte[sealed.get()];
            sealed.get(iv);
            byte[] encrypted = new byte[sealed.remaining()];
            sealed.get(encrypted);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, iv));
            String plain = new String(cipher.doFinal(encrypted), StandardCharsets.UTF_8);
            int colon = plain.indexOf(':');
            if (colon < 0) {
                return Optional.empty();
            }
            long expiry = Long.parseLong(plain.substring(0, colon));
            return Optional.of(new Issued(plain.substring(colon + 1), expiry - timeoutMillis));
        } catch (GeneralSecurityException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
