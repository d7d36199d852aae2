package io.picam.relay.domain;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiPredicate;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Database answers kept in memory for a short time, so that a reconnect storm is answered without a query per
 * request. Correctness comes from invalidation, not from the time limit: whatever changes an answer fires a domain
 * event, and its observer forgets the answer here. An invalidation always wins over a load that was under way when
 * it happened (the load read the database before the change committed): such a load is not kept.
 *
 * <p>Only answers that exist are kept ("no such session" is asked again each time). A time of zero keeps nothing.
 */
public final class RecentAnswers<K, V> {

    private final Cache<K, V> cache;
    private final boolean enabled;
    /** Moves on at every invalidation, before the entries go: a load that saw it move is not trusted. */
    private final AtomicLong invalidations = new AtomicLong();

    public RecentAnswers(Duration keptFor, long maximumSize) {
        this.enabled = !keptFor.isZero() && !keptFor.isNegative();
        this.cache = Caffeine.newBuilder().maximumSize(maximumSize)
                .expireAfterWrite(enabled ? keptFor : Duration.ofNanos(1)).build();
    }

    /** The remembered answer, else {@code load}'s (blocking, usually a query), remembered when it exists. */
    public Optional<V> get(K key, Function<K, Optional<V>> load) {
        V known = cache.getIfPresent(key);
        if (known != null) {
            return Optional.of(known);
        }
        long before = invalidations.get();
        Optional<V> loaded = load.apply(key);
        loaded.ifPresent(value -> remember(key, value, before));
        return loaded;
    }

    /** The remembered answer only. */
    public Optional<V> peek(K key) {
        return Optional.ofNullable(cache.getIfPresent(key));
    }

    /** Remembers an answer known to be current (just written, or a newer version of a remembered one). */
    public void put(K key, V value) {
        remember(key, value, invalidations.get());
    }

    public void invalidate(K key) {
        invalidations.incrementAndGet();
        cache.invalidate(key);
    }

    public void invalidateIf(BiPredicate<K, V> which) {
        invalidations.incrementAndGet();
        cache.asMap().entrySet().removeIf(e -> which.test(e.getKey(), e.getValue()));
    }

    public void invalidateAll() {
        invalidations.incrementAndGet();
        cache.invalidateAll();
    }

    public long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    private void remember(K key, V value, long seenInvalidations) {
        if (!enabled) {
            return;
        }
        cache.put(key, value);
        if (invalidations.get() != seenInvalidations) {
            cache.invalidate(key); // an invalidation ran meanwhile: its removal may have come before our put
        }
    }
}
