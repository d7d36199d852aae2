package io.picam.bench;

/** Latencies in 0.1 ms buckets up to 10 s (larger ones land in the last bucket); thread-safe, fixed size. */
final class LatencyHistogram {

    private static final int BUCKETS = 100_000;
    private final long[] counts = new long[BUCKETS];
    private long total;
    private long maxNanos;

    synchronized void record(long nanos) {
        int bucket = (int) Math.min(BUCKETS - 1, Math.max(0, nanos / 100_000));
        counts[bucket]++;
        total++;
        maxNanos = Math.max(maxNanos, nanos);
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
