package io.picam.relay.domain;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiPredicate;
import java.util.function.Function;

/**
 * Database answers kept in memory for a short time, so that a reconnect storm is answered without a query per
 * request. Correctness comes from invalidation, not from the time limit: whatever changes an answer fires a domain
 * event, and its observer forgets the answer here. An invalidation always wins over a load that was under way when
 * it happened (the load read the database before the change committed): such a load is not kept.
 *
 * <p>Misses of the same key at the same time make one load, which the others wait for: a cold instance that a
 * thousand viewers of one stream reach at once asks for that stream once. Only answers that exist are kept ("no
 * such session" is asked again each time). A time of zero keeps nothing.
 */
public final class RecentAnswers<K, V> {

    private final Cache<K, V> cache;
    private final boolean enabled;
    /** Moves on at every invalidation, before the entries go: a load that saw it move is not trusted. */
    private final AtomicLong invalidations = new AtomicLong();

    private final Map<K, CompletableFuture<Optional<V>>> loading = new ConcurrentHashMap<>();

    public RecentAnswers(Duration keptFor, long maximumSize) {
        this.enabled = !keptFor.isZero() && !keptFor.isNegative();
        this.cache = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .expireAfterWrite(enabled ? keptFor : Duration.ofNanos(1))
                .build();
    }

    /** The remembered answer, else {@code load}'s (blocking, usually a query), remembered when it exists. */
    public Optional<V> get(K key, Function<K, Optional<V>> load) {
        V known = cache.getIfPresent(key);
        if (known != null) {
            return Optional.of(known);
        }
        CompletableFuture<Optional<V>> mine = new CompletableFuture<>();
        CompletableFuture<Optional<V>> running = loading.putIfAbsent(key, mine);
        if (running != null) {
            return await(running);
        }
        long before = invalidations.get();
        try {
            Optional<V> loaded = load.apply(key);
            loaded.ifPresent(value -> remember(key, value, before));
            mine.complete(loaded);
            return loaded;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            loading.remove(key, mine);
        }
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
        loading.remove(key); // a miss from now on loads afresh instead of joining a load that began before
        cache.invalidate(key);
    }

    public void invalidateIf(BiPredicate<K, V> which) {
        invalidations.incrementAndGet();
        loading.clear();
        cache.asMap().entrySet().removeIf(e -> which.test(e.getKey(), e.getValue()));
    }

    public void invalidateAll() {
        invalidations.incrementAndGet();
        loading.clear();
        cache.invalidateAll();
    }

    public long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    private static <T> T await(CompletableFuture<T> load) {
        try {
            return load.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause; // the loader's own failure (the database away), as if this caller had loaded
            }
            throw e;
        }
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
