package io.picam.client.upload;

import java.time.Duration;

/**
 * The status line {@code picam stream} logs once a minute: state, bitrate since the last line, uptime,
 * reconnects, drops and the last error. Times are given, so a test needs no clock.
 */
public final class StatusLine {

    private final long startNanos;
    private long lastNanos;
    private long lastBytes;

    public StatusLine(long startNanos) {
        this.startNanos = startNanos;
        this.lastNanos = startNanos;
    }

    public String next(StreamStats stats, long nowNanos) {
        long elapsed = Math.max(1, nowNanos - lastNanos);
        long kbps = (stats.bytesSent() - lastBytes) * 8 * 1_000_000L / elapsed; // bytes per ns * 8e9 / 1000
        lastNanos = nowNanos;
        lastBytes = stats.bytesSent();
        return "Status: " + stats.state() + ", " + kbps + " kb/s, up "
                + duration(Duration.ofNanos(nowNanos - startNanos)) + ", " + stats.reconnects() + " reconnects, "
                + stats.drops() + " drops, last error: " + stats.lastError();
    }

    /** 45s, 12m, 3h05m, 2d04h: short enough for a line a minute. */
    static String duration(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m";
        }
        if (s < 86_400) {
            return String.format("%dh%02dm", s / 3600, s % 3600 / 60);
        }
        return String.format("%dd%02dh", s / 86_400, s % 86_400 / 3600);
    }
}
