package io.picam.relay.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RecentAnswersTest {

    private final RecentAnswers<String, String> answers = new RecentAnswers<>(Duration.ofMinutes(1), 100);
    private final AtomicInteger loads = new AtomicInteger();

    private Optional<String> database(String key) {
        loads.incrementAndGet();
        return key.startsWith("unknown") ? Optional.empty() : Optional.of("answer " + loads.get());
    }

    @Test
    void anAnswerIsLoadedOnceThenRememberedUntilInvalidated() {
        assertThat(answers.get("lena", this::database)).contains("answer 1");
        assertThat(answers.get("lena", this::database)).contains("answer 1");
        assertThat(loads).hasValue(1);

        answers.invalidateIf((key, value) -> key.equals("lena"));
        assertThat(answers.get("lena", this::database)).contains("answer 2");
    }

    @Test
    void whatDoesNotExistIsAskedAgainEachTime() {
        assertThat(answers.get("unknown", this::database)).isEmpty();
        assertThat(answers.get("unknown", this::database)).isEmpty();
        assertThat(loads).hasValue(2);
    }

    @Test
    void aLoadUnderWayWhenAnInvalidationRunsIsNotKept() {
        // the load read the database before the change committed; the change's event came while it was running
        assertThat(answers.get("lena", key -> {
                    answers.invalidate("lena");
                    return Optional.of("stale");
                }))
                .contains("stale");
        assertThat(answers.get("lena", this::database)).contains("answer 1");
    }

    @Test
    void simultaneousMissesOfOneKeyMakeOneLoad() throws Exception {
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<Optional<String>>> asks = new ArrayList<>();
            asks.add(threads.submit(() -> answers.get("stream", key -> {
                loading.countDown();
                await(release);
                return database(key);
            })));
            assertThat(loading.await(5, TimeUnit.SECONDS)).isTrue();
            for (int i = 0; i < 7; i++) {
                asks.add(threads.submit(() -> answers.get("stream", this::database)));
            }
            release.countDown();
            for (Future<Optional<String>> ask : asks) {
                assertThat(ask.get(5, TimeUnit.SECONDS)).contains("answer 1");
            }
            assertThat(loads).hasValue(1);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aFailedLoadFailsItsCallerAndIsNotRemembered() {
        assertThatThrownBy(() -> answers.get("lena", key -> {
                    throw new IllegalStateException("database away");
                }))
                .hasMessage("database away");
        assertThat(answers.get("lena", this::database)).contains("answer 1");
    }

    @Test
    void zeroTimeRemembersNothing() {
        RecentAnswers<String, String> none = new RecentAnswers<>(Duration.ZERO, 100);
        none.get("lena", this::database);
        none.get("lena", this::database);
        assertThat(loads).hasValue(2);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
