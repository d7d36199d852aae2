package io.picam.client.upload;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with full jitter: the n-th consecutive failure waits a random time up to
 * min(cap, base * 2^n), so that many Pis cut off by one relay restart do not all come back at once.
 */
public final class Backoff {

    private final long baseMillis;
    private final long capMillis;
    private final DoubleSupplier random;
    private int failures;

    public Backoff(Duration base, Duration cap, DoubleSupplier random) {
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

    /** The longest wait, e.g. after the relay refused the secret: retrying sooner would not help. */
    public Duration cap() {
        failures++;
        return Duration.ofMillis(capMillis);
    }

    /** Things went well for long enough: the next failure starts small again. */
    public void reset() {
        failures = 0;
    }

    public int failures() {
        return failures;
    }
}
