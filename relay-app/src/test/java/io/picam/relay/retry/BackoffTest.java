package io.picam.relay.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void theCeilingDoublesWithEachFailureUpToTheCap() {
        Backoff backoff = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(2), () -> 0.999_999);
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            waits.add(backoff.next().toMillis());
        }
        assertThat(waits).containsExactly(249L, 499L, 999L, 1999L, 1999L, 1999L);
    }

    @Test
    void theWaitIsARandomShareOfTheCeilingSoInstancesDoNotRetryInStep() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), () -> 0.5);
        backoff.next();
        assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(1)); // half of 2 s
    }

    @Test
    void aResetStartsSmallAgain() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(10), () -> 0.999_999);
        for (int i = 0; i < 10; i++) {
            backoff.next();
        }
        backoff.reset();
        assertThat(backoff.next()).isEqualTo(Duration.ofMillis(99));
    }

    @Test
    void manyFailuresNeverOverflowPastTheCap() {
        Backoff backoff = new Backoff(Duration.ofMillis(1), Duration.ofMinutes(1), () -> 0.999_999);
        for (int i = 0; i < 100; i++) {
            assertThat(backoff.next()).isBetween(Duration.ZERO, Duration.ofMinutes(1));
        }
    }

    @Test
    void aCapBelowTheBaseIsRefused() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
