package io.picam.bench;

/**
 * When the publisher wrote which bytes: end offset and time of each write. One writer thread appends,
 * viewer threads look up; capacity is fixed up front so readers never see a resized array.
 */
final class WriteLog {

    private final long[] endOffsets;
    private final long[] times;
    private volatile int size;

    WriteLog(int capacity) {
        endOffsets = new long[capacity];
        times = new long[capacity];
    }

    void append(long endOffset, long nanoTime) {
        int n = size;
        if (n == endOffsets.length) {
            throw new IllegalStateException("write log full");
        }
        endOffsets[n] = endOffset;
        times[n] = nanoTime;
        size = n + 1;
    }

    /** When the byte at {@code offset} was written, or -1 if it has not been. */
    long timeOf(long offset) {
        int lo = 0;
        int hi = size - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (endOffsets[mid] > offset) {
                found = mid;
                hi = mid - 1;
            } else {
                lo = mid + 1;
            }
        }
        return found < 0 ? -1 : times[found];
    }

    long bytes() {
        int n = size;
        return n == 0 ? 0 : endOffsets[n - 1];
    }
}
