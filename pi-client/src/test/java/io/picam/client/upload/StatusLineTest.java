package io.picam.client.upload;

import static org.assertj.core.api.Assertions.assertThat;

import io.picam.client.upload.StreamStats.State;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StatusLineTest {

    private static final long MINUTE = Duration.ofMinutes(1).toNanos();

    @Test
    void aLineSaysStateBitrateSinceTheLastLineUptimeReconnectsDropsAndTheLastError() {
        StatusLine line = new StatusLine(1_000);

        // 15 MB in the first minute: 2000 kb/s
        assertThat(line.next(new StreamStats(State.STREAMING, 15_000_000, 0, 0, "none"), 1_000 + MINUTE))
                .isEqualTo("Status: streaming, 2000 kb/s, up 1m, 0 reconnects, 0 drops, last error: none");
        // nothing more sent in the next hour and a minute
        assertThat(line.next(
                        new StreamStats(State.WAITING, 15_000_000, 3, 2, "503: relay restarting"), 1_000 + 62 * MINUTE))
                .isEqualTo(
                        "Status: waiting to reconnect, 0 kb/s, up 1h02m, 3 reconnects, 2 drops, last error: 503: relay restarting");
    }

    @Test
    void uptimeIsShort() {
        assertThat(StatusLine.duration(Duration.ofSeconds(45))).isEqualTo("45s");
        assertThat(StatusLine.duration(Duration.ofMinutes(59))).isEqualTo("59m");
        assertThat(StatusLine.duration(Duration.ofMinutes(185))).isEqualTo("3h05m");
        assertThat(StatusLine.duration(Duration.ofHours(52))).isEqualTo("2d04h");
    }
}
