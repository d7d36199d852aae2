package io.picam.relay.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.picam.relay.audit.AuditLog;
import io.picam.relay.audit.AuditLog.Action;
import io.picam.relay.config.RelayConfig;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Brute-force limits of the login that an attacker cannot turn against the owner. Failures are counted per
 * (username, address) and per address, so guessing from one address never locks the owner out from another; and
 * per username over all addresses, to bound guessing spread over many addresses, but that last limit only slows
 * addresses the user has never logged in from. Every refusal is decided before any password is checked (no
 * bcrypt), and refusals are written to the audit log as one entry per burst, with a count. Failures also go to a
 * {@link LoginCounter}, which sums them over instances where there are several; a key over its limit there comes
 * back as {@link LoginBlocked}.
 */
@ApplicationScoped
public class LoginGuard {

    /** How often the refused bursts are written to the audit log. */
    static final Duration BURST_WINDOW = Duration.ofMinutes(1);

    private static final int MAX_BURSTS = 10_000;

    private final RelayConfig.Login config;
    private final AuditLog audit;
    private final Vertx vertx;
    private final LoginCounter counter;
    private final Counter failed;
    private final Counter throttled;
    // bounded and expiring: a flood of made-up usernames or addresses cannot grow memory
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .maximumSize(300_000)
            .expireAfterAccess(Duration.ofHours(1))
            .build();
    // keys over their limit summed over all instances (with Redis), until when (epoch millis)
    private final Cache<String, Long> blockedEverywhere = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterWrite(Duration.ofHours(1))
            .build();
    private final Map<Burst, AtomicInteger> bursts = new ConcurrentHashMap<>();
    private long timerId = -1;

    record Burst(String username, String address) {}

    /** What to do with an attempt before its password is checked. */
    public sealed interface Verdict {
        record Go() implements Verdict {}

        record Wait(Duration retryAfter, String why) implements Verdict {}
    }

    public LoginGuard(RelayConfig config, AuditLog audit, Vertx vertx, MeterRegistry metrics, LoginCounter counter) {
        this.config = config.login();
        this.audit = audit;
        this.vertx = vertx;
        this.counter = counter;
        this.failed = Counter.builder("picam.logins.failed")
                .description("Failed logins (wrong password or unknown user)")
                .register(metrics);
        this.throttled = Counter.builder("picam.logins.throttled")
                .description("Logins refused with 429 by the brute-force limits, before any password was checked")
                .register(metrics);
    }

    @PostConstruct
    void start() {
        timerId = vertx.setPeriodic(
                BURST_WINDOW.toMillis(),
                id -> vertx.executeBlocking(
                        () -> {
                            flushBursts();
                            return null;
                        },
                        false));
    }

    @PreDestroy
    void stop() {
        vertx.cancelTimer(timerId);
        flushBursts();
    }

    /**
     * Whether to check this attempt's password at all. {@code knownAddress} (a database lookup, so only asked when
     * it matters) says whether the user has logged in from this address before. Blocking.
     */
    public Verdict before(String username, String address, BooleanSupplier knownAddress) {
        String user = normalise(username);
        Optional<Verdict.Wait> refusal = over("a:" + address, config.failuresPerAddress(), "address over its limit")
                .or(() -> over(
                        "ua:" + user + "|" + address,
                        config.failuresPerUser(),
                        "username over its limit from this address"))
                .or(() -> over(
                                "u:" + user,
                                config.failuresPerUserAllAddresses(),
                                "username over its limit from all addresses")
                        .filter(w -> !knownAddress.getAsBoolean()));
        if (refusal.isEmpty()) {
            return new Verdict.Go();
        }
        throttled.increment();
        countRefusal(user, address);
        return refusal.get();
    }

    /** A wrong password or unknown user: it counts against the address, the pair and the username. */
    public void failed(String username, String address) {
        String user = normalise(username);
        failed.increment();
        consume("a:" + address, config.failuresPerAddress());
        consume("ua:" + user + "|" + address, config.failuresPerUser());
        consume("u:" + user, config.failuresPerUserAllAddresses());
    }

    /** The owner is in from here: this address starts afresh (guessing elsewhere still counts against the name). */
    public void succeeded(String username, String address) {
        String key = "ua:" + normalise(username) + "|" + address;
        bucket(key, config.failuresPerUser()).reset();
        blockedEverywhere.invalidate(key);
        counter.succeeded(key);
    }

    /** The counter (here or on another instance) found the key over its limit across all instances. */
    void blocked(@Observes LoginBlocked event) {
        blockedEverywhere.asMap().merge(event.key(), event.untilMillis(), Math::max);
    }

    private Optional<Verdict.Wait> over(String key, int limit, String why) {
        Bucket bucket = bucket(key, limit);
        Long until = blockedEverywhere.getIfPresent(key);
        long elsewhere = until == null ? 0 : until - System.currentTimeMillis();
        if (bucket.getAvailableTokens() > 0 && elsewhere <= 0) {
            return Optional.empty();
        }
        long nanos = bucket.getAvailableTokens() > 0
                ? 0
                : bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill();
        Duration wait = Duration.ofMillis(Math.max(elsewhere, nanos / 1_000_000L));
        return Optional.of(new Verdict.Wait(wait, why));
    }

    private void consume(String key, int limit) {
        bucket(key, limit).tryConsume(1);
        counter.failed(key, limit, config.penalty());
    }

    private Bucket bucket(String key, int capacity) {
        return buckets.get(
                key,
                k -> Bucket.builder()
                        .addLimit(Bandwidth.builder()
                                .capacity(capacity)
                                .refillGreedy(1, config.penalty())
                                .build())
                        .build());
    }

    private void countRefusal(String user, String address) {
        Burst burst = bursts.size() < MAX_BURSTS ? new Burst(user, address) : new Burst("*", "*");
        bursts.computeIfAbsent(burst, b -> new AtomicInteger()).incrementAndGet();
    }

    /** One audit entry per (username, address) that was refused in the last window, with how many times. */
    void flushBursts() {
        for (Burst burst : bursts.keySet()) {
            AtomicInteger count = bursts.remove(burst);
            if (count != null && count.get() > 0) {
                try {
                    audit.record(
                            burst.username(),
                            Action.LOGIN_THROTTLED,
                            null,
                            count.get() + (count.get() == 1 ? " attempt" : " attempts") + " refused",
                            burst.address());
                } catch (RuntimeException e) {
                    return; // the database is away: counted again at the next window is not worth a retry queue
                }
            }
        }
    }

    static String normalise(String username) {
        String key = username == null ? "" : username.strip().toLowerCase(Locale.ROOT);
        return key.length() > 64 ? key.substring(0, 64) : key;
    }
}
