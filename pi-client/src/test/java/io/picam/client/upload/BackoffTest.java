package io.picam.client.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesFromHalfASecondUpToThirtyWithFullJitter() {
        Backoff top = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), () -> 0.999999);
        long[] expected = {500, 1000, 2000, 4000, 8000, 16000, 30000, 30000};
        for (long ms : expected) {
            assertThat(top.next().toMillis()).isBetween(ms - 1, ms);
        }
        Backoff bottom = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), () -> 0.0);
        assertThat(bottom.next()).isZero(); // full jitter: anywhere from zero
    }

    @Test
    void resetStartsSmallAgainAndTheCapIsTheCap() {
        Backoff b = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), () -> 0.999999);
        for (int i = 0; i < 10; i++) {
            b.next();
        }
        b.reset();
        assertThat(b.next().toMillis()).isLessThanOrEqualTo(500);
        assertThat(b.cap()).isEqualTo(Duration.ofSeconds(30));
    }
}
