package io.picam.relay.live;

import static io.picam.relay.live.FakeConnection.chunk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.picam.relay.live.FakeConnection.Sent;
import io.vertx.core.Context;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One viewer's bound on bytes in flight, against a fake socket whose writes complete when the test says so, on a
 * real Vert.x event loop (a Viewer lives on its connection's loop).
 */
class ViewerTest {

    private static final boolean JOIN = true;
    private static final boolean MORE = false;
    private static final long UNLIMITED = Long.MAX_VALUE / 4;

    @RegisterExtension
    static final EventLoops loops = new EventLoops();

    private Context context;
    private FakeConnection socket;
    private HeldBytesBudget budget;

    @BeforeEach
    void newSocket() {
        context = loops.newContext();
        socket = new FakeConnection();
        budget = new HeldBytesBudget(UNLIMITED);
    }

    private Viewer viewer(long queueLimit) {
        return loops.viewer(context, socket, queueLimit, budget);
    }

    /** What the socket did since the viewer last looked (the next offer, or the housekeeping every second). */
    private void settle(Viewer viewer) {
        loops.run(context, viewer::settle);
    }

    private void offer(Viewer viewer, String label, int size, boolean joinPoint) {
        loops.run(context, () -> viewer.offer(chunk(label, size), joinPoint));
    }

    @Test
    void isMadeOnlyOnAnEventLoop() {
        assertThatThrownBy(() ->
                        new Viewer(socket.connection(), socket.media(), 100, budget, new ViewerSlot("alice", null, 0)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void startsAtTheFirstJoinPoint() {
        Viewer viewer = viewer(1000);
        offer(viewer, "C0", 10, MORE);
        offer(viewer, "J1", 10, JOIN);
        offer(viewer, "C1", 10, MORE);
        assertThat(socket.binaries()).containsExactly("J1", "C1");
        assertThat(viewer.skippedSegments())
                .as("waiting for a first join point is not falling behind")
                .isZero();
        assertThat(viewer.pendingBytes()).isEqualTo(20);
        assertThat(viewer.sentBytes()).isEqualTo(20);
        assertThat(budget.held()).isEqualTo(20);
    }

    @Test
    void overTheQueueLimitItSkipsToAJoinPointAndResumesThereOnceMostlyDrained() {
        Viewer viewer = viewer(100);
        offer(viewer, "J1", 60, JOIN);
        offer(viewer, "C1", 30, MORE); // 90 in flight
        offer(viewer, "C2", 30, MORE); // 120 > 100: falls behind
        offer(viewer, "C3", 5, MORE); // would fit, but the GOP is broken now
        offer(viewer, "J2", 5, JOIN); // 90 in flight, over half the limit: still too far behind
        assertThat(socket.binaries()).containsExactly("J1", "C1");
        assertThat(viewer.skippedSegments()).isEqualTo(3);
        assertThat(viewer.pendingBytes()).isEqualTo(90);

        socket.writeOne(); // J1 written: 30 in flight
        settle(viewer);
        assertThat(viewer.pendingBytes()).isEqualTo(30);
        offer(viewer, "C4", 10, MORE);
        assertThat(socket.binaries())
                .as("drained, but only a join point resumes")
                .containsExactly("J1", "C1");
        offer(viewer, "J3", 10, JOIN);
        offer(viewer, "C5", 10, MORE);
        assertThat(socket.binaries()).containsExactly("J1", "C1", "J3", "C5");
        assertThat(viewer.skippedSegments()).isEqualTo(4);
        assertThat(viewer.pendingBytes()).isEqualTo(50);
        assertThat(budget.held()).isEqualTo(50);
    }

    @Test
    void theNewestBytesInFlightAreSharedWithEveryViewerNearLiveAndNotCharged() {
        Viewer viewer = loops.viewer(context, socket, 800, 100, budget);
        offer(viewer, "J1", 60, JOIN);
        offer(viewer, "C1", 30, MORE);
        assertThat(viewer.pendingBytes()).isEqualTo(90);
        assertThat(budget.held())
                .as("within the newest 100 bytes: the stream's own frames")
                .isZero();
        offer(viewer, "C2", 30, MORE);
        assertThat(budget.held())
                .as("further behind: charged for what lies beyond")
                .isEqualTo(20);
        assertThat(viewer.chargedBytes()).isEqualTo(20);
        socket.writeOne(); // J1 written: 60 in flight
        settle(viewer);
        assertThat(viewer.pendingBytes()).isEqualTo(60);
        assertThat(budget.held()).as("given back as it drains").isZero();
        socket.writeOne();
        socket.writeOne();
        settle(viewer);
        assertThat(viewer.pendingBytes()).isZero();
        assertThat(budget.held()).isZero();
    }

    @Test
    void aBudgetFilledByOthersStillLetsAViewerNearLiveTakeTheNextFrames() {
        budget = new HeldBytesBudget(100);
        assertThat(budget.tryTake(200, 0))
                .as("sockets that stopped reading hold it all")
                .isTrue();
        Viewer viewer = loops.viewer(context, socket, 800, 100, budget);
        offer(viewer, "J1", 60, JOIN);
        offer(viewer, "C1", 30, MORE); // a backlog after a pause: frames every viewer near live holds too
        assertThat(socket.binaries()).containsExactly("J1", "C1");
        assertThat(viewer.skippedSegments()).isZero();
        offer(viewer, "C2", 30, MORE); // 20 bytes of its own: the full budget refuses them
        assertThat(socket.binaries()).containsExactly("J1", "C1");
        assertThat(viewer.skippedSegments()).isEqualTo(1);
        assertThat(budget.held()).isEqualTo(200);
    }

    @Test
    void anEmptyQueueTakesASegmentLargerThanTheLimit() {
        Viewer viewer = viewer(100);
        offer(viewer, "J1", 300, JOIN);
        offer(viewer, "C1", 10, MORE);
        assertThat(socket.binaries())
                .as("the big one goes; the next waits for it")
                .containsExactly("J1");
        socket.writeOne();
        offer(viewer, "J2", 300, JOIN);
        assertThat(socket.binaries()).containsExactly("J1", "J2");
    }

    @Test
    void aNewInitSegmentGoesOutAfterItsAnnouncementRightBeforeTheNextJoinPoint() {
        socket = FakeConnection.draining();
        Viewer viewer = viewer(1000);
        offer(viewer, "J1", 10, JOIN);
        loops.run(context, () -> viewer.offerInit("{\"type\":\"stream\"}", chunk("INIT", 8)));
        offer(viewer, "C1", 10, MORE); // the old GOP does not decode with the new init
        assertThat(socket.sent()).containsExactly(Sent.binary("J1"));
        offer(viewer, "J2", 10, JOIN);
        offer(viewer, "C2", 10, MORE);
        offer(viewer, "J3", 10, JOIN);
        assertThat(socket.sent())
                .containsExactly(
                        Sent.binary("J1"),
                        Sent.text("{\"type\":\"stream\"}"),
                        Sent.binary("INIT"),
                        Sent.binary("J2"),
                        Sent.binary("C2"),
                        Sent.binary("J3"));
        assertThat(viewer.skippedSegments())
                .as("waiting for the new decoder setup is not falling behind")
                .isZero();
    }

    @Test
    void aLaterInitReplacesOneNotYetSentAndNeedsNoAnnouncement() {
        Viewer viewer = viewer(100);
        offer(viewer, "J1", 90, JOIN); // in flight, never written
        loops.run(context, () -> viewer.offerInit(null, chunk("INIT", 8)));
        loops.run(context, () -> viewer.offerInit(null, chunk("INIT2", 8))); // a second one replaces the first
        socket.writeOne();
        offer(viewer, "J2", 10, JOIN);
        assertThat(socket.sent()).containsExactly(Sent.binary("J1"), Sent.binary("INIT2"), Sent.binary("J2"));
        assertThat(budget.held()).isEqualTo(18);
    }

    @Test
    void isStalledOnlyWhileBytesWaitWithoutProgressForLongerThanTheTimeout() {
        long timeout = TimeUnit.SECONDS.toNanos(10);
        Viewer viewer = viewer(1000);
        long later = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        assertThat(viewer.stalledFor(timeout, later))
                .as("nothing in flight: nothing to stall")
                .isFalse();

        offer(viewer, "J1", 10, JOIN);
        assertThat(viewer.stalledFor(timeout, System.nanoTime()))
                .as("just sent")
                .isFalse();
        assertThat(viewer.stalledFor(timeout, later))
                .as("a minute without progress")
                .isTrue();

        socket.writeOne();
        settle(viewer);
        assertThat(viewer.stalledFor(timeout, later)).as("drained").isFalse();

        offer(viewer, "C1", 10, MORE); // the clock starts: the queue was empty
        offer(viewer, "C2", 10, MORE);
        long beforeWrite = System.nanoTime();
        assertThat(viewer.stalledFor(timeout, beforeWrite + timeout)).isTrue();
        socket.writeOne(); // progress, though C2 still waits: the clock starts again
        settle(viewer);
        assertThat(viewer.pendingBytes()).isEqualTo(10);
        assertThat(viewer.stalledFor(timeout, beforeWrite + timeout)).isFalse();
        assertThat(viewer.stalledFor(timeout, System.nanoTime() + 2 * timeout)).isTrue();
    }

    @Test
    void afterItsConnectionClosedItHoldsNothing() {
        Viewer viewer = viewer(1000);
        socket.closeByPeer();
        offer(viewer, "J1", 10, JOIN);
        offer(viewer, "C1", 10, MORE);
        assertThat(socket.binaries()).isEmpty();
        assertThat(viewer.pendingBytes()).isZero();
        assertThat(budget.held()).isZero();
    }

    @Test
    void aSendRefusedAtOnceOrAFailedWriteGivesItsBytesBack() {
        Viewer viewer = viewer(1000);
        offer(viewer, "J1", 10, JOIN);
        offer(viewer, "C1", 20, MORE);
        socket.failOne();
        settle(viewer);
        assertThat(viewer.pendingBytes()).isEqualTo(20);
        assertThat(budget.held()).isEqualTo(20);
        socket.refuseSends();
        offer(viewer, "C2", 30, MORE);
        assertThat(viewer.pendingBytes()).isEqualTo(20);
        assertThat(budget.held()).isEqualTo(20);
        socket.failOne();
        settle(viewer);
        assertThat(viewer.pendingBytes()).isZero();
        assertThat(budget.held()).isZero();
    }

    @Test
    void whenTheBudgetIsSpentItSkipsAndResumesOnlyWithAnEmptyQueue() {
        budget = new HeldBytesBudget(100);
        Viewer viewer = viewer(1000);
        offer(viewer, "J1", 10, JOIN); // in flight
        budget.take(140); // the rest of the relay holds the remainder, and the reserve of those that keep up
        offer(viewer, "C1", 10, MORE);
        assertThat(viewer.budgetSkippedAt()).isNotEqualTo(HeldBytesBudget.NOT_SKIPPED);
        assertThat(budget.skips()).isEqualTo(1);
        budget.give(140);
        offer(viewer, "J2", 10, JOIN);
        assertThat(socket.binaries())
                .as("10 bytes in flight is under half the queue, but the budget wants none")
                .containsExactly("J1");
        socket.writeOne();
        offer(viewer, "J3", 10, JOIN);
        assertThat(socket.binaries()).containsExactly("J1", "J3");
        assertThat(viewer.budgetSkippedAt()).isEqualTo(HeldBytesBudget.NOT_SKIPPED);
        assertThat(viewer.skippedSegments()).isEqualTo(2);
        assertThat(budget.skips())
                .as("counted once per skip, not per segment lost")
                .isEqualTo(1);
    }
}
