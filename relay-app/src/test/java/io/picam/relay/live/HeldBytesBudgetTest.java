package io.picam.relay.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The budget's arithmetic and its choice of who gives way, against fake viewers. */
class HeldBytesBudgetTest {

    private static final long K = 1024;
    private static final long NOW = 1_000_000_000_000L;
    private static final long LONG_AGO = NOW - HeldBytesBudget.DRAIN_GRACE_NANOS;
    private static final long JUST_NOW = NOW - 1;

    /** A viewer as the plan sees it. */
    record Fake(String name, long chargedBytes, long budgetSkippedAt) implements HeldBytesBudget.Holder {
        static Fake holding(String name, long bytes) {
            return new Fake(name, bytes, HeldBytesBudget.NOT_SKIPPED);
        }
    }

    @Test
    void aViewerTakesBytesOnlyWhileTheTotalAndWhatItHoldsStayUnderTheBudget() {
        HeldBytesBudget budget = new HeldBytesBudget(1000 * K);
        assertThat(budget.tryTake(600 * K, 0)).isTrue();
        assertThat(budget.tryTake(100 * K, 300 * K))
                .as("600 + its own 300 < 1000")
                .isTrue();
        assertThat(budget.tryTake(64 * K, 300 * K))
                .as("700 + its own 300 reach the budget")
                .isFalse();
        assertThat(budget.tryTake(64 * K, 0))
                .as("one that holds nothing still gets its segment")
                .isTrue();
        assertThat(budget.held()).isEqualTo(764 * K);
        assertThat(budget.tryTake(300 * K, 0))
                .as("the total may pass the budget by the one segment that crosses it")
                .isTrue();
        assertThat(budget.tryTake(1, 0)).as("and then nobody takes more").isFalse();
        budget.give(300 * K);
        assertThat(budget.tryTake(1, 0)).isTrue();
    }

    @Test
    void aViewerThatKeepsUpGoesOnIntoAReserveWhileACrowdThatStoppedReadingFillsTheBudget() {
        HeldBytesBudget budget = new HeldBytesBudget(1000 * K);
        for (int i = 0; i < 100; i++) { // a crowd of stalled sockets, each holding a little
            assertThat(budget.tryTake(10 * K, i % 3 * K, false)).isTrue();
        }
        assertThat(budget.tryTake(10 * K, 0, false))
                .as("the budget is full for one that does not keep up")
                .isFalse();
        assertThat(budget.tryTake(10 * K, 20 * K, true))
                .as("one whose socket keeps writing still gets its segment")
                .isTrue();
        while (budget.tryTake(10 * K, 0, true)) {
            assertThat(budget.held()).isLessThanOrEqualTo(1510 * K);
        }
        assertThat(budget.held())
                .as("the reserve is bounded: half the budget, passed by one segment at most")
                .isBetween(1490 * K, 1510 * K);
    }

    @Test
    void viewersOnManyThreadsTogetherPassTheBudgetByOneSegmentAtMost() throws Exception {
        long limit = 1000 * K;
        long segment = 64 * K;
        HeldBytesBudget budget = new HeldBytesBudget(limit);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        for (int i = 0; i < 8; i++) {
            threads.execute(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int n = 0; n < 10_000; n++) {
                    budget.tryTake(segment, 0);
                }
            });
        }
        start.countDown();
        threads.shutdown();
        assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        assertThat(budget.held()).isGreaterThanOrEqualTo(limit).isLessThan(limit + segment);
    }

    @Test
    void belowThreeQuartersOfTheBudgetNobodyGivesWay() {
        HeldBytesBudget budget = new HeldBytesBudget(1000 * K);
        HeldBytesBudget.Plan<Fake> plan =
                budget.plan(List.of(Fake.holding("a", 400 * K), Fake.holding("b", 350 * K)), NOW);
        assertThat(plan.skip()).isEmpty();
        assertThat(plan.close()).isEmpty();
    }

    @Test
    void theBiggestHoldersSkipFirstUntilTheRestIsUnderThreeQuarters() {
        HeldBytesBudget budget = new HeldBytesBudget(1000 * K);
        Fake reader = Fake.holding("reader", 0);
        Fake small = Fake.holding("small", 100 * K);
        Fake big = Fake.holding("big", 300 * K);
        Fake bigger = Fake.holding("bigger", 350 * K);
        Fake middle = Fake.holding("middle", 200 * K);
        // 950 held, 750 is the mark: the 350 alone brings the rest to 600
        HeldBytesBudget.Plan<Fake> plan = budget.plan(List.of(reader, small, big, bigger, middle), NOW);
        assertThat(plan.skip()).containsExactly(bigger);
        assertThat(plan.close()).isEmpty();

        // 1150 held: 400 over, so the two biggest
        Fake more = Fake.holding("more", 200 * K);
        plan = budget.plan(List.of(reader, small, big, bigger, middle, more), NOW);
        assertThat(plan.skip()).containsExactly(bigger, big);
        assertThat(plan.close()).isEmpty();
    }

    @Test
    void skippedViewersWhoseBytesDoNotDrainAreClosedBiggestFirst() {
        HeldBytesBudget budget = new HeldBytesBudget(1000 * K);
        Fake stuck = new Fake("stuck", 300 * K, LONG_AGO);
        Fake stuckSmaller = new Fake("stuck-smaller", 250 * K, LONG_AGO);
        Fake stuckSmallest = new Fake("stuck-smallest", 200 * K, LONG_AGO);
        Fake reader = Fake.holding("reader", 64 * K);
        // 814 held: 64 over, so only the biggest goes
        HeldBytesBudget.Plan<Fake> plan = budget.plan(List.of(stuckSmallest, reader, stuck, stuckSmaller), NOW);
        assertThat(plan.close()).containsExactly(stuck);
        assertThat(plan.skip()).isEmpty();
    }

    @Test
    void aViewerSkippedAMomentAgoGetsTimeToDrainAndCountsAsGivingWay() {
        HeldBytesBudget budget = new HeldBytesBudget(1000 * K);
        Fake fresh = new Fake("fresh", 500 * K, JUST_NOW);
        Fake other = Fake.holding("other", 400 * K);
        // 900 held, 150 over: the one skipped just now covers it; nobody else is touched yet
        HeldBytesBudget.Plan<Fake> plan = budget.plan(List.of(fresh, other), NOW);
        assertThat(plan.skip()).isEmpty();
        assertThat(plan.close()).isEmpty();
        // a grace later it still holds everything: closed
        plan = budget.plan(List.of(new Fake("fresh", 500 * K, LONG_AGO), other), NOW);
        assertThat(plan.close()).extracting(Fake::name).containsExactly("fresh");
    }

    @Test
    void viewersHoldingNothingAreNeverChosen() {
        HeldBytesBudget budget = new HeldBytesBudget(100 * K);
        Fake drained = new Fake("drained", 0, LONG_AGO);
        Fake reader = Fake.holding("reader", 0);
        Fake stuck = new Fake("stuck", 200 * K, LONG_AGO);
        HeldBytesBudget.Plan<Fake> plan = budget.plan(List.of(drained, reader, stuck), NOW);
        assertThat(plan.close()).containsExactly(stuck);
        assertThat(plan.skip()).isEmpty();
    }
}
