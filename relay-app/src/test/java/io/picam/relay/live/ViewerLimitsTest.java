package io.picam.relay.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The counting of viewer sockets, without sockets: parallel reservations, release, the open deadline. */
class ViewerLimitsTest {

    @Test
    void fiftyParallelReservationsOfOneUserGetExactlyTheLimitThrough() throws Exception {
        ViewerLimits limits = new ViewerLimits(16, 5000);
        ExecutorService threads = Executors.newFixedThreadPool(50);
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<ViewerSlot>> attempts = IntStream.range(0, 50)
                .<Callable<ViewerSlot>>mapToObj(i -> () -> {
                    start.await();
                    try {
                        return limits.reserve("alice", null);
                    } catch (ViewerLimits.LimitReached e) {
                        assertThat(e.status()).isEqualTo(429);
                        return null;
                    }
                })
                .toList();
        List<Future<ViewerSlot>> results =
                attempts.stream().map(threads::submit).toList();
        start.countDown();
        long admitted = 0;
        for (Future<ViewerSlot> result : results) {
            admitted += result.get() == null ? 0 : 1;
        }
        threads.shutdown();
        assertThat(admitted).isEqualTo(16);
        assertThat(limits.heldBy("alice")).isEqualTo(16);
        assertThat(limits.refused(ViewerLimits.Refusal.PER_USER)).isEqualTo(34);
    }

    @Test
    void aClosedSocketGivesItsPlaceBackOnceAndUsersDoNotShare() throws Exception {
        ViewerLimits limits = new ViewerLimits(2, 5000);
        ViewerSlot first = limits.reserve("alice", null);
        limits.reserve("Alice", null);
        assertThatThrownBy(() -> limits.reserve("ALICE", null))
                .as("user names are counted case-blind")
                .isInstanceOf(ViewerLimits.LimitReached.class);
        limits.reserve("bob", null);

        limits.release(first);
        limits.release(first);
        assertThat(limits.heldBy("alice")).as("released twice, counted once").isEqualTo(1);
        limits.reserve("alice", null);
        assertThat(limits.held()).isEqualTo(3);
    }

    @Test
    void pastTheRelaysLimitEveryoneGets503() throws Exception {
        ViewerLimits limits = new ViewerLimits(16, 3);
        limits.reserve("a", null);
        limits.reserve("b", null);
        ViewerSlot third = limits.reserve("c", null);
        assertThatThrownBy(() -> limits.reserve("d", null))
                .isInstanceOfSatisfying(
                        ViewerLimits.LimitReached.class,
                        e -> assertThat(e.status()).isEqualTo(503));
        assertThat(limits.refused(ViewerLimits.Refusal.TOTAL)).isEqualTo(1);
        limits.release(third);
        limits.reserve("d", null);
    }

    @Test
    void aPlaceWhoseSocketNeverOpensIsGivenBackAfterTheDeadline() throws Exception {
        ViewerLimits limits = new ViewerLimits(1, 5000);
        ViewerSlot opened = limits.reserve("alice", null);
        assertThat(limits.opened(opened)).isTrue();
        ViewerSlot lost = limits.reserve("bob", null);

        long later = System.nanoTime() + ViewerLimits.OPEN_DEADLINE_NANOS + 1;
        limits.expireUnopened(later);
        assertThat(limits.heldBy("bob")).isZero();
        assertThat(limits.heldBy("alice")).as("an open socket keeps its place").isEqualTo(1);
        assertThat(limits.opened(lost))
                .as("too late: the socket is closed instead")
                .isFalse();
    }
}
