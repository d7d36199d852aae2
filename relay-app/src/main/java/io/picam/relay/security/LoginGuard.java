package io.picam.relay.security;

import java.time.Duration;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.picam.relay.audit.AuditLog;
import io.picam.relay.audit.AuditLog.Action;
import io.picam.relay.config.RelayConfig;
import io.picam.relay.live.ClusterLink;
import io.picam.relay.web.ClientAddress;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Wraps Quarkus' form login ({@code POST /j_security_check}): limits failed attempts per username and per client
 * address with token buckets (429 and {@code Retry-After}; another user still logs in), and writes logins and
 * failures to the audit log. An address over its limit is refused before any password is checked; a username
 * over its limit is refused even with the right password, so guessing gains nothing.
 */
@ApplicationScoped
public class LoginGuard {

    private static final String LOGIN_PATH = "/j_security_check";

    private final RelayConfig.Login config;
    private final AuditLog audit;
    private final Vertx vertx;
    private final int proxyHops;
    private final Counter failed;
    private final Counter throttled;
    // bounded and expiring: a flood of made-up usernames or addresses cannot grow memory
    private final Cache<String, Bucket> byUser = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterAccess(Duration.ofHours(1)).build();
    private final Cache<String, Bucket> byAddress = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterAccess(Duration.ofHours(1)).build();
    // with several instances: usernames ("u:…") and addresses ("a:…") over their limit summed over all of them,
    // until when (epoch millis); each instance's own buckets still apply as well
    private final Cache<String, Long> blockedEverywhere = Caffeine.newBuilder().maximumSize(100_000)
            .expireAfterWrite(Duration.ofHours(1)).build();
    private final ClusterLink cluster;
    private final String cookieName;

    public LoginGuard(RelayConfig config, AuditLog audit, Vertx vertx, MeterRegistry metrics, ClusterLink cluster,
                      @ConfigProperty(name = "quarkus.http.auth.form.cookie-name") String cookieName) {
        this.cluster = cluster;
        this.cookieName = cookieName;
        this.config = config.login();
        this.audit = audit;
        this.vertx = vertx;
        this.proxyHops = config.proxy().hops();
        this.failed = Counter.builder("picam.logins.failed").description("Failed logins (wrong password or unknown user)")
                .register(metrics);
        this.throttled = Counter.builder("picam.logins.throttled").description("Logins refused with 429 by the brute-force limits")
                .register(metrics);
    }

    void register(@Observes Router router) {
        // before Quarkus' authentication handler, which answers the form post itself
        router.post(LOGIN_PATH).order(Integer.MIN_VALUE).handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        String address = ClientAddress.of(ctx.request(), proxyHops);
        Bucket addressBucket = byAddress.get(address, a -> bucket(config.failuresPerAddress()));
        long addressBlocked = blockedFor("a:" + address);
        if (addressBucket.getAvailableTokens() <= 0 || addressBlocked > 0) {
            long seconds = addressBlocked > 0 ? throttle(ctx.response(), addressBlocked) : throttle(ctx.response(), addressBucket);
            ctx.response().end("too many failed logins; try again in " + seconds + " s\n");
            throttled.increment();
            record(null, Action.LOGIN_THROTTLED, "address over its limit", address);
            return;
        }
        ctx.addHeadersEndHandler(v -> afterLogin(ctx, address, addressBucket));
        ctx.next();
    }

    /** Runs when Quarkus has decided, just before its answer goes out: count, throttle, audit. */
    private void afterLogin(RoutingContext ctx, String address, Bucket addressBucket) {
        HttpServerResponse response = ctx.response();
        if (response.getStatusCode() >= 500) {
            return; // the relay could not decide (database unreachable): neither a login nor a failed guess
        }
        String username = ctx.request().formAttributes().get("j_username");
        String key = username == null ? "" : username.strip().toLowerCase(Locale.ROOT);
        key = key.length() > 64 ? key.substring(0, 64) : key;
        Bucket userBucket = byUser.get(key, u -> bucket(config.failuresPerUser()));
        long userBlocked = blockedFor("u:" + key);
        if (userBucket.getAvailableTokens() <= 0 || userBlocked > 0) {
            // no session for a throttled username, whether Quarkus put it in the headers or in the cookie jar
            response.headers().remove(HttpHeaders.SET_COOKIE).remove(HttpHeaders.LOCATION);
            response.removeCookie(cookieName, false);
            // the headers are going out now: status and headers only
            if (userBlocked > 0) {
                throttle(response, userBlocked);
            } else {
                throttle(response, userBucket);
            }
            throttled.increment();
            record(username, Action.LOGIN_THROTTLED, "username over its limit", address);
            return;
        }
        boolean success = response.getStatusCode() / 100 == 3
                && !String.valueOf(response.headers().get(HttpHeaders.LOCATION)).contains("error");
        if (success) {
            userBucket.reset();
            cluster.loginSucceeded("u:" + key);
            record(username, Action.LOGIN, null, address);
        } else {
            userBucket.tryConsume(1);
            addressBucket.tryConsume(1);
            cluster.loginFailed("u:" + key, config.failuresPerUser(), config.penalty());
            cluster.loginFailed("a:" + address, config.failuresPerAddress(), config.penalty());
            failed.increment();
            record(username, Action.LOGIN_FAILED, null, address);
        }
    }

    private Bucket bucket(int failures) {
        return Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(failures).refillGreedy(1, config.penalty()).build())
                .build();
    }

    /** Another instance (or this one) found the username or address over its limit across all instances. */
    public void blockedEverywhere(String key, long untilMillis) {
        blockedEverywhere.asMap().merge(key, untilMillis, Math::max);
    }

    /** Milliseconds the key is still refused across instances, 0 when it is not. */
    private long blockedFor(String key) {
        Long until = blockedEverywhere.getIfPresent(key);
        return until == null ? 0 : Math.max(0, until - System.currentTimeMillis());
    }

    private static long throttle(HttpServerResponse response, long millis) {
        long seconds = Math.max(1, (millis + 999) / 1000);
        response.setStatusCode(429).putHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8");
        return seconds;
    }

    /** 429 with Retry-After: the whole seconds until the bucket gives back an attempt. */
    private static long throttle(HttpServerResponse response, Bucket bucket) {
        long nanos = bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill();
        return throttle(response, (nanos + 999_999L) / 1_000_000L); // rounded up, as the seconds are
    }

    private void record(String username, Action action, String detail, String address) {
        vertx.executeBlocking(() -> {
            audit.record(username, action, null, detail, address);
            return null;
        }, false);
    }

}
