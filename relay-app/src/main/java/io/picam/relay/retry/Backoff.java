package io.picam.relay.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * The relay's one way to wait before trying again (the Redis connections, the demo camera): exponential backoff
 * with full jitter. The n-th consecutive failure waits a random time up to min(cap, base * 2^n), so that several
 * instances cut off by one Redis restart do not all come back in step. Not thread-safe: one owner per instance.
 */
public final class Backoff {

    private final long baseMillis;
    private final long capMillis;
    private final DoubleSupplier random;
    private int failures;

    public Backoff(Duration base, Duration cap) {
        this(base, cap, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** With {@code random} in [0, 1) chosen by the caller (a test's fixed value). */
    public Backoff(Duration base, Duration cap, DoubleSupplier random) {
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("a backoff needs 0 < base <= cap, not " + base + " and " + cap);
        }
        this.baseMillis = base.toMillis();
        this.capMillis = cap.toMillis();
        this.random = random;
    }

    /** The wait after one more failure. */
    public Duration next() {
        long ceiling = Math.min(capMillis, baseMillis << Math.min(failures, 30));
        failures++;
        return Duration.ofMillis((long) (random.getAsDouble() * ceiling));
    }

    /** It worked (or ran well for long enough): the next failure starts small again. */
    public void reset() {
        failures = 0;
    }
}
