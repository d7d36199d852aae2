package io.picam.relay.live;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The relay-wide bound on bytes held for viewers (handed to their sockets, not yet written). Each viewer's own
 * queue limit bounds what one slow viewer costs, not what a crowd of sockets that stopped reading costs together,
 * and those bytes are direct memory. Two parts:
 * <ul>
 * <li>on the media path, one AtomicLong kept next to each viewer's own counter: a viewer takes a segment only while
 * the total plus what it holds itself is under the budget. So the total never passes the budget by more than one
 * segment and those holding the most are the first to yield; a viewer whose socket keeps writing may go on into a
 * reserve of half the budget, so that a crowd that stopped reading (each holding too little to stand out)
 * cannot starve the viewers that keep up while the plan below closes it;
 * <li>every second, {@link #plan}: past three quarters of the budget the viewers holding the most skip to the next
 * join point, and those that were told so before and still hold their bytes are closed, biggest first, until the
 * rest is back under that mark. Closing is what gives the memory back: a socket that stopped reading never drains.
 * </ul>
 */
public final class HeldBytesBudget {

    /** A viewer as the plan sees it. */
    interface Holder {
        /** Bytes in flight this viewer is charged for (see {@code Viewer#charged}). */
        long chargedBytes();

        /** When it was last made to skip by the budget (System.nanoTime), or {@link #NOT_SKIPPED}. */
        long budgetSkippedAt();
    }

    /** What the plan asks: who skips to the next join point, who is closed. */
    record Plan<T>(List<T> skip, List<T> close) {}

    static final long NOT_SKIPPED = Long.MIN_VALUE;
    /** Time a skipped viewer gets to drain before it counts as one whose bytes do not. */
    static final long DRAIN_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final long limit;
    private final AtomicLong held = new AtomicLong();
    private final LongAdder skips = new LongAdder();
    private final LongAdder closes = new LongAdder();

    HeldBytesBudget(long limit) {
        this.limit = limit;
    }

    /** Bytes that must go out whatever the total (an fMP4 init segment: small, and nothing decodes without it). */
    void take(long bytes) {
        held.addAndGet(bytes);
    }

    /**
     * Bytes for a viewer that holds {@code ownBytes} already: taken while the total plus those is under the budget.
     * Compare-and-set, so that viewers on several event loops cannot pass the check together.
     */
    boolean tryTake(long bytes, long ownBytes) {
        return tryTake(bytes, ownBytes, false);
    }

    /**
     * As {@link #tryTake(long, long)}, but a viewer that {@code keepsUp} (its socket wrote something a moment ago,
     * or it holds nothing) may go on into a reserve of half the budget: a crowd of sockets that stopped
     * reading, each holding too little to stand out, fills the budget within a second, and without the reserve
     * every healthy viewer would be refused with them until the plan has closed enough of the crowd. The reserve
     * is bounded like the rest, so the total stays under 1.5 × the budget (plus one segment).
     */
    boolean tryTake(long bytes, long ownBytes, boolean keepsUp) {
        long ceiling = keepsUp ? limit + limit / 2 : limit;
        long current;
        do {
            current = held.get();
            if (current + ownBytes >= ceiling) {
                return false;
            }
        } while (!held.compareAndSet(current, current + bytes));
        return true;
    }

    /** Bytes written out (or dropped with their connection). */
    void give(long bytes) {
        held.addAndGet(-bytes);
    }

    long held() {
        return held.get();
    }

    long limit() {
        return limit;
    }

    /**
     * Who gives way, biggest holders first, until what the others hold is under three quarters of the budget:
     * one not yet skipped skips; one skipped at least {@link #DRAIN_GRACE_NANOS} ago that still holds bytes is
     * closed; one skipped more recently is given time. Viewers already closed are not among {@code holders}: their
     * bytes go once their connection is cut.
     */
    <T extends Holder> Plan<T> plan(Collection<T> holders, long nowNanos) {
        // a snapshot: the counts move while we sort
        List<Held<T>> holding = new ArrayList<>();
        long total = 0;
        for (T holder : holders) {
            long pending = holder.chargedBytes();
            if (pending > 0) {
                total += pending;
                holding.add(new Held<>(holder, pending));
            }
        }
        long excess = total - limit / 4 * 3;
        if (excess <= 0) {
            return new Plan<>(List.of(), List.of());
        }
        holding.sort(Comparator.comparingLong(Held<T>::pending).reversed());
        List<T> skip = new ArrayList<>();
        List<T> close = new ArrayList<>();
        for (Held<T> entry : holding) {
            if (excess <= 0) {
                break;
            }
            long skippedAt = entry.holder().budgetSkippedAt();
            if (skippedAt == NOT_SKIPPED) {
                skip.add(entry.holder());
            } else if (nowNanos - skippedAt >= DRAIN_GRACE_NANOS) {
                close.add(entry.holder());
            }
            excess -= entry.pending();
        }
        return new Plan<>(skip, close);
    }

    private record Held<T>(T holder, long pending) {}

    void skipped() {
        skips.increment();
    }

    void closed() {
        closes.increment();
    }

    long skips() {
        return skips.sum();
    }

    long closes() {
        return closes.sum();
    }
}
