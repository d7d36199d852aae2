package io.picam.bench;

/** Latencies in 0.1 ms buckets up to 10 s (larger ones land in the last bucket); thread-safe, fixed size. */
final class LatencyHistogram {

    private static final int BUCKETS = 100_000;
    private final long[] counts = new long[BUCKETS];
    private static final long SLOW_NANOS = 20_000_000;
    private long total;
    private long maxNanos;
    // per second of the window: the slowest arrival and the arrivals over 20 ms, to see when the tail happens
    private final long[] secondMax = new long[600];
    private final long[] secondSlow = new long[600];
    private long origin = Long.MIN_VALUE;

    synchronized void record(long nanos) {
        long now = System.nanoTime();
        if (origin == Long.MIN_VALUE) {
            origin = now;
        }
        int second = (int) Math.min(secondMax.length - 1, (now - origin) / 1_000_000_000L);
        secondMax[second] = Math.max(secondMax[second], nanos);
        if (nanos > SLOW_NANOS) {
            secondSlow[second]++;
        }
        int bucket = (int) Math.min(BUCKETS - 1, Math.max(0, nanos / 100_000));
        counts[bucket]++;
        total++;
        maxNanos = Math.max(maxNanos, nanos);
    }

    /** One line per second of the window: its slowest arrival in ms and how many arrivals took over 20 ms. */
    synchronized String timeline() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < secondMax.length && secondMax[i] > 0; i++) {
            b.append(String.format(
                    java.util.Locale.ROOT,
                    "%3d s: max %6.1f ms, %6d over 20 ms%n",
                    i,
                    secondMax[i] / 1e6,
                    secondSlow[i]));
        }
        return b.toString();
    }

    synchronized long count() {
        return total;
    }

    /** The latency in milliseconds below which {@code fraction} of the samples lie. */
    synchronized double percentileMillis(double fraction) {
        if (total == 0) {
            return Double.NaN;
        }
        long rank = (long) Math.ceil(fraction * total);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return (i + 1) / 10.0;
            }
        }
        return maxMillis();
    }

    synchronized double maxMillis() {
        return maxNanos / 1e6;
    }
}
